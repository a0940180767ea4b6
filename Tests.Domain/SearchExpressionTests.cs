using Cases.Domain.Find;
using static Cases.Domain.Find.SearchExpression;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class SearchExpressionTests
{
    /// <summary>A readable form of a parsed expression: terms, prefix*, "phrases", -not, (all: a + b), (any: a | b).</summary>
    static string Show(SearchExpression e) => e switch
    {
        Term { Prefix: true } t => t.Text + "*",
        Term t => t.Text,
        Phrase p => $"\"{string.Join(' ', p.Words)}\"",
        Not n => "-" + Show(n.Inner),
        Group g => "(" + string.Join(g.All ? " + " : " | ", g.Parts.Select(Show)) + ")",
        _ => "nothing",
    };

    [Theory]
    [InlineData("Alpha", false, "alpha")]
    [InlineData("alpha beta", false, "(alpha | beta)")]
    [InlineData("alpha beta", true, "(alpha + beta)")]
    [InlineData("alpha beta gamma", true, "(alpha + beta + gamma)")]
    [InlineData("alpha | beta + gamma", false, "((alpha | beta) + gamma)")]
    [InlineData("alpha +beta", false, "(alpha + beta)")]
    [InlineData("alpha |beta", true, "(alpha | beta)")]
    [InlineData("alpha alpha", true, "alpha")]
    [InlineData("a b a", true, "(a + b)")]
    [InlineData("-alpha", false, "-alpha")]
    [InlineData("--alpha", false, "alpha")]
    [InlineData("---alpha", false, "-alpha")]
    [InlineData("-", false, "nothing")]
    [InlineData("alpha -", false, "alpha")]
    [InlineData("al*", false, "al*")]
    [InlineData("*", false, "nothing")]
    [InlineData("\"Two Words\"", false, "\"two words\"")]
    [InlineData("\"one\"", false, "one")]
    [InlineData("\"\"", false, "nothing")]
    [InlineData("\"open phrase", false, "\"open phrase\"")]
    [InlineData("\"a b\"~2 c", true, "(\"a b\" + c)")]
    [InlineData("fuzzy~2 x", true, "(fuzzy + x)")]
    [InlineData("fuzzy~", false, "fuzzy")]
    [InlineData("(a | b) c", true, "((a | b) + c)")]
    [InlineData("(a b", true, "(a + b)")]
    [InlineData("a) b", true, "(a + b)")]
    [InlineData("()", false, "nothing")]
    [InlineData("-(a b)", false, "-(a | b)")]
    [InlineData("host-42", false, "(host | 42)")]
    [InlineData("host-42", true, "(host + 42)")]
    [InlineData("host-4*", false, "(host | 4*)")]
    [InlineData("a-a", false, "(a)")]
    [InlineData("a\\+b", true, "(a + b)")]
    [InlineData("a\\", false, "a")]
    [InlineData("\\(x\\)", false, "x")]
    [InlineData("   ", false, "nothing")]
    [InlineData("+ | +", false, "nothing")]
    [InlineData("x(y)", true, "(x + y)")]
    [InlineData("x\"y z\"", true, "(x + \"y z\")")]
    public void Parses_like_simple_query_string(string search, bool allTerms, string expected) =>
        Assert.Equal(expected, Show(Parse(search, allTerms)));

    [Fact]
    public void Matches_folds_nots_groups_and_nothing()
    {
        var present = new HashSet<string> { "a", "b" };
        bool Leaf(SearchExpression leaf) => leaf is Term t && present.Contains(t.Text);
        Assert.True(Parse("a b", true).Matches(Leaf));
        Assert.False(Parse("a c", true).Matches(Leaf));
        Assert.True(Parse("a c", false).Matches(Leaf));
        Assert.False(Parse("c d", false).Matches(Leaf));
        Assert.False(Parse("-a", false).Matches(Leaf));
        Assert.True(Parse("-c", false).Matches(Leaf));
        Assert.False(Parse("+", false).Matches(Leaf));
    }

    [Fact]
    public void Leaves_are_distinct_terms_and_phrases()
    {
        Assert.Equal(["a", "b", "\"c d\""], Parse("a -(b | a) \"c d\"", true).Leaves().Select(Show));
        Assert.Empty(Parse("-", true).Leaves());
        Assert.Equal(["x"], Parse("-x", true).Leaves().Select(Show));
    }

    [Fact]
    public void At_most_100_distinct_terms_of_at_most_256_characters()
    {
        var hundred = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"));
        Assert.Equal(100, Parse(hundred, false).Leaves().Count());
        Assert.Equal(100, Parse(hundred + " w0", false).Leaves().Count());
        Refused("The search has 101 distinct terms; at most 100 are allowed.", () => Parse(hundred + " w100", false));
        Assert.Equal(new string('x', 255) + "*", Show(Parse(new string('x', 255) + "*", false)));
        Assert.Equal("(" + new string('x', 255) + " | x)", Show(Parse(new string('x', 256), false)));
        Refused("A search term is 257 characters long; at most 256 are allowed.", () => Parse(new string('x', 257), false));
        Refused("A search term is 257 characters long; at most 256 are allowed.", () => Parse("\"" + new string('x', 257) + "\"", false));
    }
}
