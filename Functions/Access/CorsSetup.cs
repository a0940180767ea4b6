using Microsoft.Extensions.Options;

namespace Cases.Functions.Access;

/// <summary>
/// <c>Cases:Cors:AllowedOrigins</c>: the exact origins (<c>https://cases.contoso.com</c>) whose pages may call the API
/// from a browser, with credentials. None configured: no cross-origin access. In Azure the platform's CORS does this
/// (the Bicep's <c>corsAllowedOrigins</c>); this serves the standalone app.
/// </summary>
public sealed class CorsSettings
{
    public const string Section = "Cases:Cors";

    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>What Kibana's clients send, and what they read back (download names, digests, ETags).</summary>
    public static readonly string[] AllowedHeaders = ["kbn-xsrf", "Content-Type", "Authorization", "elastic-api-version", "x-elastic-internal-origin", "If-None-Match", "If-Range", "Range"];
    public static readonly string[] ExposedHeaders = ["Content-Disposition", "Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Content-MD5", "Repr-Digest", "Location"];

    /// <summary>An origin is scheme://host[:port], nothing more; <c>*</c> cannot go with credentials.</summary>
    public static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && value.TrimEnd('/') == uri.GetLeftPart(UriPartial.Authority) && uri.UserInfo.Length == 0;
}

public static class CorsSetup
{
    const string Policy = "cases-front-ends";

    public static IServiceCollection AddCasesCors(this IServiceCollection services)
    {
        services.AddOptions<CorsSettings>().BindConfiguration(CorsSettings.Section)
            .Validate(o => o.AllowedOrigins.All(CorsSettings.IsOrigin),
                "Cases:Cors:AllowedOrigins must list exact origins such as https://cases.contoso.com (scheme, host and port; no path, no '*').")
            .ValidateOnStart();
        services.AddCors();
        // Read when the app starts, after every configuration source is in.
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<CorsSettings>>((cors, settings) =>
            cors.AddPolicy(Policy, policy => policy
                .WithOrigins(settings.Value.AllowedOrigins.Select(o => o.TrimEnd('/')).ToArray())
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders(CorsSettings.AllowedHeaders)
                .WithExposedHeaders(CorsSettings.ExposedHeaders)
                .AllowCredentials()
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }

    /// <summary>Before the access check, so preflights (which carry no credentials) are answered on every route.</summary>
    public static void UseCasesCors(this WebApplication app) => app.UseCors(Policy);
}
