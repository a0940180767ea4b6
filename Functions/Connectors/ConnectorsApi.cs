using Cases.Domain.Ids;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Errors;
using Cases.Functions.Access;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Outbound;
using Cases.Functions.Settings;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Connectors;

/// <summary>Kibana's connectors API (<c>/api/actions/...</c>) for the connector types cases push to, in every space.</summary>
public static class ConnectorsApi
{
    public static void MapConnectorsApi(this IEndpointRouteBuilder routes)
    {
        var actions = routes.MapGroup("/actions").WithTags("connectors");
        actions.MapPost("/connector", (HttpContext http, ConnectorServices s, CancellationToken ct) => Create(null, http, s, ct)).WithName("createConnector").RequiresCases(CasePrivilege.Settings)
            .ReadsJson().ProducesErrors(409);
        actions.MapPost("/connector/{id}", (string id, HttpContext http, ConnectorServices s, CancellationToken ct) => Create(id, http, s, ct)).WithName("createConnectorId").RequiresCases(CasePrivilege.Settings)
            .ReadsJson().ProducesErrors(409);
        actions.MapGet("/connector/{id}", Get).WithName("getConnector").RequiresCases(CasePrivilege.Read).ProducesErrors(404);
        actions.MapPut("/connector/{id}", Update).WithName("updateConnector").RequiresCases(CasePrivilege.Settings).ReadsJson().ProducesErrors(404, 409);
        actions.MapDelete("/connector/{id}", Delete).WithName("deleteConnector").RequiresCases(CasePrivilege.Settings).ProducesErrors(404);
        actions.MapGet("/connectors", List).WithName("getConnectors").RequiresCases(CasePrivilege.Read);
        actions.MapGet("/connector_types", Types).WithName("getConnectorTypes").RequiresCases(CasePrivilege.Read);
    }

    static async Task<Ok<JsonObject>> Create(string? id, HttpContext http, ConnectorServices s, CancellationToken ct)
    {
        var space = Space.Of(http);
        if (id is not null && !ConnectorIds.IsValid(id))
            throw CasesException.BadRequest("[id]: a connector id is 1-128 of A-Z a-z 0-9 - _ .");
        var body = await RequestJson.ReadObject(http.Request, ct);
        RejectUnknown(body, ["name", "connector_type_id", "config", "secrets"]);
        var kind = ConnectorKind.Find(Text(body, "connector_type_id"))
            ?? throw CasesException.BadRequest($"[request body.connector_type_id]: connector type \"{Text(body, "connector_type_id")}\" is not supported; supported: {string.Join(", ", ConnectorKind.All.Select(k => k.Id))}");
        var name = Name(body);
        var (config, secrets) = Validate(kind, body, s.AllowedHosts);
        id ??= ObjectIds.New();
        if (!await s.Store.TryAdd(space, id, kind, name, config, secrets, ct))
            throw CasesException.Conflict($"Saved object [action/{id}] conflict");
        return TypedResults.Ok(ConnectorResponse.From((await s.Store.Get(space, id, ct))!));
    }

    static async Task<Ok<JsonObject>> Get(string id, HttpContext http, ConnectorStore store, CancellationToken ct) =>
        TypedResults.Ok(ConnectorResponse.From(await Load(store, Space.Of(http), id, ct)));

    /// <summary>As in Kibana, an update replaces name, config and secrets; the type cannot change.</summary>
    static async Task<Ok<JsonObject>> Update(string id, HttpContext http, ConnectorServices s, CancellationToken ct)
    {
        var space = Space.Of(http);
        var body = await RequestJson.ReadObject(http.Request, ct);
        RejectUnknown(body, ["name", "config", "secrets"]);
        var current = await Load(s.Store, space, id, ct);
        var name = Name(body);
        var (config, secrets) = Validate(current.Kind, body, s.AllowedHosts);
        if (!await s.Store.TryReplace(space, current, name, config, secrets, ct))
            throw CasesException.Conflict($"Saved object [action/{id}] was changed meanwhile; read it again and retry.");
        return TypedResults.Ok(ConnectorResponse.From((await s.Store.Get(space, id, ct))!));
    }

    static async Task<NoContent> Delete(string id, HttpContext http, ConnectorStore store, CancellationToken ct)
    {
        if (!await store.Delete(Space.Of(http), id, ct)) throw NotFound(id);
        return TypedResults.NoContent();
    }

    static async Task<Ok<JsonArray>> List(HttpContext http, ConnectorServices s, CancellationToken ct)
    {
        var space = Space.Of(http);
        var connectors = await s.Store.List(space, ct);
        var references = await References(s, space, ct);
        return TypedResults.Ok(new JsonArray(connectors.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => (JsonNode?)ConnectorResponse.Listed(c, references.GetValueOrDefault(c.Id))).ToArray()));
    }

    static Ok<JsonArray> Types(HttpContext http)
    {
        // feature_id filters by feature as in Kibana; every type here serves cases only.
        var feature = QueryValues.Single(http.Request.Query, "feature_id");
        var kinds = feature is null or "cases" ? ConnectorKind.All : [];
        return TypedResults.Ok(new JsonArray(kinds.Select(k => (JsonNode?)ConnectorResponse.Type(k)).ToArray()));
    }

    /// <summary>The connectors cases can use (<c>GET /api/cases/configure/connectors/_find</c>).</summary>
    public static async Task<Ok<JsonArray>> FindForCases(HttpContext http, ConnectorServices s, CancellationToken ct)
    {
        var space = Space.Of(http);
        var connectors = await s.Store.List(space, ct);
        var references = await References(s, space, ct);
        return TypedResults.Ok(new JsonArray(connectors.Where(c => c.Kind.TakesCases(c.Config)).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => (JsonNode?)ConnectorResponse.ForCases(c, references.GetValueOrDefault(c.Id))).ToArray()));
    }

    /// <summary>
    /// How many cases and case settings of the space name each connector. The compact find view keeps no connector,
    /// so this reads the space's cases (a listing of connectors, not a hot path).
    /// </summary>
    static async Task<Dictionary<string, int>> References(ConnectorServices s, string space, CancellationToken ct)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var record in s.Cases.List(space, [], ct))
            counts[record.Case.Connector.Id] = counts.GetValueOrDefault(record.Case.Connector.Id) + 1;
        foreach (var settings in await s.Settings.List(space, ct))
            counts[settings.Configuration.Connector.Id] = counts.GetValueOrDefault(settings.Configuration.Connector.Id) + 1;
        return counts;
    }

    static (JsonObject Config, JsonObject Secrets) Validate(ConnectorKind kind, JsonObject body, AllowedHosts allowed)
    {
        var config = kind.ValidConfig(body["config"]);
        var secrets = kind.ValidSecrets(body["secrets"], config);
        CheckHosts(kind, config, allowed);
        return (config, secrets);
    }

    /// <summary>Every URL of the config must point at an allowed host (also for connectors an import brings in).</summary>
    internal static void CheckHosts(ConnectorKind kind, JsonObject config, AllowedHosts allowed)
    {
        foreach (var spec in kind.Config.Where(k => k.Kind == ValueKind.Url))
            if (config[spec.Name]?.GetValue<string>() is { } url)
                allowed.Check(TemplateRenderer.SampleUrl(url), $"config.{spec.Name}");
    }

    internal static async Task<StoredConnector> Load(ConnectorStore store, string space, string id, CancellationToken ct) =>
        await store.Get(space, id, ct) ?? throw NotFound(id);

    static CasesException NotFound(string id) => CasesException.NotFound($"Saved object [action/{id}] not found");

    static string Name(JsonObject body)
    {
        var name = Text(body, "name");
        if (string.IsNullOrWhiteSpace(name)) throw CasesException.BadRequest("[request body.name]: expected value of type [string] but got [undefined]");
        if (name.Length > 255) throw CasesException.BadRequest("[request body.name]: value has length [" + name.Length + "] but it must have a maximum length of [255].");
        return name;
    }

    static string? Text(JsonObject body, string key) =>
        body[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    static void RejectUnknown(JsonObject body, string[] allowed)
    {
        foreach (var (key, _) in body)
            if (!allowed.Contains(key)) throw CasesException.BadRequest($"[request body.{key}]: definition for this key is missing");
    }
}

/// <summary>What the connector handlers need, bound from DI in one parameter.</summary>
public sealed class ConnectorServices(ConnectorStore store, AllowedHosts allowedHosts, CaseStore cases, ConfigurationStore settings)
{
    public ConnectorStore Store { get; } = store;
    public AllowedHosts AllowedHosts { get; } = allowedHosts;
    public CaseStore Cases { get; } = cases;
    public ConfigurationStore Settings { get; } = settings;
}
