using System.Diagnostics;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Cases.Functions.Hosting;

/// <summary>
/// Requests, storage dependencies and failures as OpenTelemetry traces: to Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (as the Bicep does), else only the console logs.
/// </summary>
public static class Telemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IOpenTelemetryBuilder AddCasesTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // The Azure SDK reports each storage call as a dependency span through its ActivitySources once this is on.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var telemetry = services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource("Azure.*"));
        if (!string.IsNullOrEmpty(configuration[ConnectionStringSetting])) telemetry.UseAzureMonitorExporter();
        return telemetry;
    }

    /// <summary>The case and space a request is about, on its span and its log lines' scope, so a call can be found by case id.</summary>
    public static IDisposable? TagRequest(HttpContext context, ILogger logger)
    {
        var caseId = context.GetRouteValue("caseId") as string;
        var space = context.GetRouteValue("spaceId") as string ?? Spaces.Space.Default;
        if (Activity.Current is { } span)
        {
            span.SetTag("cases.space", space);
            if (caseId is not null) span.SetTag("cases.case_id", caseId);
        }
        return caseId is null ? null : logger.BeginScope(new Dictionary<string, object> { ["CaseId"] = caseId, ["Space"] = space });
    }
}
