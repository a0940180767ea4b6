using Cases.Domain.Find;

namespace Cases.Tests.Domain;

public sealed class DateMathTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 26, 15, 47, 33, 250, TimeSpan.Zero); // a Thursday

    [Theory]
    [InlineData("now", "2026-11-26T15:47:33.250Z")]
    [InlineData(" now ", "2026-11-26T15:47:33.250Z")]
    [InlineData("now-30s", "2026-11-26T15:47:03.250Z")]
    [InlineData("now+5m", "2026-11-26T15:52:33.250Z")]
    [InlineData("now-2h", "2026-11-26T13:47:33.250Z")]
    [InlineData("now-30d", "2026-10-27T15:47:33.250Z")]
    [InlineData("now-1w", "2026-11-19T15:47:33.250Z")]
    [InlineData("now-1M", "2026-10-26T15:47:33.250Z")]
    [InlineData("now+1y", "2027-11-26T15:47:33.250Z")]
    [InlineData("now/s", "2026-11-26T15:47:33.000Z")]
    [InlineData("now/m", "2026-11-26T15:47:00.000Z")]
    [InlineData("now/h", "2026-11-26T15:00:00.000Z")]
    [InlineData("now/d", "2026-11-26T00:00:00.000Z")]
    [InlineData("now/w", "2026-11-23T00:00:00.000Z")]
    [InlineData("now/M", "2026-11-01T00:00:00.000Z")]
    [InlineData("now/y", "2026-01-01T00:00:00.000Z")]
    [InlineData("now-1d/d", "2026-11-25T00:00:00.000Z")]
    [InlineData("2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000Z")]
    [InlineData("2026-01-02T03:04:05+02:00", "2026-01-02T01:04:05.000Z")]
    [InlineData("2026-01-02", "2026-01-02T00:00:00.000Z")]
    public void Parses_iso_dates_and_date_math(string text, string expected)
    {
        var parsed = DateMath.Parse(text, Now);
        Assert.NotNull(parsed);
        Assert.Equal(DateTimeOffset.Parse(expected), parsed.Value);
        Assert.Equal(TimeSpan.Zero, parsed.Value.Offset);
    }

    [Fact]
    public void Rounding_to_the_week_starts_on_monday_also_from_a_sunday()
    {
        var sunday = new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), DateMath.Parse("now/w", sunday));
        var monday = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), DateMath.Parse("now/w", monday));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("now-")]
    [InlineData("now-1x")]
    [InlineData("now/q")]
    [InlineData("")]
    public void Refuses_anything_else(string text) => Assert.Null(DateMath.Parse(text, Now));
}
