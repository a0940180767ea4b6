using Cases.Domain.Errors;

namespace Cases.Domain.Find;

/// <summary>
/// The <c>search</c> parameter of <c>_find</c>, read as Elasticsearch's <c>simple_query_string</c> (what Kibana runs
/// over <c>searchFields</c>): whitespace-separated terms joined by <c>defaultSearchOperator</c>, <c>+</c> (and),
/// <c>|</c> (or), <c>-term</c> (not: everything without the term), <c>"quoted phrases"</c>, a trailing <c>*</c> for
/// a prefix, parentheses, <c>\</c> to escape; <c>~N</c> (fuzziness or slop) is accepted and matches exactly. Terms are
/// whole words after <see cref="TextAnalyzer"/>, so <c>Iss</c> does not match <c>Issue</c> but <c>Iss*</c> does.
/// Operators apply left to right, as in Lucene's simple query parser.
/// </summary>
public abstract record SearchExpression
{
    public const int MaxTerms = 100;
    public const int MaxTermLength = 256;

    /// <summary>A word (or, when <see cref="Prefix"/>, any word starting with it), lower-cased.</summary>
    public sealed record Term(string Text, bool Prefix) : SearchExpression;
    /// <summary>Words next to each other in one field, in this order.</summary>
    public sealed record Phrase(IReadOnlyList<string> Words) : SearchExpression;
    public sealed record Not(SearchExpression Inner) : SearchExpression;
    public sealed record Group(bool All, IReadOnlyList<SearchExpression> Parts) : SearchExpression;
    /// <summary>Nothing searchable was left (only operators or punctuation): matches no case.</summary>
    public sealed record Nothing : SearchExpression;

    /// <summary>Evaluates the expression; <paramref name="leaf"/> says whether a term or phrase occurs in the case.</summary>
    public bool Matches(Func<SearchExpression, bool> leaf) => this switch
    {
        Not not => !not.Inner.Matches(leaf),
        Group { All: true } g => g.Parts.All(p => p.Matches(leaf)),
        Group g => g.Parts.Any(p => p.Matches(leaf)),
        Nothing => false,
        _ => leaf(this),
    };

    /// <summary>Every term and phrase, once each.</summary>
    public IEnumerable<SearchExpression> Leaves() => this switch
    {
        Not not => not.Inner.Leaves(),
        Group g => g.Parts.SelectMany(p => p.Leaves()).Distinct(),
        Nothing => [],
        _ => [this],
    };

    public static SearchExpression Parse(string search, bool allTerms)
    {
        var parser = new Parser(search, allTerms);
        var expression = parser.Sequence(topLevel: true) ?? new Nothing();
        var terms = expression.Leaves().Count();
        if (terms > MaxTerms)
            throw CasesException.BadRequest($"The search has {terms} distinct terms; at most {MaxTerms} are allowed.");
        return expression;
    }

    sealed class Parser(string text, bool allTerms)
    {
        int at;

        /// <summary>Clauses up to the end (or a closing parenthesis), folded left to right with their operators.</summary>
        public SearchExpression? Sequence(bool topLevel)
        {
            SearchExpression? result = null;
            bool? pendingAll = null; // an explicit + or | seen since the last clause
            while (at < text.Length)
            {
                var c = text[at];
                if (char.IsWhiteSpace(c)) { at++; continue; }
                if (c == '+') { pendingAll = true; at++; continue; }
                if (c == '|') { pendingAll = false; at++; continue; }
                if (c == ')')
                {
                    at++;
                    if (!topLevel) return result;
                    continue; // unbalanced: ignored, as Lucene does
                }
                var clause = Clause();
                if (clause is null) continue;
                result = result is null ? clause : Join(result, pendingAll ?? allTerms, clause);
                pendingAll = null;
            }
            return result;
        }

        static SearchExpression Join(SearchExpression left, bool all, SearchExpression right)
        {
            if (left is Group g && g.All == all)
                return g.Parts.Contains(right) ? g : g with { Parts = [.. g.Parts, right] };
            return left == right ? left : new Group(all, [left, right]);
        }

        /// <summary>One clause: <c>-</c>s, then a group, a phrase or a term; null when it holds no word.</summary>
        SearchExpression? Clause()
        {
            var negations = 0;
            while (at < text.Length && text[at] == '-') { negations++; at++; }
            if (at >= text.Length) return null;
            SearchExpression? inner;
            if (text[at] == '(')
            {
                at++;
                inner = Sequence(topLevel: false);
            }
            else if (text[at] == '"')
            {
                var end = text.IndexOf('"', at + 1);
                var body = end < 0 ? text[(at + 1)..] : text[(at + 1)..end];
                at = end < 0 ? text.Length : end + 1;
                SkipFuzziness();
                var words = Analyze(body);
                inner = words.Count switch { 0 => null, 1 => new Term(words[0], false), _ => new Phrase(words) };
            }
            else
            {
                var word = new System.Text.StringBuilder();
                while (at < text.Length && !char.IsWhiteSpace(text[at]) && text[at] is not ('+' or '|' or '"' or '(' or ')' or '~'))
                {
                    if (text[at] == '\\' && at + 1 < text.Length) at++;
                    word.Append(text[at++]);
                }
                var prefix = word.Length > 0 && word[^1] == '*';
                if (prefix) word.Length--;
                SkipFuzziness();
                var words = Analyze(word.ToString());
                inner = words.Count == 0 ? null : words.Count == 1 ? new Term(words[0], prefix)
                    // A word the analyzer splits (host-42) asks for its pieces, joined by the default operator.
                    : new Group(allTerms, words.Select((w, i) => (SearchExpression)new Term(w, prefix && i == words.Count - 1)).Distinct().ToList());
            }
            if (inner is null) return null;
            return negations % 2 == 1 ? new Not(inner) : inner;
        }

        void SkipFuzziness()
        {
            if (at < text.Length && text[at] == '~')
                for (at++; at < text.Length && char.IsAsciiDigit(text[at]); at++) { }
        }

        static List<string> Analyze(string word)
        {
            if (word.Length > MaxTermLength)
                throw CasesException.BadRequest($"A search term is {word.Length} characters long; at most {MaxTermLength} are allowed.");
            return TextAnalyzer.Tokens(word);
        }
    }
}
