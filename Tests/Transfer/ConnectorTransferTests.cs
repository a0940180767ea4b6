using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Access;
using Cases.Tests.Attachments;
using Cases.Tests.Connectors;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Transfer;

/// <summary>Connectors (Kibana's <c>action</c> saved objects) travel with the cases that use them, never with their secrets.</summary>
public sealed class ConnectorTransferTests(ConnectorsFixture app) : IClassFixture<ConnectorsFixture>
{
    readonly string space = CasesAppFixture.NewSpace();

    static readonly JsonObject JiraFields = new() { ["issueType"] = "10006", ["priority"] = "High", ["parent"] = null };

    Task<HttpResponseMessage> Push(string inSpace, string caseId, string connectorId) =>
        app.Http.PostAsync(CasesAppFixture.Api(inSpace, $"/cases/{caseId}/connector/{connectorId}/_push"), new StringContent("{}", Encoding.UTF8, "application/json"));

    async Task<JsonObject> Connector(string inSpace, string id) =>
        (await (await app.Http.GetAsync(CasesAppFixture.Api(inSpace, $"/actions/connector/{id}"))).Json()).AsObject();

    async Task<JsonObject> Case(string inSpace, string id) => (await app.Get(inSpace, $"/cases/{id}")).AsObject();

    /// <summary>
    /// Case A was pushed to Jira and its connector later set to none (it keeps external_service); case B uses Jira. A
    /// second connector nobody uses exists too. Returns the Jira connector id and the two case ids.
    /// </summary>
    async Task<(string Jira, string A, string B)> Seed(ExternalSystemServer jira)
    {
        var connector = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira)))["id"]!.GetValue<string>();
        await app.CreateConnector(space, ConnectorsFixture.Jira(jira, "Unused Jira"));
        object UsingJira() => new { connector = new JsonObject { ["id"] = connector, ["name"] = "My Jira", ["type"] = ".jira", ["fields"] = JiraFields.DeepClone() } };
        var a = (await app.CreateCase(space, UsingJira())).Id();
        (await Push(space, a, connector)).EnsureSuccessStatusCode();
        await app.Patch(space, a, new { connector = new { id = "none", name = "none", type = ".none", fields = (object?)null } });
        var b = (await app.CreateCase(space, UsingJira())).Id();
        return (connector, a, b);
    }

    Task<List<JsonObject>> ExportDeep(string a, string b) =>
        app.ExportLines(space, new { objects = new[] { new { type = "cases", id = a }, new { type = "cases", id = b } }, includeReferencesDeep = true });

    [Fact]
    public async Task Export_writes_the_connectors_cases_use_before_them_without_secrets_and_import_asks_for_the_secrets_again()
    {
        await using var jira = await ExternalSystemServer.Start();
        var (connector, a, b) = await Seed(jira);

        var response = await app.Export(space, new { objects = new[] { new { type = "cases", id = a }, new { type = "cases", id = b } }, includeReferencesDeep = true });
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ConnectorsFixture.JiraToken, text);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(ConnectorsFixture.JiraToken));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

        // One action, the used one, before the first case (which refers to it); Kibana's shape, no secrets.
        var action = Assert.Single(lines.OfType("action"));
        Assert.Equal(connector, action["id"]!.GetValue<string>());
        Assert.True(lines.IndexOf(action) < lines.FindIndex(l => l["type"]?.GetValue<string>() == "cases"));
        var attributes = action["attributes"]!.AsObject();
        Assert.Equal(["actionTypeId", "config", "isMissingSecrets", "name"], attributes.Select(p => p.Key).Order());
        Assert.Equal(".jira", attributes["actionTypeId"]!.GetValue<string>());
        Assert.True(attributes["isMissingSecrets"]!.GetValue<bool>());
        Assert.Equal((await Connector(space, connector))["config"]!.ToJsonString(), attributes["config"]!.ToJsonString());
        Assert.Equal(0, lines[^1]["missingRefCount"]!.GetValue<int>());
        Assert.Equal(lines.Count - 1, lines[^1]["exportedCount"]!.GetValue<int>());
        // A (pushed, then set to none) refers to Jira only as the push connector.
        Assert.Equal("""[{"id":"%","name":"pushConnectorId","type":"action"}]""".Replace("%", connector),
            lines.OfType("cases").Single(l => l["id"]!.GetValue<string>() == a)["references"]!.ToJsonString());

        // Into another space: the connector exists there, without secrets, and the import says so.
        var target = CasesAppFixture.NewSpace();
        var result = await app.ImportOk(target, TransferClient.Ndjson(lines));
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Contains(result["successResults"]!.AsArray(), r => r!["type"]!.GetValue<string>() == "action" && r["id"]!.GetValue<string>() == connector);
        Assert.Equal("action_required", result["warnings"]![0]!["type"]!.GetValue<string>());
        var imported = await Connector(target, connector);
        Assert.True(imported["is_missing_secrets"]!.GetValue<bool>());
        Assert.Equal(attributes["config"]!.ToJsonString(), imported["config"]!.ToJsonString());
        Assert.Equal(connector, (await Case(target, a))["external_service"]!["connector_id"]!.GetValue<string>());
        Assert.Equal("none", (await Case(target, a))["connector"]!["id"]!.GetValue<string>());
        Assert.Equal(connector, (await Case(target, b))["connector"]!["id"]!.GetValue<string>());

        // A push needs the secrets: refused naming the connector until a user enters them, then it goes through.
        await (await Push(target, b, connector)).Error(HttpStatusCode.BadRequest, $"The connector {connector} is missing its secrets");
        Assert.Empty(jira.Where("POST", "/rest/api/2/issue").Skip(1));
        var update = await app.Http.PutAsJsonAsync(CasesAppFixture.Api(target, $"/actions/connector/{connector}"), new
        {
            name = "My Jira",
            config = new { apiUrl = jira.Base, projectKey = "ES" },
            secrets = new { email = "analyst@example.com", apiToken = ConnectorsFixture.JiraToken },
        });
        Assert.False((await update.Json())["is_missing_secrets"]!.GetValue<bool>());
        (await Push(target, b, connector)).EnsureSuccessStatusCode();
        Assert.Equal(2, jira.Where("POST", "/rest/api/2/issue").Count());

        // Again: without overwrite the connector is a conflict; with it, it is replaced and its secrets are dropped (as in Kibana).
        Assert.Contains(("action", connector, "conflict"), TransferClient.Errors(await app.ImportOk(target, TransferClient.Ndjson(lines))));
        var again = await app.ImportOk(target, TransferClient.Ndjson(lines), "?overwrite=true");
        Assert.True(again["success"]!.GetValue<bool>(), again.ToJsonString());
        Assert.Contains(again["successResults"]!.AsArray(), r => r!["type"]!.GetValue<string>() == "action" && r["overwrite"]?.GetValue<bool>() == true);
        Assert.True((await Connector(target, connector))["is_missing_secrets"]!.GetValue<bool>());
        // The original keeps its secrets.
        Assert.False((await Connector(space, connector))["is_missing_secrets"]!.GetValue<bool>());
    }

    [Fact]
    public async Task New_copies_give_connectors_new_ids_and_the_cases_and_user_actions_follow()
    {
        await using var jira = await ExternalSystemServer.Start();
        var (connector, a, b) = await Seed(jira);
        var lines = await ExportDeep(a, b);

        var result = await app.ImportOk(space, TransferClient.Ndjson(lines), "?createNewCopies=true");
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());
        string NewId(string type, string id) => result["successResults"]!.AsArray()
            .Single(r => r!["type"]!.GetValue<string>() == type && r["id"]!.GetValue<string>() == id)!["destinationId"]!.GetValue<string>();
        var copy = NewId("action", connector);
        Assert.NotEqual(connector, copy);
        Assert.True((await Connector(space, copy))["is_missing_secrets"]!.GetValue<bool>());
        Assert.False((await Connector(space, connector))["is_missing_secrets"]!.GetValue<bool>());

        Assert.Equal(copy, (await Case(space, NewId("cases", a)))["external_service"]!["connector_id"]!.GetValue<string>());
        var newB = NewId("cases", b);
        Assert.Equal(copy, (await Case(space, newB))["connector"]!["id"]!.GetValue<string>());
        var created = (await app.Get(space, $"/cases/{newB}/user_actions/_find?types=create_case"))["userActions"]![0]!;
        Assert.Equal(copy, created["payload"]!["connector"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_case_whose_connector_is_neither_in_the_file_nor_in_the_space_keeps_the_id_with_a_warning_and_bad_connectors_are_refused_alone()
    {
        await using var jira = await ExternalSystemServer.Start();
        var (connector, _, b) = await Seed(jira);
        // Without references (as Kibana without includeReferencesDeep) the file holds no connector.
        var lines = await app.ExportLines(space, new { objects = new[] { new { type = "cases", id = b } } });
        Assert.Empty(lines.OfType("action"));

        // Two connectors this deployment cannot take: a type cases do not push to, and a host not allowed.
        var slack = JsonNode.Parse("""{"id":"slack-1","type":"action","attributes":{"actionTypeId":".slack","name":"Slack","config":{},"isMissingSecrets":true},"references":[]}""")!.AsObject();
        var elsewhere = JsonNode.Parse("""{"id":"jira-far","type":"action","attributes":{"actionTypeId":".jira","name":"Far","config":{"apiUrl":"https://jira.elsewhere.test","projectKey":"X"},"isMissingSecrets":true},"references":[]}""")!.AsObject();
        var target = CasesAppFixture.NewSpace();
        var result = await app.ImportOk(target, TransferClient.Ndjson([slack, elsewhere, .. lines]));

        var errors = result["errors"]!.AsArray();
        Assert.Equal(["jira-far", "slack-1"], errors.Select(e => e!["id"]!.GetValue<string>()).Order());
        Assert.Equal("unsupported_type", errors.Single(e => e!["id"]!.GetValue<string>() == "slack-1")!["error"]!["type"]!.GetValue<string>());
        Assert.Contains(".slack", errors.Single(e => e!["id"]!.GetValue<string>() == "slack-1")!["error"]!["message"]!.GetValue<string>());
        Assert.Contains("jira.elsewhere.test", errors.Single(e => e!["id"]!.GetValue<string>() == "jira-far")!["error"]!["message"]!.GetValue<string>());
        Assert.Equal(lines.Count - 1, result["successCount"]!.GetValue<int>());

        // The case is imported with its connector id (Kibana does not check connector references), and the import says so.
        Assert.Equal(connector, (await Case(target, b))["connector"]!["id"]!.GetValue<string>());
        var warning = Assert.Single(result["warnings"]!.AsArray());
        Assert.Equal("simple", warning!["type"]!.GetValue<string>());
        Assert.Contains(connector, warning["message"]!.GetValue<string>());
        await (await Push(target, b, connector)).Error(HttpStatusCode.NotFound, connector);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync(CasesAppFixture.Api(target, "/actions/connector/slack-1"))).StatusCode);
    }

    [Fact]
    public async Task A_caller_who_may_create_cases_but_not_connectors_imports_the_cases_and_not_the_connector()
    {
        await using var jira = await ExternalSystemServer.Start();
        var (connector, a, b) = await Seed(jira);
        var lines = await ExportDeep(a, b);
        var target = CasesAppFixture.NewSpace();
        var form = new MultipartFormDataContent { { new StringContent(TransferClient.Ndjson(lines)), "file", "export.ndjson" } };
        var request = new HttpRequestMessage(HttpMethod.Post, CasesAppFixture.Api(target, "/saved_objects/_import")) { Content = form }
            .As(Principals.Of("creator@contoso.com", ConnectorsFixture.CreatorRole));
        var result = (await (await app.Http.SendAsync(request)).Json()).AsObject();

        Assert.True(result["errors"]!.AsArray().Count == 1, result.ToJsonString());
        var error = result["errors"]![0]!;
        Assert.Equal(("action", connector), (error["type"]!.GetValue<string>(), error["id"]!.GetValue<string>()));
        Assert.Equal(403, error["error"]!["statusCode"]!.GetValue<int>());
        Assert.Contains("settings privilege", error["error"]!["message"]!.GetValue<string>());
        Assert.Equal(lines.Count - 2, result["successCount"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync(CasesAppFixture.Api(target, $"/actions/connector/{connector}"))).StatusCode);
    }
}
