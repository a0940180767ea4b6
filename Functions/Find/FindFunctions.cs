using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Find;

/// <summary>The isolated worker's entry points for <see cref="FindApi"/>: each runs the endpoint of its own name.</summary>
public sealed class FindFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(FindCasesDefaultSpace))]
    public IResult FindCasesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/_find")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindCases))]
    public IResult FindCases([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/_find")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseTagsDefaultSpace))]
    public IResult GetCaseTagsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/tags")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseTags))]
    public IResult GetCaseTags([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/tags")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseReportersDefaultSpace))]
    public IResult GetCaseReportersDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/reporters")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseReporters))]
    public IResult GetCaseReporters([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/reporters")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseCategoriesDefaultSpace))]
    public IResult GetCaseCategoriesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/categories")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseCategories))]
    public IResult GetCaseCategories([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/categories")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCasesMetricsDefaultSpace))]
    public IResult GetCasesMetricsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/metrics")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCasesMetrics))]
    public IResult GetCasesMetrics([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/metrics")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(BulkGetCasesDefaultSpace))]
    public IResult BulkGetCasesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/_bulk_get")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(BulkGetCases))]
    public IResult BulkGetCases([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/cases/_bulk_get")] HttpRequest request) =>
        endpoints.Run();
}
