using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Attachments;
using Cases.Tests.Files;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Cases;

/// <summary>Pins the wire format of files, observables, bulk get and the tags/reporters/categories listings (Tests/Golden).</summary>
public sealed class MoreGoldenTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task Files_observables_bulk_get_and_listings_match_the_golden_files()
    {
        var space = CasesAppFixture.NewSpace();
        var first = await app.CreateCase(space, new { category = "Intrusion" });
        var second = await app.CreateCase(space, new { tags = new[] { "web", "malware" }, category = "Malware" });
        var caseId = first.Id();

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var uploaded = await (await app.UploadRaw(space, caseId, "evidence.txt", "text/plain", "evidence"u8.ToArray())).Json();
        GoldenJsonTests.Matches("upload_file_response.json", uploaded);
        var fileId = uploaded["file"]!.Id();
        GoldenJsonTests.Matches("get_file_response.json", await app.Get(space, $"/cases/{caseId}/files/{fileId}"));
        GoldenJsonTests.Matches("find_case_files_response.json", await app.Get(space, $"/cases/{caseId}/files"));

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var observable = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/observables"), new JsonObject
        {
            ["observable"] = new JsonObject { ["typeKey"] = "observable-type-ipv4", ["value"] = "10.0.0.1", ["description"] = "C2 server" },
        })).Json();
        GoldenJsonTests.Matches("add_observable_response.json", observable);
        GoldenJsonTests.Matches("get_observables_response.json", await app.Get(space, $"/cases/{caseId}/observables"));

        var bulk = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/cases/_bulk_get"), new JsonObject
        {
            ["ids"] = new JsonArray(second.Id(), caseId, "00000000-0000-4000-8000-000000000000"),
        })).Json();
        GoldenJsonTests.Matches("bulk_get_cases_response.json", bulk);

        GoldenJsonTests.Matches("get_tags_response.json", await app.Get(space, "/cases/tags"));
        GoldenJsonTests.Matches("get_reporters_response.json", await app.Get(space, "/cases/reporters"));
        GoldenJsonTests.Matches("get_categories_response.json", await app.Get(space, "/cases/categories"));
    }
}
