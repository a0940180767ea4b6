using Cases.Functions.Testing;

namespace Cases.Tests.Infrastructure;

/// <summary>
/// Holds the first <c>count</c> arrivals at a hook point of a space until <see cref="Release"/>; later arrivals (a
/// loser's retry, the next batch) pass. So two requests both read before either commits: a real race, no sleeps.
/// </summary>
public sealed class HookGate : IDisposable
{
    readonly int count;
    readonly TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly IDisposable registration;
    int seen;

    HookGate(TestHooks hooks, string point, string space, int count)
    {
        this.count = count;
        registration = hooks.On(point, space, Arrive);
    }

    public static HookGate Hold(TestHooks hooks, string point, string space, int count) => new(hooks, point, space, count);

    public int Seen => Volatile.Read(ref seen);

    Task Arrive(CancellationToken ct)
    {
        var n = Interlocked.Increment(ref seen);
        if (n > count) return Task.CompletedTask;
        if (n == count) arrived.TrySetResult();
        return released.Task;
    }

    /// <summary>Waits until all held requests are at the point (each has read what it is about to overwrite).</summary>
    public Task AllArrived() => arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void Release() => released.TrySetResult();

    public void Dispose()
    {
        Release();
        registration.Dispose();
    }
}

/// <summary>Thrown at a hook point to stand for the process dying there.</summary>
public sealed class SimulatedCrash(string point) : Exception($"simulated crash at {point}");

public static class HookFaults
{
    /// <summary>The first arrival at <paramref name="point"/> in <paramref name="space"/> throws; later ones pass.</summary>
    public static IDisposable CrashOnce(this TestHooks hooks, string point, string space)
    {
        var crashed = 0;
        return hooks.On(point, space, _ => Interlocked.Exchange(ref crashed, 1) == 0 ? throw new SimulatedCrash(point) : Task.CompletedTask);
    }
}
