using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Connectors;

public sealed class ConnectorsApiTests(ConnectorsFixture app) : IClassFixture<ConnectorsFixture>
{
    static string Api(string space, string path) => CasesAppFixture.Api(space, path);

    [Fact]
    public async Task A_Jira_connector_is_created_read_listed_updated_and_deleted_without_its_secrets_ever_shown()
    {
        var space = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var created = await app.CreateConnector(space, ConnectorsFixture.Jira(jira));
        var id = created["id"]!.GetValue<string>();
        Assert.Equal(".jira", created["connector_type_id"]!.GetValue<string>());
        Assert.Equal("My Jira", created["name"]!.GetValue<string>());
        Assert.Equal(jira.Base, created["config"]!["apiUrl"]!.GetValue<string>());
        Assert.False(created["is_missing_secrets"]!.GetValue<bool>());
        Assert.False(created["is_preconfigured"]!.GetValue<bool>());
        Assert.False(created["is_deprecated"]!.GetValue<bool>());
        Assert.Null(created["secrets"]);

        var read = await (await app.Http.GetAsync(Api(space, $"/actions/connector/{id}"))).Json();
        Assert.True(JsonNode.DeepEquals(created, read));

        var listed = (await (await app.Http.GetAsync(Api(space, "/actions/connectors"))).Json()).AsArray();
        Assert.Equal(id, Assert.Single(listed)!["id"]!.GetValue<string>());
        Assert.Equal(0, listed[0]!["referenced_by_count"]!.GetValue<int>());

        // Kibana's example shape for the cases' own connector listing.
        var forCases = (await (await app.Http.GetAsync(Api(space, "/cases/configure/connectors/_find"))).Json()).AsArray();
        var item = Assert.Single(forCases)!.AsObject();
        Assert.Equal(["id", "actionTypeId", "name", "isMissingSecrets", "config", "isPreconfigured", "isDeprecated", "referencedByCount"], item.Select(p => p.Key));
        Assert.Equal("ES", item["config"]!["projectKey"]!.GetValue<string>());

        var updated = await (await app.Http.PutAsJsonAsync(Api(space, $"/actions/connector/{id}"), new
        {
            name = "Jira (SOC)",
            config = new { apiUrl = jira.Base, projectKey = "SOC" },
            secrets = new { email = "soc@example.com", apiToken = "another-token-77" },
        })).Json();
        Assert.Equal("Jira (SOC)", updated["name"]!.GetValue<string>());
        Assert.Equal("SOC", updated["config"]!["projectKey"]!.GetValue<string>());

        foreach (var text in new[] { created.ToJsonString(), read.ToJsonString(), listed.ToJsonString(), forCases.ToJsonString(), updated.ToJsonString() })
        {
            Assert.DoesNotContain(ConnectorsFixture.JiraToken, text);
            Assert.DoesNotContain("another-token-77", text);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(Api(space, $"/actions/connector/{id}"))).StatusCode);
        await (await app.Http.GetAsync(Api(space, $"/actions/connector/{id}"))).Error(HttpStatusCode.NotFound, $"Saved object [action/{id}] not found");
    }

    [Fact]
    public async Task Secrets_are_stored_encrypted()
    {
        var space = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var id = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira)))["id"]!.GetValue<string>();
        var connectors = await app.App.Services.GetRequiredService<global::Cases.Functions.Storage.CasesTables>().Connectors();
        var row = (await connectors.GetEntityAsync<TableEntity>(space, id)).Value;
        var stored = string.Join(" ", row.Select(p => p.Value?.ToString()));
        Assert.DoesNotContain(ConnectorsFixture.JiraToken, stored);
        Assert.DoesNotContain("analyst@example.com", stored);
        Assert.StartsWith("v1.", row.GetString("Secrets"));
    }

    [Theory]
    [InlineData("{\"connector_type_id\":\".jira\",\"name\":\"j\",\"config\":{\"projectKey\":\"ES\"},\"secrets\":{\"email\":\"a\",\"apiToken\":\"b\"}}", "error validating action type config: [apiUrl]: expected value of type [string] but got [undefined]")]
    [InlineData("{\"connector_type_id\":\".jira\",\"name\":\"j\",\"config\":{\"apiUrl\":\"http://127.0.0.1:1\",\"projectKey\":\"ES\"},\"secrets\":{\"email\":\"a\"}}", "error validating action type secrets: [apiToken]: expected value of type [string] but got [undefined]")]
    [InlineData("{\"connector_type_id\":\".jira\",\"name\":\"j\",\"config\":{\"apiUrl\":\"http://127.0.0.1:1\",\"projectKey\":\"ES\",\"x\":1},\"secrets\":{\"email\":\"a\",\"apiToken\":\"b\"}}", "[x]: definition for this key is missing")]
    [InlineData("{\"connector_type_id\":\".slack\",\"name\":\"j\",\"config\":{},\"secrets\":{}}", "connector type \".slack\" is not supported")]
    [InlineData("{\"connector_type_id\":\".resilient\",\"name\":\"r\",\"config\":{\"apiUrl\":\"http://127.0.0.1:1\"},\"secrets\":{\"apiKeyId\":\"a\",\"apiKeySecret\":\"b\"}}", "[orgId]: expected value of type [string]")]
    [InlineData("{\"connector_type_id\":\".swimlane\",\"name\":\"s\",\"config\":{\"apiUrl\":\"http://127.0.0.1:1\",\"appId\":\"a\",\"connectorType\":\"everything\",\"mappings\":{}},\"secrets\":{\"apiToken\":\"t\"}}", "[connectorType]: expected one of [all, alerts, cases]")]
    [InlineData("{\"connector_type_id\":\".cases-webhook\",\"name\":\"w\",\"config\":{\"createIncidentUrl\":\"http://127.0.0.1:1/i\",\"createIncidentJson\":\"{not json\",\"createIncidentResponseKey\":\"id\",\"getIncidentUrl\":\"http://127.0.0.1:1/i\",\"getIncidentResponseExternalTitleKey\":\"key\",\"viewIncidentUrl\":\"http://127.0.0.1:1/v\",\"updateIncidentUrl\":\"http://127.0.0.1:1/i\",\"updateIncidentJson\":\"{}\",\"hasAuth\":false},\"secrets\":{}}", "[createIncidentJson]: must be valid JSON")]
    [InlineData("{\"connector_type_id\":\".jira\",\"config\":{\"apiUrl\":\"http://127.0.0.1:1\",\"projectKey\":\"ES\"},\"secrets\":{\"email\":\"a\",\"apiToken\":\"b\"}}", "[request body.name]")]
    public async Task Config_and_secrets_are_validated_per_type_as_Kibana_does(string body, string message)
    {
        var response = await app.Http.PostAsync(Api("default", "/actions/connector"), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.Error(HttpStatusCode.BadRequest, message);
    }

    [Theory]
    [InlineData("http://10.0.0.5/jira")]
    [InlineData("http://169.254.169.254/")]
    [InlineData("http://localhost:8080/")]
    [InlineData("http://user:pass@127.0.0.1/")]
    [InlineData("file:///etc/passwd")]
    public async Task A_connector_pointing_at_a_host_not_allowed_is_refused_naming_the_setting(string url)
    {
        var response = await app.Http.PostAsJsonAsync(Api("default", "/actions/connector"), new
        {
            connector_type_id = ".jira",
            name = "internal",
            config = new { apiUrl = url, projectKey = "ES" },
            secrets = new { email = "a@example.com", apiToken = "t" },
        });
        var error = (await response.Json(HttpStatusCode.BadRequest))["message"]!.GetValue<string>();
        Assert.Contains("config.apiUrl", error);
        if (!url.Contains('@') && !url.StartsWith("file")) Assert.Contains("Cases__Connectors__AllowedHosts", error);
    }

    [Fact]
    public async Task A_connector_is_invisible_from_another_space()
    {
        var space = CasesAppFixture.NewSpace();
        var other = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var id = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira)))["id"]!.GetValue<string>();

        await (await app.Http.GetAsync(Api(other, $"/actions/connector/{id}"))).Error(HttpStatusCode.NotFound, "not found");
        Assert.Empty((await (await app.Http.GetAsync(Api(other, "/actions/connectors"))).Json()).AsArray());
        Assert.Empty((await (await app.Http.GetAsync(Api(other, "/cases/configure/connectors/_find"))).Json()).AsArray());
        await (await app.Http.DeleteAsync(Api(other, $"/actions/connector/{id}"))).Error(HttpStatusCode.NotFound, "not found");

        var body = TestCases.NewCaseBody();
        body["connector"] = new JsonObject { ["id"] = id, ["name"] = "My Jira", ["type"] = ".jira", ["fields"] = null };
        await (await app.Http.PostAsJsonAsync(Api(other, "/cases"), body)).Error(HttpStatusCode.BadRequest, "does not exist in this space");
        var otherCase = (await app.CreateCase(other))["id"]!.GetValue<string>();
        await (await app.Http.PostAsync(Api(other, $"/cases/{otherCase}/connector/{id}/_push"), null)).Error(HttpStatusCode.NotFound, $"Saved object [action/{id}] not found");
        Assert.Empty(jira.Requests);

        // Still there in its own space.
        await (await app.Http.GetAsync(Api(space, $"/actions/connector/{id}"))).Json();
    }

    [Fact]
    public async Task A_case_connector_must_exist_be_of_its_type_and_carry_that_types_fields()
    {
        var space = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var id = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira)))["id"]!.GetValue<string>();

        async Task<HttpResponseMessage> Create(JsonObject connector)
        {
            var body = TestCases.NewCaseBody();
            body["connector"] = connector;
            return await app.Http.PostAsJsonAsync(Api(space, "/cases"), body);
        }
        await (await Create(new JsonObject { ["id"] = "nope", ["name"] = "x", ["type"] = ".jira", ["fields"] = null })).Error(HttpStatusCode.BadRequest, "[connector.id]");
        await (await Create(new JsonObject { ["id"] = id, ["name"] = "x", ["type"] = ".servicenow", ["fields"] = null })).Error(HttpStatusCode.BadRequest, "is of type .jira, not .servicenow");
        await (await Create(new JsonObject { ["id"] = id, ["name"] = "x", ["type"] = ".jira", ["fields"] = new JsonObject { ["urgency"] = "1" } })).Error(HttpStatusCode.BadRequest, "invalid keys \"urgency\"");
        await (await Create(new JsonObject { ["id"] = id, ["name"] = "x", ["type"] = ".jira", ["fields"] = new JsonObject { ["issueType"] = 5, ["priority"] = null, ["parent"] = null } })).Error(HttpStatusCode.BadRequest, "connector.fields.issueType");

        var created = await (await Create(new JsonObject { ["id"] = id, ["name"] = "My Jira", ["type"] = ".jira", ["fields"] = new JsonObject { ["issueType"] = "10006", ["priority"] = "High", ["parent"] = null } })).Json();
        Assert.Equal("10006", created["connector"]!["fields"]!["issueType"]!.GetValue<string>());
        Assert.Null(created["connector"]!["fields"]!["parent"]);

        // The same checks guard updates and the case settings' default connector.
        var patch = new JsonObject
        {
            ["cases"] = new JsonArray(new JsonObject
            {
                ["id"] = created["id"]!.GetValue<string>(),
                ["version"] = created["version"]!.GetValue<string>(),
                ["connector"] = new JsonObject { ["id"] = "gone", ["name"] = "x", ["type"] = ".jira", ["fields"] = null },
            })
        };
        await (await app.Http.PatchAsJsonAsync(Api(space, "/cases"), patch)).Error(HttpStatusCode.BadRequest, "[connector.id]");
        await (await app.Http.PostAsJsonAsync(Api(space, "/cases/configure"), new
        {
            owner = "securitySolution",
            closure_type = "close-by-user",
            connector = new { id = "gone", name = "x", type = ".jira", fields = (object?)null },
        })).Error(HttpStatusCode.BadRequest, "[connector.id]");

        var listed = (await (await app.Http.GetAsync(Api(space, "/actions/connectors"))).Json()).AsArray();
        Assert.Equal(1, listed[0]!["referenced_by_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Connector_types_list_the_seven_case_types()
    {
        var types = (await (await app.Http.GetAsync(Api("default", "/actions/connector_types?feature_id=cases"))).Json()).AsArray();
        Assert.Equal([".cases-webhook", ".jira", ".resilient", ".servicenow", ".servicenow-sir", ".swimlane", ".thehive"],
            types.Select(t => t!["id"]!.GetValue<string>()));
        Assert.All(types, t => Assert.True(t!["enabled"]!.GetValue<bool>()));
    }
}
