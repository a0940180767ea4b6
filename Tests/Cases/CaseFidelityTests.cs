using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using Cases.Tests.Settings;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Cases;

/// <summary>Case routes answered as Kibana answers them: the deprecated activity route and Kibana's strict request schemas.</summary>
public sealed class CaseFidelityTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Theory]
    [InlineData("default")]
    [InlineData("soc-emea")]
    public async Task The_deprecated_activity_route_lists_every_user_action_oldest_first_in_its_old_shape(string spaceName)
    {
        var space = spaceName == "default" ? "default" : CasesAppFixture.NewSpace();
        var c = await app.CreateCase(space);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await app.Patch(space, c.Id(), new { title = "Renamed" });
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var comment = (await app.AttachOk(space, c.Id(), UserComment("noted")))["comments"]![0]!;

        var response = await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{c.Id()}/user_actions"));
        var actions = (await response.Json()).AsArray();
        Assert.Contains("Deprecated endpoint", response.Headers.GetValues("Warning").Single());
        Assert.Equal(["create:create_case", "update:title", "create:comment"], actions.Select(a => $"{a!["action"]}:{a["type"]}"));
        var found = (await app.Get(space, $"/cases/{c.Id()}/user_actions/_find?sortOrder=asc"))["userActions"]!.AsArray();
        for (var i = 0; i < actions.Count; i++)
        {
            var old = actions[i]!.AsObject();
            Assert.Equal(["action", "action_id", "case_id", "comment_id", "created_at", "created_by", "owner", "payload", "type"], old.Select(p => p.Key));
            Assert.Equal(found[i]!.Id(), old["action_id"]!.GetValue<string>());
            Assert.Equal(c.Id(), old["case_id"]!.GetValue<string>());
            Assert.Equal(found[i]!["payload"]!.ToJsonString(), old["payload"]!.ToJsonString());
            Assert.Equal(found[i]!["created_at"]!.ToJsonString(), old["created_at"]!.ToJsonString());
        }
        Assert.Null(actions[0]!["comment_id"]);
        Assert.Equal(comment.Id(), actions[2]!["comment_id"]!.GetValue<string>());

        await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/no-such-case/user_actions"))).Error(HttpStatusCode.NotFound, "Saved object [cases/no-such-case] not found");
        // Not visible from another space.
        var elsewhere = space == "default" ? CasesAppFixture.NewSpace() : "default";
        await (await app.Http.GetAsync(CasesAppFixture.Api(elsewhere, $"/cases/{c.Id()}/user_actions"))).Error(HttpStatusCode.NotFound, "not found");
    }

    [Theory]
    [InlineData("/cases/_find?filter=x", "filter")]
    [InlineData("/cases/_find?namespaces=default", "namespaces")]
    [InlineData("/cases/_find?status=open&notExists=title", "notExists")]
    [InlineData("/cases/CASE/user_actions/_find?foo=1", "foo")]
    public async Task Unknown_query_parameters_are_refused_naming_them(string path, string key)
    {
        var space = CasesAppFixture.NewSpace();
        var c = await app.CreateCase(space);
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, path.Replace("CASE", c.Id())))).Error(HttpStatusCode.BadRequest, $"invalid keys \"{key}\"");
        // The known ones, also in their bracketed form, still work.
        Assert.Equal(1, (await app.Get(space, "/cases/_find?status=open&tags[]=phishing&sortOrder=asc&searchFields=title"))["total"]!.GetValue<int>());
    }

    public static TheoryData<string, string> MissingRequiredKeys => new()
    {
        { """{"connector": {"id": "none", "name": "none", "type": ".none"}}""", "Invalid value \"undefined\" supplied to \"connector,fields\"" },
        { """{"settings": {}}""", "Invalid value \"undefined\" supplied to \"settings,syncAlerts\"" },
        { """{"settings": {"syncAlerts": true, "other": 1}}""", "invalid keys \"other\"" },
        { """{"connector": {"id": "none", "name": "none", "type": ".none", "fields": {}}}""", "supplied to \"connector,fields\"" },
        { """{"connector": {"id": "j", "name": "Jira", "type": ".jira", "fields": {"issueType": "10001", "priority": null}}}""", "Invalid value \"undefined\" supplied to \"connector,fields,parent\"" },
        { """{"connector": {"id": "j", "name": "Jira", "type": ".jira", "fields": {"issueType": null, "priority": null, "parent": null, "summary": "x"}}}""", "invalid keys \"summary\"" },
        { """{"connector": {"id": "j", "name": "Jira", "type": ".jira", "fields": null, "extra": 1}}""", "invalid keys \"extra\"" },
    };

    [Theory]
    [MemberData(nameof(MissingRequiredKeys))]
    public async Task Keys_Kibana_requires_are_required_on_create_and_update(string change, string message)
    {
        var space = CasesAppFixture.NewSpace();
        var body = TestCases.NewCaseBody();
        foreach (var (key, value) in JsonNode.Parse(change)!.AsObject()) body[key] = value?.DeepClone();
        await (await app.PostCase(space, body)).Error(HttpStatusCode.BadRequest, message);

        var c = await app.CreateCase(space);
        var patch = JsonNode.Parse(change)!.AsObject();
        await (await app.PatchCase(space, c, patch)).Error(HttpStatusCode.BadRequest, message.Replace("\"connector,", "\"cases,connector,").Replace("\"settings,", "\"cases,settings,"));
    }

    [Fact]
    public async Task A_jira_connector_with_all_its_fields_and_a_custom_field_with_a_null_value_are_accepted_but_a_missing_value_is_not()
    {
        var space = CasesAppFixture.NewSpace();
        await app.Configure(space, SettingsClient.Body(customFields: [SettingsClient.Field("ticket", "text")]));
        var body = TestCases.NewCaseBody();
        body["customFields"] = JsonNode.Parse("""[{"key": "ticket", "type": "text", "value": null}]""");
        var created = await (await app.PostCase(space, body)).Json();
        Assert.Null(created["customFields"]![0]!["value"]);

        // Jira's three keys make a well-formed connector: what refuses it then is only that no such connector exists here.
        body["connector"] = JsonNode.Parse("""{"id": "j", "name": "Jira", "type": ".jira", "fields": {"issueType": "10001", "priority": "High", "parent": null}}""");
        await (await app.PostCase(space, body)).Error(HttpStatusCode.BadRequest, "[connector.id]: the connector j does not exist");

        body["customFields"] = JsonNode.Parse("""[{"key": "ticket", "type": "text"}]""");
        await (await app.PostCase(space, body)).Error(HttpStatusCode.BadRequest, "Invalid value \"undefined\" supplied to \"customFields,value\"");
    }
}
