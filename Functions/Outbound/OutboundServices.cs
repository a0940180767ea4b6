using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Outbound;

public static class OutboundServices
{
    /// <summary>The named client connectors push with.</summary>
    public const string ConnectorsClient = "connectors";

    /// <summary>The allow-list, the secret protector and the options every outbound client shares.</summary>
    public static IServiceCollection AddOutbound(this IServiceCollection services)
    {
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section)
            .Validate(o => o.IsValid(), OutboundOptions.Rule).ValidateOnStart();
        services.AddSingleton<AllowedHosts>();
        services.AddSingleton<SecretProtector>();
        services.AddHostedService<SecretsKeyCheck>();
        services.AddTransient<AllowedHostsHandler>();
        return services;
    }

    /// <summary>
    /// A named client for calls to other systems: the allow-list checked on every attempt, no redirects followed, and
    /// Microsoft.Extensions.Http.Resilience's standard pipeline (total and per-attempt timeouts, retries with
    /// exponential backoff on transient failures, a circuit breaker per host). POST is not retried: a create that
    /// timed out may have happened, and sending it again would make a second incident.
    /// </summary>
    public static IHttpClientBuilder AddOutboundClient(this IServiceCollection services, string name)
    {
        var builder = services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .AddHttpMessageHandler<AllowedHostsHandler>();
        builder.AddStandardResilienceHandler().SelectPipelineByAuthority().Configure((o, sp) =>
        {
            var v = sp.GetRequiredService<IOptions<OutboundOptions>>().Value;
            o.AttemptTimeout.Timeout = v.AttemptTimeout;
            o.TotalRequestTimeout.Timeout = v.TotalTimeout;
            o.Retry.MaxRetryAttempts = Math.Max(v.MaxRetries, 1);
            o.Retry.Delay = v.RetryDelay;
            if (v.MaxRetries == 0) o.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
            o.Retry.DisableFor(HttpMethod.Post);
            // The breaker's window must be at least twice an attempt (the library validates it).
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(v.AttemptTimeout.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        });
        return builder;
    }
}

/// <summary>Creates the protector at start-up, so a malformed key setting stops the app with its message (Key Vault is read later, on first use).</summary>
sealed class SecretsKeyCheck(SecretProtector protector) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(protector);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
