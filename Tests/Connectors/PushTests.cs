using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Connectors;

public sealed class PushTests(ConnectorsFixture app) : IClassFixture<ConnectorsFixture>
{
    static string Api(string space, string path) => CasesAppFixture.Api(space, path);

    async Task<JsonObject> CaseWith(string space, string connectorId, string type, JsonObject? fields, string name = "My Jira") =>
        await app.CreateCase(space, new { connector = new JsonObject { ["id"] = connectorId, ["name"] = name, ["type"] = type, ["fields"] = fields } });

    async Task Comment(string space, string caseId, string text)
    {
        await (await app.Http.PostAsJsonAsync(Api(space, $"/cases/{caseId}/comments"), new { type = "user", comment = text, owner = "securitySolution" })).Json();
        app.Clock.Advance(TimeSpan.FromMilliseconds(5));
    }

    Task<HttpResponseMessage> Push(string space, string caseId, string connectorId) =>
        app.Http.PostAsync(Api(space, $"/cases/{caseId}/connector/{connectorId}/_push"), new StringContent("{}", Encoding.UTF8, "application/json"));

    /// <summary>A pushed comment's text without Kibana's "Added by" line.</summary>
    static string Text(Received r) => r.Body!["body"]!.GetValue<string>().Split("\n\n")[0];

    async Task<JsonObject> Get(string space, string caseId) => (await (await app.Http.GetAsync(Api(space, $"/cases/{caseId}"))).Json()).AsObject();

    async Task<JsonArray> Actions(string space, string caseId, string type) =>
        (await (await app.Http.GetAsync(Api(space, $"/cases/{caseId}/user_actions/_find?types={type}"))).Json())["userActions"]!.AsArray();

    async Task<bool> NeedsPush(string space, string caseId, string connectorId)
    {
        var status = await (await app.Http.GetAsync(Api(space, $"/cases/{caseId}/user_actions/_connectors"))).Json();
        return status[connectorId]!["push"]!["needsToBePushed"]!.GetValue<bool>();
    }

    [Fact]
    public async Task The_first_push_creates_a_Jira_issue_and_the_next_updates_it_sending_only_new_comments()
    {
        var space = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var connector = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira)))["id"]!.GetValue<string>();
        var created = await CaseWith(space, connector, ".jira", new JsonObject { ["issueType"] = "10006", ["priority"] = "High", ["parent"] = null });
        var caseId = created["id"]!.GetValue<string>();
        await Comment(space, caseId, "Isolated web-01.");

        var first = (await (await Push(space, caseId, connector)).Json()).AsObject();
        var create = Assert.Single(jira.Where("POST", "/rest/api/2/issue"));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("analyst@example.com:" + ConnectorsFixture.JiraToken)), create.Authorization);
        var fields = create.Body!["fields"]!;
        Assert.Equal(created["title"]!.GetValue<string>(), fields["summary"]!.GetValue<string>());
        Assert.Equal(created["description"]!.GetValue<string>() + "\n\nAdded by local-tester.\nFor more details, view this case in Kibana.\n" +
            $"Case URL: {ConnectorsFixture.PublicBaseUrl}/s/{space}/app/security/cases/{created["id"]}", fields["description"]!.GetValue<string>());
        Assert.Equal("ES", fields["project"]!["key"]!.GetValue<string>());
        Assert.Equal("10006", fields["issuetype"]!["id"]!.GetValue<string>());
        Assert.Equal("High", fields["priority"]!["name"]!.GetValue<string>());
        Assert.Equal(["phishing", "web"], fields["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(["Isolated web-01.\n\nAdded by local-tester."], jira.Where("POST", @"/rest/api/2/issue/\w+/comment").Select(r => r.Body!["body"]!.GetValue<string>()));

        var external = first["external_service"]!;
        var issueId = jira.Where("POST", @"/rest/api/2/issue/\w+/comment").First().Path.Split('/')[5];
        Assert.Equal(issueId, external["external_id"]!.GetValue<string>());
        Assert.Equal($"ES-{issueId}", external["external_title"]!.GetValue<string>());
        Assert.Equal($"{jira.Base}/browse/ES-{issueId}", external["external_url"]!.GetValue<string>());
        Assert.Equal(connector, external["connector_id"]!.GetValue<string>());
        Assert.Equal("My Jira", external["connector_name"]!.GetValue<string>());
        Assert.Equal("local-tester", external["pushed_by"]!["username"]!.GetValue<string>());
        Assert.NotNull(external["pushed_at"]);
        Assert.Equal("open", first["status"]!.GetValue<string>());
        Assert.Single(first["comments"]!.AsArray());
        var pushed = Assert.Single(await Actions(space, caseId, "pushed"));
        Assert.Equal("push_to_service", pushed!["action"]!.GetValue<string>());
        Assert.Equal(issueId, pushed["payload"]!["externalService"]!["external_id"]!.GetValue<string>());

        Assert.False(await NeedsPush(space, caseId, connector));

        // Edit the case, add a comment, push again: an update, and only the new comment.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await app.Http.PatchAsJsonAsync(Api(space, "/cases"), new { cases = new[] { new { id = caseId, version = first["version"]!.GetValue<string>(), title = "Contained login on web-01" } } })).Json();
        await Comment(space, caseId, "Password reset done.");
        Assert.True(await NeedsPush(space, caseId, connector));
        var second = (await (await Push(space, caseId, connector)).Json()).AsObject();
        Assert.Single(jira.Where("POST", "/rest/api/2/issue"));
        var update = Assert.Single(jira.Where("PUT", $"/rest/api/2/issue/{issueId}"));
        Assert.Equal("Contained login on web-01", update.Body!["fields"]!["summary"]!.GetValue<string>());
        Assert.Equal(["Isolated web-01.", "Password reset done."], jira.Where("POST", @"/rest/api/2/issue/\w+/comment").Select(Text));
        Assert.Equal(issueId, second["external_service"]!["external_id"]!.GetValue<string>());
        Assert.Equal(2, (await Actions(space, caseId, "pushed")).Count);

        // A third push with nothing new sends no comment.
        await (await Push(space, caseId, connector)).Json();
        Assert.Equal(2, jira.Where("POST", @"/rest/api/2/issue/\w+/comment").Count());

        // Nothing secret in any log line.
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("analyst@example.com:" + ConnectorsFixture.JiraToken));
        Assert.NotEmpty(app.Logs.Lines);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(ConnectorsFixture.JiraToken) || l.Contains(basic));
    }

    public static TheoryData<string> Systems => new() { "servicenow-import-set", "servicenow-sir-table-api", "resilient", "swimlane", "thehive", "cases-webhook" };

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task Every_system_gets_a_create_then_an_update_and_each_comment_once(string system)
    {
        var space = CasesAppFixture.NewSpace();
        await using var server = await ExternalSystemServer.Start();
        var spec = SystemSpec.For(system, server.Base);
        var connector = (await app.CreateConnector(space, spec.Connector))["id"]!.GetValue<string>();
        var caseId = (await CaseWith(space, connector, spec.Type, spec.Fields, "ext"))["id"]!.GetValue<string>();
        await Comment(space, caseId, "first note");

        var first = (await (await Push(space, caseId, connector)).Json()).AsObject();
        bool IsCreate(Received r) => !spec.IsComment(r) && r.Body?["elastic_incident_id"] is null;
        var create = Assert.Single(server.Where("POST", spec.Create), IsCreate);
        Assert.Contains("Suspicious login on web-01", create.Body!.ToJsonString());
        spec.CheckAuth(create);
        Assert.Equal(spec.Title(first["external_service"]!["external_id"]!.GetValue<string>()), first["external_service"]!["external_title"]!.GetValue<string>());
        Assert.StartsWith(server.Base, first["external_service"]!["external_url"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await Comment(space, caseId, "second note");
        await (await Push(space, caseId, connector)).Json();
        Assert.Single(server.Where("POST", spec.Create), IsCreate);
        Assert.NotEmpty(server.Where(spec.UpdateMethod, spec.Update));
        var comments = server.Requests.Where(spec.IsComment).Select(r => r.Body!.ToJsonString()).ToList();
        Assert.Equal(2, comments.Count);
        Assert.Contains("first note", comments[0]);
        Assert.Contains("second note", comments[1]);
    }

    public static TheoryData<string, int, string> Faults => new()
    {
        { "401", 424, "external status 401" },
        { "403", 424, "external status 403" },
        { "500", 502, "external status 500" },
        { "garbage", 502, "not JSON" },
        { "redirect", 502, "redirect, which is not followed" },
        { "slow", 504, "did not answer in time" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failing_system_gets_a_clear_error_the_case_stays_as_it_was_and_a_retry_creates_one_issue(string fault, int status, string message)
    {
        var space = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var connector = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira, "SOC Jira")))["id"]!.GetValue<string>();
        var before = await CaseWith(space, connector, ".jira", null, "SOC Jira");
        var caseId = before["id"]!.GetValue<string>();
        jira.Fault = r => r.Path == "/rest/api/2/issue" ? fault switch
        {
            "401" => ExternalSystemServer.Answer(HttpStatusCode.Unauthorized),
            "403" => ExternalSystemServer.Answer(HttpStatusCode.Forbidden),
            "500" => ExternalSystemServer.Answer(HttpStatusCode.InternalServerError),
            "garbage" => Results.Content("<html>proxy error</html>", "text/html"),
            "redirect" => Results.Redirect("http://169.254.169.254/latest/meta-data/"),
            _ => new Stall(),
        } : null;

        var response = await Push(space, caseId, connector);
        await response.Error((HttpStatusCode)status, message);
        var error = await Get(space, caseId);
        Assert.Null(error["external_service"]);
        Assert.Equal(before["version"]!.GetValue<string>(), error["version"]!.GetValue<string>());
        Assert.Empty(await Actions(space, caseId, "pushed"));
        var text = (await Push(space, caseId, connector)).Content.ReadAsStringAsync();
        Assert.Contains("SOC Jira", await text);
        Assert.Contains(connector, await text);

        jira.Fault = null;
        var pushed = await (await Push(space, caseId, connector)).Json();
        Assert.NotNull(pushed["external_service"]);
        // The failed attempts were not retried by the app (a POST that may have happened is never sent twice on its own).
        Assert.Equal(3, jira.Where("POST", "/rest/api/2/issue").Count());
    }

    [Fact]
    public async Task A_push_that_failed_after_the_issue_was_created_continues_it_on_retry()
    {
        var space = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var connector = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira)))["id"]!.GetValue<string>();
        var caseId = (await CaseWith(space, connector, ".jira", null))["id"]!.GetValue<string>();
        await Comment(space, caseId, "one");
        await Comment(space, caseId, "two");
        jira.Fault = r => r.Body?["body"]?.GetValue<string>().StartsWith("two\n\n") == true ? ExternalSystemServer.Answer(HttpStatusCode.ServiceUnavailable) : null;

        await (await Push(space, caseId, connector)).Error(HttpStatusCode.BadGateway, "external status 503");
        Assert.Null((await Get(space, caseId))["external_service"]);

        jira.Fault = null;
        var pushed = await (await Push(space, caseId, connector)).Json();
        Assert.Single(jira.Where("POST", "/rest/api/2/issue"));
        Assert.Single(jira.Where("PUT", @"/rest/api/2/issue/\w+"));
        Assert.Equal(["one", "two"], jira.Where("POST", @"/rest/api/2/issue/\w+/comment").Select(Text).Where(b => b is "one" or "two").Distinct());
        // "one" went once; "two" failed once (recorded by the server) and then went once.
        Assert.Single(jira.Where("POST", @"/rest/api/2/issue/\w+/comment"), r => Text(r) == "one");
        Assert.Equal(2, jira.Where("POST", @"/rest/api/2/issue/\w+/comment").Count(r => Text(r) == "two"));
        Assert.NotNull(pushed["external_service"]);
    }

    [Fact]
    public async Task A_transient_failure_of_an_update_is_retried_by_the_resilience_pipeline()
    {
        var space = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var connector = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira)))["id"]!.GetValue<string>();
        var caseId = (await CaseWith(space, connector, ".jira", null))["id"]!.GetValue<string>();
        await (await Push(space, caseId, connector)).Json();
        var failures = 0;
        jira.Fault = r => r.Method == "PUT" && Interlocked.Increment(ref failures) == 1 ? ExternalSystemServer.Answer(HttpStatusCode.ServiceUnavailable) : null;
        await (await Push(space, caseId, connector)).Json();
        Assert.Equal(2, jira.Where("PUT", @"/rest/api/2/issue/\w+").Count());
    }

    [Fact]
    public async Task Close_by_pushing_closes_the_case_on_push()
    {
        var space = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var connector = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira)))["id"]!.GetValue<string>();
        await (await app.Http.PostAsJsonAsync(Api(space, "/cases/configure"), new
        {
            owner = "securitySolution",
            closure_type = "close-by-pushing",
            connector = new { id = connector, name = "My Jira", type = ".jira", fields = (object?)null },
        })).Json();
        var caseId = (await CaseWith(space, connector, ".jira", null))["id"]!.GetValue<string>();
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var pushed = await (await Push(space, caseId, connector)).Json();
        Assert.Equal("closed", pushed["status"]!.GetValue<string>());
        Assert.Equal("local-tester", pushed["closed_by"]!["username"]!.GetValue<string>());
        Assert.Single(await Actions(space, caseId, "status"));
        // As in Kibana, a closed case is not pushed again.
        await (await Push(space, caseId, connector)).Error(HttpStatusCode.Conflict, "Pushing a closed case is not allowed.");
    }

    [Fact]
    public async Task A_stored_connector_whose_host_is_no_longer_allowed_is_refused_on_push_without_a_call()
    {
        var space = CasesAppFixture.NewSpace();
        // Written straight to storage: as if the allow-list changed since the connector was created.
        var store = app.App.Services.GetRequiredService<global::Cases.Functions.Connectors.ConnectorStore>();
        await store.TryAdd(space, "old-jira", global::Cases.Functions.Connectors.ConnectorKind.Jira, "Old Jira",
            new JsonObject { ["apiUrl"] = "http://10.20.30.40", ["projectKey"] = "ES" }, new JsonObject { ["email"] = "a", ["apiToken"] = "b" }, default);
        var caseId = (await CaseWith(space, "old-jira", ".jira", null, "Old Jira"))["id"]!.GetValue<string>();
        await (await Push(space, caseId, "old-jira")).Error(HttpStatusCode.BadRequest, "Cases__Connectors__AllowedHosts");
        Assert.Null((await Get(space, caseId))["external_service"]);
    }

    [Fact]
    public async Task The_push_response_has_every_field_of_Kibanas_case_response_and_external_service()
    {
        var space = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var connector = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira)))["id"]!.GetValue<string>();
        var caseId = (await CaseWith(space, connector, ".jira", new JsonObject { ["issueType"] = "10006", ["priority"] = "Low", ["parent"] = null }))["id"]!.GetValue<string>();
        var pushed = (await (await Push(space, caseId, connector)).Json()).AsObject();
        // case_response_properties' required fields, and the keys of Kibana's push_case_response example.
        string[] required = ["closed_at", "closed_by", "comments", "connector", "created_at", "created_by", "description", "duration", "external_service",
            "id", "owner", "settings", "severity", "status", "tags", "title", "totalAlerts", "totalComment", "updated_at", "updated_by", "version"];
        Assert.All(required, key => Assert.True(pushed.ContainsKey(key), key));
        Assert.Equal(["pushed_at", "pushed_by", "connector_name", "external_id", "external_title", "external_url", "connector_id"],
            pushed["external_service"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["issueType", "priority", "parent"], pushed["connector"]!["fields"]!.AsObject().Select(p => p.Key));
    }

    /// <summary>Answers only after the app's attempt timeout.</summary>
    sealed class Stall : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(5), httpContext.RequestAborted); } catch (OperationCanceledException) { }
        }
    }
}
