using System.Net;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Metrics;

public sealed class MetricsTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();

    [Fact]
    public async Task Lifespan_replays_status_changes_and_alert_metrics_count_distinct_hosts_and_users()
    {
        var created = await app.CreateCase(space);
        var caseId = created.Id();
        var createdAt = created["created_at"]!.GetValue<string>();
        var steps = new (TimeSpan After, string Status)[]
        {
            (TimeSpan.FromMinutes(10), "in-progress"), // open 10 min
            (TimeSpan.FromMinutes(20), "closed"),      // in progress 20 min
            (TimeSpan.FromMinutes(30), "open"),        // closed 30 min (not counted), reopened
            (TimeSpan.FromMinutes(5), "in-progress"),  // open 5 min
            (TimeSpan.FromMinutes(7), "closed"),       // in progress 7 min
            (TimeSpan.FromMinutes(60), "in-progress"), // closed 60 min, reopened
        };
        var reopens = new List<string>();
        foreach (var (after, status) in steps)
        {
            app.Clock.Advance(after);
            var updated = await app.Patch(space, caseId, new { status });
            if (status != "closed" && steps.TakeWhile(s => s.Status != status || s.After != after).LastOrDefault().Status == "closed")
                reopens.Add(updated["updated_at"]!.GetValue<string>());
        }
        app.Clock.Advance(TimeSpan.FromMinutes(3)); // in progress until now: 3 min
        // A case's connector must exist in its space (stored directly: this fixture allows no outbound host).
        var connectors = app.App.Services.GetRequiredService<global::Cases.Functions.Connectors.ConnectorStore>();
        await connectors.TryAdd(space, "jira-1", global::Cases.Functions.Connectors.ConnectorKind.Jira, "Jira",
            new JsonObject { ["apiUrl"] = "https://jira.example.com", ["projectKey"] = "ES" }, new JsonObject { ["email"] = "a", ["apiToken"] = "b" }, default);
        await connectors.TryAdd(space, "sn-1", global::Cases.Functions.Connectors.ConnectorKind.ServiceNowItsm, "SN",
            new JsonObject { ["apiUrl"] = "https://sn.example.com", ["usesTableApi"] = false }, new JsonObject { ["username"] = "a", ["password"] = "b" }, default);
        await app.Patch(space, caseId, new { connector = new { id = "jira-1", name = "Jira", type = ".jira", fields = new { issueType = "10006", priority = (string?)null, parent = (string?)null } } });
        await app.Patch(space, caseId, new { connector = new { id = "none", name = "none", type = ".none", fields = (object?)null } });
        await app.Patch(space, caseId, new { connector = new { id = "sn-1", name = "SN", type = ".servicenow", fields = new { urgency = "1", severity = "1", impact = "1", category = (string?)null, subcategory = (string?)null } } });

        var ecs = new JsonArray(
            JsonNode.Parse("""{"host":{"id":"h1","name":"web-01"},"user":{"name":"alice"}}"""),
            JsonNode.Parse("""{"host":{"id":"h1","name":"web-01"},"user":{"name":"bob"}}"""),
            JsonNode.Parse("""{"host":{"id":"h2","name":"db-01"},"user":{"name":"alice"}}"""),
            null);
        await app.AttachOk(space, caseId, Alerts(["m1", "m2", "m3", "m4"], ecs: ecs));

        var metrics = await app.Get(space, $"/cases/metrics/{caseId}?features=lifespan&features=alerts.count&features=alerts.hosts&features=alerts.users&features=connectors");
        var lifespan = metrics["lifespan"]!;
        Assert.Equal(createdAt, lifespan["creationDate"]!.GetValue<string>());
        Assert.Null(lifespan["closeDate"]);
        // CreateCase moves the clock on by 1 ms after creating.
        Assert.Equal((long)TimeSpan.FromMinutes(15).TotalMilliseconds + 1, lifespan["statusInfo"]!["openDuration"]!.GetValue<long>());
        Assert.Equal((long)TimeSpan.FromMinutes(30).TotalMilliseconds, lifespan["statusInfo"]!["inProgressDuration"]!.GetValue<long>());
        Assert.Equal(reopens, lifespan["statusInfo"]!["reopenDates"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(2, reopens.Count);

        Assert.Equal(4, metrics["alerts"]!["count"]!.GetValue<int>());
        Assert.Equal(2, metrics["alerts"]!["hosts"]!["total"]!.GetValue<int>());
        Assert.Equal("""[{"name":"web-01","id":"h1","count":2},{"name":"db-01","id":"h2","count":1}]""", metrics["alerts"]!["hosts"]!["values"]!.ToJsonString());
        Assert.Equal("""{"total":2,"values":[{"name":"alice","count":2},{"name":"bob","count":1}]}""", metrics["alerts"]!["users"]!.ToJsonString());
        Assert.Equal(2, metrics["connectors"]!["total"]!.GetValue<int>());

        // Closed now: the close date shows and time stops accruing.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var closed = await app.Patch(space, caseId, new { status = "closed" });
        app.Clock.Advance(TimeSpan.FromHours(5));
        var later = (await app.Get(space, $"/cases/metrics/{caseId}?features=lifespan"))["lifespan"]!;
        Assert.Equal(closed["closed_at"]!.GetValue<string>(), later["closeDate"]!.GetValue<string>());
        Assert.Equal((long)TimeSpan.FromMinutes(31).TotalMilliseconds, later["statusInfo"]!["inProgressDuration"]!.GetValue<long>());
        Assert.Null(later["alerts"]);
    }

    [Fact]
    public async Task Unknown_features_are_refused_listing_the_valid_ones()
    {
        var caseId = (await app.CreateCase(space)).Id();
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/metrics/{caseId}?features=alerts.count&features=bogus"))).Error(HttpStatusCode.BadRequest,
            "invalid features: [bogus], please only provide valid features: [actions.isolateHost | alerts.count | alerts.hosts | alerts.users | connectors | lifespan]");
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/metrics/{caseId}"))).Error(HttpStatusCode.BadRequest, "please only provide valid features");
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/metrics/missing?features=lifespan"))).Error(HttpStatusCode.NotFound, "not found");
        var empty = await app.Get(space, $"/cases/metrics/{caseId}?features=alerts.count,alerts.hosts,actions.isolateHost");
        Assert.Equal("""{"actions":{"isolateHost":{"isolate":{"total":0},"unisolate":{"total":0}}},"alerts":{"count":0,"hosts":{"total":0,"values":[]}}}""", empty.ToJsonString());
    }
}
