using System.Text.Json.Nodes;
using Cases.Tests.Attachments;
using Cases.Tests.Connectors;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Transfer;

/// <summary>
/// Files written by hand to match what Kibana 7.15, 8.5 and 9.1 export (Transfer/Kibana/*.ndjson; shapes from Kibana's
/// saved-object types and migrations, our own data) import with today's shapes.
/// </summary>
public sealed class KibanaFileTests(ConnectorsFixture app) : IClassFixture<ConnectorsFixture>
{
    readonly string space = CasesAppFixture.NewSpace();

    static string File(string name) => System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Transfer", "Kibana", name));

    async Task<List<JsonObject>> Actions(string caseId) =>
        (await app.Get(space, $"/cases/{caseId}/user_actions/_find?perPage=100&sortOrder=asc"))["userActions"]!.AsArray().Select(a => a!.AsObject()).ToList();

    [Fact]
    public async Task A_7_15_export_with_a_case_pushed_to_Jira_then_set_to_no_connector_imports_in_todays_shapes()
    {
        var result = await app.ImportOk(space, File("kibana-7.15.ndjson"));
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal(10, result["successCount"]!.GetValue<int>());

        const string id = "c7150000-0000-4000-8000-000000000001";
        var c = await app.Get(space, $"/cases/{id}");
        Assert.Equal("""{"id":"none","name":"none","type":".none","fields":null}""", c["connector"]!.ToJsonString());
        Assert.Equal("a7150000-0000-4000-8000-0000000000j1", c["external_service"]!["connector_id"]!.GetValue<string>());
        Assert.Equal("SOC-17", c["external_service"]!["external_title"]!.GetValue<string>());
        Assert.Equal("in-progress", c["status"]!.GetValue<string>());
        Assert.Equal("low", c["severity"]!.GetValue<string>());
        Assert.Equal("2021-10-04T09:00:00.000Z", c["created_at"]!.GetValue<string>());
        Assert.Equal("ana", c["created_by"]!["username"]!.GetValue<string>());
        Assert.Equal(1, c["totalComment"]!.GetValue<int>());
        Assert.Equal(1, c["totalAlerts"]!.GetValue<int>());
        var alert = c["comments"]!.AsArray().Single(a => a!["type"]!.GetValue<string>() == "alert")!;
        Assert.Equal("""["4ee2c55b2b6b2a6f8f0e5c1d2a3b4c5d"]""", alert["alertId"]!.ToJsonString());

        var actions = await Actions(id);
        Assert.Equal(["create_case", "comment", "comment", "tags", "status", "pushed", "connector"], actions.Select(a => a["type"]!.GetValue<string>()));
        Assert.Equal("a7150000-0000-4000-8000-0000000000j1", actions[0]["payload"]!["connector"]!["id"]!.GetValue<string>());
        Assert.Equal("""{"issueType":"10001","priority":"High","parent":null}""", actions[0]["payload"]!["connector"]!["fields"]!.ToJsonString());
        Assert.Equal("c7150000-0000-4000-8000-0000000000c1", actions[1]["comment_id"]!.GetValue<string>());
        Assert.Equal("Host isolated; **do not** reimage yet, forensics pending.", actions[1]["payload"]!["comment"]!["comment"]!.GetValue<string>());
        Assert.Equal("""{"tags":["malware"]}""", actions[3]["payload"]!.ToJsonString());
        Assert.Equal("""{"status":"in-progress"}""", actions[4]["payload"]!.ToJsonString());
        Assert.Equal("push_to_service", actions[5]["action"]!.GetValue<string>());
        Assert.Equal("a7150000-0000-4000-8000-0000000000j1", actions[5]["payload"]!["externalService"]!["connector_id"]!.GetValue<string>());
        Assert.Equal("none", actions[6]["payload"]!["connector"]!["id"]!.GetValue<string>());
        Assert.Equal("ana", actions[6]["created_by"]!["username"]!.GetValue<string>());
        Assert.Equal([id], (await app.Get(space, "/cases/alerts/4ee2c55b2b6b2a6f8f0e5c1d2a3b4c5d")).AsArray().Select(x => x!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_8_5_export_imports_its_case_and_its_Jira_connector_without_secrets()
    {
        var result = await app.ImportOk(space, File("kibana-8.5.ndjson"));
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal(8, result["successCount"]!.GetValue<int>());
        Assert.Equal("action_required", result["warnings"]![0]!["type"]!.GetValue<string>());
        var connector = await app.Get(space, "/actions/connector/a8500000-0000-4000-8000-0000000000f1");
        Assert.Equal(".jira", connector["connector_type_id"]!.GetValue<string>());
        Assert.Equal("Jira SOC", connector["name"]!.GetValue<string>());
        Assert.True(connector["is_missing_secrets"]!.GetValue<bool>());

        const string id = "c8500000-0000-4000-8000-000000000001";
        var c = await app.Get(space, $"/cases/{id}");
        Assert.Equal("closed", c["status"]!.GetValue<string>());
        Assert.Equal("high", c["severity"]!.GetValue<string>());
        Assert.Equal(100800, c["duration"]!.GetValue<long>());
        Assert.Equal("""[{"uid":"u_mGBROF_q5bmFCATbLXAcCwKa0k8JvONAwSruelyKA5E_0"}]""", c["assignees"]!.ToJsonString());
        Assert.Equal("none", c["connector"]!["id"]!.GetValue<string>());
        Assert.Equal("a8500000-0000-4000-8000-0000000000f1", c["external_service"]!["connector_id"]!.GetValue<string>());
        Assert.False(c["settings"]!["syncAlerts"]!.GetValue<bool>());
        Assert.Equal("2022-11-02T08:25:00.000Z", c["comments"]![0]!["updated_at"]!.GetValue<string>());

        var actions = await Actions(id);
        Assert.Equal(["create_case", "comment", "pushed", "connector", "status"], actions.Select(a => a["type"]!.GetValue<string>()));
        Assert.Equal("a8500000-0000-4000-8000-0000000000f1", actions[0]["payload"]!["connector"]!["id"]!.GetValue<string>());
        Assert.Equal("a8500000-0000-4000-8000-0000000000f1", actions[2]["payload"]!["externalService"]!["connector_id"]!.GetValue<string>());
        Assert.Equal("none", actions[3]["payload"]!["connector"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_9_1_export_keeps_category_custom_fields_observables_and_severity_and_takes_a_number_from_this_deployment()
    {
        var result = await app.ImportOk(space, File("kibana-9.1.ndjson"));
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());

        const string id = "c9100000-0000-4000-8000-000000000001";
        var c = await app.Get(space, $"/cases/{id}");
        Assert.Equal("critical", c["severity"]!.GetValue<string>());
        Assert.Equal("in-progress", c["status"]!.GetValue<string>());
        Assert.Equal("Exfiltration", c["category"]!.GetValue<string>());
        Assert.Equal("""[{"key":"ticket","type":"text","value":"INC-4711"},{"key":"escalated","type":"toggle","value":true}]""", c["customFields"]!.ToJsonString());
        Assert.True(c["incremental_id"] is null, "the exporting deployment's number 42 is not taken over");
        Assert.Contains("!{lens{", c["comments"]![0]!["comment"]!.GetValue<string>());
        var observables = await app.Get(space, $"/cases/{id}/observables");
        Assert.Contains("203.0.113.7", observables.ToJsonString());
        Assert.Equal(1, (await app.Get(space, "/cases/_find?category=Exfiltration"))["total"]!.GetValue<int>());
    }
}
