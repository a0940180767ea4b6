using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Cases;

/// <summary>
/// Pins the wire format byte for byte (field names, order, value spellings, explicit nulls, timestamps) against files
/// in Tests/Golden that were checked against the examples in Kibana's OpenAPI file. Ids are the only thing masked, each
/// with a numbered placeholder in order of first appearance (<c>&lt;id1&gt;</c>, <c>&lt;id2&gt;</c>; the same id gets the
/// same one), so a response that swaps two ids or repeats the wrong one fails.
/// </summary>
public sealed partial class GoldenJsonTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task Case_lifecycle_responses_match_the_golden_files()
    {
        var space = CasesAppFixture.NewSpace();
        // A case's custom fields must be configured in the settings of its owner.
        await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/cases/configure"), new JsonObject
        {
            ["owner"] = "securitySolution",
            ["closure_type"] = "close-by-user",
            ["connector"] = new JsonObject { ["id"] = "none", ["name"] = "none", ["type"] = ".none", ["fields"] = null },
            ["customFields"] = new JsonArray(new JsonObject { ["key"] = "ticket", ["label"] = "Ticket", ["type"] = "text", ["required"] = false }),
        })).Json();
        var body = TestCases.NewCaseBody();
        body["category"] = "Intrusion";
        body["assignees"] = new JsonArray(new JsonObject { ["uid"] = "u_analyst_1" });
        body["customFields"] = new JsonArray(new JsonObject { ["key"] = "ticket", ["type"] = "text", ["value"] = "INC-1" });
        var created = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/cases"), body)).Json();
        Matches("create_case_response.json", created);

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var patch = new JsonObject
        {
            ["cases"] = new JsonArray(new JsonObject
            {
                ["id"] = created["id"]!.GetValue<string>(),
                ["version"] = created["version"]!.GetValue<string>(),
                ["status"] = "closed",
                ["tags"] = new JsonArray("phishing", "credential-theft"),
                ["severity"] = "high",
            }),
        };
        var updated = await (await app.Http.PatchAsJsonAsync(CasesAppFixture.Api(space, "/cases"), patch)).Json();
        Matches("update_case_response.json", updated);

        var found = await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_find?perPage=5"))).Json();
        Matches("find_case_response.json", found);

        var actions = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{created["id"]}/user_actions/_find"))).Json();
        Matches("find_case_activity_response.json", actions);

        var error = await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_find?perPage=500"))).Json(System.Net.HttpStatusCode.BadRequest);
        Matches("error_response.json", error);
    }

    internal static void Matches(string file, JsonNode actual)
    {
        var text = Mask(actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", file);
        if (!File.Exists(path))
        {
            // A new golden file: write it to the source tree for review, and fail until it is committed.
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Golden", file), text + "\n");
            Assert.Fail($"{file} did not exist; it was written to Tests/Golden for review.");
        }
        var expected = File.ReadAllText(path).Trim();
        Assert.True(expected == text, $"{file} differs. Actual:\n{text}");
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    internal static string Mask(string json)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        return Guid().Replace(json, id => $"<id{(numbers.TryGetValue(id.Value, out var n) ? n : numbers[id.Value] = numbers.Count + 1)}>");
    }
}
