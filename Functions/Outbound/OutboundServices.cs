namespace Cases.Functions.Outbound;

public static class OutboundServices
{
    /// <summary>The allow-list and the secret protector, for every feature that calls other systems.</summary>
    public static IServiceCollection AddOutbound(this IServiceCollection services)
    {
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section);
        // A key that is set but wrong stops the app at start-up, not at the first secret stored.
        services.AddOptions<SecretsOptions>().BindConfiguration("Cases:Secrets")
            .Validate(o => string.IsNullOrEmpty(o.Key) || SecretProtector.TryDecodeKey(o.Key) is not null, SecretProtector.KeyRule)
            .ValidateOnStart();
        services.AddSingleton<AllowedHosts>();
        services.AddSingleton<SecretProtector>();
        return services;
    }

    internal sealed class SecretsOptions
    {
        public string? Key { get; set; }
    }
}
