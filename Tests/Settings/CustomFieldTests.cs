using System.Net;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Settings.SettingsClient;

namespace Cases.Tests.Settings;

/// <summary>A case's custom fields follow its owner's settings in its space, on create and on update.</summary>
public sealed class CustomFieldTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    /// <summary>One field of each type: optional text with a default, required toggle with a default, optional number, required text.</summary>
    async Task<string> SpaceWithFields()
    {
        var space = CasesAppFixture.NewSpace();
        await app.Configure(space, Body(customFields:
        [
            Field("ticket", "text", defaultValue: "INC-0"),
            Field("escalated", "toggle", required: true, defaultValue: false),
            Field("impact", "number"),
            Field("summary", "text", required: true),
        ]));
        return space;
    }

    static JsonObject CaseWith(params (string Key, string Type, JsonNode? Value)[] fields)
    {
        var body = TestCases.NewCaseBody();
        body["customFields"] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["key"] = f.Key, ["type"] = f.Type, ["value"] = f.Value })]);
        return body;
    }

    [Fact]
    public async Task Each_type_is_stored_and_missing_fields_take_their_default_or_null_in_settings_order()
    {
        var space = await SpaceWithFields();
        var created = await (await app.PostCase(space, CaseWith(("summary", "text", "Phished"), ("impact", "number", 42)))).Json();
        Assert.Equal(["ticket", "escalated", "impact", "summary"], created["customFields"]!.AsArray().Select(f => f!["key"]!.GetValue<string>()));
        Assert.Equal(new Dictionary<string, string> { ["ticket"] = "\"INC-0\"", ["escalated"] = "false", ["impact"] = "42", ["summary"] = "\"Phished\"" }, Values(created));

        var explicitValues = await (await app.PostCase(space, CaseWith(("summary", "text", "x"), ("ticket", "text", null), ("escalated", "toggle", true)))).Json();
        Assert.Equal(new Dictionary<string, string> { ["ticket"] = "null", ["escalated"] = "true", ["impact"] = "null", ["summary"] = "\"x\"" }, Values(explicitValues));

        var fetched = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{created["id"]}"))).Json();
        Assert.Equal(Values(created), Values(fetched));
    }

    [Fact]
    public async Task Cases_can_be_found_by_custom_field_value()
    {
        var space = await SpaceWithFields();
        await app.PostCase(space, CaseWith(("summary", "text", "A"), ("ticket", "text", "INC-7"), ("escalated", "toggle", true)));
        await app.PostCase(space, CaseWith(("summary", "text", "B"), ("impact", "number", 3)));
        await app.PostCase(space, CaseWith(("summary", "text", "C"), ("ticket", "text", null)));
        async Task<string[]> Summaries(string filter)
        {
            var found = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/_find?customFields={Uri.EscapeDataString(filter)}"))).Json();
            return found["cases"]!.AsArray().Select(c => c!["customFields"]!.AsArray().First(f => f!["key"]!.GetValue<string>() == "summary")!["value"]!.GetValue<string>()).Order().ToArray();
        }
        Assert.Equal(["A"], await Summaries("""{"ticket":["INC-7"]}"""));
        Assert.Equal(["A"], await Summaries("""{"escalated":[true]}"""));
        Assert.Equal(["B"], await Summaries("""{"impact":[3]}"""));
        Assert.Equal(["C"], await Summaries("""{"ticket":[null]}"""));
        Assert.Equal(["A", "B"], await Summaries("""{"ticket":["INC-7","INC-0"]}"""));
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_find?customFields=notjson"))).Error(HttpStatusCode.BadRequest, "supplied to \"customFields\"");
    }

    public static TheoryData<string, string> InvalidValues => new()
    {
        { """[{"key": "summary", "type": "text", "value": "x"}, {"key": "nope", "type": "text", "value": "x"}]""", "Invalid custom field keys: nope" },
        { """[{"key": "summary", "type": "text", "value": "x"}, {"key": "impact", "type": "text", "value": "x"}]""", "The following custom fields have the wrong type in the request: impact" },
        { """[{"key": "summary", "type": "text", "value": "x"}, {"key": "impact", "type": "number", "value": "42"}]""", "The value of custom field impact is not a valid number." },
        { """[{"key": "summary", "type": "text", "value": "x"}, {"key": "impact", "type": "number", "value": 9007199254740992}]""", "The value of custom field impact is not a valid number." },
        { """[{"key": "summary", "type": "text", "value": "x"}, {"key": "escalated", "type": "toggle", "value": 1}]""", "The value of custom field escalated is not a valid toggle." },
        { """[{"key": "summary", "type": "text", "value": "TEXT161"}]""", "The length of the value of custom field summary is too long. The maximum length is 160." },
        { """[{"key": "summary", "type": "text", "value": " "}]""", "The value of custom field summary cannot be an empty string." },
        { """[]""", "Missing required custom fields without default value configured: \"summary\"" },
        { """[{"key": "summary", "type": "text", "value": null}]""", "Invalid value \"null\" supplied for the following required custom fields: \"summary\"" },
        { """[{"key": "summary", "type": "text", "value": "x"}, {"key": "escalated", "type": "toggle", "value": null}]""", "Invalid value \"null\" supplied for the following required custom fields: \"escalated\"" },
        { """[{"key": "summary", "type": "text", "value": "x"}, {"key": "summary", "type": "text", "value": "y"}]""", "Invalid duplicated customFields keys in request: summary" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task Invalid_values_are_refused_on_create_and_update_naming_the_key(string fields, string message)
    {
        var space = await SpaceWithFields();
        var customFields = JsonNode.Parse(fields.Replace("\"TEXT161\"", "\"" + new string('v', 161) + "\""))!;
        var body = TestCases.NewCaseBody();
        body["customFields"] = customFields.DeepClone();
        await (await app.PostCase(space, body)).Error(HttpStatusCode.BadRequest, message);

        // On update the list sent replaces the case's, so the same checks apply.
        var existing = await (await app.PostCase(space, CaseWith(("summary", "text", "ok")))).Json();
        await (await app.PatchCase(space, existing.AsObject(), new JsonObject { ["customFields"] = customFields.DeepClone() }))
            .Error(HttpStatusCode.BadRequest, message);
    }

    static JsonArray Fields(params (string Key, string Type, JsonNode? Value)[] fields) =>
        new([.. fields.Select(f => (JsonNode)new JsonObject { ["key"] = f.Key, ["type"] = f.Type, ["value"] = f.Value })]);

    [Fact]
    public async Task An_update_replaces_the_whole_list_defaults_fill_what_it_leaves_out_in_settings_order()
    {
        var space = await SpaceWithFields();
        var created = await (await app.PostCase(space, CaseWith(("summary", "text", "first"), ("ticket", "text", "INC-9"), ("escalated", "toggle", true)))).Json();

        // A required field without default left out is refused, as in Kibana (not "identical").
        await (await app.PatchCase(space, created.AsObject(), new JsonObject { ["customFields"] = Fields(("impact", "number", 2)) }))
            .Error(HttpStatusCode.BadRequest, "Missing required custom fields without default value configured: \"summary\"");

        // What is left out takes its default (ticket, escalated) or null, whatever the case had; the answer is in settings order.
        var updated = (await (await app.PatchCase(space, created.AsObject(), new JsonObject
        {
            ["customFields"] = Fields(("impact", "number", 2), ("summary", "text", "first")),
        })).Json())[0]!;
        Assert.Equal(["ticket", "escalated", "impact", "summary"], updated["customFields"]!.AsArray().Select(f => f!["key"]!.GetValue<string>()));
        Assert.Equal(new Dictionary<string, string> { ["ticket"] = "\"INC-0\"", ["escalated"] = "false", ["impact"] = "2", ["summary"] = "\"first\"" }, Values(updated));

        // The same values again, in any order, change nothing.
        var same = Fields(("summary", "text", "first"), ("impact", "number", 2), ("escalated", "toggle", false), ("ticket", "text", "INC-0"));
        await (await app.PatchCase(space, updated.AsObject(), new JsonObject { ["customFields"] = same.DeepClone() }))
            .Error(HttpStatusCode.NotAcceptable, "All update fields are identical to current version.");

        // A field added to the settings later makes the stored list incomplete: the same values are then a change.
        var settings = (await app.GetSettings(space))[0]!;
        var fields = settings["customFields"]!.DeepClone().AsArray();
        fields.Insert(0, Field("region", "text", defaultValue: "emea"));
        await (await app.PatchSettings(space, settings["id"]!.GetValue<string>(), new JsonObject { ["version"] = settings["version"]!.GetValue<string>(), ["customFields"] = fields })).Json();
        var again = (await (await app.PatchCase(space, updated.AsObject(), new JsonObject { ["customFields"] = same.DeepClone() })).Json())[0]!;
        Assert.Equal(["region", "ticket", "escalated", "impact", "summary"], again["customFields"]!.AsArray().Select(f => f!["key"]!.GetValue<string>()));
        Assert.Equal("\"emea\"", Values(again)["region"]);
    }

    [Fact]
    public async Task Removing_a_field_from_the_settings_does_not_break_existing_cases()
    {
        var space = await SpaceWithFields();
        var created = await (await app.PostCase(space, CaseWith(("summary", "text", "kept"), ("impact", "number", 7)))).Json();
        var settings = (await app.GetSettings(space))[0]!;
        await (await app.PatchSettings(space, settings["id"]!.GetValue<string>(), new JsonObject
        {
            ["version"] = settings["version"]!.GetValue<string>(),
            ["customFields"] = new JsonArray(Field("summary", "text", required: true)),
        })).Json();

        var fetched = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{created["id"]}"))).Json();
        Assert.Equal("7", Values(fetched)["impact"]);
        var renamed = (await (await app.PatchCase(space, fetched.AsObject(), new JsonObject { ["title"] = "Renamed" })).Json())[0]!;
        Assert.Equal("Renamed", renamed["title"]!.GetValue<string>());
        // Sending the case's fields back as read still works; the removed one keeps its value.
        var echoed = (await (await app.PatchCase(space, renamed.AsObject(), new JsonObject
        {
            ["customFields"] = renamed["customFields"]!.DeepClone().AsArray().Select(f =>
                f!["key"]!.GetValue<string>() == "summary" ? new JsonObject { ["key"] = "summary", ["type"] = "text", ["value"] = "changed" } : f!.DeepClone()).ToJsonArray(),
        })).Json())[0]!;
        Assert.Equal("7", Values(echoed)["impact"]);
        Assert.Equal("\"changed\"", Values(echoed)["summary"]);
        // New cases no longer accept it.
        await (await app.PostCase(space, CaseWith(("summary", "text", "x"), ("impact", "number", 1)))).Error(HttpStatusCode.BadRequest, "Invalid custom field keys: impact");
    }
}

static class JsonArrayExtensions
{
    public static JsonArray ToJsonArray(this IEnumerable<JsonNode?> items) => new([.. items]);
}
