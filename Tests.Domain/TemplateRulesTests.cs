using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.Settings;
using Cases.Domain.Users;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class TemplateRulesTests
{
    static readonly Connector Jira = new("j", "Jira", ".jira", null);

    static readonly TemplateCaseFields Fields = new()
    {
        Title = "T title",
        Description = "T description",
        Tags = ["t1"],
        Severity = "high",
        Category = "T cat",
        Assignees = [new("tu")],
        Connector = Jira,
        Settings = new CaseSettings(false),
        CustomFields = [new("a", "text", "ta"), new("b", "text", "tb")],
    };

    static CaseConfiguration Settings(params CaseTemplate[] templates) => new()
    {
        Id = "cfg",
        Owner = "cases",
        ClosureType = "close-by-user",
        Connector = Connector.None,
        CustomFields = [],
        Templates = templates,
        ObservableTypes = [],
        CreatedAt = DateTimeOffset.UnixEpoch,
        CreatedBy = new CaseUser(null, null, "u"),
    };

    static readonly CaseConfiguration WithTemplate = Settings(new CaseTemplate { Key = "other", Name = "O" }, new CaseTemplate { Key = "tpl", Name = "N", CaseFields = Fields });

    [Fact]
    public void Without_a_template_the_input_is_unchanged()
    {
        var input = new NewCase { Title = "x" };
        Assert.Same(input, TemplateRules.Apply(input, "cases", null));
    }

    [Fact]
    public void A_template_fills_everything_the_request_left_out()
    {
        var applied = TemplateRules.Apply(new NewCase { Template = new("tpl"), Owner = "cases", Sent = new HashSet<string> { "owner", "template" } }, "cases", WithTemplate);
        Assert.Equal(("T title", "T description", "high", "T cat", Jira, new CaseSettings(false)),
            (applied.Title, applied.Description, applied.Severity, applied.Category, applied.Connector, applied.Settings));
        Assert.Equal(["t1"], applied.Tags);
        Assert.Equal([new Assignee("tu")], applied.Assignees);
        Assert.Equal("""[{"key":"a","type":"text","value":"ta"},{"key":"b","type":"text","value":"tb"}]""", CaseJson.CustomFields(applied.CustomFields!).ToJsonString());
        Assert.NotSame(Fields.CustomFields![0].Value, applied.CustomFields![0].Value);
        Assert.NotSame(Fields.Tags, applied.Tags);
        Assert.Equal("cases", applied.Owner);
    }

    [Fact]
    public void What_the_request_sent_wins_even_null()
    {
        var sent = new HashSet<string> { "title", "description", "tags", "severity", "category", "assignees", "connector", "settings", "customFields" };
        var input = new NewCase
        {
            Title = "mine",
            Description = null,
            Tags = ["m"],
            Severity = null,
            Category = null,
            Assignees = null,
            Connector = Connector.None,
            Settings = new CaseSettings(true),
            CustomFields = [new("b", "text", "mb"), new("c", "text", "mc")],
            Template = new("tpl"),
            Sent = sent,
        };
        var applied = TemplateRules.Apply(input, "cases", WithTemplate);
        Assert.Equal(("mine", (string?)null, (string?)null, (string?)null, Connector.None, new CaseSettings(true)),
            (applied.Title, applied.Description, applied.Severity, applied.Category, applied.Connector, applied.Settings));
        Assert.Equal(["m"], applied.Tags);
        Assert.Null(applied.Assignees);
        Assert.Equal("""[{"key":"a","type":"text","value":"ta"},{"key":"b","type":"text","value":"mb"},{"key":"c","type":"text","value":"mc"}]""",
            CaseJson.CustomFields(applied.CustomFields!).ToJsonString());
    }

    [Fact]
    public void An_empty_template_leaves_tags_empty_and_the_rest_unset()
    {
        var applied = TemplateRules.Apply(new NewCase { Template = new("empty"), CustomFields = [new("x", "text", "v")] }, "cases",
            Settings(new CaseTemplate { Key = "empty", Name = "E" }));
        Assert.Equal([], applied.Tags);
        Assert.Null(applied.Title);
        Assert.Null(applied.Assignees);
        Assert.Equal("x", Assert.Single(applied.CustomFields!).Key);
    }

    [Fact]
    public void An_unknown_or_blank_template_is_refused()
    {
        Refused("The template nope is not configured for the owner cases in this space.", () => TemplateRules.Apply(new NewCase { Template = new("nope") }, "cases", WithTemplate));
        Refused("The template tpl is not configured for the owner observability in this space.", () => TemplateRules.Apply(new NewCase { Template = new("tpl") }, "observability", null));
        Refused("Invalid value \"\" supplied to \"template,key\"", () => TemplateRules.Apply(new NewCase { Template = new("") }, "cases", WithTemplate));
        Refused("Invalid value \"undefined\" supplied to \"template,key\"", () => TemplateRules.Apply(new NewCase { Template = new(null) }, "cases", WithTemplate));
    }
}
