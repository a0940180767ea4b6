using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.UserActions;
using Cases.Functions.Access;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.UserActions;

/// <summary>A case's activity log: <c>GET /api/cases/{caseId}/user_actions/_find</c>, and Kibana's deprecated <c>GET .../user_actions</c>.</summary>
public static class UserActionsApi
{
    public static void MapUserActionsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/cases/{caseId}/user_actions/_find", Find).WithTags("user actions").WithName("findCaseActivity").RequiresCases(CasePrivilege.Read, "user actions")
            .ProducesErrors(400, 404);
        routes.MapGet("/cases/{caseId}/user_actions", GetAll).WithTags("user actions").WithName("getCaseActivity").RequiresCases(CasePrivilege.Read, "user actions")
            .ProducesErrors(400, 404);
    }

    /// <summary>
    /// Deprecated in Kibana 8.1 but still public: every user action of the case, oldest first, unpaged, in the older shape
    /// (<c>action_id</c>, <c>case_id</c>, <c>comment_id</c>; no <c>version</c>). Kibana flags it with a Warning header.
    /// </summary>
    static async Task<Ok<List<DeprecatedUserActionResponse>>> GetAll(string caseId, HttpContext http, CaseStore cases, UserActionStore store, CancellationToken ct)
    {
        var space = Space.Of(http);
        QueryValues.RejectUnknown(http.Request.Query);
        var owner = (await CasesApi.Load(cases, space, caseId, ct)).Record.Case.Owner;
        CasesAccess.Of(http).Require(CasePrivilege.Read, "user actions", owner);
        http.Response.Headers.Warning = "299 Kibana \"Deprecated endpoint\"";
        return TypedResults.Ok((await store.List(space, caseId, ct)).Select(DeprecatedUserActionResponse.From).ToList());
    }

    static async Task<Ok<FindUserActionsResponse>> Find(string caseId, HttpContext http, CaseStore cases, UserActionStore store, CancellationToken ct)
    {
        var space = Space.Of(http);
        var query = http.Request.Query;
        QueryValues.RejectUnknown(query, "types", "sortOrder", "page", "perPage");
        var types = QueryValues.OneOf(query, "types", UserActionTypes.Filters);
        var descending = QueryValues.Descending(query, fallback: false);
        var (page, perPage) = QueryValues.Paging(query, CaseLimits.PerPageMax);
        var owner = (await CasesApi.Load(cases, space, caseId, ct)).Record.Case.Owner;
        CasesAccess.Of(http).Require(CasePrivilege.Read, "user actions", owner);

        var actions = (await store.List(space, caseId, ct)).Where(a => types.Count == 0 || types.Any(t => Matches(a, t))).ToList();
        if (descending) actions.Reverse();
        var items = actions.Skip((page - 1) * perPage).Take(perPage).Select(UserActionResponse.From).ToList();
        return TypedResults.Ok(new FindUserActionsResponse(items, page, perPage, actions.Count));
    }

    /// <summary>Kibana's filters: a type, or <c>action</c> (anything but comments), <c>user</c>/<c>alert</c> (comments of that kind), <c>attachment</c> (other comments).</summary>
    static bool Matches(UserAction action, string filter)
    {
        var commentType = action.Type == UserActionTypes.Comment ? (action.Payload["comment"] as JsonObject)?["type"]?.GetValue<string>() : null;
        return filter switch
        {
            "action" => action.Type != UserActionTypes.Comment,
            "user" => commentType == "user",
            "alert" => commentType == "alert",
            "attachment" => commentType is not null and not "user" and not "alert",
            _ => action.Type == filter,
        };
    }
}
