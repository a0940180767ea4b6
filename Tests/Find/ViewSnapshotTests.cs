using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Cases.Functions.Find;
using Cases.Functions.Storage;
using Cases.Tests.Attachments;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Find;

/// <summary>
/// A space's view snapshot: one blob per generation, named by the <c>head</c> row; what a new instance starts from, and
/// what it does when the blob is gone or cut short.
/// </summary>
public sealed class ViewSnapshotTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    string Api(string path) => CasesAppFixture.Api(space, path);
    CaseIndex Index => app.App.Services.GetRequiredService<CaseIndex>();
    BlobContainerClient Container => app.App.Services.GetRequiredService<BlobServiceClient>()
        .GetBlobContainerClient(app.App.Services.GetRequiredService<ViewSnapshots>().ContainerName);

    async Task<TableEntity?> Head()
    {
        var head = await (await app.App.Services.GetRequiredService<CasesTables>().Views()).GetEntityIfExistsAsync<TableEntity>(space, "head");
        return head.HasValue ? head.Value : null;
    }

    async Task<List<string>> Generations()
    {
        var names = new List<string>();
        await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, space + "/", default)) names.Add(blob.Name[(space.Length + 1)..]);
        return names;
    }

    async Task<int> TotalOn(CasesAppFixture instance, string query = "") =>
        (await (await instance.Http.GetAsync(Api("/cases/_find?perPage=100" + query))).Json())["total"]!.GetValue<int>();

    /// <summary>"Snapshotted title" becomes "Rewritten title" with no change note: a scan sees it, a snapshot does not.</summary>
    async Task RetitleBehindTheAppsBack(string caseId)
    {
        var cases = await app.CasesTable();
        var row = (await cases.GetEntityAsync<TableEntity>(space, "case_" + caseId)).Value;
        row["Doc0"] = row.GetString("Doc0")!.Replace("Snapshotted title", "Rewritten title");
        await cases.UpdateEntityAsync(row, row.ETag);
    }

    static async Task<T> OnSecondInstance<T>(string prefix, Func<CasesAppFixture, Task<T>> act)
    {
        var second = new SecondInstance(prefix);
        await second.InitializeAsync();
        try
        {
            return await act(second);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_new_instance_starts_from_the_snapshot_and_catches_up_with_later_changes()
    {
        for (var i = 0; i < 5; i++) await app.CreateCase(space, new { title = $"Before snapshot {i}" });
        var renamed = (await app.CreateCase(space, new { title = "Snapshotted title" })).Id();
        await Index.Snapshot(space, default);
        await app.CreateCase(space, new { title = "After snapshot" });
        await RetitleBehindTheAppsBack(renamed);

        var (total, snapshotted, rewritten) = await OnSecondInstance(app.TablePrefix, async second =>
            (await TotalOn(second), await TotalOn(second, "&search=Snapshotted"), await TotalOn(second, "&search=Rewritten")));
        Assert.Equal(7, total);
        Assert.Equal((1, 0), (snapshotted, rewritten));
    }

    [Fact]
    public async Task Each_snapshot_is_one_blob_and_the_one_it_replaces_is_removed()
    {
        for (var i = 0; i < 3; i++) await app.CreateCase(space, new { title = $"Case {i}" });
        await Index.Snapshot(space, default);
        var first = (await Head())!.GetString("Generation");
        Assert.Equal([first], await Generations());

        await app.CreateCase(space, new { title = "One more" });
        await Index.Snapshot(space, default);
        var second = (await Head())!.GetString("Generation");
        Assert.NotEqual(first, second);
        Assert.Equal([second], await Generations());
        Assert.Equal(4, await OnSecondInstance(app.TablePrefix, instance => TotalOn(instance)));
    }

    [Fact]
    public async Task After_a_quiet_spell_the_cursor_has_moved_past_the_last_writes_so_they_are_not_read_again()
    {
        // The cursor once followed the newest note only: after a burst, every catch-up and every new instance listed
        // the burst's last notes again until the next write (on Azurite, each page a scan of the whole table).
        for (var i = 0; i < 3; i++) await app.CreateCase(space, new { title = $"Case {i}" });
        var lastWrite = app.Clock.GetUtcNow().UtcTicks;
        await Index.Snapshot(space, default);
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // quiet

        Index.Drop(space);
        Assert.Equal(3, await TotalOn(app)); // loaded from the snapshot, then caught up with the notes since its cursor
        await Index.Snapshot(space, default);
        Assert.True((await Head())!.GetInt64("CursorTicks") > lastWrite);
    }

    [Fact]
    public async Task A_quiet_spaces_snapshot_still_serves_new_instances_after_half_an_hour()
    {
        // A new instance uses a snapshot whose cursor is at most half the change notes' retention (30 minutes) old. The
        // cursor used to stay at the last write, so after a quiet half hour every new instance scanned the space.
        for (var i = 0; i < 3; i++) await app.CreateCase(space, new { title = $"Case {i}" });
        var renamed = (await app.CreateCase(space, new { title = "Snapshotted title" })).Id();
        await Index.Snapshot(space, default);
        app.Clock.Advance(TimeSpan.FromMinutes(45)); // quiet
        await Index.Snapshot(space, default); // the timer's next runs
        await RetitleBehindTheAppsBack(renamed);

        var (total, snapshotted, rewritten) = await OnSecondInstance(app.TablePrefix, async second =>
        {
            second.Clock.SetTo(app.Clock.GetUtcNow()); // the same time on both
            return (await TotalOn(second), await TotalOn(second, "&search=Snapshotted"), await TotalOn(second, "&search=Rewritten"));
        });
        Assert.Equal((4, 1, 0), (total, snapshotted, rewritten));
    }

    [Fact]
    public async Task The_timers_run_keeps_the_snapshot_of_a_space_without_writes_and_only_moves_its_position_on()
    {
        var upkeep = app.App.Services.GetRequiredService<SnapshotUpkeep>();
        for (var i = 0; i < 2; i++) await app.CreateCase(space, new { title = $"Case {i}" });
        await Index.Snapshot(space, default);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await upkeep.Run([], default); // the creates' notes are after the first snapshot's position: written again
        var written = (await Head())!;
        Index.Drop(space);

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Contains($"space {space}: view snapshot kept", string.Join("\n", await upkeep.Run([], default)));
        var kept = (await Head())!;
        Assert.Equal(written.GetString("Generation"), kept.GetString("Generation"));
        Assert.True(kept.GetInt64("CursorTicks") > written.GetInt64("CursorTicks"));
        Assert.DoesNotContain(space, Index.HeldSpaces); // kept without loading the view
        Assert.Equal([written.GetString("Generation")], await Generations());

        // After a write the next run writes a new snapshot, and a new instance sees all three cases.
        await app.CreateCase(space, new { title = "Later" });
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Contains($"space {space}: view snapshot of 3 case(s)", string.Join("\n", await upkeep.Run([], default)));
        Assert.NotEqual(written.GetString("Generation"), (await Head())!.GetString("Generation"));
        Assert.Equal(3, await OnSecondInstance(app.TablePrefix, async second =>
        {
            second.Clock.SetTo(app.Clock.GetUtcNow());
            return await TotalOn(second);
        }));
    }

    [Fact]
    public async Task A_generation_no_head_names_is_kept_while_its_writer_may_name_it_and_removed_once_an_hour_old()
    {
        await app.CreateCase(space, new { title = "Kept" });
        await Index.Snapshot(space, default);
        var stray = Guid.NewGuid().ToString("N");
        var metadata = new Dictionary<string, string>();
        WrittenStamp.Set(metadata, app.Clock.GetUtcNow()); // as a snapshot's writer stamps it
        await Container.GetBlobClient($"{space}/{stray}").UploadAsync(BinaryData.FromString("a writer died here"), new BlobUploadOptions { Metadata = metadata });

        await Index.Snapshot(space, default);
        Assert.Contains(stray, await Generations());
        Assert.Equal(2, (await Generations()).Count);

        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await Index.Snapshot(space, default);
        Assert.Contains(stray, await Generations());

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await Index.Snapshot(space, default);
        Assert.Equal([(await Head())!.GetString("Generation")], await Generations());
    }

    [Theory]
    [InlineData("gone")]
    [InlineData("cut short")]
    public async Task Without_a_whole_snapshot_blob_a_new_instance_scans_the_space(string what)
    {
        for (var i = 0; i < 4; i++) await app.CreateCase(space, new { title = $"Case {i}" });
        var renamed = (await app.CreateCase(space, new { title = "Snapshotted title" })).Id();
        await Index.Snapshot(space, default);
        var blob = Container.GetBlobClient($"{space}/{(await Head())!.GetString("Generation")}");
        if (what == "gone") await blob.DeleteAsync();
        else
        {
            var whole = (await blob.DownloadContentAsync()).Value.Content.ToArray();
            await blob.UploadAsync(BinaryData.FromBytes(whole[..(whole.Length / 2)]), overwrite: true);
        }
        await RetitleBehindTheAppsBack(renamed);

        var (total, rewritten) = await OnSecondInstance(app.TablePrefix, async second => (await TotalOn(second), await TotalOn(second, "&search=Rewritten")));
        Assert.Equal((5, 1), (total, rewritten));
    }

    [Fact]
    public async Task The_rows_of_an_older_builds_snapshot_are_removed_by_the_next_snapshot()
    {
        await app.CreateCase(space, new { title = "Case" });
        var views = await app.App.Services.GetRequiredService<CasesTables>().Views();
        await views.UpsertEntityAsync(new TableEntity(space, "head") { ["Generation"] = "old", ["Rows"] = 2, ["CursorTicks"] = 1L, ["Format"] = 4 });
        foreach (var key in new[] { "old_000000", "old_000001" }) await views.AddEntityAsync(new TableEntity(space, key) { ["P0"] = new byte[] { 1, 2, 3 } });

        await Index.Snapshot(space, default);
        var rows = new List<string>();
        await foreach (var row in views.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {space}"), select: ["RowKey"])) rows.Add(row.RowKey);
        Assert.Equal(["head"], rows);
        Assert.Equal(5, (await Head())!.GetInt32("Format"));
        Assert.Equal(1, await OnSecondInstance(app.TablePrefix, instance => TotalOn(instance)));

        // And when the space's last case goes, the snapshot goes with its older rows too.
        await views.UpsertEntityAsync(new TableEntity(space, "head") { ["Generation"] = "older", ["Rows"] = 1, ["CursorTicks"] = 1L, ["Format"] = 4 });
        await views.AddEntityAsync(new TableEntity(space, "older_000000") { ["P0"] = new byte[] { 1 } });
        var only = (await (await app.Http.GetAsync(Api("/cases/_find"))).Json())["cases"]![0]!.Id();
        (await app.Http.DeleteAsync(Api($"/cases?ids={only}"))).EnsureSuccessStatusCode();
        await Index.Snapshot(space, default);
        rows.Clear();
        await foreach (var row in views.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {space}"), select: ["RowKey"])) rows.Add(row.RowKey);
        Assert.Empty(rows);
        Assert.Empty(await Generations());
    }
}
