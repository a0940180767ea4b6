using System.Text.Json.Nodes;
using Cases.Domain.Errors;

namespace Cases.Functions.Connectors.Systems;

/// <summary>
/// Kibana's Webhook - Case Management connector: any HTTP case system, described by the connector's config. Create
/// sends <c>createIncidentJson</c> and reads the new id at <c>createIncidentResponseKey</c>; the title is read with
/// <c>getIncidentUrl</c> at <c>getIncidentResponseExternalTitleKey</c>; update and comments send their templates.
/// Variables: <c>case.id</c>, <c>case.title</c>, <c>case.description</c>, <c>case.tags</c>, <c>case.severity</c>,
/// <c>case.status</c>, <c>case.comment</c>, <c>external.system.id</c>, <c>external.system.title</c>.
/// </summary>
public sealed class CasesWebhookSystem : IExternalSystem
{
    public async Task<ExternalIncident> Create(ExternalCall call, PushedCase c, CancellationToken ct)
    {
        Authenticate(call);
        var values = Values(c, null, null);
        var answer = await call.Send(Method(call, "createIncidentMethod"), TemplateRenderer.Url(call.Setting("createIncidentUrl"), values),
            Json(call, "createIncidentJson", values, "create incident"), "create incident", ct);
        var id = call.Required(answer, call.Setting("createIncidentResponseKey"), "create incident");
        return await Read(call, c, id, "create incident", ct);
    }

    public async Task<ExternalIncident> Update(ExternalCall call, PushedCase c, ExternalIncident incident, CancellationToken ct)
    {
        Authenticate(call);
        var values = Values(c, incident, null);
        await call.Send(Method(call, "updateIncidentMethod"), TemplateRenderer.Url(call.Setting("updateIncidentUrl"), values),
            Json(call, "updateIncidentJson", values, "update incident"), "update incident", ct);
        return await Read(call, c, incident.Id, "update incident", ct);
    }

    public async Task AddComment(ExternalCall call, PushedCase c, ExternalIncident incident, string comment, CancellationToken ct)
    {
        if (call.Setting("createCommentUrl") is not { Length: > 0 } url || call.Setting("createCommentJson") is not { Length: > 0 }) return;
        Authenticate(call);
        var values = Values(c, incident, comment);
        await call.Send(Method(call, "createCommentMethod"), TemplateRenderer.Url(url, values),
            Json(call, "createCommentJson", values, "create comment"), "create comment", ct);
    }

    async Task<ExternalIncident> Read(ExternalCall call, PushedCase c, string id, string operation, CancellationToken ct)
    {
        var values = Values(c, new ExternalIncident(id, "", ""), null);
        var answer = await call.Send(HttpMethod.Get, TemplateRenderer.Url(call.Setting("getIncidentUrl"), values), (string?)null, operation, ct);
        var title = call.Required(answer, call.Setting("getIncidentResponseExternalTitleKey"), operation);
        var withTitle = Values(c, new ExternalIncident(id, title, ""), null);
        return new ExternalIncident(id, title, TemplateRenderer.Url(call.Setting("viewIncidentUrl"), withTitle));
    }

    static void Authenticate(ExternalCall call) => call.Headers = h =>
    {
        if (call.Config["headers"] is JsonObject headers)
            foreach (var (name, value) in headers)
                h.TryAddWithoutValidation(name, value?.ToString());
        if (call.Config["hasAuth"]?.GetValue<bool>() != false)
            h.Authorization = ExternalCall.Basic(call.Secret("user"), call.Secret("password"));
    };

    static HttpMethod Method(ExternalCall call, string key) => HttpMethod.Parse(call.Setting(key) is { Length: > 0 } m ? m.ToUpperInvariant() : "POST");

    static string Json(ExternalCall call, string key, Dictionary<string, JsonNode?> values, string operation)
    {
        var json = TemplateRenderer.Json(call.Setting(key), values);
        try
        {
            JsonNode.Parse(json);
            return json;
        }
        catch (System.Text.Json.JsonException)
        {
            throw CasesException.BadRequest($"[Action][{call.Connector.Kind.Name}]: Unable to {operation} with connector \"{call.Connector.Name}\" (id {call.Connector.Id}): {key} is not valid JSON once filled in.");
        }
    }

    static Dictionary<string, JsonNode?> Values(PushedCase c, ExternalIncident? incident, string? comment) => new()
    {
        ["case.id"] = c.Id,
        ["case.title"] = c.Title,
        ["case.description"] = c.Description,
        ["case.tags"] = new JsonArray(c.Tags.Select(t => (JsonNode?)t).ToArray()),
        ["case.severity"] = c.Severity,
        ["case.status"] = c.Status,
        ["case.comment"] = comment,
        ["external.system.id"] = incident?.Id,
        ["external.system.title"] = incident?.Title,
    };
}
