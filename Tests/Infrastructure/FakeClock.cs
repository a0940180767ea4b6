namespace Cases.Tests.Infrastructure;

/// <summary>A clock the tests move by hand, so durations and timestamps are exact.</summary>
public sealed class FakeClock : TimeProvider
{
    DateTimeOffset now = new(2026, 3, 1, 9, 30, 0, 123, TimeSpan.Zero);
    readonly Lock gate = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate) return now;
    }

    public void Advance(TimeSpan by)
    {
        lock (gate) now += by;
    }

    /// <summary>Shows the time another fixture's clock shows (a second app instance over the same storage, in step).</summary>
    public void SetTo(DateTimeOffset at)
    {
        lock (gate) now = at;
    }
}
