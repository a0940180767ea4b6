using NCrontab;

namespace Cases.Functions.Numbering;

/// <summary>The NCRONTAB schedule of AssignCaseNumbers (six fields, with seconds), as the host reads it.</summary>
public static class NumberingSchedule
{
    static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };

    public static CrontabSchedule Parse(string expression) => CrontabSchedule.Parse(expression, WithSeconds);

    public static string Expression(IConfiguration config) =>
        config[NumberingOptions.ScheduleSetting] is { Length: > 0 } value ? value : NumberingOptions.DefaultSchedule;

    public static bool IsValid(string expression) => CrontabSchedule.TryParse(expression, WithSeconds) is not null;
}
