using NCrontab;

namespace Cases.Functions.Numbering;

/// <summary>Standalone only: runs AssignCaseNumbers in-process on the same NCRONTAB schedule the host would use.</summary>
public sealed partial class NumberingSchedule(TimerRun run, IConfiguration config, TimeProvider time, ILogger<NumberingSchedule> logger)
    : BackgroundService
{
    public static CrontabSchedule Parse(string expression) =>
        CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });

    public static string Expression(IConfiguration config) =>
        config[NumberingOptions.ScheduleSetting] is { Length: > 0 } value ? value : NumberingOptions.DefaultSchedule;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var schedule = Parse(Expression(config));
        while (!stopping.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await Task.Delay(schedule.GetNextOccurrence(now) - now, time, stopping);
            try
            {
                await run.Run(stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogFailed(logger, ex); // harmless: the next run starts from what is committed
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "AssignCaseNumbers failed; the next run will go on")]
    static partial void LogFailed(ILogger logger, Exception ex);

    public static bool IsValid(string expression) =>
        CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null;
}
