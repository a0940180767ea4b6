using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Attachments;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Transfer;

/// <summary>An app whose import limit is 1 MB, so refusing a file over the limit takes a small upload.</summary>
public sealed class SmallImportLimitFixture : CasesAppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Transfer:ImportMaxBytes", "1048576")];
}

public sealed class ImportBadFileTests(SmallImportLimitFixture app) : IClassFixture<SmallImportLimitFixture>
{
    readonly string space = CasesAppFixture.NewSpace();

    /// <summary>A valid case with one comment and its create action, as lines of a file.</summary>
    async Task<List<JsonObject>> OneCase()
    {
        var source = CasesAppFixture.NewSpace();
        var c = await app.CreateCase(source, new { title = "Good case" });
        await app.Http.PostAsync(CasesAppFixture.Api(source, $"/cases/{c["id"]}/comments"),
            new StringContent("""{"type":"user","comment":"fine","owner":"securitySolution"}""", Encoding.UTF8, "application/json"));
        return (await app.ExportLines(source, new { type = "cases" })).Where(l => l["type"] is not null).ToList();
    }

    [Fact]
    public async Task Each_bad_line_gets_its_own_error_and_the_valid_objects_are_imported()
    {
        var good = await OneCase();
        var caseId = good.OfType("cases").Single()["id"]!.GetValue<string>();
        var untitled = good.OfType("cases").Single().DeepClone().AsObject();
        untitled["id"] = "11111111-2222-4333-8444-555555555555";
        untitled["attributes"]!.AsObject().Remove("title");
        var orphan = good.OfType("cases-comments").Single().DeepClone().AsObject();
        orphan["id"] = "66666666-2222-4333-8444-555555555555";
        orphan["references"]![0]!["id"] = "77777777-2222-4333-8444-555555555555";
        var empty = good.OfType("cases-comments").Single().DeepClone().AsObject();
        empty["id"] = "88888888-2222-4333-8444-555555555555";
        empty["attributes"]!["comment"] = "";
        var file = string.Join('\n',
            "{ this is not json",
            """{"type":"dashboard","id":"d1","attributes":{"title":"Ops"},"references":[]}""",
            untitled.ToJsonString(),
            orphan.ToJsonString(),
            empty.ToJsonString(),
            TransferClient.Ndjson(good));

        var result = await app.ImportOk(space, file);
        Assert.False(result["success"]!.GetValue<bool>());
        var errors = TransferClient.Errors(result);
        Assert.Equal(5, errors.Count);
        Assert.Contains(("unknown", "line 1", "unknown"), errors);
        Assert.Contains(("dashboard", "d1", "unsupported_type"), errors);
        Assert.Contains(("cases", "11111111-2222-4333-8444-555555555555", "unknown"), errors);
        Assert.Contains(("cases-comments", "66666666-2222-4333-8444-555555555555", "missing_references"), errors);
        var messages = result["errors"]!.AsArray().Select(e => e!["error"]!["message"]?.GetValue<string>() ?? "").ToList();
        Assert.Contains(messages, m => m.Contains("Line 1 is not valid JSON"));
        Assert.Contains(messages, m => m.Contains("title"));
        Assert.Contains(("cases-comments", "88888888-2222-4333-8444-555555555555", "unknown"), errors);
        Assert.Contains(messages, m => m.Contains("comment is required"));

        Assert.Equal(good.Count, result["successCount"]!.GetValue<int>());
        var imported = (await app.Get(space, $"/cases/{caseId}")).AsObject();
        Assert.Equal(1, imported["totalComment"]!.GetValue<int>());
        Assert.Equal(1, (await app.Get(space, "/cases/_find"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_with_413_naming_the_limit_and_nothing_is_imported()
    {
        var good = TransferClient.Ndjson(await OneCase());
        var padding = new StringBuilder(good);
        while (padding.Length < 1_200_000) padding.Append('\n');
        // Expect: 100-continue, as curl sends for large bodies: the refusal comes before the body, so the client is not
        // cut off mid-send (a broken pipe instead of the answer).
        var declared = new MultipartFormDataContent { { new StringContent(padding.ToString(), Encoding.UTF8, "application/ndjson"), "file", "export.ndjson" } };
        using (var sized = new HttpRequestMessage(HttpMethod.Post, CasesAppFixture.Api(space, "/saved_objects/_import")) { Content = declared })
        {
            sized.Headers.ExpectContinue = true;
            await (await app.Http.SendAsync(sized)).Error(HttpStatusCode.RequestEntityTooLarge, "1048576 bytes");
        }
        Assert.Equal(0, (await app.Get(space, "/cases/_find"))["total"]!.GetValue<int>());

        // The same without a Content-Length (chunked): cut off while streaming.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(padding.ToString())));
        var form = new MultipartFormDataContent { { chunked, "file", "export.ndjson" } };
        var request = new HttpRequestMessage(HttpMethod.Post, CasesAppFixture.Api(space, "/saved_objects/_import")) { Content = form };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.ExpectContinue = true;
        await (await app.Http.SendAsync(request)).Error(HttpStatusCode.RequestEntityTooLarge, "1048576 bytes");
    }

    [Fact]
    public async Task Requests_that_are_not_an_ndjson_upload_get_400_naming_the_problem()
    {
        await (await app.Http.PostAsync(CasesAppFixture.Api(space, "/saved_objects/_import"), new StringContent("{}", Encoding.UTF8, "application/json")))
            .Error(HttpStatusCode.BadRequest, "multipart/form-data");
        await (await app.Import(space, "{}", fileName: "export.json")).Error(HttpStatusCode.BadRequest, "must be .ndjson");
        await (await app.Import(space, "{}", "?overwrite=true&createNewCopies=true")).Error(HttpStatusCode.BadRequest, "cannot use [overwrite] with [createNewCopies]");
    }
}
