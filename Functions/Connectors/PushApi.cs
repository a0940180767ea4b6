using Cases.Functions.Access;
using Cases.Functions.Attachments;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Identity;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Connectors;

/// <summary>Kibana's push route: <c>POST /api/cases/{caseId}/connector/{connectorId}/_push</c>.</summary>
public static class PushApi
{
    public static void MapPushApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/cases/{caseId}/connector/{connectorId}/_push", Push).WithTags("cases").WithName("pushCase").RequiresCases(CasePrivilege.Push)
            // 424/502/504: the external system refused, failed or did not answer (ExternalCall).
            .ProducesErrors(400, 404, 409, 424, 502, 504);
    }

    static async Task<Ok<CaseResponse>> Push(string caseId, string connectorId, HttpContext http, CasePusher pusher, CallerIdentity identity,
        AttachmentStore attachments, CancellationToken ct)
    {
        // Kibana's body is an optional object with nothing in it: whatever is sent is ignored.
        var space = Space.Of(http);
        var access = CasesAccess.Of(http);
        var record = await pusher.Push(space, caseId, connectorId, identity.Of(http), owner => access.Require(CasePrivilege.Push, "case", owner), ct);
        return TypedResults.Ok(await AttachmentsApi.WithComments(attachments, space, record, ct));
    }
}
