using Cases.Domain.Ids;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.Observables;
using Cases.Domain.UserActions;
using Cases.Domain.Users;
using Cases.Functions.Access;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Identity;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Cases.Functions.Settings;

namespace Cases.Functions.Attachments;

/// <summary>
/// Kibana's observables routes: <c>POST /cases/{caseId}/observables</c> (<c>{"observable": {typeKey, value, description}}</c>),
/// <c>PATCH</c>/<c>DELETE /cases/{caseId}/observables/{observableId}</c>; plus listing them and their types (built-in and the owner's custom types from the case settings). Each change
/// answers with the case (with its comments and observables) and records an <c>observables</c> user action.
/// </summary>
public static class ObservablesApi
{
    public static void MapObservablesApi(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup("/cases").WithTags("observables");
        cases.MapGet("/observables/types", Types).WithName("getObservableTypes").RequiresCases(CasePrivilege.Read, "case configuration").ProducesErrors(400);
        cases.MapGet("/{caseId}/observables", List).WithName("getCaseObservables").RequiresCases(CasePrivilege.Read, "case").ProducesErrors(404);
        cases.MapPost("/{caseId}/observables", Add).WithName("addCaseObservable").RequiresCases(CasePrivilege.Update, "case").ReadsJson().ProducesErrors(404);
        cases.MapPatch("/{caseId}/observables/{observableId}", Update).WithName("updateCaseObservable").RequiresCases(CasePrivilege.Update, "case").ReadsJson().ProducesErrors(404);
        cases.MapDelete("/{caseId}/observables/{observableId}", Delete).WithName("deleteCaseObservable").RequiresCases(CasePrivilege.Delete, "case").ProducesErrors(400, 404);
    }

    /// <summary>Kibana's built-in types plus the custom ones in the case settings of an owner (<c>?owner=</c>).</summary>
    static async Task<Ok<JsonArray>> Types(HttpContext http, ConfigurationStore settings, CancellationToken ct)
    {
        var owner = QueryValues.OneOf(http.Request.Query, "owner", CaseOwner.All, max: 1).FirstOrDefault();
        if (owner is not null) CasesAccess.Of(http).Require(CasePrivilege.Read, "case configuration", owner);
        var types = owner is null ? [.. ObservableTypes.BuiltIn] : await TypesOf(settings, Space.Of(http), owner, ct);
        return TypedResults.Ok(new JsonArray(types.Select(t => (JsonNode?)new JsonObject { ["key"] = t.Key, ["label"] = t.Label }).ToArray()));
    }

    static async Task<List<ObservableType>> TypesOf(ConfigurationStore settings, string space, string owner, CancellationToken ct)
    {
        var custom = (await settings.Get(space, owner, ct))?.Configuration.ObservableTypes ?? [];
        return [.. ObservableTypes.BuiltIn, .. custom.Select(t => new ObservableType(t.Key, t.Label))];
    }

    static async Task<Ok<JsonObject>> List(string caseId, HttpContext http, CaseStore cases, AttachmentStore store, CancellationToken ct)
    {
        var space = Space.Of(http);
        await AttachmentsApi.LoadReadable(http, cases, space, caseId, "case", ct);
        return TypedResults.Ok(new JsonObject { ["observables"] = Json(await store.Observables(space, caseId, ct)) });
    }

    static async Task<Ok<JsonObject>> Add(string caseId, HttpContext http, [AsParameters] AttachmentServices s, ConfigurationStore settings, CancellationToken ct)
    {
        var (typeKey, value, description) = await ReadObservable(http, ["typeKey", "value", "description"], ct);
        // Custom types come from the case settings of the case's owner.
        var owner = (await CasesApi.Load(s.Cases, Space.Of(http), caseId, ct)).Record.Case.Owner;
        var types = (await TypesOf(settings, Space.Of(http), owner, ct)).Select(t => t.Key).ToArray();
        return await Change(caseId, http, s, UserActionVerbs.Add, CasePrivilege.Update, (list, now) =>
            [.. list, ObservableRules.Add(list, typeKey, value, description, types, ObjectIds.New(), now)], ct);
    }

    static async Task<Ok<JsonObject>> Update(string caseId, string observableId, HttpContext http, [AsParameters] AttachmentServices s, CancellationToken ct)
    {
        var (_, value, description) = await ReadObservable(http, ["value", "description"], ct);
        return await Change(caseId, http, s, UserActionVerbs.Update, CasePrivilege.Update, (list, now) =>
        {
            var existing = Find(list, observableId);
            var next = ObservableRules.Update(list, existing, value, description, now);
            return list.Select(o => o.Id == observableId ? next : o).ToList();
        }, ct);
    }

    static async Task<Ok<JsonObject>> Delete(string caseId, string observableId, HttpContext http, [AsParameters] AttachmentServices s, CancellationToken ct) =>
        await Change(caseId, http, s, UserActionVerbs.Delete, CasePrivilege.Delete, (list, _) =>
        {
            Find(list, observableId);
            return list.Where(o => o.Id != observableId).ToList();
        }, ct);

    /// <summary>Rewrites the observables row with the case counters' ETag guard, so concurrent changes cannot lose each other.</summary>
    static async Task<Ok<JsonObject>> Change(string caseId, HttpContext http, AttachmentServices s, string actionType, CasePrivilege needed,
        Func<List<Observable>, DateTimeOffset, List<Observable>> apply, CancellationToken ct)
    {
        var space = Space.Of(http);
        var user = s.Identity.Of(http);
        var now = s.Time.Now();
        List<Observable> result = [];
        var record = await AttachmentCommits.Commit(s.Cases, s.Store, space, caseId, async current =>
        {
            CasesAccess.Of(http).Require(needed, "case", current.Record.Case.Owner);
            result = apply(await s.Store.Observables(space, caseId, ct), now);
            var c = current.Record.Case;
            return new AttachmentChange(
                current.Record with { Case = AttachmentsApi.Touch(c, user, now) },
                [Action(c, actionType, 1, user, now)],
                [new TableTransactionAction(TableTransactionActionType.UpsertReplace, AttachmentRows.ObservablesEntity(space, caseId, result))]);
        }, ct);
        var body = JsonSerializer.SerializeToNode(await AttachmentsApi.WithComments(s.Store, space, record, ct), CasesJsonContext.Default.CaseResponse)!.AsObject();
        body["observables"] = Json(result);
        return TypedResults.Ok(body);
    }

    static Observable Find(List<Observable> list, string id) =>
        list.FirstOrDefault(o => o.Id == id) ?? throw CasesException.NotFound($"Observable with id {id} not found on the case.");

    static async Task<(string? TypeKey, string? Value, string? Description)> ReadObservable(HttpContext http, string[] keys, CancellationToken ct)
    {
        var body = await RequestJson.ReadObject(http.Request, ct);
        RequestJson.RejectUnknownKeys(body, ["observable"]);
        if (body["observable"] is not JsonObject o) throw CasesException.InvalidValue("observable", body["observable"]?.ToJsonString());
        RequestJson.RejectUnknownKeys(o, keys);
        string? Text(string key) => o[key] is null ? null
            : o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
            : throw CasesException.InvalidValue($"observable,{key}", o[key]!.ToJsonString());
        return (Text("typeKey"), Text("value"), Text("description"));
    }

    /// <summary>Kibana's user action for observables: type <c>observables</c>, payload <c>{observables: {count, actionType}}</c>.</summary>
    internal static UserAction Action(Case c, string actionType, int count, CaseUser user, DateTimeOffset now) =>
        new(ObjectIds.New(), c.Id, actionType, UserActionTypes.Observables,
            new JsonObject { ["observables"] = new JsonObject { ["count"] = count, ["actionType"] = actionType } }, now, user, c.Owner);

    internal static JsonArray Json(IEnumerable<Observable> observables) => new(observables.Select(o => (JsonNode?)new JsonObject
    {
        ["id"] = o.Id,
        ["typeKey"] = o.TypeKey,
        ["value"] = o.Value,
        ["description"] = o.Description,
        ["createdAt"] = KibanaDateConverter.Text(o.CreatedAt),
        ["updatedAt"] = KibanaDateConverter.Text(o.UpdatedAt),
    }).ToArray());
}
