using Cases.Functions.Notifications;
using Cases.Functions.Upkeep;
using Cases.Functions.Access;
using Cases.Functions.Numbering;
using OpenTelemetry.Trace;

namespace Cases.Functions.Hosting;

/// <summary>
/// The standalone app: plain ASP.NET Core serving the route table on http://localhost:7071 with the in-process timer.
/// Local development without Core Tools, the tests and the benchmarks run it; the isolated worker is <see cref="WorkerApp"/>.
/// </summary>
public static class CasesApp
{
    /// <summary>
    /// What the Functions host accepts (100 MB), for the worker's server. Standalone, the server's default is the JSON limit
    /// (<see cref="BodyLimits"/>) and uploads raise it for themselves; JSON bodies are bounded while read either way.
    /// </summary>
    public const long MaxRequestBodyBytes = 104_857_600;

    public const string StandaloneUrl = "http://localhost:7071";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // The port `func start` would use, so local URLs are the same either way; ASPNETCORE_URLS/--urls win.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])) builder.WebHost.UseUrls(StandaloneUrl);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = BodyLimits.MaxJsonBytes(builder.Configuration));
        builder.Services.AddCases(builder.Configuration);
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddAspNetCoreInstrumentation());
        builder.Services.AddInProcessTimer(builder.Configuration);
        builder.Services.AddNotificationReader(builder.Configuration, runByDefault: true);
        builder.Services.AddCasesCors(); // under the host, the platform's CORS (the Bicep's corsAllowedOrigins)
        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseKibanaErrors();
        app.UseCasesCors();
        // Liveness for scripts and process supervisors (standalone only; under the host, /api/health).
        app.MapGet("/", () => TypedResults.Ok("Cases is running")).ExcludeFromDescription().WithMetadata(StandaloneOnly.Instance).IsPublic();
        app.MapCases();
        return app;
    }
}

/// <summary>Marks a route the standalone app serves that is not a function (the host has its own equivalent).</summary>
public sealed class StandaloneOnly
{
    public static readonly StandaloneOnly Instance = new();
}
