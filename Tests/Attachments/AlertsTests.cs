using Cases.Functions.Cases;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Attachments;

public sealed class AlertsTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    string Api(string path) => CasesAppFixture.Api(space, path);

    static IEnumerable<string> Ids(string prefix, int from, int count) => Enumerable.Range(from, count).Select(i => $"{prefix}{i:D4}");

    [Fact]
    public async Task Alerts_are_attached_in_bulk_counted_once_listed_oldest_first_and_capped_at_1000()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var first = await app.AttachOk(space, caseId, Alerts(Ids("al-", 0, 250)));
        Assert.Equal(250, first["totalAlerts"]!.GetValue<int>());

        // The same alerts again, plus new ones: only the new ones count.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var again = await app.AttachOk(space, caseId, Alerts(Ids("al-", 200, 100)));
        Assert.Equal(300, again["totalAlerts"]!.GetValue<int>());
        var repeat = await app.AttachOk(space, caseId, Alerts(["al-0001", "al-0001"]));
        Assert.Equal(300, repeat["totalAlerts"]!.GetValue<int>());

        var listed = (await app.Get(space, $"/cases/{caseId}/alerts")).AsArray();
        Assert.Equal(Ids("al-", 0, 300), listed.Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal(".alerts-security.alerts-default", listed[0]!["index"]!.GetValue<string>());
        Assert.True(string.CompareOrdinal(listed[0]!["attached_at"]!.GetValue<string>(), listed[299]!["attached_at"]!.GetValue<string>()) < 0);

        await app.AttachOk(space, caseId, Alerts(Ids("al-", 300, 700)));
        Assert.Equal(1000, (await app.Get(space, $"/cases/{caseId}"))["totalAlerts"]!.GetValue<int>());
        await (await app.Attach(space, caseId, Alerts(["one-too-many"]))).Error(HttpStatusCode.BadRequest,
            "Case has reached the maximum allowed number (1000) of attached alerts.");
        // Re-attaching one that is already there is not refused: it adds nothing.
        Assert.Equal(1000, (await app.AttachOk(space, caseId, Alerts(["al-0005"])))["totalAlerts"]!.GetValue<int>());

        await (await app.Attach(space, caseId, Alerts(Ids("x", 0, 1001)))).Error(HttpStatusCode.BadRequest, "Array must be of length <= 1000.");
        var mismatched = Alerts(["a", "b"]);
        mismatched["index"] = new JsonArray("i1", "i2", "i3");
        await (await app.Attach(space, caseId, mismatched)).Error(HttpStatusCode.BadRequest, "different lengths");
    }

    [Fact]
    public async Task Cases_holding_an_alert_are_found_and_deleting_a_case_removes_its_attachments_and_index_rows()
    {
        var one = await app.CreateCase(space, new { title = "One" });
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var two = await app.CreateCase(space, new { title = "Two", owner = "observability" });
        await app.AttachOk(space, one.Id(), Alerts(["shared/alert#1?", "only-one"]));
        var obs = Alerts(["shared/alert#1?"]);
        obs["owner"] = "observability";
        await app.AttachOk(space, two.Id(), obs);
        await app.AttachOk(space, one.Id(), UserComment("note"));

        var holders = (await app.Get(space, $"/cases/alerts/{Uri.EscapeDataString("shared/alert#1?")}")).AsArray();
        Assert.Equal(["One", "Two"], holders.Select(h => h!["title"]!.GetValue<string>()).ToArray());
        Assert.Equal(2, holders[0]!["totals"]!["alerts"]!.GetValue<int>());
        Assert.Equal(["Two"], (await app.Get(space, $"/cases/alerts/{Uri.EscapeDataString("shared/alert#1?")}?owner=observability")).AsArray().Select(h => h!["title"]!.GetValue<string>()).ToArray());
        Assert.Empty((await app.Get(space, "/cases/alerts/unknown")).AsArray());

        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(Api($"/cases?ids={one.Id()}"))).StatusCode);
        Assert.Equal(["Two"], (await app.Get(space, $"/cases/alerts/{Uri.EscapeDataString("shared/alert#1?")}")).AsArray().Select(h => h!["title"]!.GetValue<string>()).ToArray());
        Assert.Empty((await app.Get(space, "/cases/alerts/only-one")).AsArray());

        // Nothing of the deleted case is left in the table but its delete_case record.
        var left = (await app.CaseTableRows(space)).Where(r => r.RowKey.Contains(one.Id(), StringComparison.Ordinal) || r.GetString("CaseId") == one.Id()).Select(r => r.RowKey);
        Assert.Equal([$"deleted_{one.Id()}"], left);
    }

    [Fact]
    public async Task Spaces_do_not_see_each_others_attachments()
    {
        var other = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space)).Id();
        await app.AttachOk(space, caseId, Alerts(["iso-1"]));
        var comment = (await app.AttachOk(space, caseId, UserComment("secret")))["comments"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "user")!;

        Assert.Empty((await app.Get(other, "/cases/alerts/iso-1")).AsArray());
        await (await app.Http.GetAsync(CasesAppFixture.Api(other, $"/cases/{caseId}/comments/{comment.Id()}"))).Error(HttpStatusCode.NotFound, "not found");
        await (await app.Attach(other, caseId, UserComment("intruder"))).Error(HttpStatusCode.NotFound, "not found");
        await (await app.Http.DeleteAsync(CasesAppFixture.Api(other, $"/cases/{caseId}/comments/{comment.Id()}"))).Error(HttpStatusCode.NotFound, "not found");
        await (await app.Http.GetAsync(CasesAppFixture.Api(other, $"/cases/metrics/{caseId}?features=alerts.count"))).Error(HttpStatusCode.NotFound, "not found");
        Assert.Single((await app.Get(space, "/cases/alerts/iso-1")).AsArray());
    }

    [Fact]
    public async Task Attachments_can_be_searched()
    {
        var caseId = (await app.CreateCase(space)).Id();
        await app.AttachOk(space, caseId, Alerts(["beacon-alert-77"]));
        await app.AttachOk(space, caseId, UserComment("Saw a Beacon to 203.0.113.9"));
        await app.AttachOk(space, caseId, new JsonObject
        {
            ["type"] = "externalReference",
            ["externalReferenceId"] = "file-1",
            ["externalReferenceStorage"] = new JsonObject { ["type"] = "savedObject", ["soType"] = "file" },
            ["externalReferenceAttachmentTypeId"] = ".files",
            ["externalReferenceMetadata"] = new JsonObject { ["files"] = new JsonArray(new JsonObject { ["name"] = "beacon-capture", ["extension"] = "pcap", ["mimeType"] = "application/octet-stream" }) },
            ["owner"] = "securitySolution",
        });
        await app.AttachOk(space, caseId, new JsonObject { ["type"] = "event", ["eventId"] = "evt-1", ["index"] = "logs", ["owner"] = "securitySolution" });
        await (await app.Http.PostAsync(Api($"/cases/{caseId}/observables"), System.Net.Http.Json.JsonContent.Create(new JsonObject
        {
            ["observable"] = new JsonObject { ["typeKey"] = "observable-type-hostname", ["value"] = "beacon.example.com", ["description"] = null },
        }))).Json();

        var found = await app.Get(space, $"/cases/{caseId}/attachments/_search?search=beacon");
        Assert.Equal(3, found["attachments"]!.AsArray().Count);
        Assert.Single(found["observables"]!.AsArray());
        Assert.Equal("beacon-capture.pcap", (await app.Get(space, $"/cases/{caseId}/attachments/_search?search=capture.pcap"))["attachments"]![0]!["externalReferenceMetadata"]!["files"]![0]!["name"] + ".pcap");
        Assert.Single((await app.Get(space, $"/cases/{caseId}/attachments/_search?search=evt-1"))["attachments"]!.AsArray());
    }

    [Fact]
    public async Task An_alert_attachment_can_be_edited_and_its_index_rows_follow()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var attachment = (await app.AttachOk(space, caseId, Alerts(["ed-1", "ed-2"])))["comments"]![0]!;
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var edit = Alerts(["ed-2", "ed-3", "ed-4"]);
        edit["id"] = attachment.Id();
        edit["version"] = attachment["version"]!.DeepClone();
        edit["rule"] = new JsonObject { ["id"] = "rule-2", ["name"] = "Renamed" };
        var updated = await (await app.Http.PatchAsync(Api($"/cases/{caseId}/comments"), System.Net.Http.Json.JsonContent.Create(edit))).Json();
        Assert.Equal(3, updated["totalAlerts"]!.GetValue<int>());
        Assert.Equal("Renamed", updated["comments"]![0]!["rule"]!["name"]!.GetValue<string>());
        Assert.Empty((await app.Get(space, "/cases/alerts/ed-1")).AsArray());
        Assert.Single((await app.Get(space, "/cases/alerts/ed-4")).AsArray());
        var action = (await app.Get(space, $"/cases/{caseId}/user_actions/_find?types=alert&sortOrder=desc"))["userActions"]![0]!;
        Assert.Equal("update", action["action"]!.GetValue<string>());
        Assert.Equal("""["ed-2","ed-3","ed-4"]""", action["payload"]!["comment"]!["alertId"]!.ToJsonString());

        var other = (await app.AttachOk(space, caseId, Alerts(["ed-9"])))["comments"]!.AsArray().Single(c => c!.Id() != attachment.Id())!;
        var clash = Alerts(["ed-9", "ed-2"]);
        clash["id"] = attachment.Id();
        clash["version"] = updated["comments"]![0]!["version"]!.DeepClone();
        await (await app.Http.PatchAsync(Api($"/cases/{caseId}/comments"), System.Net.Http.Json.JsonContent.Create(clash))).Error(HttpStatusCode.BadRequest, "is already attached");
        var retype = UserComment("now a comment");
        retype["id"] = other.Id();
        retype["version"] = other["version"]!.DeepClone();
        await (await app.Http.PatchAsync(Api($"/cases/{caseId}/comments"), System.Net.Http.Json.JsonContent.Create(retype))).Error(HttpStatusCode.BadRequest, "You cannot change the type of the comment.");
    }

    [Fact]
    public async Task Concurrent_attachments_of_overlapping_alerts_count_each_alert_once()
    {
        var c = await app.CreateCase(space);
        var caseId = c.Id();
        var requests = Enumerable.Range(0, 6).Select(i => app.AttachOk(space, caseId, Alerts(Ids("ov-", i * 10, 30))));
        await Task.WhenAll(requests);
        var read = await app.Get(space, $"/cases/{caseId}");
        Assert.Equal(80, read["totalAlerts"]!.GetValue<int>());
        Assert.Equal(c["version"]!.GetValue<string>(), read["version"]!.GetValue<string>());
        var listed = (await app.Get(space, $"/cases/{caseId}/alerts")).AsArray().Select(a => a!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(80, listed.Count);
        Assert.Equal(80, listed.Distinct().Count());
    }
}
