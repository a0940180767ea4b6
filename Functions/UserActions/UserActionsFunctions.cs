using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.UserActions;

/// <summary>The isolated worker's entry points for <see cref="UserActionsApi"/>: each runs the endpoint of its own name.</summary>
public sealed class UserActionsFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(FindCaseActivityDefaultSpace))]
    public IResult FindCaseActivityDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/user_actions/_find")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindCaseActivity))]
    public IResult FindCaseActivity([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/user_actions/_find")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseActivityDefaultSpace))]
    public IResult GetCaseActivityDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/user_actions")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseActivity))]
    public IResult GetCaseActivity([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/user_actions")] HttpRequest request) =>
        endpoints.Run();
}
