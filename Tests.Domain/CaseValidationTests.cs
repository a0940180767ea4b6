using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class CaseValidationTests
{
    [Fact]
    public void Version_is_kibanas_base64_json_pair() => Assert.Equal("WzcsMV0=", CaseVersion.Encode(7));

    [Fact]
    public void Title_is_required_not_blank_and_at_most_160()
    {
        Assert.Equal(" a ", CaseValidation.Title(" a "));
        Assert.Equal(new string('t', 160), CaseValidation.Title(new string('t', 160)));
        Refused("Invalid value \"undefined\" supplied to \"title\"", () => CaseValidation.Title(null));
        Refused("The title field cannot be an empty string.", () => CaseValidation.Title("  "));
        Refused("The length of the title is too long. The maximum length is 160.", () => CaseValidation.Title(new string('t', 161)));
    }

    [Fact]
    public void Description_and_category_have_their_own_limits()
    {
        Assert.Equal(30_000, CaseValidation.Description(new string('d', 30_000)).Length);
        Refused("The maximum length is 30000.", () => CaseValidation.Description(new string('d', 30_001)));
        Assert.Null(CaseValidation.Category(null));
        Assert.Equal(new string('c', 50), CaseValidation.Category(new string('c', 50)));
        Refused("The length of the category is too long. The maximum length is 50.", () => CaseValidation.Category(new string('c', 51)));
        Refused("The category field cannot be an empty string.", () => CaseValidation.Category(""));
    }

    [Fact]
    public void Enumerations_accept_only_their_values()
    {
        Assert.Equal("critical", CaseValidation.Severity("critical"));
        Assert.Equal("in-progress", CaseValidation.Status("in-progress"));
        Assert.Equal("observability", CaseValidation.Owner("observability"));
        Refused("Invalid value \"urgent\" supplied to \"severity\"", () => CaseValidation.Severity("urgent"));
        Refused("Invalid value \"undefined\" supplied to \"status\"", () => CaseValidation.Status(null));
        Refused("Invalid value \"Cases\" supplied to \"owner\"", () => CaseValidation.Owner("Cases"));
    }

    [Fact]
    public void Tags_at_most_200_each_at_most_256_and_not_blank()
    {
        Assert.Equal(["a", "b"], CaseValidation.Tags(["a", "b"]));
        Assert.Empty(CaseValidation.Tags([]));
        Assert.Equal(200, CaseValidation.Tags(Enumerable.Repeat("x", 200).ToList()).Count);
        Refused("Invalid value \"undefined\" supplied to \"tags\"", () => CaseValidation.Tags(null));
        Refused("The length of the field tags is too long. Array must be of length <= 200.", () => CaseValidation.Tags(Enumerable.Repeat("x", 201).ToList()));
        Refused("The length of the tag is too long. The maximum length is 256.", () => CaseValidation.Tags([new string('x', 257)]));
        Assert.Single(CaseValidation.Tags([new string('x', 256)]));
        Refused("The tag field cannot be an empty string.", () => CaseValidation.Tags([" "]));
    }

    [Fact]
    public void Assignees_at_most_10_with_uids_and_without_repeats()
    {
        Assert.Empty(CaseValidation.Assignees(null));
        Assert.Equal([new Assignee("u1"), new Assignee("u2")], CaseValidation.Assignees([new("u1"), new("u2"), new("u1")]));
        Assert.Equal(10, CaseValidation.Assignees(Enumerable.Range(0, 10).Select(i => new Assignee($"u{i}")).ToList()).Count);
        Refused("Array must be of length <= 10.", () => CaseValidation.Assignees(Enumerable.Range(0, 11).Select(i => new Assignee($"u{i}")).ToList()));
        Refused("supplied to \"assignees.uid\"", () => CaseValidation.Assignees([new(" ")]));
    }

    [Fact]
    public void Connector_needs_a_known_type_an_id_a_name_and_object_fields()
    {
        var none = new Connector("none", "none", ".none", null);
        Assert.Same(none, CaseValidation.Connector(none));
        var emptyFields = none with { Fields = new JsonObject() };
        Assert.Same(emptyFields, CaseValidation.Connector(emptyFields));
        Refused("supplied to \"connector\"", () => CaseValidation.Connector(null));
        Refused("supplied to \"connector.type\"", () => CaseValidation.Connector(none with { Type = ".nope" }));
        Refused("supplied to \"connector.id\"", () => CaseValidation.Connector(none with { Id = null! }));
        Refused("supplied to \"connector.name\"", () => CaseValidation.Connector(none with { Name = null! }));
        Refused("supplied to \"connector.fields\"", () => CaseValidation.Connector(none with { Fields = new JsonArray() }));
        Refused("The fields of a .none connector must be null.", () => CaseValidation.Connector(none with { Fields = new JsonObject { ["a"] = 1 } }));
        var jira = new Connector("j1", "Jira", ".jira", new JsonObject { ["issueType"] = "10001" });
        Assert.Same(jira, CaseValidation.Connector(jira));
    }

    [Fact]
    public void Settings_are_required() =>
        Refused("supplied to \"settings\"", () => CaseValidation.Settings(null));

    [Fact]
    public void Custom_fields_at_most_10_unique_keys_and_values_of_their_type()
    {
        Assert.Empty(CaseValidation.CustomFields(null));
        var ok = new List<CustomFieldValue>
        {
            new("t", "text", JsonValue.Create("x")), new("b", "toggle", JsonValue.Create(false)), new("n", "number", JsonValue.Create(9_007_199_254_740_991L)),
            new("empty", "text", null),
        };
        Assert.Equal(4, CaseValidation.CustomFields(ok).Count);
        Refused("Array must be of length <= 10.", () => CaseValidation.CustomFields(Enumerable.Range(0, 11).Select(i => new CustomFieldValue($"k{i}", "text", null)).ToList()));
        Assert.Equal(10, CaseValidation.CustomFields(Enumerable.Range(0, 10).Select(i => new CustomFieldValue($"k{i}", "text", null)).ToList()).Count);
        Refused("supplied to \"customFields.key\"", () => CaseValidation.CustomFields([new("", "text", null)]));
        Refused("Invalid duplicated customFields keys in request: k", () => CaseValidation.CustomFields([new("k", "text", null), new("k", "toggle", null)]));
        Refused("supplied to \"customFields.type\"", () => CaseValidation.CustomFields([new("k", "date", null)]));
        Refused("The value of custom field k is not a valid text.", () => CaseValidation.CustomFields([new("k", "text", JsonValue.Create(1))]));
        Refused("The value of custom field k is not a valid toggle.", () => CaseValidation.CustomFields([new("k", "toggle", JsonValue.Create("true"))]));
        Refused("The value of custom field k is not a valid number.", () => CaseValidation.CustomFields([new("k", "number", JsonValue.Create(1.5))]));
        Refused("The value of custom field k is not a valid number.", () => CaseValidation.CustomFields([new("k", "number", JsonValue.Create(9_007_199_254_740_992L))]));
        Assert.Single(CaseValidation.CustomFields([new("k", "number", JsonValue.Create(-9_007_199_254_740_991L))]));
        Refused("The value of custom field k cannot be an empty string.", () => CaseValidation.CustomFields([new("k", "text", JsonValue.Create(" "))]));
        Refused("The length of the value of custom field k is too long. The maximum length is 160.", () => CaseValidation.CustomFields([new("k", "text", JsonValue.Create(new string('v', 161)))]));
        Assert.Single(CaseValidation.CustomFields([new("k", "text", JsonValue.Create(new string('v', 160)))]));
    }

    [Fact]
    public void Max_items_allows_the_limit_itself()
    {
        CaseValidation.MaxItems("ids", 100, 100);
        Refused("The length of the field ids is too long. Array must be of length <= 100.", () => CaseValidation.MaxItems("ids", 101, 100));
    }
}
