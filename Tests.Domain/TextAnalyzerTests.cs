using Cases.Domain.Find;

namespace Cases.Tests.Domain;

public sealed class TextAnalyzerTests
{
    [Theory]
    [InlineData("Hello, World!", "hello|world")]
    [InlineData("e.g. 10.0.0.1 don't it’s", "e.g|10.0.0.1|don't|it’s")]
    [InlineData("a..b a.'b .x x. 'y y'", "a|b|a|b|x|x|y|y")]
    [InlineData("snake_case host-42 a/b", "snake_case|host|42|a|b")]
    [InlineData("Ünïcödé café", "ünïcödé|café")]
    [InlineData("e\u0301t\u0301", "e\u0301t\u0301")]
    [InlineData("", "")]
    [InlineData("  ...  ", "")]
    [InlineData("x", "x")]
    [InlineData(".x", "x")]
    public void Splits_like_the_standard_analyzer(string text, string expected) =>
        Assert.Equal(expected, string.Join('|', TextAnalyzer.Tokens(text)));

    [Fact]
    public void Long_words_are_cut_into_255_character_pieces()
    {
        var word = new string('a', 255) + new string('b', 255) + "C";
        Assert.Equal([new string('a', 255), new string('b', 255), "c"], TextAnalyzer.Tokens(word + " "));
        Assert.Equal([new string('a', 255)], TextAnalyzer.Tokens(new string('a', 255)));
        Assert.Equal(255, TextAnalyzer.MaxTokenLength);
    }
}
