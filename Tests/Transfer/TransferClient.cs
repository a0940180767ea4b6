using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Transfer;

/// <summary>Export and import over HTTP, as a Kibana client or curl does them.</summary>
public static class TransferClient
{
    public static Task<HttpResponseMessage> Export(this CasesAppFixture app, string space, object body) =>
        app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/saved_objects/_export"), body);

    /// <summary>The lines of a successful export, parsed.</summary>
    public static async Task<List<JsonObject>> ExportLines(this CasesAppFixture app, string space, object body)
    {
        var response = await app.Export(space, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"export failed: {(int)response.StatusCode} {text}");
        Assert.Equal("application/ndjson", response.Content.Headers.ContentType?.MediaType);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    public static Task<HttpResponseMessage> Import(this CasesAppFixture app, string space, string ndjson, string query = "", string fileName = "export.ndjson") =>
        app.Import(space, new ByteArrayContent(Encoding.UTF8.GetBytes(ndjson)), query, fileName);

    public static Task<HttpResponseMessage> Import(this CasesAppFixture app, string space, HttpContent file, string query = "", string fileName = "export.ndjson")
    {
        file.Headers.ContentType = new MediaTypeHeaderValue("application/ndjson");
        var form = new MultipartFormDataContent { { file, "file", fileName } };
        return app.Http.PostAsync(CasesAppFixture.Api(space, "/saved_objects/_import") + query, form);
    }

    public static async Task<JsonObject> ImportOk(this CasesAppFixture app, string space, string ndjson, string query = "") =>
        (await (await app.Import(space, ndjson, query)).Json()).AsObject();

    public static string Ndjson(IEnumerable<JsonObject> lines) => string.Join('\n', lines.Select(l => l.ToJsonString())) + "\n";

    public static IEnumerable<JsonObject> OfType(this IEnumerable<JsonObject> lines, string type) =>
        lines.Where(l => l["type"]?.GetValue<string>() == type);

    /// <summary>Error entries of an import result as (type, id, error.type).</summary>
    public static List<(string Type, string Id, string Error)> Errors(JsonObject result) =>
        result["errors"]!.AsArray().Select(e => (e!["type"]!.GetValue<string>(), e["id"]!.GetValue<string>(), e["error"]!["type"]!.GetValue<string>())).ToList();
}
