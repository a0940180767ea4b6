using Cases.Functions.Access;
using Cases.Functions.Attachments;
using Cases.Functions.Cases;
using Cases.Functions.Connectors;
using Cases.Functions.Files;
using Cases.Functions.Find;
using Cases.Functions.Health;
using Cases.Functions.Metrics;
using Cases.Functions.Numbering;
using Cases.Functions.Profiles;
using Cases.Functions.Settings;
using Cases.Functions.Spaces;
using Cases.Functions.Transfer;
using Cases.Functions.UserActions;
using Cases.Functions.Webhooks;

namespace Cases.Functions.Hosting;

/// <summary>
/// The route table: every public operation, once. The standalone app serves it directly; under the isolated worker
/// each <c>[Function]</c> runs the endpoint of the same name from it (<see cref="EndpointCatalog"/>).
/// </summary>
public static class CasesRoutes
{
    public const string OpenApiRoute = "/api/openapi.json";

    public static void MapCases(this IEndpointRouteBuilder routes)
    {
        // The document describes the app's own endpoints as the standalone app routes them (ASP.NET Core's API
        // explorer reads the web app's route table, which the worker does not have): served standalone only.
        // It describes routes, not data: public, as health is.
        routes.MapOpenApi(OpenApiRoute).WithMetadata(StandaloneOnly.Instance).IsPublic();
        routes.MapHealthApi();
        // Every route below reads or writes storage (at least the caller's profile): storage down or too slow is 503.
        routes.WithProfileRecording().ProducesErrors(StatusCodes.Status503ServiceUnavailable).MapProfilesApi();
        routes.WithProfileRecording().ProducesErrors(StatusCodes.Status503ServiceUnavailable).MapInEverySpace(api =>
        {
            api.MapCasesApi();
            api.MapMeApi();
            api.MapUserActionsApi();
            api.MapAttachmentsApi();
            api.MapObservablesApi();
            api.MapMetricsApi();
            api.MapNumberingApi();
            api.MapFindApi();
            api.MapConfigurationApi();
            api.MapFilesApi();
            api.MapConnectorsApi();
            api.MapPushApi();
            api.MapPushStatusApi();
            api.MapWebhooksApi();
            api.MapTransferApi();
        });
    }
}
