using System.Net;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Settings.SettingsClient;

namespace Cases.Tests.Settings;

/// <summary>
/// <c>POST /api/cases</c> with <c>"template": {"key": ...}</c> (our extension) starts from a template of the owner's
/// settings: it fills every field the request leaves out; what the request sends wins.
/// </summary>
public sealed class TemplateTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    static JsonObject Phishing() => new()
    {
        ["key"] = "phishing",
        ["name"] = "Phishing",
        ["description"] = "A user reported a phishing mail.",
        ["tags"] = new JsonArray("email"),
        ["caseFields"] = new JsonObject
        {
            ["title"] = "Phishing report",
            ["description"] = "Collect the headers and the links.",
            ["tags"] = new JsonArray("phishing", "email"),
            ["severity"] = "high",
            ["category"] = "Phishing",
            ["assignees"] = new JsonArray(new JsonObject { ["uid"] = "u_soc_lead" }),
            ["connector"] = NoneConnector(),
            ["settings"] = new JsonObject { ["syncAlerts"] = false },
            ["customFields"] = new JsonArray(new JsonObject { ["key"] = "ticket", ["type"] = "text", ["value"] = "PHISH" }),
        },
    };

    async Task<string> SpaceWithTemplate()
    {
        var space = CasesAppFixture.NewSpace();
        await app.Configure(space, Body(customFields: [Field("ticket", "text", required: true), Field("impact", "number", defaultValue: 3)],
            templates: [Phishing(), new JsonObject { ["key"] = "blank", ["name"] = "Blank", ["caseFields"] = null }]));
        return space;
    }

    static JsonObject FromTemplate(string key) => new() { ["owner"] = "securitySolution", ["template"] = new JsonObject { ["key"] = key } };

    [Fact]
    public async Task A_template_fills_every_field_the_request_leaves_out()
    {
        var space = await SpaceWithTemplate();
        var created = await (await app.PostCase(space, FromTemplate("phishing"))).Json();
        Assert.Equal("Phishing report", created["title"]!.GetValue<string>());
        Assert.Equal("Collect the headers and the links.", created["description"]!.GetValue<string>());
        Assert.Equal(["phishing", "email"], created["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("high", created["severity"]!.GetValue<string>());
        Assert.Equal("Phishing", created["category"]!.GetValue<string>());
        Assert.Equal("u_soc_lead", created["assignees"]![0]!["uid"]!.GetValue<string>());
        Assert.Equal(".none", created["connector"]!["type"]!.GetValue<string>());
        Assert.False(created["settings"]!["syncAlerts"]!.GetValue<bool>());
        Assert.Equal(new Dictionary<string, string> { ["ticket"] = "\"PHISH\"", ["impact"] = "3" }, Values(created));
        Assert.Null(created["template"]);
    }

    [Fact]
    public async Task What_the_request_sends_wins_over_the_template()
    {
        var space = await SpaceWithTemplate();
        var body = FromTemplate("phishing");
        body["title"] = "Phishing at finance";
        body["severity"] = "critical";
        body["category"] = null;
        body["tags"] = new JsonArray();
        body["customFields"] = new JsonArray(new JsonObject { ["key"] = "impact", ["type"] = "number", ["value"] = 5 });
        var created = await (await app.PostCase(space, body)).Json();
        Assert.Equal("Phishing at finance", created["title"]!.GetValue<string>());
        Assert.Equal("Collect the headers and the links.", created["description"]!.GetValue<string>());
        Assert.Equal("critical", created["severity"]!.GetValue<string>());
        Assert.Null(created["category"]);
        Assert.Empty(created["tags"]!.AsArray());
        // Custom fields merge by key: the request's value for impact, the template's for ticket.
        Assert.Equal(new Dictionary<string, string> { ["ticket"] = "\"PHISH\"", ["impact"] = "5" }, Values(created));
    }

    [Fact]
    public async Task Fields_neither_the_template_nor_the_request_give_are_still_required()
    {
        var space = await SpaceWithTemplate();
        var blank = FromTemplate("blank");
        await (await app.PostCase(space, blank)).Error(HttpStatusCode.BadRequest, "Invalid value \"undefined\" supplied to \"title\"");
        blank["title"] = "t";
        blank["description"] = "d";
        blank["connector"] = NoneConnector();
        blank["settings"] = new JsonObject { ["syncAlerts"] = true };
        await (await app.PostCase(space, blank)).Error(HttpStatusCode.BadRequest, "Missing required custom fields without default value configured: \"ticket\"");
        blank["customFields"] = new JsonArray(new JsonObject { ["key"] = "ticket", ["type"] = "text", ["value"] = "T-1" });
        var created = await (await app.PostCase(space, blank)).Json();
        Assert.Empty(created["tags"]!.AsArray());
    }

    [Fact]
    public async Task Unknown_templates_and_templates_of_other_spaces_or_owners_are_refused()
    {
        var space = await SpaceWithTemplate();
        await (await app.PostCase(space, FromTemplate("nope"))).Error(HttpStatusCode.BadRequest, "The template nope is not configured for the owner securitySolution in this space.");
        await (await app.PostCase(CasesAppFixture.NewSpace(), FromTemplate("phishing"))).Error(HttpStatusCode.BadRequest, "is not configured");
        var otherOwner = FromTemplate("phishing");
        otherOwner["owner"] = "cases";
        await (await app.PostCase(space, otherOwner)).Error(HttpStatusCode.BadRequest, "is not configured for the owner cases");
        var badShape = FromTemplate("phishing");
        badShape["template"]!["id"] = "x";
        await (await app.PostCase(space, badShape)).Error(HttpStatusCode.BadRequest, "invalid keys \"id\"");
    }
}
