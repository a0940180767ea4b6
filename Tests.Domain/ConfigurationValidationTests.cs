using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.Settings;
using Cases.Domain.Users;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class ConfigurationValidationTests
{
    static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly CaseUser Alice = new(null, null, "alice");

    static CustomFieldConfig Field(string key, string type = "text", bool? required = false, JsonNode? defaultValue = null) =>
        new(key, "Label " + key, type, required, defaultValue);

    static CaseTemplate Template(string key, TemplateCaseFields? fields = null) => new() { Key = key, Name = "Name " + key, CaseFields = fields };

    [Fact]
    public void Closure_type_is_one_of_two()
    {
        Assert.Equal("close-by-user", ConfigurationValidation.ClosureType("close-by-user"));
        Assert.Equal("close-by-pushing", ConfigurationValidation.ClosureType("close-by-pushing"));
        Refused("Invalid value \"close\" supplied to \"closure_type\"", () => ConfigurationValidation.ClosureType("close"));
        Refused("Invalid value \"undefined\" supplied to \"closure_type\"", () => ConfigurationValidation.ClosureType(null));
    }

    [Fact]
    public void Custom_fields_keys_labels_types_and_defaults()
    {
        Assert.Empty(ConfigurationValidation.CustomFields(null));
        var ten = Enumerable.Range(0, 10).Select(i => Field($"k{i}")).ToList();
        Assert.Equal(10, ConfigurationValidation.CustomFields(ten).Count);
        Refused("The length of the field customFields is too long. Array must be of length <= 10.", () => ConfigurationValidation.CustomFields([.. ten, Field("k10")]));
        Refused("Invalid value \"null\" supplied to \"customFields\"", () => ConfigurationValidation.CustomFields([null!]));
        Assert.Single(ConfigurationValidation.CustomFields([Field(new string('k', 36))]));
        Refused("The length of the key is too long. The maximum length is 36.", () => ConfigurationValidation.CustomFields([Field(new string('k', 37))]));
        Refused("Key must be lower case, a-z, 0-9, '_', and '-' are allowed", () => ConfigurationValidation.CustomFields([Field("Upper")]));
        Refused("Key must be lower case, a-z, 0-9, '_', and '-' are allowed", () => ConfigurationValidation.CustomFields([Field("a b")]));
        Refused("Key must be lower case, a-z, 0-9, '_', and '-' are allowed", () => ConfigurationValidation.CustomFields([Field("ok\n")]));
        Assert.Single(ConfigurationValidation.CustomFields([Field("a_b-9")]));
        Refused("The key field cannot be an empty string.", () => ConfigurationValidation.CustomFields([Field(" ")]));
        Refused("The length of the label is too long. The maximum length is 50.", () => ConfigurationValidation.CustomFields([Field("k") with { Label = new string('l', 51) }]));
        Assert.Single(ConfigurationValidation.CustomFields([Field("k") with { Label = new string('l', 50) }]));
        Refused("Invalid value \"date\" supplied to \"customFields,type\"", () => ConfigurationValidation.CustomFields([Field("k", "date")]));
        Refused("Invalid value \"undefined\" supplied to \"customFields,required\"", () => ConfigurationValidation.CustomFields([Field("k", required: null)]));
        Refused("The value of custom field k is not a valid toggle.", () => ConfigurationValidation.CustomFields([Field("k", "toggle", defaultValue: "yes")]));
        Assert.Single(ConfigurationValidation.CustomFields([Field("k", "toggle", defaultValue: JsonNode.Parse("true"))]));
        Refused("Invalid duplicated custom field keys in request: a,b", () => ConfigurationValidation.CustomFields([Field("a"), Field("b"), Field("a"), Field("b"), Field("c")]));
    }

    [Fact]
    public void A_custom_field_keeps_its_type()
    {
        ConfigurationValidation.SameTypes([Field("a"), Field("new", "number")], [Field("a"), Field("gone", "toggle")]);
        Refused("Invalid custom field types in request for the following keys: \"a\", \"c\"",
            () => ConfigurationValidation.SameTypes([Field("a", "number"), Field("b"), Field("c", "toggle")], [Field("a"), Field("b"), Field("c")]));
    }

    [Fact]
    public void Templates_keys_names_descriptions_tags_and_fields()
    {
        Assert.Empty(ConfigurationValidation.Templates(null, []));
        var ten = Enumerable.Range(0, 10).Select(i => Template($"t{i}")).ToList();
        Assert.Equal(10, ConfigurationValidation.Templates(ten, []).Count);
        Refused("The length of the field templates is too long. Array must be of length <= 10.", () => ConfigurationValidation.Templates([.. ten, Template("t10")], []));
        Refused("Invalid value \"null\" supplied to \"templates\"", () => ConfigurationValidation.Templates([null!], []));
        Refused("Key must be lower case", () => ConfigurationValidation.Templates([Template("T")], []));
        Refused("Invalid value \"undefined\" supplied to \"key\"", () => ConfigurationValidation.Templates([Template("t") with { Key = null }], []));
        Refused("The length of the name is too long. The maximum length is 50.", () => ConfigurationValidation.Templates([Template("t") with { Name = new string('n', 51) }], []));
        Assert.Single(ConfigurationValidation.Templates([Template("t") with { Description = new string('d', 1000) }], []));
        Refused("The length of the description is too long. The maximum length is 1000.", () => ConfigurationValidation.Templates([Template("t") with { Description = new string('d', 1001) }], []));
        var tenTags = Enumerable.Range(0, 10).Select(i => $"tag{i}").ToList();
        Assert.Single(ConfigurationValidation.Templates([Template("t") with { Tags = tenTags }], []));
        Refused("The length of the field template's tags is too long. Array must be of length <= 10.", () => ConfigurationValidation.Templates([Template("t") with { Tags = [.. tenTags, "x"] }], []));
        Refused("The length of the template's tag is too long. The maximum length is 50.", () => ConfigurationValidation.Templates([Template("t") with { Tags = [new string('x', 51)] }], []));
        Refused("The template's tag field cannot be an empty string.", () => ConfigurationValidation.Templates([Template("t") with { Tags = [""] }], []));
        Refused("Invalid duplicated templates keys in request: t", () => ConfigurationValidation.Templates([Template("t"), Template("t")], []));
    }

    [Fact]
    public void What_a_template_fills_must_be_a_valid_case_value()
    {
        IReadOnlyList<CustomFieldConfig> config = [Field("k")];
        var valid = new TemplateCaseFields
        {
            Title = "t",
            Description = "d",
            Tags = ["x"],
            Severity = "high",
            Category = "c",
            Assignees = [new("u")],
            Connector = Connector.None,
            CustomFields = [new("k", "text", "v")],
            Settings = new CaseSettings(true),
        };
        Assert.Single(ConfigurationValidation.Templates([Template("t", valid)], config));
        Assert.Single(ConfigurationValidation.Templates([Template("t", new TemplateCaseFields())], config));
        void Bad(string message, TemplateCaseFields fields) => Refused(message, () => ConfigurationValidation.Templates([Template("t", fields)], config));
        Bad("The length of the title is too long.", new() { Title = new string('t', 161) });
        Bad("The length of the description is too long. The maximum length is 30000.", new() { Description = new string('d', 30_001) });
        Bad("The tag field cannot be an empty string.", new() { Tags = [" "] });
        Bad("Invalid value \"urgent\" supplied to \"severity\"", new() { Severity = "urgent" });
        Bad("The category field cannot be an empty string.", new() { Category = "" });
        Bad("Invalid value \"\" supplied to \"assignees.uid\"", new() { Assignees = [new("")] });
        Bad("Invalid value \"nope\" supplied to \"connector.type\"", new() { Connector = Connector.None with { Type = "nope" } });
        Bad("Invalid custom field keys: other", new() { CustomFields = [new("other", "text", "v")] });
        Bad("The following custom fields have the wrong type in the request: k", new() { CustomFields = [new("k", "number", null)] });
        Bad("The value of custom field k cannot be an empty string.", new() { CustomFields = [new("k", "text", " ")] });
    }

    [Fact]
    public void Observable_types_keys_labels_and_no_clash_with_built_in_labels()
    {
        Assert.Empty(ConfigurationValidation.ObservableTypes(null));
        var ten = Enumerable.Range(0, 10).Select(i => new ObservableTypeConfig($"o{i}", $"Label {i}")).ToList();
        Assert.Equal(10, ConfigurationValidation.ObservableTypes(ten).Count);
        Refused("The length of the field observableTypes is too long. Array must be of length <= 10.", () => ConfigurationValidation.ObservableTypes([.. ten, new("o10", "L")]));
        Refused("Invalid value \"null\" supplied to \"observableTypes\"", () => ConfigurationValidation.ObservableTypes([null!]));
        Refused("The length of the key is too long. The maximum length is 36.", () => ConfigurationValidation.ObservableTypes([new(new string('k', 37), "L")]));
        Assert.Single(ConfigurationValidation.ObservableTypes([new("Any Shape", "L")]));
        Refused("The length of the label is too long. The maximum length is 50.", () => ConfigurationValidation.ObservableTypes([new("k", new string('l', 51))]));
        Refused("The label field cannot be an empty string.", () => ConfigurationValidation.ObservableTypes([new("k", " ")]));
        Refused("Invalid duplicated observable types keys in request: k", () => ConfigurationValidation.ObservableTypes([new("k", "A"), new("k", "B")]));
        Refused("Invalid duplicated observable types labels in request: Same", () => ConfigurationValidation.ObservableTypes([new("a", "Same"), new("b", " same ")]));
        Refused("Invalid duplicated observable types labels in request:  ipv4", () => ConfigurationValidation.ObservableTypes([new("a", " ipv4")]));
        Refused("Invalid duplicated observable types labels in request: agent id", () => ConfigurationValidation.ObservableTypes([new("a", "agent id")]));
    }

    [Fact]
    public void Create_validates_every_part()
    {
        var input = new NewConfiguration
        {
            Owner = "cases",
            ClosureType = "close-by-user",
            Connector = Connector.None,
            CustomFields = [Field("k")],
            Templates = [Template("t", new() { CustomFields = [new("k", "text", "v")] })],
            ObservableTypes = [new("o", "Obs")],
        };
        var created = ConfigurationRules.Create(input, "cfg1", Alice, Now);
        Assert.Equal(("cfg1", "cases", "close-by-user", Connector.None, Now, Alice), (created.Id, created.Owner, created.ClosureType, created.Connector, created.CreatedAt, created.CreatedBy));
        Assert.Equal([Field("k")], created.CustomFields);
        Assert.Equal("t", Assert.Single(created.Templates).Key);
        Assert.Equal([new ObservableTypeConfig("o", "Obs")], created.ObservableTypes);
        Assert.Null(created.UpdatedAt);

        var bare = ConfigurationRules.Create(input with { CustomFields = null, Templates = null, ObservableTypes = null }, "cfg2", Alice, Now);
        Assert.Empty(bare.CustomFields);
        Assert.Empty(bare.Templates);
        Assert.Empty(bare.ObservableTypes);

        Refused("Invalid value \"x\" supplied to \"owner\"", () => ConfigurationRules.Create(input with { Owner = "x" }, "c", Alice, Now));
        Refused("supplied to \"closure_type\"", () => ConfigurationRules.Create(input with { ClosureType = null }, "c", Alice, Now));
        Refused("Invalid value \"undefined\" supplied to \"connector\"", () => ConfigurationRules.Create(input with { Connector = null }, "c", Alice, Now));
        Refused("Invalid custom field keys: k", () => ConfigurationRules.Create(input with { CustomFields = [] }, "c", Alice, Now));
        Refused("Invalid duplicated observable types keys", () => ConfigurationRules.Create(input with { ObservableTypes = [new("o", "A"), new("o", "B")] }, "c", Alice, Now));
    }

    [Fact]
    public void Apply_changes_only_what_the_patch_sends()
    {
        var jira = new Connector("j", "Jira", ".jira", null);
        var current = ConfigurationRules.Create(new NewConfiguration
        {
            Owner = "cases",
            ClosureType = "close-by-user",
            Connector = Connector.None,
            CustomFields = [Field("k")],
            Templates = [Template("t", new() { CustomFields = [new("k", "text", "v")] })],
            ObservableTypes = [new("o", "Obs")],
        }, "cfg", Alice, Now);
        var bob = new CaseUser(null, null, "bob");
        var later = Now.AddHours(1);

        var unchanged = ConfigurationRules.Apply(current, new ConfigurationPatch { Version = "v" }, bob, later);
        Assert.Equal(current with { UpdatedAt = later, UpdatedBy = bob, CustomFields = unchanged.CustomFields, Templates = unchanged.Templates, ObservableTypes = unchanged.ObservableTypes }, unchanged);
        Assert.Equal(current.CustomFields, unchanged.CustomFields);
        Assert.Equal(current.Templates, unchanged.Templates);
        Assert.Equal(current.ObservableTypes, unchanged.ObservableTypes);

        var changed = ConfigurationRules.Apply(current, new ConfigurationPatch
        {
            ClosureType = "close-by-pushing",
            Connector = jira,
            CustomFields = [Field("k"), Field("n", "number")],
            Templates = [],
            ObservableTypes = [],
        }, bob, later);
        Assert.Equal("close-by-pushing", changed.ClosureType);
        Assert.Equal(jira, changed.Connector);
        Assert.Equal(["k", "n"], changed.CustomFields.Select(f => f.Key));
        Assert.Empty(changed.Templates);
        Assert.Empty(changed.ObservableTypes);
        Assert.Equal((Now, Alice, later, bob), (changed.CreatedAt, changed.CreatedBy, changed.UpdatedAt, changed.UpdatedBy));

        Refused("Invalid custom field types in request for the following keys: \"k\"", () => ConfigurationRules.Apply(current, new ConfigurationPatch { CustomFields = [Field("k", "toggle")] }, bob, later));
        Refused("Invalid custom field keys: k", () => ConfigurationRules.Apply(current, new ConfigurationPatch { CustomFields = [] }, bob, later));
        Refused("supplied to \"closure_type\"", () => ConfigurationRules.Apply(current, new ConfigurationPatch { ClosureType = "x" }, bob, later));
        Refused("supplied to \"connector.type\"", () => ConfigurationRules.Apply(current, new ConfigurationPatch { Connector = jira with { Type = "x" } }, bob, later));
        Refused("observableTypes", () => ConfigurationRules.Apply(current, new ConfigurationPatch { ObservableTypes = [null!] }, bob, later));
    }

    [Fact]
    public void Stale_and_not_found_use_kibanas_words()
    {
        var stale = ConfigurationRules.Stale();
        Assert.Equal((409, "This configuration has been updated. Please refresh before saving additional updates."), (stale.StatusCode, stale.Message));
        var missing = ConfigurationRules.NotFound("abc");
        Assert.Equal((404, "Saved object [cases-configure/abc] not found"), (missing.StatusCode, missing.Message));
    }
}
