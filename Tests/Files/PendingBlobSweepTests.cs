using Cases.Functions.Upkeep;
using Azure.Storage.Blobs;
using Cases.Functions.Files;
using Cases.Functions.Numbering;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Files;

/// <summary>
/// The app without Kestrel's minimum body rate, so a test can hold an upload's body back while the sweep runs. The orphan
/// age is the default (10 minutes) on the fixture's fake clock: tests move the clock past it (<see cref="PastOrphanAge"/>).
/// </summary>
public sealed class SweepFixture : CasesAppFixture
{
    public static readonly TimeSpan PastOrphanAge = TimeSpan.FromMinutes(11);

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MinRequestBodyDataRate = null);
}

/// <summary>The timer's sweep of file blobs a failure left without their rows (Files/PendingBlobs.cs).</summary>
public class PendingBlobSweepTests(SweepFixture app) : IClassFixture<SweepFixture>
{
    [Fact]
    public async Task A_blob_a_crash_left_without_its_row_is_deleted_by_the_timers_run()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var kept = await app.UploadRaw(space, caseId, "kept.txt", "text/plain", "kept"u8.ToArray()).Uploaded();
        var keptId = kept["id"]!.GetValue<string>();
        Assert.Equal(0, await app.PendingBlobNotes(space)); // a finished upload leaves no note

        // What a crash between Put Blob and the table commit leaves: the note and the blob, no row.
        var pending = app.App.Services.GetRequiredService<PendingBlobs>();
        var orphanId = Guid.NewGuid().ToString();
        await pending.Add(space, caseId, [orphanId], PendingBlobs.Upload, CancellationToken.None);
        var container = app.App.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(app.App.Services.GetRequiredService<FileBlobs>().ContainerName);
        var metadata = new Dictionary<string, string>();
        global::Cases.Functions.Storage.WrittenStamp.Set(metadata, app.Clock.GetUtcNow()); // as the upload stamps it
        await container.GetBlobClient(FileBlobs.Name(space, caseId, orphanId)).UploadAsync(BinaryData.FromString("orphan"),
            new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = metadata });
        // And a note whose removal failed after its file was committed: that blob is the file's.
        await pending.Add(space, caseId, [keptId], PendingBlobs.Upload, CancellationToken.None);

        var run = app.App.Services.GetRequiredService<TimerRun>();
        Assert.DoesNotContain(await run.Run(CancellationToken.None), l => l.StartsWith("File blobs")); // younger than OrphanAge: work in flight
        Assert.Equal(2, (await app.Blobs(space, caseId)).Count);
        app.Clock.Advance(SweepFixture.PastOrphanAge);
        Assert.Contains("File blobs: 2 pending, 1 orphan(s) deleted, 0 left for the next run", await run.Run(CancellationToken.None));

        Assert.Equal(FileBlobs.Name(space, caseId, keptId), Assert.Single(await app.Blobs(space, caseId)).Name);
        Assert.Equal("kept", await app.Http.GetStringAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files/{keptId}/download")));
        Assert.Equal(0, await app.PendingBlobNotes(space));
    }

    [Fact]
    public async Task The_sweep_leaves_an_upload_still_in_progress_alone()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        using var upload = await FilesClient.SlowRequest.Start(app, CasesAppFixture.Api(space, $"/cases/{caseId}/files?filename=slow.txt"), "text/plain", 20);
        await upload.Send("0123456789");
        for (var i = 0; i < 50 && await app.PendingBlobNotes(space) == 0; i++) await Task.Delay(50);
        Assert.Equal(1, await app.PendingBlobNotes(space)); // noted before the blob is written

        app.Clock.Advance(SweepFixture.PastOrphanAge); // older than OrphanAge, blob not written yet
        var report = await app.App.Services.GetRequiredService<TimerRun>().Run(CancellationToken.None);
        Assert.Contains("File blobs: 1 pending, 0 orphan(s) deleted, 1 left for the next run", report);
        Assert.Equal(1, await app.PendingBlobNotes(space));

        await upload.Send("abcdefghij");
        Assert.StartsWith("HTTP/1.1 200 ", await upload.Response());
        Assert.Equal(1, await app.TotalFiles(space, caseId));
        Assert.Single(await app.Blobs(space, caseId));
        Assert.Equal(0, await app.PendingBlobNotes(space));
    }

    [Fact]
    public async Task An_upload_the_sweep_took_for_dead_gives_up_rather_than_keep_a_row_without_its_blob()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        // Multipart: the blob is committed at the end of the file part, then the form goes on (slowly) with a field.
        const string head = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"late.txt\"\r\nContent-Type: text/plain\r\n\r\n" +
            "evidence\r\n--b\r\nContent-Disposition: form-data; name=\"filename\"\r\n\r\n";
        const string tail = "late name\r\n--b--\r\n";
        using var upload = await FilesClient.SlowRequest.Start(app, CasesAppFixture.Api(space, $"/cases/{caseId}/files"),
            "multipart/form-data; boundary=b", head.Length + tail.Length);
        await upload.Send(head);
        for (var i = 0; i < 50 && (await app.Blobs(space, caseId)).Count == 0; i++) await Task.Delay(50);
        Assert.Single(await app.Blobs(space, caseId)); // committed, no row yet

        app.Clock.Advance(SweepFixture.PastOrphanAge); // the blob is now older than OrphanAge, without a row: the sweep takes it
        Assert.Contains("File blobs: 1 pending, 1 orphan(s) deleted, 0 left for the next run",
            await app.App.Services.GetRequiredService<TimerRun>().Run(CancellationToken.None));

        await upload.Send(tail);
        var response = await upload.Response();
        Assert.StartsWith("HTTP/1.1 408 ", response);
        Assert.Contains("took too long and was given up", response); // ours, not Kestrel's own 408 for a slow body
        Assert.Empty(await app.Blobs(space, caseId));
        Assert.DoesNotContain(await app.ExtraRows(space), key => key.Contains("file_") || key.StartsWith("fhash_")); // (the run numbered the case)
        Assert.Null(await app.TotalFiles(space, caseId));
        Assert.Equal(0, await app.PendingBlobNotes(space));
    }

    [Fact]
    public async Task The_sweep_leaves_the_note_of_a_file_deletion_in_progress()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var fileId = (await app.UploadRaw(space, caseId, "going.txt", "text/plain", "going"u8.ToArray()).Uploaded())["id"]!.GetValue<string>();
        Task<HttpResponseMessage> deletion;
        using (var gate = HookGate.Hold(app.Hooks, Functions.Testing.HookPoints.FileDetach, space, 1))
        {
            deletion = app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files?ids={fileId}"));
            await gate.AllArrived(); // noted, rows not removed yet: the file still holds its blob, and may yet let it go
            app.Clock.Advance(SweepFixture.PastOrphanAge);
            Assert.Contains("File blobs: 1 pending, 0 orphan(s) deleted, 1 left for the next run",
                await app.App.Services.GetRequiredService<TimerRun>().Run(CancellationToken.None));
            Assert.Equal(1, await app.PendingBlobNotes(space));
        }
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await deletion).StatusCode);
        Assert.Empty(await app.Blobs(space, caseId));
        Assert.Equal(0, await app.PendingBlobNotes(space));
    }
}
