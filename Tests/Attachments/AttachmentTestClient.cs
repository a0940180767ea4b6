using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Attachments;

/// <summary>Requests the attachment tests send over and over.</summary>
public static class AttachmentTestClient
{
    public static JsonObject UserComment(string text, string owner = "securitySolution") =>
        new() { ["type"] = "user", ["comment"] = text, ["owner"] = owner };

    /// <summary>Alerts as Kibana takes them: ids and indices in arrays of the same length.</summary>
    public static JsonObject Alerts(IEnumerable<string> ids, string index = ".alerts-security.alerts-default", JsonArray? ecs = null)
    {
        var list = ids.ToList();
        var body = new JsonObject
        {
            ["type"] = "alert",
            ["alertId"] = new JsonArray(list.Select(i => (JsonNode?)i).ToArray()),
            ["index"] = new JsonArray(list.Select(_ => (JsonNode?)index).ToArray()),
            ["rule"] = new JsonObject { ["id"] = "rule-1", ["name"] = "Brute force" },
            ["owner"] = "securitySolution",
        };
        if (ecs is not null) body["ecs"] = ecs;
        return body;
    }

    public static Task<HttpResponseMessage> Attach(this CasesAppFixture app, string space, string caseId, JsonObject body) =>
        app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/comments"), body);

    public static async Task<JsonNode> AttachOk(this CasesAppFixture app, string space, string caseId, JsonObject body) =>
        await (await app.Attach(space, caseId, body)).Json();

    public static async Task<JsonNode> Get(this CasesAppFixture app, string space, string path) =>
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, path))).Json();

    public static async Task<JsonNode> Patch(this CasesAppFixture app, string space, string caseId, object change)
    {
        var c = await app.Get(space, $"/cases/{caseId}");
        var item = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(change))!.AsObject();
        item["id"] = caseId;
        item["version"] = c["version"]!.GetValue<string>();
        return (await (await app.Http.PatchAsJsonAsync(CasesAppFixture.Api(space, "/cases"), new JsonObject { ["cases"] = new JsonArray(item) })).Json())[0]!;
    }

    public static string Id(this JsonNode node) => node["id"]!.GetValue<string>();
}
