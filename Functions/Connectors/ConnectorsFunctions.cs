using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Connectors;

/// <summary>
/// The isolated worker's entry points for <see cref="ConnectorsApi"/>, <see cref="PushApi"/> and
/// <see cref="PushStatusApi"/>: each runs the endpoint of its own name.
/// </summary>
public sealed class ConnectorsFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(CreateConnectorDefaultSpace))]
    public IResult CreateConnectorDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/actions/connector")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(CreateConnector))]
    public IResult CreateConnector([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/actions/connector")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(CreateConnectorIdDefaultSpace))]
    public IResult CreateConnectorIdDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/actions/connector/{id}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(CreateConnectorId))]
    public IResult CreateConnectorId([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/actions/connector/{id}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetConnectorDefaultSpace))]
    public IResult GetConnectorDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/actions/connector/{id}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetConnector))]
    public IResult GetConnector([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/actions/connector/{id}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(UpdateConnectorDefaultSpace))]
    public IResult UpdateConnectorDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/actions/connector/{id}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(UpdateConnector))]
    public IResult UpdateConnector([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "s/{spaceId}/api/actions/connector/{id}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteConnectorDefaultSpace))]
    public IResult DeleteConnectorDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/actions/connector/{id}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteConnector))]
    public IResult DeleteConnector([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "s/{spaceId}/api/actions/connector/{id}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetConnectorsDefaultSpace))]
    public IResult GetConnectorsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/actions/connectors")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetConnectors))]
    public IResult GetConnectors([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/actions/connectors")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetConnectorTypesDefaultSpace))]
    public IResult GetConnectorTypesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/actions/connector_types")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetConnectorTypes))]
    public IResult GetConnectorTypes([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/actions/connector_types")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(PushCaseDefaultSpace))]
    public IResult PushCaseDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/connector/{connectorId}/_push")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(PushCase))]
    public IResult PushCase([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/cases/{caseId}/connector/{connectorId}/_push")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseConnectorsPushStatusDefaultSpace))]
    public IResult GetCaseConnectorsPushStatusDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/user_actions/_connectors")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseConnectorsPushStatus))]
    public IResult GetCaseConnectorsPushStatus([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/user_actions/_connectors")] HttpRequest request) =>
        endpoints.Run();
}
