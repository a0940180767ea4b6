using Cases.Functions.Find;
using Cases.Functions.Numbering;

namespace Cases.Functions.Upkeep;

/// <summary>Standalone only: runs AssignCaseNumbers in-process on the same NCRONTAB schedule the host would use.</summary>
public sealed partial class InProcessTimer(TimerRun run, IConfiguration config, TimeProvider time, ILogger<InProcessTimer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var schedule = NumberingSchedule.Parse(NumberingSchedule.Expression(config));
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
}
