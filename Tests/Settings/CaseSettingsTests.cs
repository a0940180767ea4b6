using System.Net;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Settings.SettingsClient;

namespace Cases.Tests.Settings;

/// <summary>Kibana's case settings: one object per owner and space, versioned, with Kibana's limits and messages.</summary>
public sealed class CaseSettingsTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task Settings_are_created_read_by_owner_and_updated_with_their_version()
    {
        var space = CasesAppFixture.NewSpace();
        var created = await app.Configure(space, Body(customFields: [Field("ticket", "text")]));
        Assert.Equal("WzEsMV0=", created["version"]!.GetValue<string>());
        Assert.Equal("local-tester", created["created_by"]!["username"]!.GetValue<string>());
        Assert.Null(created["updated_at"]);
        var id = created["id"]!.GetValue<string>();

        var listed = await app.GetSettings(space, "?owner=securitySolution");
        Assert.Equal(id, Assert.Single(listed)!["id"]!.GetValue<string>());
        Assert.Empty(await app.GetSettings(space, "?owner=cases"));

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var updated = await (await app.PatchSettings(space, id, new JsonObject
        {
            ["version"] = created["version"]!.GetValue<string>(),
            ["closure_type"] = "close-by-pushing",
        })).Json();
        Assert.Equal("close-by-pushing", updated["closure_type"]!.GetValue<string>());
        Assert.Equal("ticket", updated["customFields"]![0]!["key"]!.GetValue<string>());
        Assert.Equal("local-tester", updated["updated_by"]!["username"]!.GetValue<string>());
        Assert.NotNull(updated["updated_at"]);
        Assert.NotEqual(created["version"]!.GetValue<string>(), updated["version"]!.GetValue<string>());

        // The version read before the update is stale now.
        await (await app.PatchSettings(space, id, new JsonObject { ["version"] = created["version"]!.GetValue<string>(), ["closure_type"] = "close-by-user" }))
            .Error(HttpStatusCode.Conflict, "This configuration has been updated. Please refresh before saving additional updates.");
        await (await app.PatchSettings(space, "no-such-id", new JsonObject { ["version"] = "WzEsMV0=" }))
            .Error(HttpStatusCode.NotFound, "Saved object [cases-configure/no-such-id] not found");
        await (await app.PatchSettings(space, id, new JsonObject { ["closure_type"] = "close-by-user" }))
            .Error(HttpStatusCode.BadRequest, "supplied to \"version\"");
    }

    [Fact]
    public async Task Creating_settings_again_for_an_owner_replaces_them_as_in_Kibana()
    {
        var space = CasesAppFixture.NewSpace();
        var first = await app.Configure(space, Body(customFields: [Field("ticket", "text")]));
        var second = await app.Configure(space, Body(customFields: [Field("impact", "number")]));
        Assert.NotEqual(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        var listed = Assert.Single(await app.GetSettings(space));
        Assert.Equal("impact", listed!["customFields"]![0]!["key"]!.GetValue<string>());
        await (await app.PatchSettings(space, first["id"]!.GetValue<string>(), new JsonObject { ["version"] = "WzEsMV0=" }))
            .Error(HttpStatusCode.NotFound, "not found");
    }

    [Fact]
    public async Task Settings_of_one_space_or_owner_never_apply_to_another()
    {
        var space = CasesAppFixture.NewSpace();
        var other = CasesAppFixture.NewSpace();
        var settings = await app.Configure(space, Body(customFields: [Field("ticket", "text", required: true)]));

        Assert.Empty(await app.GetSettings(other));
        await (await app.PatchSettings(other, settings["id"]!.GetValue<string>(), new JsonObject { ["version"] = "WzEsMV0=" }))
            .Error(HttpStatusCode.NotFound, "not found");

        // The required field of securitySolution in this space binds neither another owner nor another space.
        var otherOwner = await (await app.PostCase(space, WithOwner(TestCases.NewCaseBody(), "cases"))).Json();
        Assert.Empty(otherOwner["customFields"]!.AsArray());
        var otherSpace = await (await app.PostCase(other, TestCases.NewCaseBody())).Json();
        Assert.Empty(otherSpace["customFields"]!.AsArray());
        await (await app.PostCase(space, TestCases.NewCaseBody())).Error(HttpStatusCode.BadRequest, "Missing required custom fields without default value configured: \"ticket\"");

        // Nor can their fields be used there.
        var withTicket = TestCases.NewCaseBody();
        withTicket["customFields"] = new JsonArray(new JsonObject { ["key"] = "ticket", ["type"] = "text", ["value"] = "INC-1" });
        await (await app.PostCase(other, withTicket)).Error(HttpStatusCode.BadRequest, "No custom fields configured.");
        await (await app.PostCase(space, WithOwner(withTicket.DeepClone().AsObject(), "cases"))).Error(HttpStatusCode.BadRequest, "No custom fields configured.");
    }

    [Fact]
    public async Task Find_connectors_returns_the_list_shape()
    {
        var connectors = await (await app.Http.GetAsync("/api/cases/configure/connectors/_find")).Json();
        Assert.Empty(connectors.AsArray());
    }

    public static TheoryData<string, string> InvalidSettings => new()
    {
        { """{"closure_type": "close-by-magic"}""", "Invalid value \"close-by-magic\" supplied to \"closure_type\"" },
        { """{"owner": "everyone"}""", "Invalid value \"everyone\" supplied to \"owner\"" },
        { """{"connector": {"id": "x", "name": "x", "type": ".email", "fields": null}}""", "Invalid value \".email\" supplied to \"connector.type\"" },
        { """{"unknown": 1}""", "invalid keys \"unknown\"" },
        { """{"customFields": "FIELDS11"}""", "The length of the field customFields is too long. Array must be of length <= 10." },
        { """{"customFields": [{"key": "Bad Key", "label": "x", "type": "text", "required": false}]}""", "Key must be lower case, a-z, 0-9, '_', and '-' are allowed" },
        { """{"customFields": [{"key": "KEY37", "label": "x", "type": "text", "required": false}]}""", "The length of the key is too long. The maximum length is 36." },
        { """{"customFields": [{"key": "a", "label": "LABEL51", "type": "text", "required": false}]}""", "The length of the label is too long. The maximum length is 50." },
        { """{"customFields": [{"key": "a", "label": "", "type": "text", "required": false}]}""", "The label field cannot be an empty string." },
        { """{"customFields": [{"key": "a", "label": "x", "type": "date", "required": false}]}""", "Invalid value \"date\" supplied to \"customFields,type\"" },
        { """{"customFields": [{"key": "a", "label": "x", "type": "text"}]}""", "supplied to \"customFields,required\"" },
        { """{"customFields": [{"key": "a", "label": "x", "type": "toggle", "required": true, "defaultValue": "yes"}]}""", "The value of custom field a is not a valid toggle." },
        { """{"customFields": [{"key": "a", "label": "x", "type": "number", "required": true, "defaultValue": 1.5}]}""", "The value of custom field a is not a valid number." },
        { """{"customFields": [{"key": "a", "label": "x", "type": "text", "required": true, "defaultValue": "TEXT161"}]}""", "The length of the value of custom field a is too long. The maximum length is 160." },
        { """{"customFields": [{"key": "a", "label": "x", "type": "text", "required": true, "color": "red"}]}""", "invalid keys \"color\"" },
        { """{"customFields": [{"key": "a", "label": "x", "type": "text", "required": true}, {"key": "a", "label": "y", "type": "toggle", "required": true}]}""", "Invalid duplicated custom field keys in request: a" },
        { """{"templates": "TEMPLATES11"}""", "The length of the field templates is too long. Array must be of length <= 10." },
        { """{"templates": [{"key": "t", "name": "NAME51", "caseFields": null}]}""", "The length of the name is too long. The maximum length is 50." },
        { """{"templates": [{"key": "t", "name": "n", "description": "TEMPLATEDESCRIPTION1001", "caseFields": null}]}""", "The length of the description is too long. The maximum length is 1000." },
        { """{"templates": [{"key": "t", "name": "n", "tags": "TEMPLATETAGS11", "caseFields": null}]}""", "The length of the field template's tags is too long. Array must be of length <= 10." },
        { """{"templates": [{"key": "t", "name": "n", "tags": ["TEMPLATETAG51"], "caseFields": null}]}""", "The length of the template's tag is too long. The maximum length is 50." },
        { """{"templates": [{"key": "t", "name": "n", "caseFields": null}, {"key": "t", "name": "m", "caseFields": null}]}""", "Invalid duplicated templates keys in request: t" },
        { """{"templates": [{"key": "t", "name": "n", "caseFields": {"title": "TITLE161"}}]}""", "The length of the title is too long. The maximum length is 160." },
        { """{"templates": [{"key": "t", "name": "n", "caseFields": {"severity": "urgent"}}]}""", "Invalid value \"urgent\" supplied to \"severity\"" },
        { """{"templates": [{"key": "t", "name": "n", "caseFields": {"customFields": [{"key": "nope", "type": "text", "value": "x"}]}}]}""", "Invalid custom field keys: nope" },
        { """{"templates": [{"key": "t", "name": "n", "caseFields": {"status": "closed"}}]}""", "invalid keys \"status\"" },
        { """{"observableTypes": "OBSERVABLETYPES11"}""", "The length of the field observableTypes is too long. Array must be of length <= 10." },
        { """{"observableTypes": [{"key": "KEY37", "label": "x"}]}""", "The length of the key is too long. The maximum length is 36." },
        { """{"observableTypes": [{"key": "k", "label": "LABEL51"}]}""", "The length of the label is too long. The maximum length is 50." },
        { """{"observableTypes": [{"key": "k", "label": "x"}, {"key": "k", "label": "y"}]}""", "Invalid duplicated observable types keys in request: k" },
        { """{"observableTypes": [{"key": "k", "label": "ipv4"}]}""", "Invalid duplicated observable types labels in request: ipv4" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Invalid_settings_get_400_naming_the_field_and_limit(string overrides, string message)
    {
        var body = Body();
        foreach (var (key, value) in JsonNode.Parse(Expand(overrides))!.AsObject()) body[key] = value?.DeepClone();
        var response = await app.Http.PostAsync("/api/cases/configure", Json(body));
        await response.Error(HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task Values_at_the_limits_are_accepted()
    {
        var space = CasesAppFixture.NewSpace();
        var body = Body(
            customFields: [.. Enumerable.Range(0, 10).Select(i => (JsonNode)Field($"{i}" + new string('k', 35), "text", defaultValue: new string('v', 160)))],
            templates: [.. Enumerable.Range(0, 10).Select(i => (JsonNode)new JsonObject
            {
                ["key"] = $"t{i}", ["name"] = new string('n', 50), ["description"] = new string('d', 1000),
                ["tags"] = new JsonArray([.. Enumerable.Range(0, 10).Select(j => (JsonNode)$"{j}{new string('g', 49)}")]),
                ["caseFields"] = null,
            })]);
        body["observableTypes"] = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)new JsonObject { ["key"] = $"{i}{new string('o', 35)}", ["label"] = $"{i}{new string('l', 49)}" })]);
        var created = await app.Configure(space, body);
        Assert.Equal(10, created["customFields"]!.AsArray().Count);
        Assert.Equal(10, created["templates"]!.AsArray().Count);
        Assert.Equal(10, created["observableTypes"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_custom_fields_type_cannot_change_and_a_template_cannot_use_a_removed_field()
    {
        var space = CasesAppFixture.NewSpace();
        var template = new JsonObject
        {
            ["key"] = "phishing",
            ["name"] = "Phishing",
            ["caseFields"] = new JsonObject { ["customFields"] = new JsonArray(new JsonObject { ["key"] = "ticket", ["type"] = "text", ["value"] = "INC-0" }) },
        };
        var created = await app.Configure(space, Body(customFields: [Field("ticket", "text")], templates: [template]));
        var id = created["id"]!.GetValue<string>();
        var version = created["version"]!.GetValue<string>();
        await (await app.PatchSettings(space, id, new JsonObject { ["version"] = version, ["customFields"] = new JsonArray(Field("ticket", "number")) }))
            .Error(HttpStatusCode.BadRequest, "Invalid custom field types in request for the following keys: \"ticket\"");
        await (await app.PatchSettings(space, id, new JsonObject { ["version"] = version, ["customFields"] = new JsonArray() }))
            .Error(HttpStatusCode.BadRequest, "Invalid custom field keys: ticket");
        // Removing the field together with the template that uses it is fine.
        await (await app.PatchSettings(space, id, new JsonObject { ["version"] = version, ["customFields"] = new JsonArray(), ["templates"] = new JsonArray() })).Json();
    }

    static JsonObject WithOwner(JsonObject body, string owner)
    {
        body["owner"] = owner;
        return body;
    }

    static StringContent Json(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    static string Expand(string json) => json
        .Replace("\"FIELDS11\"", Array(11, i => $"{{\"key\":\"f{i}\",\"label\":\"x\",\"type\":\"text\",\"required\":false}}"))
        .Replace("\"TEMPLATES11\"", Array(11, i => $"{{\"key\":\"t{i}\",\"name\":\"x\",\"caseFields\":null}}"))
        .Replace("\"OBSERVABLETYPES11\"", Array(11, i => $"{{\"key\":\"o{i}\",\"label\":\"l{i}\"}}"))
        .Replace("\"TEMPLATETAGS11\"", Array(11, i => $"\"g{i}\""))
        .Replace("\"KEY37\"", Quoted(new string('k', 37)))
        .Replace("\"LABEL51\"", Quoted(new string('l', 51)))
        .Replace("\"NAME51\"", Quoted(new string('n', 51)))
        .Replace("\"TEXT161\"", Quoted(new string('v', 161)))
        .Replace("\"TITLE161\"", Quoted(new string('t', 161)))
        .Replace("\"TEMPLATETAG51\"", Quoted(new string('g', 51)))
        .Replace("\"TEMPLATEDESCRIPTION1001\"", Quoted(new string('d', 1001)));

    static string Array(int count, Func<int, string> item) => "[" + string.Join(',', Enumerable.Range(0, count).Select(item)) + "]";

    static string Quoted(string s) => "\"" + s + "\"";
}
