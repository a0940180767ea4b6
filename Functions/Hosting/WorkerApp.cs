using Cases.Functions.Notifications;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;

namespace Cases.Functions.Hosting;

/// <summary>
/// The isolated worker: what the Functions host (Core Tools locally, the platform in Azure) starts. Its functions are
/// the <c>[Function]</c> methods beside each feature's endpoints; they run the same handlers as <see cref="CasesApp"/>.
/// </summary>
public static class WorkerApp
{
    /// <summary>
    /// The host starts the worker with its own arguments (<c>--functions-uri</c>, <c>--functions-worker-id</c>, ...;
    /// older hosts <c>--host</c>, <c>--workerId</c>). FUNCTIONS_WORKER_RUNTIME is no signal: local settings set it too.
    /// </summary>
    public static bool IsStartedByHost(string[] args) =>
        args.Any(a => a.StartsWith("--functions-", StringComparison.Ordinal) || a is "--host" or "--workerId");

    public static IHost Build(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddCases(builder.Configuration);
        builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults(); // the host's invocation and the worker's spans, correlated
        builder.Services.AddSingleton<EndpointCatalog>();
        builder.Services.AddNotificationReader(builder.Configuration, runByDefault: false); // the DrainNotifications queue trigger drains it
        // The host proxies request bodies to the worker's own Kestrel, whose 30 MB default would refuse 100 MB files.
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = CasesApp.MaxRequestBodyBytes);
        return builder.Build();
    }
}
