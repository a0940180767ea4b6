using System.Text.Json.Nodes;
using static Cases.Functions.Connectors.Systems.ExternalSystems;

namespace Cases.Functions.Connectors.Systems;

/// <summary>
/// IBM Resilient (SOAR) as Kibana's .resilient connector uses it: incidents of an organisation, basic authentication
/// with an API key id and secret; an update reads the incident and sends Resilient's <c>changes</c> (old and new value).
/// </summary>
public sealed class ResilientSystem : IExternalSystem
{
    public async Task<ExternalIncident> Create(ExternalCall call, PushedCase c, CancellationToken ct)
    {
        Authenticate(call);
        var body = new JsonObject
        {
            ["name"] = c.Title,
            ["description"] = new JsonObject { ["format"] = "html", ["content"] = c.Description },
            ["discovered_date"] = c.Now.ToUnixTimeMilliseconds(),
        };
        if (c.Fields?["incidentTypes"] is JsonArray types)
            body["incident_type_ids"] = new JsonArray(types.Select(t => (JsonNode?)new JsonObject { ["id"] = ToNumber(t) }).ToArray());
        if (c.Field("severityCode") is { } severity) body["severity_code"] = new JsonObject { ["id"] = ToNumber(JsonValue.Create(severity)) };
        var answer = await call.Send(HttpMethod.Post, Incidents(call, "?text_content_output_format=objects_convert"), body, "create incident", ct);
        var id = call.Required(answer, "id", "create incident");
        return new ExternalIncident(id, id, Join(call.Setting("apiUrl"), $"/#incidents/{id}"));
    }

    public async Task<ExternalIncident> Update(ExternalCall call, PushedCase c, ExternalIncident incident, CancellationToken ct)
    {
        Authenticate(call);
        var current = await call.Send(HttpMethod.Get, Incidents(call, $"/{Uri.EscapeDataString(incident.Id)}?text_content_output_format=objects_convert"),
            (string?)null, "update incident", ct);
        var changes = new JsonArray(
            new JsonObject
            {
                ["field"] = new JsonObject { ["name"] = "name" },
                ["old_value"] = new JsonObject { ["text"] = current?["name"]?.DeepClone() },
                ["new_value"] = new JsonObject { ["text"] = c.Title },
            },
            new JsonObject
            {
                ["field"] = new JsonObject { ["name"] = "description" },
                ["old_value"] = new JsonObject { ["textarea"] = current?["description"]?.DeepClone() },
                ["new_value"] = new JsonObject { ["textarea"] = new JsonObject { ["format"] = "html", ["content"] = c.Description } },
            });
        var answer = await call.Send(HttpMethod.Patch, Incidents(call, $"/{Uri.EscapeDataString(incident.Id)}"), new JsonObject { ["changes"] = changes }, "update incident", ct);
        if (answer?["success"]?.GetValue<bool>() == false)
            throw new Domain.Errors.CasesException(424,
                $"[Action][{call.Connector.Kind.Name}]: Unable to update incident with connector \"{call.Connector.Name}\" (id {call.Connector.Id}): {answer["message"]?.ToString() ?? "the change was refused"}.");
        return incident;
    }

    public async Task AddComment(ExternalCall call, PushedCase c, ExternalIncident incident, string comment, CancellationToken ct)
    {
        Authenticate(call);
        await call.Send(HttpMethod.Post, Incidents(call, $"/{Uri.EscapeDataString(incident.Id)}/comments"),
            new JsonObject { ["text"] = new JsonObject { ["format"] = "text", ["content"] = comment } }, "create comment", ct);
    }

    static void Authenticate(ExternalCall call) =>
        call.Headers = h => h.Authorization = ExternalCall.Basic(call.Secret("apiKeyId"), call.Secret("apiKeySecret"));

    static string Incidents(ExternalCall call, string rest) =>
        Join(call.Setting("apiUrl"), $"/rest/orgs/{Uri.EscapeDataString(call.Setting("orgId"))}/incidents{rest}");

    static JsonNode? ToNumber(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) && long.TryParse(s, out var n) ? JsonValue.Create(n) : value?.DeepClone();
}
