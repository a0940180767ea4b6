using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Metrics;

/// <summary>The isolated worker's entry points for <see cref="MetricsApi"/>: each runs the endpoint of its own name.</summary>
public sealed class MetricsFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(GetCaseMetricsDefaultSpace))]
    public IResult GetCaseMetricsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/metrics/{caseId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseMetrics))]
    public IResult GetCaseMetrics([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/metrics/{caseId}")] HttpRequest request) =>
        endpoints.Run();
}
