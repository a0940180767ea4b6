using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Cases.Functions.Files;
using Cases.Functions.Find;
using Cases.Functions.Numbering;
using Cases.Functions.Storage;
using Cases.Tests.Attachments;
using Cases.Tests.Files;
using Cases.Tests.Infrastructure;
using Cases.Tests.Settings;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Guarantees;

/// <summary>
/// Every route of the app's own route table, with every method, sent from another space for the objects of this one:
/// 404, or an answer that shows nothing of this space; and afterwards this space's rows and blobs are exactly as they
/// were. A route added later is covered without touching this test; one it cannot call meaningfully (a write whose
/// body it does not know answering 400) fails it until a body is added to <see cref="Bodies"/>.
/// </summary>
/// <summary>The app with loopback hosts allowed, so this space can hold a connector and a webhook of its own.</summary>
public sealed class ForeignSpaceFixture : CasesAppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Connectors:AllowedHosts", "127.0.0.1")];
}

public sealed partial class ForeignSpaceTests(ForeignSpaceFixture app) : IClassFixture<ForeignSpaceFixture>
{
    /// <summary>Only in this space's content, never in a request: a response that holds it leaks.</summary>
    readonly string marker = "mark" + Guid.NewGuid().ToString("N")[..12];
    readonly string mine = CasesAppFixture.NewSpace();
    readonly Dictionary<string, string> ids = [];

    async Task Populate()
    {
        var settings = SettingsClient.Body(customFields: [SettingsClient.Field("f" + marker, "text")]);
        settings["observableTypes"] = new JsonArray(new JsonObject { ["key"] = "type-" + marker, ["label"] = "Label " + marker });
        var configuration = await app.Configure(mine, settings);
        ids["configurationId"] = configuration["id"]!.GetValue<string>();
        ids["configurationVersion"] = configuration["version"]!.GetValue<string>();

        var c = await app.CreateCase(mine, new { title = "Title " + marker, tags = new[] { marker }, category = marker, description = "About " + marker });
        ids["caseId"] = c.Id();
        ids["caseVersion"] = c["version"]!.GetValue<string>();
        var comment = (await app.AttachOk(mine, c.Id(), AttachmentTestClient.UserComment("Comment " + marker)))["comments"]![0]!;
        ids["commentId"] = comment.Id();
        ids["commentVersion"] = comment["version"]!.GetValue<string>();
        ids["alertId"] = "alert-" + Guid.NewGuid().ToString("N");
        await app.AttachOk(mine, c.Id(), AttachmentTestClient.Alerts([ids["alertId"]]));
        var observables = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(mine, $"/cases/{c.Id()}/observables"), new JsonObject
        {
            ["observable"] = new JsonObject { ["typeKey"] = "observable-type-ipv4", ["value"] = "10.9.9.9", ["description"] = "Seen " + marker },
        })).Json();
        ids["observableId"] = observables["observables"]![0]!.Id();
        var file = await app.UploadRaw(mine, c.Id(), marker + ".txt", "text/plain", Encoding.UTF8.GetBytes("Content " + marker)).Uploaded();
        ids["fileId"] = file["id"]!.GetValue<string>();
        ids["hash"] = file["hash"]!["sha256"]!.GetValue<string>();
        await ActivatorUtilities.CreateInstance<CaseNumberer>(app.App.Services).Run(default);
        ids["number"] = (await app.Get(mine, $"/cases/{c.Id()}"))["incremental_id"]!.GetValue<long>().ToString();
        var connector = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(mine, "/actions/connector"), Connector("Jira " + marker))).Json();
        ids["connectorId"] = ids["id"] = connector["id"]!.GetValue<string>();
        var webhook = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(mine, "/cases/webhooks"),
            new { url = "http://127.0.0.1:9/" + marker, secret = "s3cret-" + marker, events = "*" })).Json();
        ids["webhookId"] = webhook["id"]!.GetValue<string>();
    }

    /// <summary>Query strings per "METHOD route", naming this space's objects.</summary>
    Dictionary<string, string> Queries => new()
    {
        ["DELETE api/cases"] = $"?ids={ids["caseId"]}",
        ["DELETE api/cases/{caseId}/files"] = $"?ids={ids["fileId"]}",
        ["GET api/cases/files/_find"] = $"?hash={ids["hash"]}",
        ["GET api/cases/files/_cases"] = $"?hash={ids["hash"]}",
        ["POST api/cases/{caseId}/files"] = "?filename=foreign.txt",
        ["GET api/cases/_find"] = $"?search={marker}",
        ["GET api/cases/metrics"] = "?features=status&features=mttr",
        ["GET api/cases/metrics/{caseId}"] = "?features=lifespan&features=alerts.count&features=connectors",
        ["GET api/cases/{caseId}/attachments/_search"] = $"?search={marker}",
    };

    static object Connector(string name) => new
    {
        connector_type_id = ".jira",
        name,
        config = new { apiUrl = "http://127.0.0.1:9", projectKey = "ES" },
        secrets = new { email = "analyst@example.com", apiToken = "token" },
    };

    /// <summary>Request bodies per "METHOD route" that would be valid in this space; without one a write sends {}.</summary>
    Dictionary<string, HttpContent> Bodies => new()
    {
        ["POST api/actions/connector"] = JsonContent.Create(Connector("foreign")),
        ["POST api/actions/connector/{id}"] = JsonContent.Create(Connector("foreign")),
        ["PUT api/actions/connector/{id}"] = JsonContent.Create(new { name = "hijacked", config = new { apiUrl = "http://127.0.0.1:9", projectKey = "ES" }, secrets = new { email = "a@example.com", apiToken = "t" } }),
        ["POST api/cases/webhooks"] = JsonContent.Create(new { url = "http://127.0.0.1:9/foreign", secret = "foreign-secret-0123456789", events = "*" }),
        ["POST internal/cases/_suggest_user_profiles"] = JsonContent.Create(new { name = "a" }),
        ["POST internal/security/user_profile/_bulk_get"] = JsonContent.Create(new { uids = new[] { "u_nobody" } }),
        ["POST api/saved_objects/_export"] = JsonContent.Create(new { type = new[] { "cases" } }),
        ["POST api/saved_objects/_import"] = new MultipartFormDataContent { { new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/ndjson") } }, "file", "empty.ndjson" } },
        ["POST api/cases"] = JsonContent.Create(TestCases.NewCaseBody()),
        ["PATCH api/cases"] = JsonContent.Create(new { cases = new[] { new { id = ids["caseId"], version = ids["caseVersion"], title = "hijacked" } } }),
        ["POST api/cases/_bulk_get"] = JsonContent.Create(new { ids = new[] { ids["caseId"] } }),
        ["POST api/cases/{caseId}/comments"] = JsonContent.Create(AttachmentTestClient.UserComment("hijacked")),
        ["PATCH api/cases/{caseId}/comments"] = JsonContent.Create(new JsonObject
        {
            ["id"] = ids["commentId"],
            ["version"] = ids["commentVersion"],
            ["type"] = "user",
            ["comment"] = "hijacked",
            ["owner"] = "securitySolution",
        }),
        ["POST api/cases/{caseId}/observables"] = JsonContent.Create(new JsonObject
        {
            ["observable"] = new JsonObject { ["typeKey"] = "observable-type-ipv4", ["value"] = "10.6.6.6" },
        }),
        ["PATCH api/cases/{caseId}/observables/{observableId}"] = JsonContent.Create(new JsonObject
        {
            ["observable"] = new JsonObject { ["value"] = "10.6.6.6", ["description"] = "hijacked" },
        }),
        ["POST api/cases/configure"] = JsonContent.Create(SettingsClient.Body()),
        ["PATCH api/cases/configure/{configurationId}"] = JsonContent.Create(new JsonObject { ["version"] = ids["configurationVersion"], ["closure_type"] = "close-by-pushing" }),
        ["POST api/cases/{caseId}/files"] = new ByteArrayContent("hijacked"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } },
    };

    /// <summary>Every route that exists in every space, by its default-space form ("api/..."), with its methods.</summary>
    List<(string Route, string Method)> SpaceRoutes()
    {
        var endpoints = ((IEndpointRouteBuilder)app.App).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        var routes = endpoints.Select(e => (Route: Parameter().Replace(e.RoutePattern.RawText!.Trim('/'), "{$1}"),
            Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])).ToList();
        var spaced = routes.Where(r => r.Route.StartsWith("s/{spaceId}/")).ToList();
        Assert.True(spaced.Count > 30, $"only {spaced.Count} space routes found");
        return spaced.SelectMany(r => r.Methods.Select(m => (Route: r.Route["s/{spaceId}/".Length..], Method: m))).Distinct().ToList();
    }

    [GeneratedRegex(@"\{(\w+)(?::[^}]*)?\}")]
    private static partial Regex Parameter();

    /// <summary>Every row of every table in this space's partition, with its ETag, and every blob of it (files, view snapshots) with its ETag.</summary>
    async Task<List<string>> Snapshot()
    {
        var tables = app.App.Services.GetRequiredService<CasesTables>();
        var state = new List<string>();
        foreach (var table in new[] { tables.Cases(), tables.Numbering(), tables.Views(), tables.AlertSync(), tables.PendingBlobs() })
        {
            var client = await table;
            await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {mine}"), select: ["RowKey"]))
                state.Add($"{client.Name}/{row.RowKey}/{row.ETag}");
        }
        foreach (var name in new[] { app.App.Services.GetRequiredService<FileBlobs>().ContainerName, app.App.Services.GetRequiredService<ViewSnapshots>().ContainerName })
        {
            var container = app.App.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(name);
            if (!await container.ExistsAsync()) continue;
            await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.Uncommitted, mine + "/", default))
                state.Add($"blob/{name}/{blob.Name}/{blob.Properties.ETag}");
        }
        return [.. state.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task No_route_reads_or_changes_anything_of_another_space()
    {
        await Populate();
        var before = await Snapshot();
        Assert.Contains(before, s => s.StartsWith("blob/"));
        var failures = new List<string>();

        // Named spaces: each request from a space of its own, never written before. Then the default space (/api/...),
        // reads first, so a write there (a create) cannot make a later read's answer non-empty.
        var routes = SpaceRoutes();
        foreach (var (route, method) in routes)
            await Check(CasesAppFixture.NewSpace(), route, method, failures);
        foreach (var (route, method) in routes.OrderBy(r => r.Method == "GET" ? 0 : 1))
            await Check("default", route, method, failures);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await Snapshot());
    }

    async Task Check(string foreign, string route, string method, List<string> failures)
    {
        var key = $"{method} {route}";
        // Creating a connector with a chosen id names a new object of the foreign space: a fresh id, so later requests
        // of the same space do not meet it.
        var fresh = key == "POST api/actions/connector/{id}" ? new Dictionary<string, string>(ids) { ["id"] = "new-" + Guid.NewGuid().ToString("N")[..8] } : ids;
        var path = Parameter().Replace(route, m => fresh.TryGetValue(m.Groups[1].Value, out var id) ? Uri.EscapeDataString(id) : throw new InvalidOperationException($"No id for {{{m.Groups[1].Value}}} in {key}"));
        path = (foreign == "default" ? "/" : $"/s/{foreign}/") + path + Queries.GetValueOrDefault(key, "");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH" or "PUT") request.Content = Bodies.GetValueOrDefault(key) ?? JsonContent.Create(new { });
        using var response = await app.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        // An alert id is not an object of a space: asked for by it, another space answers with its own (no) cases.
        var namesMyObject = (Parameter().Matches(route).Any(m => m.Groups[1].Value != "alertId") || key is "PATCH api/cases" or "DELETE api/cases")
            && key != "POST api/actions/connector/{id}"; // connector ids are per space: this creates one in the foreign space
        if (text.Contains(marker, StringComparison.Ordinal))
            failures.Add($"{key} from {foreign}: {status} shows this space's content: {text[..Math.Min(300, text.Length)]}");
        else if (namesMyObject && status != 404)
            failures.Add($"{key} from {foreign}: {status}, expected 404: {text[..Math.Min(300, text.Length)]}");
        else if (!namesMyObject && status is not (200 or 204))
            failures.Add($"{key} from {foreign}: {status} (give it a valid body or query in Bodies/Queries): {text[..Math.Min(300, text.Length)]}");
        else if (!namesMyObject && method == "GET" && NonZeroCount(JsonNode.Parse(text)) is { } count)
            failures.Add($"{key} from {foreign}: counts {count} in a space with nothing: {text[..Math.Min(300, text.Length)]}");
    }

    /// <summary>A count in an answer about an empty space that is not 0 (paging fields aside): something of another space was counted.</summary>
    static string? NonZeroCount(JsonNode? node, string name = "") => node switch
    {
        JsonObject o => o.Select(p => NonZeroCount(p.Value, p.Key)).FirstOrDefault(c => c is not null),
        JsonArray a => a.Select(x => NonZeroCount(x, name)).FirstOrDefault(c => c is not null),
        JsonValue v when v.TryGetValue<double>(out var n) && n != 0 && name is not ("page" or "perPage" or "per_page") => $"{name}={n}",
        _ => null,
    };
}
