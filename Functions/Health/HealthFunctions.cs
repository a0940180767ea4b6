using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Health;

/// <summary>The isolated worker's entry points for <see cref="HealthApi"/>: each runs the endpoint of its own name.</summary>
public sealed class HealthFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(Health))]
    public IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(HealthReady))]
    public IResult HealthReady([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health/ready")] HttpRequest request) =>
        endpoints.Run();
}
