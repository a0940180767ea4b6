using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using Json.Schema;

namespace Cases.Tests.Connectors;

/// <summary>
/// Kibana's example requests for the push, the cases' connector listing and the connectors API, answered with bodies
/// valid against Kibana's response schemas: <c>Kibana/cases-schemas.json</c> (extracted from Kibana's Cases OpenAPI
/// file by <c>extract_schemas.py</c>) and <c>Kibana/connectors-schemas.json</c> (transcribed from its Connectors
/// OpenAPI components). The first test shows the validator accepts Kibana's own example answers and refuses a wrong one.
/// </summary>
public sealed class KibanaContractTests(ConnectorsFixture app) : IClassFixture<ConnectorsFixture>
{
    static readonly Lazy<JsonObject> CasesSchemas = new(() => Load("cases-schemas.json"));
    static readonly Lazy<JsonObject> ConnectorsSchemas = new(() => Load("connectors-schemas.json"));

    static JsonObject Load(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoFiles.Root, "Tests", "Connectors", "Kibana", file)))!.AsObject();

    /// <summary>What in <paramref name="body"/> breaks the schema <paramref name="definition"/> (empty when it is valid).</summary>
    static List<string> Problems(JsonObject document, string definition, JsonNode? body)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = document["$defs"]!.DeepClone(),
            ["$ref"] = "#/$defs/" + definition,
        };
        var schema = JsonSchema.FromText(root.ToJsonString(), new BuildOptions(), new Uri($"https://kibana.test/{Guid.NewGuid():N}"));
        using var instance = JsonDocument.Parse(body?.ToJsonString() ?? "null");
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")).DefaultIfEmpty("invalid").ToList();
    }

    static void AssertValid(JsonObject document, string definition, JsonNode? body)
    {
        var problems = Problems(document, definition, body);
        Assert.True(problems.Count == 0, $"Not a valid {definition}:\n{string.Join("\n", problems.Take(20))}\n{body?.ToJsonString()}");
    }

    [Fact]
    public void The_schemas_accept_Kibanas_example_answers_and_refuse_a_broken_one()
    {
        var push = JsonNode.Parse("""
            {"id":"b917f300-0ed9-11ed-bd18-65557fe66949","version":"WzE3NjgsM10=","comments":[],"totalComment":0,"totalAlerts":0,
             "description":"A case description.","title":"Case title 1","tags":["tag 1"],"settings":{"syncAlerts":true},"owner":"cases",
             "duration":null,"severity":"low","closed_at":null,"closed_by":null,"created_at":"2022-07-29T00:59:39.444Z",
             "created_by":{"username":"elastic","email":null,"full_name":null},"status":"open","updated_at":"2022-07-29T01:20:58.436Z",
             "updated_by":{"username":"elastic","full_name":null,"email":null},
             "connector":{"id":"09f8c0b0-0eda-11ed-bd18-65557fe66949","name":"My connector","type":".jira","fields":{"issueType":"10006","parent":null,"priority":"Low"}},
             "external_service":{"pushed_at":"2022-07-29T01:20:58.436Z","pushed_by":{"username":"elastic","full_name":null,"email":null},
               "connector_name":"My connector","external_id":"71926","external_title":"ES-554","external_url":"https://cases.jira.com",
               "connector_id":"09f8c0b0-0eda-11ed-bd18-65557fe66949"}}
            """)!;
        AssertValid(CasesSchemas.Value, "push_case_response", push);
        var found = JsonNode.Parse("""
            [{"id":"61787f53-4eee-4741-8df6-8fe84fa616f7","actionTypeId":".jira","name":"my-Jira","isMissingSecrets":false,
              "config":{"apiUrl":"https://elastic.atlassian.net/","projectKey":"ES"},"isPreconfigured":false,"isDeprecated":false,"referencedByCount":0}]
            """)!;
        AssertValid(CasesSchemas.Value, "find_case_connectors_response", found);
        var connector = JsonNode.Parse("""
            {"id":"df770e30-8b8b-11ed-a780-3b746c987a81","name":"my-jira","config":{"apiUrl":"https://elastic.atlassian.net/","projectKey":"ES"},
             "connector_type_id":".jira","is_preconfigured":false,"is_deprecated":false,"is_missing_secrets":false,"is_system_action":false}
            """)!;
        AssertValid(ConnectorsSchemas.Value, "connector_response_properties", connector);

        var broken = push.DeepClone();
        broken["status"] = "pending";
        broken["connector"]!["type"] = ".thehive";
        broken.AsObject().Remove("version");
        Assert.True(Problems(CasesSchemas.Value, "push_case_response", broken).Count >= 3);
        var noConfig = connector.DeepClone();
        noConfig.AsObject().Remove("config");
        Assert.NotEmpty(Problems(ConnectorsSchemas.Value, "connector_response_properties", noConfig));
    }

    [Fact]
    public async Task Kibanas_push_example_answers_a_case_valid_against_Kibanas_schema()
    {
        await using var jira = await ExternalSystemServer.Start();
        var connector = await app.CreateConnector("default", ConnectorsFixture.Jira(jira, "My connector"));
        AssertValid(ConnectorsSchemas.Value, "connector_response_properties", connector);
        var id = connector["id"]!.GetValue<string>();
        var theCase = await app.CreateCase("default", new
        {
            connector = new JsonObject { ["id"] = id, ["name"] = "My connector", ["type"] = ".jira", ["fields"] = new JsonObject { ["issueType"] = "10006", ["parent"] = null, ["priority"] = "Low" } },
        });
        var caseId = theCase["id"]!.GetValue<string>();
        await app.Http.PostAsJsonAsync($"/api/cases/{caseId}/comments", new { type = "user", comment = "A comment.", owner = theCase["owner"]!.GetValue<string>() });

        // Kibana's example: POST /api/cases/{caseId}/connector/{connectorId}/_push with no body (its schema: an object or null).
        var pushed = await (await app.Http.PostAsync($"/api/cases/{caseId}/connector/{id}/_push", null)).Json();
        AssertValid(CasesSchemas.Value, "push_case_response", pushed);
        Assert.Equal(id, pushed["external_service"]!["connector_id"]!.GetValue<string>());
        var again = await (await app.Http.PostAsync($"/api/cases/{caseId}/connector/{id}/_push", new StringContent("{}", Encoding.UTF8, "application/json"))).Json();
        AssertValid(CasesSchemas.Value, "push_case_response", again);

        // Its failures have Kibana's error body.
        var missing = await app.Http.PostAsync($"/api/cases/{caseId}/connector/no-such-connector/_push", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertValid(CasesSchemas.Value, "error_response", await missing.Json(HttpStatusCode.NotFound));
        jira.Fault = _ => ExternalSystemServer.Answer(HttpStatusCode.Unauthorized);
        var refused = await app.Http.PostAsync($"/api/cases/{caseId}/connector/{id}/_push", null);
        AssertValid(CasesSchemas.Value, "error_response", await refused.Json((HttpStatusCode)424));
    }

    [Fact]
    public async Task Kibanas_find_connectors_example_lists_every_case_connector_valid_against_Kibanas_schema()
    {
        var space = CasesAppFixture.NewSpace();
        await using var server = await ExternalSystemServer.Start();
        await app.CreateConnector(space, ConnectorsFixture.Jira(server, "my-Jira"));
        // Every type the schema's connector_types lists (TheHive came after this version of the spec).
        foreach (var system in new[] { "servicenow-import-set", "servicenow-sir-table-api", "resilient", "swimlane", "cases-webhook" })
            AssertValid(ConnectorsSchemas.Value, "connector_response_properties", await app.CreateConnector(space, SystemSpec.For(system, server.Base).Connector));

        var found = await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/configure/connectors/_find"))).Json();
        Assert.Equal(6, found.AsArray().Count);
        AssertValid(CasesSchemas.Value, "find_case_connectors_response", found);
    }

    [Fact]
    public async Task The_connectors_API_answers_Kibanas_example_requests_with_bodies_valid_against_Kibanas_schemas()
    {
        var space = CasesAppFixture.NewSpace();
        await using var server = await ExternalSystemServer.Start();
        // Kibana's create examples are for types cases do not use (index, email, webhook, xMatters): refused with its error body.
        var index = await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/actions/connector"), JsonNode.Parse("""
            {"name":"my-connector","connector_type_id":".index","config":{"index":"test-index"}}
            """));
        AssertValid(ConnectorsSchemas.Value, "error_response", await index.Json(HttpStatusCode.BadRequest));

        // The same requests for a case type: create (also with an id), get, list, update, delete.
        var created = await app.CreateConnector(space, ConnectorsFixture.Jira(server, "my-connector"));
        AssertValid(ConnectorsSchemas.Value, "connector_response_properties", created);
        var id = created["id"]!.GetValue<string>();
        var withId = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/actions/connector/ac4e6b90-6be7-11eb-ba0d-9b1c1f912d74"), ConnectorsFixture.Jira(server))).Json();
        AssertValid(ConnectorsSchemas.Value, "connector_response_properties", withId);
        AssertValid(ConnectorsSchemas.Value, "connector_response_properties", await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/actions/connector/{id}"))).Json());
        AssertValid(ConnectorsSchemas.Value, "get_connectors_response", await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/actions/connectors"))).Json());
        var updated = await (await app.Http.PutAsJsonAsync(CasesAppFixture.Api(space, $"/actions/connector/{id}"), new
        {
            name = "updated-connector",
            config = new { apiUrl = server.Base, projectKey = "SOC" },
            secrets = new { email = "a@example.com", apiToken = "t" },
        })).Json();
        AssertValid(ConnectorsSchemas.Value, "connector_response_properties", updated);
        var types = (await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/actions/connector_types?feature_id=cases"))).Json()).AsArray();
        AssertValid(ConnectorsSchemas.Value, "get_connector_types_response", new JsonArray(types.Where(t => t!["id"]!.GetValue<string>() != ".thehive").Select(t => t!.DeepClone()).ToArray()));
        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/actions/connector/{id}"))).StatusCode);
        var gone = await app.Http.GetAsync(CasesAppFixture.Api(space, $"/actions/connector/{id}"));
        AssertValid(ConnectorsSchemas.Value, "error_response", await gone.Json(HttpStatusCode.NotFound));
    }
}
