using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Connectors;

/// <summary>
/// Kibana's comment about attached alerts on push (cases <c>server/client/cases/utils.ts</c>, <c>addAlertMessage</c>):
/// after the case's new comments, "Elastic Alerts attached to the case: N" (all alert ids of the case) and, with a
/// public base URL, a link to the case's alerts tab; sent only when an alert was attached since the last push.
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
        Assert.Equal(["Blocked the source IP.", Summary(space, caseId, 3)], Comments());

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
