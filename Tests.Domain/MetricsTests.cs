using System.Text.Json.Nodes;
using Cases.Domain.Attachments;
using Cases.Domain.Metrics;
using Cases.Domain.UserActions;
using Cases.Domain.Users;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class MetricsTests
{
    static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly CaseUser User = new(null, null, "u");

    static UserAction Action(string type, JsonObject payload, double minutes) =>
        new(Guid.NewGuid().ToString(), "c", "update", type, payload, T0.AddMinutes(minutes), User, "cases");

    static UserAction Status(string status, double minutes) => Action("status", new JsonObject { ["status"] = status }, minutes);

    [Fact]
    public void Features_must_be_known_and_at_least_one()
    {
        CaseMetrics.CheckFeatures(["lifespan", "alerts.count"]);
        Refused("invalid features: [], please only provide valid features: [actions.isolateHost | alerts.count | alerts.hosts | alerts.users | connectors | lifespan]",
            () => CaseMetrics.CheckFeatures([]));
        Refused("invalid features: [mttr,x]", () => CaseMetrics.CheckFeatures(["lifespan", "mttr", "x"]));
    }

    [Fact]
    public void Lifespan_counts_open_and_in_progress_time_not_closed_and_notes_reopens()
    {
        var actions = new[]
        {
            Status("in-progress", 10), Status("closed", 25), Status("open", 100), Status("bogus", 101),
            Action("title", new JsonObject { ["title"] = "x" }, 105), Status("closed", 110),
        };
        var info = CaseMetrics.Lifespan(T0, actions.Reverse(), T0.AddMinutes(200));
        Assert.Equal((10 + 10) * 60_000, info.OpenDuration);
        Assert.Equal(15 * 60_000, info.InProgressDuration);
        Assert.Equal([T0.AddMinutes(100)], info.ReopenDates);
    }

    [Fact]
    public void Lifespan_of_a_case_still_open_accrues_until_now_and_never_negative()
    {
        Assert.Equal(5 * 60_000, CaseMetrics.Lifespan(T0, [], T0.AddMinutes(5)).OpenDuration);
        Assert.Equal(0, CaseMetrics.Lifespan(T0, [], T0.AddMinutes(-5)).OpenDuration);
        var stillInProgress = CaseMetrics.Lifespan(T0, [Status("in-progress", 1)], T0.AddMinutes(4));
        Assert.Equal(60_000, stillInProgress.OpenDuration);
        Assert.Equal(3 * 60_000, stillInProgress.InProgressDuration);
        Assert.Empty(CaseMetrics.Lifespan(T0, [Status("closed", 1), Status("closed", 2)], T0.AddMinutes(4)).ReopenDates);
    }

    [Fact]
    public void Connectors_counts_distinct_real_connectors_of_create_and_connector_actions()
    {
        JsonObject Conn(string id, string type) => new() { ["connector"] = new JsonObject { ["id"] = id, ["type"] = type } };
        var actions = new[]
        {
            Action("create_case", Conn("none", ".none"), 0), Action("connector", Conn("j1", ".jira"), 1),
            Action("connector", Conn("j1", ".jira"), 2), Action("connector", Conn("s1", ".servicenow"), 3),
            Action("title", Conn("x1", ".jira"), 4), Action("connector", new JsonObject(), 5),
        };
        Assert.Equal(2, CaseMetrics.Connectors(actions));
    }

    [Fact]
    public void Distinct_counts_each_value_once_with_the_ten_most_frequent_first()
    {
        static Attachment Alerts(params JsonObject?[] ecs) => TestAttachments.Alert(ecs);
        var docs = Enumerable.Range(0, 12).SelectMany(i => Enumerable.Repeat(i, i + 1))
            .Select(i => (JsonObject?)new JsonObject { ["host"] = new JsonObject { ["name"] = $"h{i:D2}", ["id"] = $"id{i:D2}" } }).ToList();
        docs.Add(null);
        docs.Add(new JsonObject { ["user"] = "nobody" });
        var (total, top) = CaseMetrics.Distinct([Alerts([.. docs])], "host.id", "host.name");
        Assert.Equal(12, total);
        Assert.Equal(10, top.Count);
        Assert.Equal(new CaseMetrics.Count("h11", "id11", 12), top[0]);
        Assert.Equal(new CaseMetrics.Count("h02", "id02", 3), top[^1]);

        var (byName, names) = CaseMetrics.Distinct([Alerts(new JsonObject { ["user.name"] = "a" }, new JsonObject { ["user.name"] = "a" }, new JsonObject { ["user.name"] = "b" })], "user.name", null);
        Assert.Equal(2, byName);
        Assert.Equal([new CaseMetrics.Count("a", null, 2), new CaseMetrics.Count("b", null, 1)], names);

        // Equal counts: by value, ordinal.
        var (_, tied) = CaseMetrics.Distinct([Alerts(new JsonObject { ["user.name"] = "b" }, new JsonObject { ["user.name"] = "a" }, new JsonObject { ["user.name"] = "B" })], "user.name", null);
        Assert.Equal(["B", "a", "b"], tied.Select(c => c.Name));

        var (fallback, named) = CaseMetrics.Distinct([Alerts(new JsonObject { ["host.name"] = "only-name" })], "host.id", "host.name");
        Assert.Equal(1, fallback);
        Assert.Equal(new CaseMetrics.Count("only-name", "only-name", 1), named[0]);
    }
}
