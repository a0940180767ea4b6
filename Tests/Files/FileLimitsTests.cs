using System.Net;
using Azure.Storage.Blobs;
using Cases.Functions.Files;
using Cases.Tests.Attachments;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Files;

/// <summary>The app with small file limits (configured as an operator would), so the limits can be reached quickly.</summary>
public sealed class SmallFileLimitsFixture : CasesAppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Cases:Files:MaxFileBytes", (3 * 1024 * 1024).ToString()),
        new("Cases:Files:MaxImageBytes", (1024 * 1024).ToString()),
        new("Cases:Files:MaxFilesPerCase", "3"),
        new("Cases:Files:MaxNameLength", "20"),
    ];
}

public class FileLimitsTests(SmallFileLimitsFixture app) : IClassFixture<SmallFileLimitsFixture>
{
    [Fact]
    public async Task Size_limits_apply_while_streaming_and_leave_nothing_behind()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        await (await app.UploadForm(space, caseId, "big.png", "image/png", FileUploadTests.PngOf(1024 * 1024 + 1))).Error(HttpStatusCode.BadRequest, "maximum size of an image is 1 MiB");
        await (await app.UploadRaw(space, caseId, "big.gz", "application/gzip", FilesClient.Gzip(3 * 1024 * 1024 + 1, 1))).Error(HttpStatusCode.BadRequest, "maximum size of a file is 3 MiB");
        await app.UploadRaw(space, caseId, "ok.png", "image/png", FileUploadTests.PngOf(1024 * 1024)).Uploaded();
        await app.UploadForm(space, caseId, "ok.gz", "application/gzip", FilesClient.Gzip(3 * 1024 * 1024, 2)).Uploaded();
        await (await app.UploadRaw(space, caseId, new string('n', 21) + ".txt", "text/plain", "x"u8.ToArray())).Error(HttpStatusCode.BadRequest, "maximum length is 20");
        Assert.Equal(2, (await app.Blobs(space, caseId)).Count);
        Assert.Equal(2, await app.TotalFiles(space, caseId));
    }

    [Fact]
    public async Task A_case_holds_at_most_the_configured_number_of_files()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var uploads = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => app.UploadRaw(space, caseId, $"f{i}.txt", "text/plain", "x"u8.ToArray())));
        var statuses = string.Join(",", await Task.WhenAll(uploads.Select(async u => $"{(int)u.StatusCode} {await u.Content.ReadAsStringAsync()}")));
        Assert.True(3 == uploads.Count(u => u.IsSuccessStatusCode), statuses);
        foreach (var refused in uploads.Where(u => !u.IsSuccessStatusCode))
            await refused.Error(HttpStatusCode.BadRequest, "maximum of 3 files");
        Assert.Equal(3, await app.TotalFiles(space, caseId));
        Assert.Equal(3, (await app.Blobs(space, caseId)).Count);
    }

    [Fact]
    public async Task Two_uploads_for_the_last_place_one_gets_it_the_other_is_refused()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        for (var i = 0; i < 2; i++) await app.UploadRaw(space, caseId, $"f{i}.txt", "text/plain", "x"u8.ToArray()).Uploaded();

        // Both pass the check before the body and read the counter (2 of 3); the loser's commit finds it moved to 3.
        HttpResponseMessage[] uploads;
        using (var gate = HookGate.Hold(app.Hooks, Functions.Testing.HookPoints.FileCommit, space, 2))
        {
            var sent = new[] { "last-a.txt", "last-b.txt" }.Select(n => app.UploadRaw(space, caseId, n, "text/plain", "x"u8.ToArray())).ToArray();
            await gate.AllArrived();
            gate.Release();
            uploads = await Task.WhenAll(sent);
        }

        Assert.Single(uploads, u => u.IsSuccessStatusCode);
        await uploads.Single(u => !u.IsSuccessStatusCode).Error(HttpStatusCode.BadRequest, "maximum of 3 files");
        Assert.Equal(3, await app.TotalFiles(space, caseId));
        Assert.Equal(3, (await app.Get(space, $"/cases/{caseId}/files"))["total"]!.GetValue<int>());
        Assert.Equal(3, (await app.Blobs(space, caseId)).Count);
        Assert.Equal(0, await app.PendingBlobNotes(space));
    }

    [Fact]
    public async Task Deleting_files_frees_their_places_and_only_theirs()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await app.UploadRaw(space, caseId, $"f{i}.txt", "text/plain", "x"u8.ToArray()).Uploaded())["id"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files?ids={ids[0]}&ids={ids[1]}"))).StatusCode);
        Assert.Equal(1, await app.TotalFiles(space, caseId));
        for (var i = 0; i < 2; i++) await app.UploadRaw(space, caseId, $"g{i}.txt", "text/plain", "x"u8.ToArray()).Uploaded();
        await (await app.UploadRaw(space, caseId, "h.txt", "text/plain", "x"u8.ToArray())).Error(HttpStatusCode.BadRequest, "maximum of 3 files");
    }
}
