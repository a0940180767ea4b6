using Cases.Functions.Find;
using Cases.Functions.Numbering;

namespace Cases.Functions.Upkeep;

public static class UpkeepServices
{
    /// <summary>The timer's run: numbering, snapshots, sweeps (<see cref="TimerRun"/>).</summary>
    public static IServiceCollection AddUpkeep(this IServiceCollection services)
    {
        services.AddSingleton<SnapshotUpkeep>();
        services.AddSingleton<TimerRun>();
        return services;
    }

    /// <summary>Standalone, the app is its own timer (under the host, the TimerTrigger function runs TimerRun).</summary>
    public static IServiceCollection AddInProcessTimer(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue($"{NumberingOptions.Section}:RunInProcess", true))
            services.AddHostedService<InProcessTimer>();
        return services;
    }
}
