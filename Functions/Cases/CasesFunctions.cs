using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Cases;

/// <summary>The isolated worker's entry points for <see cref="CasesApi"/>: each runs the endpoint of its own name.</summary>
public sealed class CasesFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(CreateCaseDefaultSpace))]
    public IResult CreateCaseDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(CreateCase))]
    public IResult CreateCase([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/cases")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(UpdateCasesDefaultSpace))]
    public IResult UpdateCasesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/cases")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(UpdateCases))]
    public IResult UpdateCases([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "s/{spaceId}/api/cases")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteCasesDefaultSpace))]
    public IResult DeleteCasesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/cases")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteCases))]
    public IResult DeleteCases([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "s/{spaceId}/api/cases")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseDefaultSpace))]
    public IResult GetCaseDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCase))]
    public IResult GetCase([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}")] HttpRequest request) =>
        endpoints.Run();
}
