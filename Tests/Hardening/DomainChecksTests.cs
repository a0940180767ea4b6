using System.Diagnostics;
using Cases.Domain.Find;
using Cases.Domain.Observables;

namespace Cases.Tests.Hardening;

/// <summary>Checks on hostile values that must stay linear in their length and never throw.</summary>
public class DomainChecksTests
{
    [Fact]
    public void The_email_check_is_linear_on_a_megabyte_of_crafted_dots()
    {
        var crafted = "a@" + string.Concat(Enumerable.Repeat("a.", 500_000)) + "@";
        var watch = Stopwatch.StartNew();
        Assert.False(ObservableTypes.IsValidValue(ObservableTypes.Email, crafted));
        Assert.False(ObservableTypes.IsValidValue(ObservableTypes.Email, crafted[..^1] + " "));
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(500), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("analyst@example.com", true)]
    [InlineData("a@b.c", true)]
    [InlineData("a@.b.c", true)]
    [InlineData("a@b..", true)]
    [InlineData("a@b.", false)]
    [InlineData("a@.b", false)]
    [InlineData("@b.c", false)]
    [InlineData("a@b@c.d", false)]
    [InlineData("a b@c.d", false)]
    [InlineData("a@bc", false)]
    [InlineData("a@b.c\n", false)]
    public void The_email_check_keeps_the_shape_it_had(string value, bool valid) =>
        Assert.Equal(valid, ObservableTypes.IsValidValue(ObservableTypes.Email, value));

    [Theory]
    [InlineData("now-99999999999d")]
    [InlineData("now-9999999y")]
    [InlineData("now+2147483647M")]
    [InlineData("now+999999999w")]
    [InlineData("now-\u0663d")]
    [InlineData("now-1d\n/d")]
    [InlineData("now-1x")]
    public void Date_math_out_of_range_or_malformed_is_null(string text) =>
        Assert.Null(DateMath.Parse(text, new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Date_math_in_range_is_computed()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddDays(-30), DateMath.Parse("now-30d", now));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), DateMath.Parse("now/d", now));
        Assert.Equal(now.AddSeconds(-999_999_999), DateMath.Parse("now-999999999s", now));
    }

    [Theory]
    [InlineData("10.0.0.1\n")]
    [InlineData("\u0661.0.0.1")]
    public void Anchored_shapes_refuse_a_trailing_newline_and_other_digits(string value) =>
        Assert.False(ObservableTypes.IsValidValue(ObservableTypes.Ipv4, value));
}
