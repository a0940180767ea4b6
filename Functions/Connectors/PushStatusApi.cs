using Cases.Functions.Access;
using System.Text.Json.Nodes;
using Cases.Domain.UserActions;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Spaces;
using Cases.Functions.UserActions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Connectors;

/// <summary>
/// Whether a case needs a push, per connector it has used: what Kibana's case view reads from its internal route
/// <c>/internal/cases/{case_id}/user_actions/_connectors</c>, worked out from the user actions the same way. Ours is
/// <c>GET /api/cases/{caseId}/user_actions/_connectors</c>.
/// </summary>
public static class PushStatusApi
{
    /// <summary>Changes that a push carries to the external system.</summary>
    static readonly string[] Pushable =
    [
        UserActionTypes.Title, UserActionTypes.Description, UserActionTypes.Tags, UserActionTypes.Comment, UserActionTypes.Severity,
        UserActionTypes.Connector, UserActionTypes.CreateCase,
    ];

    public static void MapPushStatusApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/cases/{caseId}/user_actions/_connectors", Get).WithTags("user actions").WithName("getCaseConnectorsPushStatus").RequiresCases(CasePrivilege.Read)
            .ProducesErrors(404);
    }

    static async Task<Ok<JsonObject>> Get(string caseId, HttpContext http, CaseStore cases, UserActionStore actions, CancellationToken ct)
    {
        var space = Space.Of(http);
        var stored = await CasesApi.Load(cases, space, caseId, ct);
        CasesAccess.Of(http).Require(CasePrivilege.Read, "case", stored.Record.Case.Owner);
        return TypedResults.Ok(Status(await actions.List(space, caseId, ct)));
    }

    /// <summary>For each connector set on the case or pushed to: its last fields, and the push state.</summary>
    public static JsonObject Status(IReadOnlyList<UserAction> actions)
    {
        var result = new JsonObject();
        var connectors = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var a in actions.Where(a => a.Type is UserActionTypes.CreateCase or UserActionTypes.Connector))
            if (a.Payload["connector"] is JsonObject c && c["id"]?.GetValue<string>() is { } id && c["type"]?.GetValue<string>() != ".none")
                connectors[id] = c;
        var pushes = actions.Where(a => a.Type == UserActionTypes.Pushed)
            .Select(a => (Action: a, External: a.Payload["externalService"] as JsonObject))
            .Where(p => p.External?["connector_id"] is not null).ToList();
        foreach (var (a, external) in pushes)
            connectors.TryAdd(external!["connector_id"]!.GetValue<string>(), new JsonObject
            {
                ["id"] = external["connector_id"]!.GetValue<string>(),
                ["name"] = external["connector_name"]?.DeepClone(),
                ["type"] = null,
                ["fields"] = null,
            });

        foreach (var (id, connector) in connectors)
        {
            var mine = pushes.Where(p => p.External!["connector_id"]!.GetValue<string>() == id).ToList();
            var latest = mine.Count > 0 ? mine[^1] : default;
            var needs = latest.Action is null || actions.Any(a => a.CreatedAt > latest.Action.CreatedAt && Pushable.Contains(a.Type));
            var entry = connector.DeepClone().AsObject();
            entry["push"] = new JsonObject
            {
                ["needsToBePushed"] = needs,
                ["hasBeenPushed"] = mine.Count > 0,
                ["details"] = mine.Count == 0 ? null : new JsonObject
                {
                    ["oldestUserActionPushDate"] = KibanaDateConverter.Text(mine[0].Action.CreatedAt),
                    ["latestUserActionPushDate"] = KibanaDateConverter.Text(latest.Action!.CreatedAt),
                    ["externalService"] = latest.External!.DeepClone(),
                },
            };
            result[id] = entry;
        }
        return result;
    }
}
