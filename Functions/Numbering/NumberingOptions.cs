namespace Cases.Functions.Numbering;

public sealed class NumberingOptions
{
    public const string Section = "Cases:Numbering";

    /// <summary>The app setting holding the schedule, the same name under the Functions host (%NUMBERING_SCHEDULE% in function.json) and standalone.</summary>
    public const string ScheduleSetting = "NUMBERING_SCHEDULE";
    public const string DefaultSchedule = "0 */10 * * * *";

    /// <summary>At most this many cases are numbered per run; the rest wait for the next run.</summary>
    public int MaxPerRun { get; set; } = 10_000;

    /// <summary>
    /// How long a queued case may be missing before it is taken for a failed create and dropped. Until then a
    /// missing case is a create still in flight, and its space waits for it, so numbers follow creation order.
    /// </summary>
    public TimeSpan InFlightGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Standalone only: run the job in-process on the schedule (under the Functions host, the host's timer does).</summary>
    public bool RunInProcess { get; set; } = true;
}
