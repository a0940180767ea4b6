using System.Text.Json.Nodes;
using Cases.Functions.Hosting;
using static Cases.Functions.Connectors.Systems.ExternalSystems;

namespace Cases.Functions.Connectors.Systems;

/// <summary>
/// Swimlane records as Kibana's .swimlane connector writes them: values keyed by the field ids the connector's
/// <c>mappings</c> name (<c>caseNameConfig</c>, <c>descriptionConfig</c>, <c>caseIdConfig</c>, <c>severityConfig</c>,
/// <c>commentsConfig</c>), authenticated with a <c>Private-Token</c> header.
/// </summary>
public sealed class SwimlaneSystem : IExternalSystem
{
    public async Task<ExternalIncident> Create(ExternalCall call, PushedCase c, CancellationToken ct)
    {
        Authenticate(call);
        var answer = await call.Send(HttpMethod.Post, Records(call, ""), Record(call, c), "create record", ct);
        return Incident(call, answer, "create record");
    }

    public async Task<ExternalIncident> Update(ExternalCall call, PushedCase c, ExternalIncident incident, CancellationToken ct)
    {
        Authenticate(call);
        var body = Record(call, c);
        body["id"] = incident.Id;
        var answer = await call.Send(HttpMethod.Patch, Records(call, "/" + Uri.EscapeDataString(incident.Id)), body, "update record", ct);
        return answer?["id"] is null ? incident : Incident(call, answer, "update record");
    }

    public async Task AddComment(ExternalCall call, PushedCase c, ExternalIncident incident, string comment, CancellationToken ct)
    {
        if (FieldId(call, "commentsConfig") is not { } fieldId) return; // no comments field mapped: Kibana skips comments too
        Authenticate(call);
        await call.Send(HttpMethod.Post, Records(call, $"/{Uri.EscapeDataString(incident.Id)}/{Uri.EscapeDataString(fieldId)}/comment"), new JsonObject
        {
            ["fieldId"] = fieldId,
            ["message"] = comment,
            ["createdDate"] = KibanaDateConverter.Text(c.Now),
            ["isRichText"] = true,
        }, "create comment", ct);
    }

    static void Authenticate(ExternalCall call) =>
        call.Headers = h => h.Add("Private-Token", call.Secret("apiToken"));

    static string Records(ExternalCall call, string rest) =>
        Join(call.Setting("apiUrl"), $"/api/app/{Uri.EscapeDataString(call.Setting("appId"))}/record{rest}");

    static string? FieldId(ExternalCall call, string mapping) =>
        call.Config["mappings"]?[mapping]?["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;

    static JsonObject Record(ExternalCall call, PushedCase c)
    {
        var values = new JsonObject();
        void Set(string mapping, string? value)
        {
            if (FieldId(call, mapping) is { } id && value is not null) values[id] = value;
        }
        Set("caseNameConfig", c.Title);
        Set("descriptionConfig", c.Description);
        Set("caseIdConfig", c.Field("caseId") ?? c.Id);
        Set("severityConfig", c.Severity);
        return new JsonObject { ["applicationId"] = call.Setting("appId"), ["values"] = values };
    }

    static ExternalIncident Incident(ExternalCall call, JsonNode? answer, string operation)
    {
        var id = call.Required(answer, "id", operation);
        var name = TemplateRenderer.ValueAt(answer, "name")?.ToString() is { Length: > 0 } n ? n : id;
        return new ExternalIncident(id, name, Join(call.Setting("apiUrl"), $"/record/{Uri.EscapeDataString(call.Setting("appId"))}/{Uri.EscapeDataString(id)}"));
    }
}
