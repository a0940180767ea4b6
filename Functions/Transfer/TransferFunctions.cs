using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Transfer;

/// <summary>The isolated worker's entry points for <see cref="TransferApi"/>: each runs the endpoint of its own name.</summary>
public sealed class TransferFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(ExportSavedObjectsDefaultSpace))]
    public IResult ExportSavedObjectsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/saved_objects/_export")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(ExportSavedObjects))]
    public IResult ExportSavedObjects([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/saved_objects/_export")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(ImportSavedObjectsDefaultSpace))]
    public IResult ImportSavedObjectsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/saved_objects/_import")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(ImportSavedObjects))]
    public IResult ImportSavedObjects([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/saved_objects/_import")] HttpRequest request) =>
        endpoints.Run();
}
