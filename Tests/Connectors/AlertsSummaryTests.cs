using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Connectors;

/// <summary>
/// What a push tells about the case's alerts. Kibana's comment about attached alerts (cases <c>server/client/cases/utils.ts</c>, <c>addAlertMessage</c>):
/// after the case's new comments, "Elastic Alerts attached to the case: N" (all alert ids of the case) and, with a
/// public base URL, a link to the case's alerts tab; sent only when an alert was attached since the last push. And the
/// ServiceNow SecOps observables its cases format takes from the alerts (cases <c>connectors/servicenow/sir_format.ts</c>).
/// </summary>
public sealed class AlertsSummaryTests(ConnectorsFixture app) : IClassFixture<ConnectorsFixture>
{
    Task<HttpResponseMessage> Push(string space, string caseId, string connectorId) =>
        app.Http.PostAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/connector/{connectorId}/_push"), new StringContent("{}", Encoding.UTF8, "application/json"));

    static string Summary(string space, string caseId, int total) =>
        $"Elastic Alerts attached to the case: {total}\n\nFor more details, view the alerts in Kibana\n" +
        $"Alerts URL: {ConnectorsFixture.PublicBaseUrl}/s/{space}/app/security/cases/{caseId}/?tabId=alerts";

    [Fact]
    public async Task A_push_after_alerts_were_attached_ends_with_the_alert_count_and_a_link_to_them()
    {
        var space = CasesAppFixture.NewSpace();
        await using var jira = await ExternalSystemServer.Start();
        var connector = (await app.CreateConnector(space, ConnectorsFixture.Jira(jira)))["id"]!.GetValue<string>();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        await app.AttachOk(space, caseId, Alerts(["a1", "a2"]));
        await app.AttachOk(space, caseId, UserComment("Blocked the source IP."));
        await app.AttachOk(space, caseId, Alerts(["a3"]));
        List<string> Comments() => jira.Where("POST", @"/rest/api/2/issue/\w+/comment").Select(r => r.Body!["body"]!.GetValue<string>()).ToList();

        await (await Push(space, caseId, connector)).Json();
        Assert.Equal(["Blocked the source IP.\n\nAdded by local-tester.", Summary(space, caseId, 3)], Comments());

        // Nothing attached since: no summary again.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await Push(space, caseId, connector)).Json();
        Assert.Equal(2, Comments().Count);

        // One more alert: the summary counts every alert of the case.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.AttachOk(space, caseId, Alerts(["a4"]));
        await (await Push(space, caseId, connector)).Json();
        Assert.Equal(Summary(space, caseId, 4), Comments()[^1]);
        Assert.Equal(3, Comments().Count);
    }

    static JsonArray AlertEcs() => new(
        JsonNode.Parse("""{"destination":{"ip":"10.0.0.5"},"source":{"ip":"203.0.113.9"},"file":{"hash":{"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}},"url":{"full":"http://evil.example/x"}}"""),
        JsonNode.Parse("""{"destination.ip":"10.0.0.5","source":{"ip":["198.51.100.7","203.0.113.9"]}}"""));

    async Task<(string Space, string CaseId, string Connector)> SirCase(ExternalSystemServer server, bool usesTableApi)
    {
        var space = CasesAppFixture.NewSpace();
        var connector = (await app.CreateConnector(space, new
        {
            connector_type_id = ".servicenow-sir",
            name = "SIR",
            config = new { apiUrl = server.Base, usesTableApi },
            secrets = new { username = "sn-user", password = "sn-pass" },
        }))["id"]!.GetValue<string>();
        var caseId = (await app.CreateCase(space, new
        {
            connector = new JsonObject
            {
                ["id"] = connector,
                ["name"] = "SIR",
                ["type"] = ".servicenow-sir",
                ["fields"] = new JsonObject { ["category"] = "malware", ["subcategory"] = null, ["priority"] = "1", ["destIp"] = true, ["sourceIp"] = true, ["malwareHash"] = true, ["malwareUrl"] = false },
            },
        }))["id"]!.GetValue<string>();
        await app.AttachOk(space, caseId, Alerts(["e1", "e2"], ecs: AlertEcs()));
        return (space, caseId, connector);
    }

    [Fact]
    public async Task ServiceNow_SecOps_through_the_Elastic_app_gets_the_alerts_observables_the_case_asks_for()
    {
        await using var sn = await ExternalSystemServer.Start();
        var (space, caseId, connector) = await SirCase(sn, usesTableApi: false);
        await (await Push(space, caseId, connector)).Json();

        var row = Assert.Single(sn.Where("POST", "/api/x_elas2_sir_int/elastic_api/import_set_row"), r => r.Body?["elastic_incident_id"] is null).Body!;
        Assert.Equal(caseId, row["u_correlation_id"]!.GetValue<string>());
        Assert.Equal("Elastic Case", row["u_correlation_display"]!.GetValue<string>());
        Assert.Null(row["u_dest_ip"]);
        var bulk = Assert.Single(sn.Where("POST", @"/api/x_elas2_sir_int/elastic_api/incident/\w+/observables/bulk"));
        Assert.Equal(
            ["10.0.0.5 ipv4-addr", "203.0.113.9 ipv4-addr", "198.51.100.7 ipv4-addr", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 SHA256"],
            bulk.Body!.AsArray().Select(o => $"{o!["value"]} {o["type"]}"));
        Assert.Contains($"/incident/{(await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}"))).Json())["external_service"]!["external_id"]}/", bulk.Path);
    }

    [Fact]
    public async Task ServiceNow_SecOps_through_the_table_API_gets_the_observables_joined_in_the_incident()
    {
        await using var sn = await ExternalSystemServer.Start();
        var (space, caseId, connector) = await SirCase(sn, usesTableApi: true);
        await (await Push(space, caseId, connector)).Json();

        var incident = Assert.Single(sn.Where("POST", "/api/now/v2/table/sn_si_incident")).Body!;
        Assert.Equal("10.0.0.5", incident["dest_ip"]!.GetValue<string>());
        Assert.Equal("203.0.113.9,198.51.100.7", incident["source_ip"]!.GetValue<string>());
        Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", incident["malware_hash"]!.GetValue<string>());
        Assert.Equal("", incident["malware_url"]!.GetValue<string>());
        Assert.Equal(caseId, incident["correlation_id"]!.GetValue<string>());
        Assert.Empty(sn.Where("POST", @".*/observables/bulk"));
    }

    public static TheoryData<string> Systems => new() { "servicenow-import-set", "servicenow-sir-table-api", "resilient", "swimlane", "thehive", "cases-webhook" };

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task Every_system_gets_the_alert_summary_as_an_incident_comment(string system)
    {
        var space = CasesAppFixture.NewSpace();
        await using var server = await ExternalSystemServer.Start();
        var spec = SystemSpec.For(system, server.Base);
        var connector = (await app.CreateConnector(space, spec.Connector))["id"]!.GetValue<string>();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        await app.AttachOk(space, caseId, Alerts(["x1", "x2"]));

        await (await Push(space, caseId, connector)).Json();
        var comment = Assert.Single(server.Requests, r => spec.IsComment(r));
        Assert.Contains(JsonValue.Create(Summary(space, caseId, 2))!.ToJsonString(), comment.Body!.ToJsonString());
    }
}
