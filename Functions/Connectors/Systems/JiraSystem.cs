using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Cases.Functions.Connectors.Systems.ExternalSystems;

namespace Cases.Functions.Connectors.Systems;

/// <summary>
/// Jira's REST API v2 as Kibana's .jira connector uses it: basic authentication with email and API token; the case's
/// title is the issue's summary, its tags the labels (no spaces allowed), its fields issue type, priority and parent.
/// </summary>
public sealed partial class JiraSystem : IExternalSystem
{
    public async Task<ExternalIncident> Create(ExternalCall call, PushedCase c, CancellationToken ct)
    {
        Authenticate(call);
        var fields = Fields(c);
        fields["project"] = new JsonObject { ["key"] = call.Setting("projectKey") };
        var answer = await call.Send(HttpMethod.Post, Join(call.Setting("apiUrl"), "/rest/api/2/issue"), new JsonObject { ["fields"] = fields }, "create incident", ct);
        var id = call.Required(answer, "id", "create incident");
        var key = call.Required(answer, "key", "create incident");
        return new ExternalIncident(id, key, Join(call.Setting("apiUrl"), "/browse/" + key));
    }

    public async Task<ExternalIncident> Update(ExternalCall call, PushedCase c, ExternalIncident incident, CancellationToken ct)
    {
        Authenticate(call);
        await call.Send(HttpMethod.Put, Join(call.Setting("apiUrl"), $"/rest/api/2/issue/{Uri.EscapeDataString(incident.Id)}"),
            new JsonObject { ["fields"] = Fields(c) }, "update incident", ct);
        return incident;
    }

    public async Task AddComment(ExternalCall call, PushedCase c, ExternalIncident incident, string comment, CancellationToken ct)
    {
        Authenticate(call);
        await call.Send(HttpMethod.Post, Join(call.Setting("apiUrl"), $"/rest/api/2/issue/{Uri.EscapeDataString(incident.Id)}/comment"),
            new JsonObject { ["body"] = comment }, "create comment", ct);
    }

    static void Authenticate(ExternalCall call) =>
        call.Headers = h => h.Authorization = ExternalCall.Basic(call.Secret("email"), call.Secret("apiToken"));

    static JsonObject Fields(PushedCase c)
    {
        var fields = new JsonObject
        {
            ["summary"] = c.Title,
            ["description"] = c.Description,
            ["labels"] = new JsonArray(c.Tags.Select(t => (JsonNode?)Whitespace().Replace(t.Trim(), "-")).ToArray()),
        };
        if (c.Field("issueType") is { } issueType) fields["issuetype"] = new JsonObject { ["id"] = issueType };
        if (c.Field("priority") is { } priority) fields["priority"] = new JsonObject { ["name"] = priority };
        if (c.Field("parent") is { } parent) fields["parent"] = new JsonObject { ["key"] = parent };
        return fields;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
