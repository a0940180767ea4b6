using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Cases;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Settings;

/// <summary>Pins the settings wire format (Tests/Golden/configure_*.json), shaped after the examples in Kibana's OpenAPI file.</summary>
public sealed class SettingsGoldenTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task Case_settings_responses_match_the_golden_files()
    {
        var space = CasesAppFixture.NewSpace();
        var body = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "configure_request.json")))!;
        var created = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/cases/configure"), body)).Json();
        GoldenJsonTests.Matches("configure_response.json", created);

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var patch = new JsonObject { ["version"] = created["version"]!.GetValue<string>(), ["closure_type"] = "close-by-pushing" };
        var updated = await (await app.Http.PatchAsJsonAsync(CasesAppFixture.Api(space, $"/cases/configure/{created["id"]}"), patch)).Json();
        var listed = await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/configure?owner=securitySolution"))).Json();
        Assert.Equal(updated.ToJsonString(), listed[0]!.ToJsonString());
        GoldenJsonTests.Matches("configure_update_response.json", updated);
    }
}
