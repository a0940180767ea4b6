using System.Globalization;
using System.Text.RegularExpressions;

namespace Cases.Domain.Find;

/// <summary>
/// The date strings Kibana's <c>from</c>/<c>to</c> accept: ISO 8601, or date math such as <c>now-30d</c>, <c>now-1h/d</c>.
/// Anything else, or a result outside the years 1-9999, is null (the caller's 400 names the parameter).
/// </summary>
public static partial class DateMath
{
    /// <summary>At most 9 ASCII digits (fits an int); <c>\d</c> would take other scripts' digits, <c>$</c> a final newline.</summary>
    [GeneratedRegex(@"^now(?:(?<sign>[+-])(?<n>[0-9]{1,9})(?<unit>[smhdwMy]))?(?:/(?<round>[smhdwMy]))?\z")]
    private static partial Regex NowExpression();

    public static DateTimeOffset? Parse(string text, DateTimeOffset now)
    {
        try
        {
            return Evaluate(text, now);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // e.g. now-9999999y: before year 1
        }
    }

    static DateTimeOffset? Evaluate(string text, DateTimeOffset now)
    {
        var match = NowExpression().Match(text.Trim());
        if (!match.Success)
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                ? date.ToUniversalTime()
                : null;
        var result = now;
        if (match.Groups["sign"].Success)
        {
            var n = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) * (match.Groups["sign"].Value == "-" ? -1 : 1);
            result = match.Groups["unit"].Value switch
            {
                "s" => result.AddSeconds(n),
                "m" => result.AddMinutes(n),
                "h" => result.AddHours(n),
                "d" => result.AddDays(n),
                "w" => result.AddDays(7.0 * n),
                "M" => result.AddMonths(n),
                _ => result.AddYears(n),
            };
        }
        if (match.Groups["round"].Success)
        {
            var u = result.UtcDateTime;
            result = match.Groups["round"].Value switch
            {
                "s" => new DateTimeOffset(u.Year, u.Month, u.Day, u.Hour, u.Minute, u.Second, TimeSpan.Zero),
                "m" => new DateTimeOffset(u.Year, u.Month, u.Day, u.Hour, u.Minute, 0, TimeSpan.Zero),
                "h" => new DateTimeOffset(u.Year, u.Month, u.Day, u.Hour, 0, 0, TimeSpan.Zero),
                "d" => new DateTimeOffset(u.Date, TimeSpan.Zero),
                "w" => new DateTimeOffset(u.Date.AddDays(-(((int)u.DayOfWeek + 6) % 7)), TimeSpan.Zero),
                "M" => new DateTimeOffset(u.Year, u.Month, 1, 0, 0, 0, TimeSpan.Zero),
                _ => new DateTimeOffset(u.Year, 1, 1, 0, 0, 0, TimeSpan.Zero),
            };
        }
        return result;
    }
}
