namespace Cases.Functions.Hosting;

/// <summary>
/// How large a request body may be. JSON bodies get Kibana's <c>server.maxPayload</c> (1 MiB, which holds a bulk of 100
/// cases or 1,000 alerts) unless a route says otherwise with <see cref="JsonBodyLimit"/>; file uploads stream and set
/// their own limit. Enforced while reading (<see cref="RequestJson"/>), so it also holds where no server limit applies
/// (a handler invoked by the Functions worker).
/// </summary>
public sealed class BodyLimits
{
    public const string Section = "Cases:Requests";
    public const long DefaultMaxJsonBytes = 1_048_576;

    /// <summary><c>Cases:Requests:MaxJsonBodyBytes</c>.</summary>
    public long MaxJsonBodyBytes { get; set; } = DefaultMaxJsonBytes;

    public static long MaxJsonBytes(IConfiguration configuration) =>
        configuration.GetValue<long?>($"{Section}:MaxJsonBodyBytes") ?? DefaultMaxJsonBytes;

    /// <summary>Kibana's (Hapi's) wording for a body over the limit.</summary>
    public static Domain.Errors.CasesException TooLarge(long limit) =>
        new(413, $"Payload content length greater than maximum allowed: {limit}");
}

public static class BodyLimitsRegistration
{
    public static IServiceCollection AddBodyLimits(this IServiceCollection services)
    {
        services.AddOptions<BodyLimits>().BindConfiguration(BodyLimits.Section)
            .Validate(o => o.MaxJsonBodyBytes is >= 65_536 and <= 104_857_600, "Cases:Requests:MaxJsonBodyBytes must be 65536 to 104857600.")
            .ValidateOnStart();
        return services;
    }
}

/// <summary>Endpoint metadata for a route whose JSON body may be larger than <see cref="BodyLimits.MaxJsonBodyBytes"/> (e.g. an import).</summary>
public sealed record JsonBodyLimit(long Bytes);
