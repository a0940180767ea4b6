using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.Settings;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class CustomFieldRulesTests
{
    static readonly IReadOnlyList<CustomFieldConfig> Config =
    [
        new("t", "Text", "text", false),
        new("n", "Number", "number", true, JsonNode.Parse("7")),
        new("b", "Toggle", "toggle", false, JsonNode.Parse("false")),
    ];

    static string Show(IReadOnlyList<CustomFieldValue> values) => CaseJson.CustomFields(values).ToJsonString();

    [Fact]
    public void A_new_case_gets_every_configured_field_in_order_with_defaults()
    {
        Assert.Equal("""[{"key":"t","type":"text","value":null},{"key":"n","type":"number","value":7},{"key":"b","type":"toggle","value":false}]""",
            Show(CustomFieldRules.ForNewCase([], Config)));
        Assert.Equal("""[{"key":"t","type":"text","value":"x"},{"key":"n","type":"number","value":1},{"key":"b","type":"toggle","value":false}]""",
            Show(CustomFieldRules.ForNewCase([new("n", "number", JsonNode.Parse("1")), new("t", "text", "x")], Config)));
        Assert.Empty(CustomFieldRules.ForNewCase([], null));
        Assert.Empty(CustomFieldRules.ForNewCase([], []));
    }

    [Fact]
    public void Defaults_are_copies_not_the_settings_own_nodes()
    {
        var result = CustomFieldRules.ForNewCase([], Config);
        Assert.NotSame(Config[1].DefaultValue, result[1].Value);
        Assert.Null(result[1].Value!.Parent);
    }

    [Fact]
    public void Without_settings_only_fields_the_case_already_has_are_accepted()
    {
        Refused("No custom fields configured.", () => CustomFieldRules.ForNewCase([new("t", "text", "x")], null));
        var kept = CustomFieldRules.ForUpdate([new("old", "text", "y")], null, [new("old", "text", "x")]);
        Assert.Equal("""[{"key":"old","type":"text","value":"y"}]""", Show(kept));
    }

    [Fact]
    public void Required_fields_refused_when_missing_without_default_or_sent_as_null()
    {
        IReadOnlyList<CustomFieldConfig> config = [new("r1", "R1", "text", true), new("r2", "R2", "text", true), new("d", "D", "number", true, JsonNode.Parse("3"))];
        Refused("Missing required custom fields without default value configured: \"r1\", \"r2\"", () => CustomFieldRules.ForNewCase([], config));
        Refused("Invalid value \"null\" supplied for the following required custom fields: \"r1\", \"d\"",
            () => CustomFieldRules.ForNewCase([new("r1", "text", null), new("r2", "text", "x"), new("d", "number", null)], config));
        Refused("Missing required custom fields without default value configured: \"r2\"",
            () => CustomFieldRules.ForNewCase([new("r1", "text", null)], config));
        Assert.Equal(3, CustomFieldRules.ForNewCase([new("r1", "text", "a"), new("r2", "text", "b")], config).Count);
    }

    [Fact]
    public void Unknown_keys_and_wrong_types_are_named()
    {
        Refused("Invalid custom field keys: x,y", () => CustomFieldRules.ForNewCase([new("x", "text", null), new("t", "number", null), new("y", "text", null)], Config));
        Refused("The following custom fields have the wrong type in the request: t,b",
            () => CustomFieldRules.ForNewCase([new("t", "number", null), new("n", "number", null), new("b", "text", null)], Config));
    }

    [Fact]
    public void An_update_keeps_fields_the_settings_no_longer_have_after_the_configured_ones()
    {
        IReadOnlyList<CustomFieldValue> current = [new("gone", "toggle", true), new("t", "text", "old")];
        var result = CustomFieldRules.ForUpdate([new("gone", "toggle", false), new("t", "text", "new")], Config, current);
        Assert.Equal("""[{"key":"t","type":"text","value":"new"},{"key":"n","type":"number","value":7},{"key":"b","type":"toggle","value":false},{"key":"gone","type":"toggle","value":false}]""",
            Show(result));
        Refused("The following custom fields have the wrong type in the request: gone",
            () => CustomFieldRules.ForUpdate([new("gone", "text", "x")], Config, current));
        Refused("Invalid custom field keys: never", () => CustomFieldRules.ForUpdate([new("never", "text", "x")], Config, current));
        // A field left out of the update takes its default again (the list sent replaces the case's list).
        Assert.Equal("""[{"key":"t","type":"text","value":null},{"key":"n","type":"number","value":7},{"key":"b","type":"toggle","value":false}]""",
            Show(CustomFieldRules.ForUpdate([], Config, current)));
    }
}
