using Cases.Functions.Upkeep;
using System.Net;
using Cases.Functions.Numbering;
using Cases.Functions.Testing;
using Cases.Tests.Attachments;
using Cases.Tests.Files;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Guarantees;

/// <summary>
/// Crashes in file work and in the timer's orphan sweep, from the state the real code leaves there. The orphan age is
/// measured on the app's clock (notes' times, blobs' written-at stamps), so these move the fixture's fake clock past it.
/// </summary>
public sealed class FileCrashTests(SweepFixture app) : IClassFixture<SweepFixture>
{
    readonly string space = CasesAppFixture.NewSpace();

    Task<IReadOnlyList<string>> TimerRun() => app.App.Services.GetRequiredService<TimerRun>().Run(CancellationToken.None);

    async Task<(string CaseId, string FileId)> CaseWithFile()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var file = await app.UploadRaw(space, caseId, "evidence.txt", "text/plain", "evidence"u8.ToArray()).Uploaded();
        return (caseId, file["id"]!.GetValue<string>());
    }

    async Task AssertNoFilesLeft(string caseId)
    {
        Assert.Empty(await app.Blobs(space, caseId));
        Assert.Equal(0, await app.PendingBlobNotes(space));
        Assert.Equal(0, (await app.Get(space, $"/cases/{caseId}/files"))["total"]!.GetValue<int>());
        var row = (await (await app.CasesTable()).GetEntityAsync<Azure.Data.Tables.TableEntity>(space, Functions.Cases.CaseRows.CaseKey(caseId))).Value;
        Assert.Equal(0, row.GetInt32("TotalFiles") ?? 0);
    }

    [Fact]
    public async Task A_file_deletion_that_dies_after_its_commit_leaves_the_blob_to_the_sweep()
    {
        var (caseId, fileId) = await CaseWithFile();
        using (app.Hooks.CrashOnce(HookPoints.FileDetached, space))
            Assert.Equal(HttpStatusCode.InternalServerError, (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files?ids={fileId}"))).StatusCode);
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files/{fileId}"))).Error(HttpStatusCode.NotFound, "not found");
        Assert.Single(await app.Blobs(space, caseId)); // the crash left it

        app.Clock.Advance(SweepFixture.PastOrphanAge);
        await TimerRun();
        await AssertNoFilesLeft(caseId);
        Assert.Equal(2, (await app.Get(space, $"/cases/{caseId}/user_actions/_find?types=comment"))["total"]!.GetValue<int>()); // upload, delete: once each
    }

    [Fact]
    public async Task A_sweep_that_dies_after_claiming_an_orphan_is_finished_by_the_next_sweep()
    {
        var (caseId, fileId) = await CaseWithFile();
        using (app.Hooks.CrashOnce(HookPoints.FileDetached, space))
            await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files?ids={fileId}"));
        app.Clock.Advance(SweepFixture.PastOrphanAge);

        using (app.Hooks.CrashOnce(HookPoints.SweepClaimed, space))
            Assert.Contains(await TimerRun(), l => l.StartsWith("File blobs: failed"));
        Assert.Single(await app.Blobs(space, caseId)); // claimed, not deleted yet

        Assert.Contains("File blobs: 1 pending, 1 orphan(s) deleted, 0 left for the next run", await TimerRun());
        await AssertNoFilesLeft(caseId);
    }

    [Fact]
    public async Task An_upload_that_dies_before_its_commit_leaves_nothing_after_the_sweep()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var dead = new TaskCompletionSource();
        Task<HttpResponseMessage> upload;
        using (app.Hooks.On(HookPoints.FileCommit, space, _ => dead.Task)) // the process stops here: blob written, rows not
        {
            upload = app.UploadRaw(space, caseId, "lost.txt", "text/plain", "never committed"u8.ToArray());
            while ((await app.Blobs(space, caseId)).Count == 0 || await app.PendingBlobNotes(space) == 0) await Task.Delay(20);
            app.Clock.Advance(SweepFixture.PastOrphanAge);
            Assert.Contains(await TimerRun(), l => l.Contains("1 orphan(s) deleted"));
            await AssertNoFilesLeft(caseId);
            dead.SetException(new SimulatedCrash(HookPoints.FileCommit));
        }
        Assert.Equal(HttpStatusCode.InternalServerError, (await upload).StatusCode);
        await AssertNoFilesLeft(caseId);
    }
}
