using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.Settings;
using Cases.Domain.UserActions;
using Cases.Domain.Users;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class CaseRulesTests
{
    static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly CaseUser Alice = new("a@example.org", "Alice", "alice");
    static readonly CaseUser Bob = new(null, null, "bob");

    static Func<string> Ids()
    {
        var n = 0;
        return () => $"ua{++n}";
    }

    static NewCase Input => new()
    {
        Title = "Breach",
        Description = "Something happened",
        Tags = ["a", "b"],
        Owner = "cases",
        Connector = Connector.None,
        Settings = new CaseSettings(true),
    };

    static Case Existing(Func<Case, Case>? change = null)
    {
        var c = CaseRules.Create(Input, "c1", Alice, Created, Ids()).Case;
        return change is null ? c : change(c);
    }

    [Fact]
    public void Create_fills_defaults_and_records_the_whole_case()
    {
        var (c, action) = CaseRules.Create(Input with { Category = "net", Assignees = [new("u1"), new("u1")] }, "c1", Alice, Created, Ids());

        Assert.Equal("c1", c.Id);
        Assert.Equal("cases", c.Owner);
        Assert.Equal("Breach", c.Title);
        Assert.Equal("Something happened", c.Description);
        Assert.Equal(["a", "b"], c.Tags);
        Assert.Equal(CaseSeverity.Low, c.Severity);
        Assert.Equal(CaseStatus.Open, c.Status);
        Assert.Equal("net", c.Category);
        Assert.Equal([new Assignee("u1")], c.Assignees);
        Assert.Equal(Connector.None, c.Connector);
        Assert.Equal(new CaseSettings(true), c.Settings);
        Assert.Empty(c.CustomFields);
        Assert.Equal(Created, c.CreatedAt);
        Assert.Equal(Alice, c.CreatedBy);
        Assert.Null(c.UpdatedAt);
        Assert.Null(c.ClosedAt);

        Assert.Equal(new UserAction("ua1", "c1", "create", "create_case", action.Payload, Created, Alice, "cases"), action);
        Assert.Equal("""
            {"title":"Breach","description":"Something happened","tags":["a","b"],"connector":{"id":"none","name":"none","type":".none","fields":null},"settings":{"syncAlerts":true},"owner":"cases","severity":"low","assignees":[{"uid":"u1"}],"category":"net","customFields":[],"status":"open"}
            """, action.Payload.ToJsonString());
    }

    [Fact]
    public void Create_keeps_a_given_severity_and_refuses_a_bad_one()
    {
        Assert.Equal(CaseSeverity.Critical, CaseRules.Create(Input with { Severity = "critical" }, "c1", Alice, Created, Ids()).Case.Severity);
        Refused("Invalid value \"urgent\" supplied to \"severity\"", () => CaseRules.Create(Input with { Severity = "urgent" }, "c1", Alice, Created, Ids()));
        Refused("Invalid value \"undefined\" supplied to \"owner\"", () => CaseRules.Create(Input with { Owner = null }, "c1", Alice, Created, Ids()));
        Refused("Invalid value \"undefined\" supplied to \"settings\"", () => CaseRules.Create(Input with { Settings = null }, "c1", Alice, Created, Ids()));
    }

    [Fact]
    public void Create_gives_configured_custom_fields_their_defaults()
    {
        IReadOnlyList<CustomFieldConfig> config = [new("sev", "Sev", "text", false, "x"), new("on", "On", "toggle", false)];
        var c = CaseRules.Create(Input, "c1", Alice, Created, Ids(), config).Case;
        Assert.Equal("""[{"key":"sev","type":"text","value":"x"},{"key":"on","type":"toggle","value":null}]""",
            CaseJson.CustomFields(c.CustomFields).ToJsonString());
    }

    [Fact]
    public void A_patch_that_changes_nothing_is_null()
    {
        var c = Existing();
        Assert.Null(CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v" }, Bob, Created.AddHours(1), Ids()));
        Assert.Null(CaseRules.Apply(c, new CasePatch
        {
            Id = "c1",
            Version = "v",
            Title = "Breach",
            Description = "Something happened",
            Severity = "low",
            Status = "open",
            Category = (string?)null,
            Tags = new List<string> { "a", "b" },
            Assignees = new List<Assignee>(),
            Connector = Connector.None,
            Settings = new CaseSettings(true),
            CustomFields = new List<CustomFieldValue>(),
        }, Bob, Created.AddHours(1), Ids()));
    }

    [Fact]
    public void Each_changed_field_is_one_user_action_and_stamps_the_update()
    {
        var now = Created.AddHours(1);
        var (next, actions) = CaseRules.Apply(Existing(), new CasePatch
        {
            Id = "c1",
            Version = "v",
            Title = "New",
            Description = "Other",
            Severity = "high",
            Category = "cat",
            Settings = new CaseSettings(false, true),
        }, Bob, now, Ids())!.Value;

        Assert.Equal("New", next.Title);
        Assert.Equal("Other", next.Description);
        Assert.Equal("high", next.Severity);
        Assert.Equal("cat", next.Category);
        Assert.Equal(new CaseSettings(false, true), next.Settings);
        Assert.Equal(now, next.UpdatedAt);
        Assert.Equal(Bob, next.UpdatedBy);
        Assert.Equal(Created, next.CreatedAt);
        Assert.Equal(
            [
                "ua1 update title {\"title\":\"New\"}",
                "ua2 update description {\"description\":\"Other\"}",
                "ua3 update severity {\"severity\":\"high\"}",
                "ua4 update category {\"category\":\"cat\"}",
                "ua5 update settings {\"settings\":{\"syncAlerts\":false,\"extractObservables\":true}}",
            ],
            actions.Select(a => $"{a.Id} {a.Action} {a.Type} {a.Payload.ToJsonString()}"));
        Assert.All(actions, a =>
        {
            Assert.Equal("c1", a.CaseId);
            Assert.Equal(Bob, a.CreatedBy);
            Assert.Equal(now, a.CreatedAt);
            Assert.Equal("cases", a.Owner);
            Assert.Null(a.CommentId);
        });
    }

    [Fact]
    public void Category_can_be_cleared()
    {
        var (next, actions) = CaseRules.Apply(Existing(c => c with { Category = "old" }),
            new CasePatch { Id = "c1", Version = "v", Category = (string?)null }, Bob, Created, Ids())!.Value;
        Assert.Null(next.Category);
        Assert.Equal("update category {\"category\":null}", Describe(Assert.Single(actions)));
    }

    [Fact]
    public void Patch_values_are_validated()
    {
        var c = Existing();
        Refused("The title field cannot be an empty string.", () => CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Title = " " }, Bob, Created, Ids()));
        Refused("The maximum length is 30000.", () => CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Description = new string('d', 30_001) }, Bob, Created, Ids()));
        Refused("Invalid value \"x\" supplied to \"severity\"", () => CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Severity = "x" }, Bob, Created, Ids()));
        Refused("Invalid value \"done\" supplied to \"status\"", () => CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Status = "done" }, Bob, Created, Ids()));
        Refused("The maximum length is 50.", () => CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Category = new string('c', 51) }, Bob, Created, Ids()));
        Refused("Invalid value \"undefined\" supplied to \"tags\"", () => CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Tags = (List<string>?)null }, Bob, Created, Ids()));
        Refused("Invalid value \"null\" supplied to \"assignees\"", () => CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Assignees = (List<Assignee>?)null }, Bob, Created, Ids()));
        Refused("Invalid value \"undefined\" supplied to \"connector\"", () => CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Connector = (Connector?)null }, Bob, Created, Ids()));
        Refused("Invalid value \"undefined\" supplied to \"settings\"", () => CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Settings = (CaseSettings?)null }, Bob, Created, Ids()));
    }

    [Fact]
    public void Tags_record_what_was_added_and_what_was_removed()
    {
        var (next, actions) = CaseRules.Apply(Existing(), new CasePatch { Id = "c1", Version = "v", Tags = new List<string> { "b", "c" } }, Bob, Created, Ids())!.Value;
        Assert.Equal(["b", "c"], next.Tags);
        Assert.Equal(["add tags {\"tags\":[\"c\"]}", "delete tags {\"tags\":[\"a\"]}"], actions.Select(Describe));

        var (onlyAdded, added) = CaseRules.Apply(Existing(), new CasePatch { Id = "c1", Version = "v", Tags = new List<string> { "a", "b", "z" } }, Bob, Created, Ids())!.Value;
        Assert.Equal(["a", "b", "z"], onlyAdded.Tags);
        Assert.Equal(["add tags {\"tags\":[\"z\"]}"], added.Select(Describe));

        var (onlyRemoved, removed) = CaseRules.Apply(Existing(), new CasePatch { Id = "c1", Version = "v", Tags = new List<string> { "b" } }, Bob, Created, Ids())!.Value;
        Assert.Equal(["b"], onlyRemoved.Tags);
        Assert.Equal(["delete tags {\"tags\":[\"a\"]}"], removed.Select(Describe));
    }

    [Fact]
    public void Reordered_tags_are_stored_without_a_user_action()
    {
        var (next, actions) = CaseRules.Apply(Existing(), new CasePatch { Id = "c1", Version = "v", Tags = new List<string> { "b", "a" } }, Bob, Created.AddHours(2), Ids())!.Value;
        Assert.Equal(["b", "a"], next.Tags);
        Assert.Empty(actions);
        Assert.Equal(Created.AddHours(2), next.UpdatedAt);
    }

    [Fact]
    public void Assignees_record_added_and_removed_uids()
    {
        var c = Existing(c => c with { Assignees = [new("u1"), new("u2")] });
        var (next, actions) = CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Assignees = new List<Assignee> { new("u2"), new("u3") } }, Bob, Created, Ids())!.Value;
        Assert.Equal([new Assignee("u2"), new Assignee("u3")], next.Assignees);
        Assert.Equal(["add assignees {\"assignees\":[{\"uid\":\"u3\"}]}", "delete assignees {\"assignees\":[{\"uid\":\"u1\"}]}"], actions.Select(Describe));

        var (cleared, clearing) = CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Assignees = new List<Assignee>() }, Bob, Created, Ids())!.Value;
        Assert.Empty(cleared.Assignees);
        Assert.Equal(["delete assignees {\"assignees\":[{\"uid\":\"u1\"},{\"uid\":\"u2\"}]}"], clearing.Select(Describe));

        var (grown, adding) = CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Assignees = new List<Assignee> { new("u1"), new("u2"), new("u9") } }, Bob, Created, Ids())!.Value;
        Assert.Equal(3, grown.Assignees.Count);
        Assert.Equal(["add assignees {\"assignees\":[{\"uid\":\"u9\"}]}"], adding.Select(Describe));

        Assert.Null(CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Assignees = new List<Assignee> { new("u2"), new("u1") } }, Bob, Created, Ids()));
    }

    [Fact]
    public void Connector_changes_when_any_part_differs()
    {
        var jira = new Connector("j1", "Jira", ".jira", new JsonObject { ["issueType"] = "10001" });
        var c = Existing(c => c with { Connector = jira });
        Assert.Null(CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Connector = jira with { Fields = new JsonObject { ["issueType"] = "10001" } } }, Bob, Created, Ids()));
        foreach (var other in new[]
        {
            jira with { Id = "j2" }, jira with { Name = "Jira 2" }, jira with { Type = ".resilient" },
            jira with { Fields = new JsonObject { ["issueType"] = "10002" } },
        })
        {
            var (next, actions) = CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Connector = other }, Bob, Created, Ids())!.Value;
            Assert.Equal(other, next.Connector);
            Assert.Equal($"update connector {{\"connector\":{CaseJson.Connector(other).ToJsonString()}}}", Describe(Assert.Single(actions)));
        }
    }

    [Fact]
    public void Custom_fields_record_each_changed_value()
    {
        IReadOnlyList<CustomFieldConfig> config = [new("t", "T", "text", false), new("n", "N", "number", false), new("b", "B", "toggle", false)];
        var c = Existing(c => c with { CustomFields = [new("t", "text", "x"), new("n", "number", JsonNode.Parse("1")), new("b", "toggle", null)] });
        var (next, actions) = CaseRules.Apply(c, new CasePatch
        {
            Id = "c1",
            Version = "v",
            CustomFields = new List<CustomFieldValue> { new("t", "text", "x"), new("n", "number", JsonNode.Parse("2")), new("b", "toggle", true) },
        }, Bob, Created, Ids(), config)!.Value;
        Assert.Equal("""[{"key":"t","type":"text","value":"x"},{"key":"n","type":"number","value":2},{"key":"b","type":"toggle","value":true}]""",
            CaseJson.CustomFields(next.CustomFields).ToJsonString());
        Assert.Equal(
            [
                "update customFields {\"customFields\":[{\"key\":\"n\",\"type\":\"number\",\"value\":2}]}",
                "update customFields {\"customFields\":[{\"key\":\"b\",\"type\":\"toggle\",\"value\":true}]}",
            ],
            actions.Select(Describe));

        Assert.Null(CaseRules.Apply(c, new CasePatch
        {
            Id = "c1",
            Version = "v",
            CustomFields = new List<CustomFieldValue> { new("t", "text", "x"), new("n", "number", JsonNode.Parse("1")), new("b", "toggle", null) },
        }, Bob, Created, Ids(), config));
    }

    [Fact]
    public void A_custom_field_the_case_did_not_have_is_recorded()
    {
        IReadOnlyList<CustomFieldConfig> config = [new("t", "T", "text", false), new("u", "U", "text", false)];
        var c = Existing(c => c with { CustomFields = [new("t", "text", "x")] });
        var (next, actions) = CaseRules.Apply(c, new CasePatch
        {
            Id = "c1",
            Version = "v",
            CustomFields = new List<CustomFieldValue> { new("t", "text", "x"), new("u", "text", "y") },
        }, Bob, Created, Ids(), config)!.Value;
        Assert.Equal(2, next.CustomFields.Count);
        Assert.Equal("update customFields {\"customFields\":[{\"key\":\"u\",\"type\":\"text\",\"value\":\"y\"}]}", Describe(Assert.Single(actions)));
    }

    [Fact]
    public void Closing_stamps_who_when_and_the_duration_and_reopening_clears_them()
    {
        var c = Existing();
        var closedAt = Created.AddSeconds(90.7);
        var (closed, actions) = CaseRules.Apply(c, new CasePatch { Id = "c1", Version = "v", Status = "closed" }, Bob, closedAt, Ids())!.Value;
        Assert.Equal(CaseStatus.Closed, closed.Status);
        Assert.Equal(closedAt, closed.ClosedAt);
        Assert.Equal(Bob, closed.ClosedBy);
        Assert.Equal(90, closed.Duration);
        Assert.Equal("update status {\"status\":\"closed\"}", Describe(Assert.Single(actions)));

        var (reopened, _) = CaseRules.Apply(closed, new CasePatch { Id = "c1", Version = "v", Status = "in-progress" }, Alice, closedAt.AddHours(1), Ids())!.Value;
        Assert.Equal(CaseStatus.InProgress, reopened.Status);
        Assert.Null(reopened.ClosedAt);
        Assert.Null(reopened.ClosedBy);
        Assert.Null(reopened.Duration);
    }

    [Fact]
    public void A_case_closed_before_it_was_created_has_no_duration_and_one_closed_at_creation_has_zero()
    {
        var c = Existing();
        Assert.Null(CaseRules.WithStatus(c, CaseStatus.Closed, Bob, Created.AddSeconds(-1)).Duration);
        Assert.Equal(0, CaseRules.WithStatus(c, CaseStatus.Closed, Bob, Created).Duration);
    }

    static string Describe(UserAction a) => $"{a.Action} {a.Type} {a.Payload.ToJsonString()}";
}
