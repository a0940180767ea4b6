using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Settings;

/// <summary>Helpers for the settings routes: a valid create body, and calls that expect success.</summary>
public static class SettingsClient
{
    public static JsonObject NoneConnector() => new() { ["id"] = "none", ["name"] = "none", ["type"] = ".none", ["fields"] = null };

    public static JsonObject Body(string owner = "securitySolution", JsonArray? customFields = null, JsonArray? templates = null) => new()
    {
        ["owner"] = owner,
        ["closure_type"] = "close-by-user",
        ["connector"] = NoneConnector(),
        ["customFields"] = customFields ?? [],
        ["templates"] = templates ?? [],
    };

    public static JsonObject Field(string key, string type, bool required = false, JsonNode? defaultValue = null)
    {
        var field = new JsonObject { ["key"] = key, ["label"] = $"Label of {key}", ["type"] = type, ["required"] = required };
        if (defaultValue is not null) field["defaultValue"] = defaultValue;
        return field;
    }

    public static async Task<JsonObject> Configure(this CasesAppFixture app, string space, JsonObject body) =>
        (await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/cases/configure"), body)).Json()).AsObject();

    public static Task<HttpResponseMessage> PatchSettings(this CasesAppFixture app, string space, string id, JsonObject body) =>
        app.Http.PatchAsJsonAsync(CasesAppFixture.Api(space, $"/cases/configure/{id}"), body);

    public static async Task<JsonArray> GetSettings(this CasesAppFixture app, string space, string query = "") =>
        (await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/configure" + query))).Json()).AsArray();

    public static Task<HttpResponseMessage> PostCase(this CasesAppFixture app, string space, JsonObject body) =>
        app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/cases"), body);

    public static Task<HttpResponseMessage> PatchCase(this CasesAppFixture app, string space, JsonObject c, JsonObject changes)
    {
        changes["id"] = c["id"]!.GetValue<string>();
        changes["version"] = c["version"]!.GetValue<string>();
        return app.Http.PatchAsJsonAsync(CasesAppFixture.Api(space, "/cases"), new JsonObject { ["cases"] = new JsonArray(changes) });
    }

    /// <summary>A case's custom fields as key → value JSON, for compact assertions.</summary>
    public static Dictionary<string, string> Values(JsonNode c) => c["customFields"]!.AsArray()
        .ToDictionary(f => f!["key"]!.GetValue<string>(), f => f!["value"]?.ToJsonString() ?? "null");
}
