using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Files;

/// <summary>The isolated worker's entry points for <see cref="FilesApi"/>: each runs the endpoint of its own name.</summary>
public sealed class FilesFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(AddCaseFileDefaultSpace))]
    public IResult AddCaseFileDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/files")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(AddCaseFile))]
    public IResult AddCaseFile([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/cases/{caseId}/files")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindCaseFilesDefaultSpace))]
    public IResult FindCaseFilesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/files")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindCaseFiles))]
    public IResult FindCaseFiles([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/files")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteCaseFilesDefaultSpace))]
    public IResult DeleteCaseFilesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/cases/{caseId}/files")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteCaseFiles))]
    public IResult DeleteCaseFiles([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "s/{spaceId}/api/cases/{caseId}/files")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseFileDefaultSpace))]
    public IResult GetCaseFileDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/files/{fileId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseFile))]
    public IResult GetCaseFile([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/files/{fileId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DownloadCaseFileDefaultSpace))]
    public IResult DownloadCaseFileDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/files/{fileId}/download")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DownloadCaseFile))]
    public IResult DownloadCaseFile([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/files/{fileId}/download")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindFilesDefaultSpace))]
    public IResult FindFilesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/files/_find")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindFiles))]
    public IResult FindFiles([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/files/_find")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindCasesByFileHashDefaultSpace))]
    public IResult FindCasesByFileHashDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/files/_cases")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindCasesByFileHash))]
    public IResult FindCasesByFileHash([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/files/_cases")] HttpRequest request) =>
        endpoints.Run();
}
