using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using System.IO.Pipelines;
using Cases.Domain.Find;
using Cases.Functions.Cases;
using Cases.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Find;

/// <summary>
/// Snapshots of a space's view, so that a new instance downloads one blob instead of scanning every case of the space.
/// A <c>head</c> row in the <c>views</c> table (partition = space) names the current generation and the change-log
/// position the snapshot is complete up to; the generation is a blob, <c>{space}/{generation}</c> in the
/// <c>{prefix}view-snapshots</c> container, written once and never changed: the keys of the change notes after that
/// position the view already shows (so a new instance does not read their cases again), then the compact view
/// (<see cref="CaseView.WriteTo"/>, no case JSON). A snapshot is only used while the change log still reaches back to
/// it; otherwise, or if its blob is gone or cut short, the view is scanned.
/// </summary>
/// <remarks>
/// Not compressed: a blob comes out of storage faster than Brotli gives it back (at 100,000 cases, 15 MB; Brotli made
/// it 9 MB and took 200 ms to undo, while the download takes tens of milliseconds on Azurite, and a single block blob's
/// throughput target in Azure is the account's egress limit). Parsed as it arrives, so the parse overlaps the download.
/// </remarks>
public sealed class ViewSnapshots
{
    /// <summary>Bumped when the stored form changes; a head of another format is ignored (the view is scanned once).</summary>
    const int Format = 5;

    /// <summary>A generation no head names is removed once this old: younger, its writer may be about to name it.</summary>
    static readonly TimeSpan LeftoverAge = TimeSpan.FromHours(1);

    readonly CasesTables tables;
    readonly BlobContainerClient container;
    readonly CreateOnce creation;
    readonly TimeProvider time;

    public ViewSnapshots(CasesTables tables, BlobServiceClient blobs, IOptions<StorageOptions> options, TimeProvider time)
    {
        (this.tables, this.time) = (tables, time);
        container = blobs.GetBlobContainerClient(options.Value.TablePrefix.ToLowerInvariant() + "view-snapshots");
        creation = CreateOnce.Container(container);
    }

    public string ContainerName => container.Name;

    /// <summary>Where a space's snapshot stands: its generation and the change-log position it is complete up to.</summary>
    public sealed record Head(string Generation, long CursorTicks, ETag ETag = default);

    /// <summary>The space's snapshot head, if there is one of this format that the change log still reaches back to.</summary>
    public async Task<Head?> ReadHead(string space, long oldestUsableTicks, CancellationToken ct)
    {
        var table = await tables.Views(ct);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(space, "head", cancellationToken: ct);
        if (!head.HasValue || head.Value!.GetInt64("CursorTicks") is not { } cursor || cursor < oldestUsableTicks) return null;
        if (head.Value.GetInt32("Format") != Format || head.Value.GetString("Generation") is not { } generation) return null;
        return new Head(generation, cursor, head.Value.ETag);
    }

    /// <summary>
    /// Moves the snapshot's position on, when nothing was written since it (the blob stays as it is); false if the head
    /// changed since it was read (a new snapshot was written meanwhile).
    /// </summary>
    public async Task<bool> MoveCursor(string space, Head head, long cursorTicks, CancellationToken ct)
    {
        var table = await tables.Views(ct);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(space, "head") { ["CursorTicks"] = cursorTicks }, head.ETag, TableUpdateMode.Merge, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// The snapshot's view and the notes it already shows; null when its blob is gone (a newer one replaced it) or cut
    /// short. The blob is received into memory as fast as it comes while the view is parsed from what has arrived;
    /// <paramref name="received"/> runs once all of it has.
    /// </summary>
    public async Task<(CaseView View, List<string> AppliedNotes)?> Read(string space, Head head, Action received, CancellationToken ct)
    {
        await creation.Ensure(ct);
        Response<BlobDownloadStreamingResult> download;
        try
        {
            download = await container.GetBlobClient(Name(space, head.Generation)).DownloadStreamingAsync(cancellationToken: ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0)); // never holds the download back
        var receiving = Receive(download.Value.Content, pipe.Writer, received, ct);
        try
        {
            await using var content = new BufferedStream(pipe.Reader.AsStream(), 1 << 20);
            var applied = new List<string>();
            using (var reader = new BinaryReader(content, System.Text.Encoding.UTF8, leaveOpen: true))
                for (var n = reader.ReadInt32(); n > 0; n--) applied.Add(reader.ReadString());
            return CaseView.ReadFrom(content) is { } view ? (view, applied) : null;
        }
        catch (Exception ex) when (ex is IOException or RequestFailedException { Status: 404 })
        {
            return null; // cut short, or removed while it was read
        }
        finally
        {
            await receiving;
        }
    }

    static async Task Receive(Stream download, PipeWriter into, Action received, CancellationToken ct)
    {
        await using var _ = download;
        try
        {
            await download.CopyToAsync(into, ct);
        }
        catch (Exception ex)
        {
            await into.CompleteAsync(ex); // the parse fails with it
            return;
        }
        await into.CompleteAsync();
        received();
    }

    /// <summary>Removes a space's snapshot (its cases are all gone), so the timer stops refreshing it.</summary>
    public async Task Delete(string space, CancellationToken ct)
    {
        var table = await tables.Views(ct);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(space, "head", cancellationToken: ct);
        if (!head.HasValue) return;
        await table.DeleteEntityAsync(space, "head", head.Value!.ETag, ct);
        await RemoveOlderBuildsRows(table, space, head.Value, ct);
        await RemoveGenerations(space, keep: null, replaced: null, leftoverAge: TimeSpan.Zero, ct);
    }

    /// <summary>The spaces that have a snapshot.</summary>
    public async Task<List<string>> Spaces(CancellationToken ct)
    {
        var table = await tables.Views(ct);
        var spaces = new List<string>();
        await foreach (var head in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {"head"}"), select: ["PartitionKey"], cancellationToken: ct))
            spaces.Add(head.PartitionKey);
        return spaces;
    }

    public async Task Write(string space, CaseView view, long cursorTicks, IReadOnlyCollection<string> appliedNotes, CancellationToken ct)
    {
        using var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(appliedNotes.Count);
            foreach (var note in appliedNotes) writer.Write(note);
        }
        view.WriteTo(content);
        content.Position = 0;

        await creation.Ensure(ct);
        var generation = Guid.NewGuid().ToString("N");
        await container.GetBlobClient(Name(space, generation)).UploadAsync(content, new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            Metadata = Stamped(time.GetUtcNow()),
        }, ct);
        var table = await tables.Views(ct);
        var previous = await table.GetEntityIfExistsAsync<TableEntity>(space, "head", cancellationToken: ct);
        await table.UpsertEntityAsync(new TableEntity(space, "head") { ["Generation"] = generation, ["CursorTicks"] = cursorTicks, ["Format"] = Format },
            TableUpdateMode.Replace, ct);
        if (previous.HasValue) await RemoveOlderBuildsRows(table, space, previous.Value!, ct);
        await RemoveGenerations(space, keep: generation, replaced: previous.HasValue ? previous.Value!.GetString("Generation") : null, LeftoverAge, ct);
    }

    static string Name(string space, string generation) => $"{space}/{generation}";

    /// <summary>A head of an older format named table rows (<c>{generation}_{n}</c>), not a blob: they go with it.</summary>
    static async Task RemoveOlderBuildsRows(TableClient table, string space, TableEntity head, CancellationToken ct)
    {
        if (head.GetInt32("Format") < Format && head.GetString("Generation") is { } rows)
            await TableDeletes.DeleteMatching(table, space, CaseRows.RangeFilter(space, rows + "_"), ct);
    }

    static Dictionary<string, string> Stamped(DateTimeOffset at)
    {
        var metadata = new Dictionary<string, string>();
        WrittenStamp.Set(metadata, at);
        return metadata;
    }

    /// <summary>
    /// Deletes the space's generations but <paramref name="keep"/>: the one just <paramref name="replaced"/> at once, any
    /// other (its writer died before naming it, or lost a race to another writer) once it is <paramref name="leftoverAge"/> old.
    /// </summary>
    async Task RemoveGenerations(string space, string? keep, string? replaced, TimeSpan leftoverAge, CancellationToken ct)
    {
        await creation.Ensure(ct);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, space + "/", ct))
        {
            var generation = blob.Name[(space.Length + 1)..];
            if (generation == keep) continue;
            var written = WrittenStamp.Of(blob.Metadata, blob.Properties.CreatedOn) ?? DateTimeOffset.MinValue;
            if (generation == replaced || time.GetUtcNow() - written >= leftoverAge)
                await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: ct);
        }
    }
}
