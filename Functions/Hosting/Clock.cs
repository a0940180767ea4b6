namespace Cases.Functions.Hosting;

public static class Clock
{
    /// <summary>Now, to the millisecond: the precision Kibana's timestamps carry, so what is stored is what is shown.</summary>
    public static DateTimeOffset Now(this TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
