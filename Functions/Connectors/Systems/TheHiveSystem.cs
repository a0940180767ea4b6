using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using static Cases.Functions.Connectors.Systems.ExternalSystems;

namespace Cases.Functions.Connectors.Systems;

/// <summary>
/// TheHive's API v1 cases as Kibana's .thehive connector uses them: bearer API key, <c>X-Organisation</c> when set,
/// the case's severity as TheHive's 1-4, its tags as tags, <c>tlp</c> from the case's connector fields.
/// </summary>
public sealed class TheHiveSystem : IExternalSystem
{
    public async Task<ExternalIncident> Create(ExternalCall call, PushedCase c, CancellationToken ct)
    {
        Authenticate(call);
        var answer = await call.Send(HttpMethod.Post, Join(call.Setting("url"), "/api/v1/case"), Body(c), "create incident", ct);
        return Incident(call, answer, "create incident");
    }

    public async Task<ExternalIncident> Update(ExternalCall call, PushedCase c, ExternalIncident incident, CancellationToken ct)
    {
        Authenticate(call);
        var url = Join(call.Setting("url"), "/api/v1/case/" + Uri.EscapeDataString(incident.Id));
        await call.Send(HttpMethod.Patch, url, Body(c), "update incident", ct);
        return Incident(call, await call.Send(HttpMethod.Get, url, (string?)null, "update incident", ct), "update incident");
    }

    public async Task AddComment(ExternalCall call, PushedCase c, ExternalIncident incident, string comment, CancellationToken ct)
    {
        Authenticate(call);
        await call.Send(HttpMethod.Post, Join(call.Setting("url"), $"/api/v1/case/{Uri.EscapeDataString(incident.Id)}/comment"),
            new JsonObject { ["message"] = comment }, "create comment", ct);
    }

    static void Authenticate(ExternalCall call) => call.Headers = h =>
    {
        h.Authorization = new("Bearer", call.Secret("apiKey"));
        if (call.Setting("organisation") is { Length: > 0 } organisation) h.Add("X-Organisation", organisation);
    };

    static JsonObject Body(PushedCase c)
    {
        var body = new JsonObject
        {
            ["title"] = c.Title,
            ["description"] = c.Description,
            ["tags"] = new JsonArray(c.Tags.Select(t => (JsonNode?)t).ToArray()),
            ["severity"] = Array.IndexOf(CaseSeverity.All, c.Severity) + 1,
        };
        if (c.Fields?["tlp"] is JsonValue tlp) body["tlp"] = tlp.DeepClone();
        return body;
    }

    static ExternalIncident Incident(ExternalCall call, JsonNode? answer, string operation)
    {
        var id = call.Required(answer, "_id", operation);
        var title = TemplateRenderer.ValueAt(answer, "number") is { } number ? "#" + number.ToJsonString() : call.Required(answer, "title", operation);
        return new ExternalIncident(id, title, Join(call.Setting("url"), $"/cases/{Uri.EscapeDataString(id)}/details"));
    }
}
