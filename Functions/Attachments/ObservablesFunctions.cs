using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Attachments;

/// <summary>The isolated worker's entry points for <see cref="ObservablesApi"/>: each runs the endpoint of its own name.</summary>
public sealed class ObservablesFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(GetObservableTypesDefaultSpace))]
    public IResult GetObservableTypesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/observables/types")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetObservableTypes))]
    public IResult GetObservableTypes([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/observables/types")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseObservablesDefaultSpace))]
    public IResult GetCaseObservablesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/observables")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseObservables))]
    public IResult GetCaseObservables([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/observables")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(AddCaseObservableDefaultSpace))]
    public IResult AddCaseObservableDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/observables")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(AddCaseObservable))]
    public IResult AddCaseObservable([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/cases/{caseId}/observables")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(UpdateCaseObservableDefaultSpace))]
    public IResult UpdateCaseObservableDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/cases/{caseId}/observables/{observableId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(UpdateCaseObservable))]
    public IResult UpdateCaseObservable([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "s/{spaceId}/api/cases/{caseId}/observables/{observableId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteCaseObservableDefaultSpace))]
    public IResult DeleteCaseObservableDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/cases/{caseId}/observables/{observableId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteCaseObservable))]
    public IResult DeleteCaseObservable([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "s/{spaceId}/api/cases/{caseId}/observables/{observableId}")] HttpRequest request) =>
        endpoints.Run();
}
