using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using Cases.Tests.Settings;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Attachments;

public sealed class ObservablesTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    string Api(string path) => CasesAppFixture.Api(space, path);

    Task<HttpResponseMessage> Add(string caseId, string type, string value, string? description = null) =>
        app.Http.PostAsJsonAsync(Api($"/cases/{caseId}/observables"), new JsonObject
        {
            ["observable"] = new JsonObject { ["typeKey"] = type, ["value"] = value, ["description"] = description },
        });

    [Fact]
    public async Task Observables_are_validated_per_type_unique_and_at_most_50()
    {
        var settings = SettingsClient.Body();
        settings["observableTypes"] = new JsonArray(new JsonObject { ["key"] = "ticket-ref", ["label"] = "Ticket reference" });
        await SettingsClient.Configure(app, space, settings);
        var c = await app.CreateCase(space);
        var caseId = c.Id();
        var added = await (await Add(caseId, "observable-type-ipv4", "10.0.0.1", "C2 server")).Json();
        Assert.Equal(c["version"]!.GetValue<string>(), added["version"]!.GetValue<string>());
        var observable = added["observables"]![0]!;
        Assert.Equal("10.0.0.1", observable["value"]!.GetValue<string>());
        Assert.Equal("C2 server", observable["description"]!.GetValue<string>());

        await (await Add(caseId, "observable-type-ipv4", "10.0.0.1")).Error(HttpStatusCode.BadRequest, "already exists");
        await (await Add(caseId, "observable-type-ipv4", "10.0.0.300")).Error(HttpStatusCode.BadRequest, "is not valid for the observable type observable-type-ipv4");
        await (await Add(caseId, "observable-type-ipv6", "10.0.0.1")).Error(HttpStatusCode.BadRequest, "is not valid");
        await (await Add(caseId, "observable-type-email", "not-an-email")).Error(HttpStatusCode.BadRequest, "is not valid");
        await (await Add(caseId, "observable-type-file-hash", "xyz")).Error(HttpStatusCode.BadRequest, "is not valid");
        await (await Add(caseId, "observable-type-url", "no scheme")).Error(HttpStatusCode.BadRequest, "is not valid");
        await (await Add(caseId, "observable-type-nope", "x")).Error(HttpStatusCode.BadRequest, "Invalid value \"observable-type-nope\" supplied to \"observable.typeKey\"");
        foreach (var (type, value) in new[] { ("observable-type-ipv6", "2001:db8::1"), ("observable-type-hostname", "web-01.corp.example"), ("observable-type-domain", "example.org"),
                     ("observable-type-url", "https://example.org/login?x=1"), ("observable-type-email", "a@example.org"), ("observable-type-file-hash", new string('a', 64)),
                     ("observable-type-file-path", "C:\\Windows\\evil.exe"), ("ticket-ref", "INC-42") })
            await (await Add(caseId, type, value)).Json();

        // Update and delete, with user actions.
        var updated = await (await app.Http.PatchAsJsonAsync(Api($"/cases/{caseId}/observables/{observable.Id()}"),
            new JsonObject { ["observable"] = new JsonObject { ["value"] = "10.0.0.2", ["description"] = "moved" } })).Json();
        Assert.Contains(updated["observables"]!.AsArray(), o => o!["value"]!.GetValue<string>() == "10.0.0.2");
        await (await app.Http.PatchAsJsonAsync(Api($"/cases/{caseId}/observables/{observable.Id()}"),
            new JsonObject { ["observable"] = new JsonObject { ["value"] = "example.org" } })).Error(HttpStatusCode.BadRequest, "is not valid");
        Assert.Equal(HttpStatusCode.OK, (await app.Http.DeleteAsync(Api($"/cases/{caseId}/observables/{observable.Id()}"))).StatusCode);
        await (await app.Http.DeleteAsync(Api($"/cases/{caseId}/observables/{observable.Id()}"))).Error(HttpStatusCode.NotFound, "not found");
        var list = (await app.Get(space, $"/cases/{caseId}/observables"))["observables"]!.AsArray();
        Assert.Equal(8, list.Count);
        var kinds = (await app.Get(space, $"/cases/{caseId}/user_actions/_find?types=observables&perPage=100"))["userActions"]!.AsArray()
            .Select(a => a!["payload"]!["observables"]!["actionType"]!.GetValue<string>()).Distinct().Order().ToArray();
        Assert.Equal(["add", "delete", "update"], kinds);

        for (var i = list.Count; i < 50; i++) await (await Add(caseId, "observable-type-ipv4", $"192.168.0.{i}")).Json();
        await (await Add(caseId, "observable-type-ipv4", "192.168.1.1")).Error(HttpStatusCode.BadRequest, "maximum allowed number (50) of observables");

        var types = (await app.Get(space, "/cases/observables/types?owner=securitySolution")).AsArray().Select(t => t!["key"]!.GetValue<string>()).ToArray();
        Assert.Contains("ticket-ref", types);
        Assert.Contains("observable-type-ipv4", types);
        Assert.DoesNotContain("ticket-ref", (await app.Get(space, "/cases/observables/types?owner=observability")).AsArray().Select(t => t!["key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Alerts_with_ECS_fields_add_observables_when_auto_extract_is_on()
    {
        var caseId = (await app.CreateCase(space, new { settings = new { syncAlerts = false, extractObservables = true } })).Id();
        await (await Add(caseId, "observable-type-hostname", "web-01")).Json();
        var ecs = new JsonArray(
            JsonNode.Parse("""{"host":{"name":"web-01","id":"h1","ip":["10.1.1.1","fe80::1"]},"source":{"ip":"203.0.113.9"},"user":{"name":"alice"}}"""),
            JsonNode.Parse("""{"host.name":"db-01","destination.ip":"203.0.113.9","file":{"hash":{"sha256":"%s"}},"url.full":"https://bad.example/x"}""".Replace("%s", new string('b', 64))),
            null);
        var result = await app.AttachOk(space, caseId, Alerts(["e1", "e2", "e3"], ecs: ecs));
        Assert.Equal(3, result["totalAlerts"]!.GetValue<int>());
        var values = (await app.Get(space, $"/cases/{caseId}/observables"))["observables"]!.AsArray()
            .Select(o => $"{o!["typeKey"]}={o["value"]}").Order().ToArray();
        Assert.Equal(
            new[]
            {
                "observable-type-file-hash=" + new string('b', 64), "observable-type-hostname=db-01", "observable-type-hostname=web-01",
                "observable-type-ipv4=10.1.1.1", "observable-type-ipv4=203.0.113.9", "observable-type-ipv6=fe80::1", "observable-type-url=https://bad.example/x",
            }.Order().ToArray(),
            values);
        var actions = (await app.Get(space, $"/cases/{caseId}/user_actions/_find?types=observables"))["userActions"]!.AsArray();
        Assert.Equal(6, actions.Last()!["payload"]!["observables"]!["count"]!.GetValue<int>());

        // Off: nothing is extracted.
        var plain = (await app.CreateCase(space)).Id();
        await app.AttachOk(space, plain, Alerts(["e1"], ecs: new JsonArray(JsonNode.Parse("""{"host":{"name":"web-09"}}"""))));
        Assert.Empty((await app.Get(space, $"/cases/{plain}/observables"))["observables"]!.AsArray());
    }
}
