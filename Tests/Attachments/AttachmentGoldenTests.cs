using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Cases;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Attachments;

/// <summary>Pins the attachment wire format (Tests/Golden/*comment*, alerts, metrics), shaped after Kibana's OpenAPI examples.</summary>
public sealed class AttachmentGoldenTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task Attachment_responses_match_the_golden_files()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space)).Id();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var added = await app.AttachOk(space, caseId, UserComment("A new comment."));
        GoldenJsonTests.Matches("add_comment_response.json", added);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var comment = added["comments"]![0]!;
        var update = new JsonObject { ["id"] = comment.Id(), ["version"] = comment["version"]!.DeepClone(), ["type"] = "user", ["comment"] = "An updated comment.", ["owner"] = "securitySolution" };
        var updated = await (await app.Http.PatchAsJsonAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/comments"), update)).Json();
        GoldenJsonTests.Matches("update_comment_response.json", updated);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var ecs = new JsonArray(JsonNode.Parse("""{"host":{"id":"h1","name":"web-01"},"user":{"name":"alice"}}"""), null);
        await app.AttachOk(space, caseId, Alerts(["alert-1", "alert-2"], ecs: ecs));
        GoldenJsonTests.Matches("get_comment_response.json", await app.Get(space, $"/cases/{caseId}/comments/{comment.Id()}"));
        GoldenJsonTests.Matches("find_comments_response.json", await app.Get(space, $"/cases/{caseId}/comments/_find"));
        GoldenJsonTests.Matches("get_case_alerts_response.json", await app.Get(space, $"/cases/{caseId}/alerts"));
        GoldenJsonTests.Matches("get_cases_by_alert_response.json", await app.Get(space, "/cases/alerts/alert-1"));
        GoldenJsonTests.Matches("comment_user_actions_response.json", await app.Get(space, $"/cases/{caseId}/user_actions/_find?types=comment"));

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await app.Patch(space, caseId, new { status = "closed" });
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        GoldenJsonTests.Matches("case_metrics_response.json",
            await app.Get(space, $"/cases/metrics/{caseId}?features=alerts.count,alerts.hosts,alerts.users,connectors,lifespan"));
    }
}
