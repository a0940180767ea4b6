using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Settings;

/// <summary>The isolated worker's entry points for <see cref="ConfigurationApi"/>: each runs the endpoint of its own name.</summary>
public sealed class ConfigurationFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(GetCaseConfigurationDefaultSpace))]
    public IResult GetCaseConfigurationDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/configure")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseConfiguration))]
    public IResult GetCaseConfiguration([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/configure")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(SetCaseConfigurationDefaultSpace))]
    public IResult SetCaseConfigurationDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/configure")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(SetCaseConfiguration))]
    public IResult SetCaseConfiguration([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/cases/configure")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(UpdateCaseConfigurationDefaultSpace))]
    public IResult UpdateCaseConfigurationDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/cases/configure/{configurationId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(UpdateCaseConfiguration))]
    public IResult UpdateCaseConfiguration([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "s/{spaceId}/api/cases/configure/{configurationId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindCaseConnectorsDefaultSpace))]
    public IResult FindCaseConnectorsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/configure/connectors/_find")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindCaseConnectors))]
    public IResult FindCaseConnectors([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/configure/connectors/_find")] HttpRequest request) =>
        endpoints.Run();
}
