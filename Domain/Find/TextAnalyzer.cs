using System.Globalization;

namespace Cases.Domain.Find;

/// <summary>
/// Splits text into search terms the way Elasticsearch's <c>standard</c> analyzer (which Kibana's case search uses)
/// does for everyday text: words are runs of letters, digits and underscores, joined across a single <c>.</c> or
/// <c>'</c> between two word characters (<c>e.g</c>, <c>10.0.0.1</c>, <c>don't</c>), split everywhere else, and
/// lower-cased. Words longer than 255 characters are cut into 255-character pieces, as the tokenizer does.
/// </summary>
public static class TextAnalyzer
{
    public const int MaxTokenLength = 255;

    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        Tokens(text, tokens.Add);
        return tokens;
    }

    public static void Tokens(ReadOnlySpan<char> text, Action<string> token)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (IsWordChar(text[i]) ||
                (start >= 0 && text[i] is '.' or '\'' or '’' && i + 1 < text.Length && IsWordChar(text[i + 1]) && IsWordChar(text[i - 1])));
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                for (var s = start; s < i; s += MaxTokenLength)
                    token(text[s..Math.Min(i, s + MaxTokenLength)].ToString().ToLowerInvariant());
                start = -1;
            }
        }
    }

    static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' ||
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}
