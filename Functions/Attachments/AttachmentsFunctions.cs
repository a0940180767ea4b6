using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Attachments;

/// <summary>The isolated worker's entry points for <see cref="AttachmentsApi"/>: each runs the endpoint of its own name.</summary>
public sealed class AttachmentsFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(AddCaseCommentDefaultSpace))]
    public IResult AddCaseCommentDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/comments")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(AddCaseComment))]
    public IResult AddCaseComment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/cases/{caseId}/comments")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(UpdateCaseCommentDefaultSpace))]
    public IResult UpdateCaseCommentDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/cases/{caseId}/comments")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(UpdateCaseComment))]
    public IResult UpdateCaseComment([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "s/{spaceId}/api/cases/{caseId}/comments")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteCaseCommentsDefaultSpace))]
    public IResult DeleteCaseCommentsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/cases/{caseId}/comments")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteCaseComments))]
    public IResult DeleteCaseComments([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "s/{spaceId}/api/cases/{caseId}/comments")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetAllCaseCommentsDefaultSpace))]
    public IResult GetAllCaseCommentsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/comments")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetAllCaseComments))]
    public IResult GetAllCaseComments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/comments")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindCaseCommentsDefaultSpace))]
    public IResult FindCaseCommentsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/comments/_find")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(FindCaseComments))]
    public IResult FindCaseComments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/comments/_find")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseCommentDefaultSpace))]
    public IResult GetCaseCommentDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/comments/{commentId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseComment))]
    public IResult GetCaseComment([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/comments/{commentId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteCaseCommentDefaultSpace))]
    public IResult DeleteCaseCommentDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/cases/{caseId}/comments/{commentId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteCaseComment))]
    public IResult DeleteCaseComment([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "s/{spaceId}/api/cases/{caseId}/comments/{commentId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseAlertsDefaultSpace))]
    public IResult GetCaseAlertsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/alerts")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseAlerts))]
    public IResult GetCaseAlerts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/alerts")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCasesByAlertDefaultSpace))]
    public IResult GetCasesByAlertDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/alerts/{alertId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCasesByAlert))]
    public IResult GetCasesByAlert([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/alerts/{alertId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseEventsDefaultSpace))]
    public IResult GetCaseEventsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/events")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseEvents))]
    public IResult GetCaseEvents([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/events")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(SearchCaseAttachmentsDefaultSpace))]
    public IResult SearchCaseAttachmentsDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/attachments/_search")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(SearchCaseAttachments))]
    public IResult SearchCaseAttachments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/{caseId}/attachments/_search")] HttpRequest request) =>
        endpoints.Run();
}
