using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Access;

/// <summary>The isolated worker's entry points for <see cref="MeApi"/>: each runs the endpoint of its own name.</summary>
public sealed class MeFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(GetCasesMeDefaultSpace))]
    public IResult GetCasesMeDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/_me")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCasesMe))]
    public IResult GetCasesMe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/_me")] HttpRequest request) =>
        endpoints.Run();
}
