using Azure;
using Azure.Data.Tables;
using Cases.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Files;

/// <summary>
/// Blobs that a crash could leave without their file row: an upload between its Put Blob and its table commit, a
/// deletion between its table commit and the blob's. Each gets a row in the <c>pendingblobs</c> table (partition =
/// space, row key = file id) before the blob work and loses it after; the timer's run (<see cref="Sweep"/>) handles
/// rows left older than <see cref="FilesOptions.OrphanAge"/>: a blob no file row holds is deleted. The sweep first
/// claims a row (marks it claimed under its ETag, and deletes it only after the blob) and an upload renews its row (under its ETag) just before its table commit,
/// so of an upload that is slow and a sweep that thinks it dead, exactly one wins: the sweep never deletes a blob
/// that is about to get its row. The table lists only work in flight, so the sweep reads little however many files.
/// </summary>
/// <remarks>
/// Ages are measured on the app's <see cref="TimeProvider"/>: the note's own time, and the time the upload stamped on its
/// blob when it wrote it (<see cref="WrittenStamp"/>; a blob without it falls back to its server creation time).
/// </remarks>
public sealed partial class PendingBlobs(CasesTables tables, FileBlobs blobs, IOptions<FilesOptions> options, Testing.TestHooks hooks, TimeProvider time,
    ILogger<PendingBlobs> logger)
{
    /// <summary>How long a note of a blob not written yet is given: no request lives that long.</summary>
    static readonly TimeSpan UnwrittenAge = TimeSpan.FromDays(1);

    public sealed record Entry(string Space, string CaseId, string FileId, ETag ETag);

    public const string Upload = "upload", Deletion = "delete";

    /// <summary>Notes the blobs of these files of one case, being uploaded or deleted (one transaction: at most 100).</summary>
    public async Task<List<Entry>> Add(string space, string caseId, IReadOnlyList<string> fileIds, string kind, CancellationToken ct)
    {
        var table = await tables.PendingBlobs(ct);
        var now = time.GetUtcNow();
        var rows = fileIds.Select(id => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            Row(space, caseId, id, kind, now))).ToList();
        var results = (await table.SubmitTransactionAsync(rows, ct)).Value;
        return fileIds.Select((id, i) => new Entry(space, caseId, id, results[i].Headers.ETag ?? ETag.All)).ToList();
    }

    /// <summary>
    /// Renews an upload's note just before its table commit, so the sweep leaves it for another orphan age; false if the
    /// sweep claimed it meanwhile (the upload then gives up: its blob is the sweep's).
    /// </summary>
    public async Task<Entry?> Renew(Entry entry, CancellationToken ct)
    {
        var table = await tables.PendingBlobs(ct);
        try
        {
            var row = Row(entry.Space, entry.CaseId, entry.FileId, Upload, time.GetUtcNow());
            var response = await table.UpdateEntityAsync(row, entry.ETag, TableUpdateMode.Replace, ct);
            return entry with { ETag = response.Headers.ETag ?? ETag.All };
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>Deletes notes under their ETags (one not there any more, claimed or renewed, is left as it is).</summary>
    public async Task Remove(IEnumerable<Entry> entries, CancellationToken ct)
    {
        var table = await tables.PendingBlobs(ct);
        foreach (var entry in entries) await Forget(table, entry, ct);
    }

    /// <summary>Best-effort <see cref="Remove"/>: a note left behind only costs the timer's sweep a look.</summary>
    public async Task Settle(IReadOnlyList<Entry> entries)
    {
        try
        {
            await Remove(entries, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogNotesLeft(logger, ex, entries.Count > 0 ? entries[0].CaseId : "");
        }
    }

    /// <summary>
    /// For each note older than the orphan age: a blob some file row holds is left alone (an upload's note just goes; a
    /// deletion's waits, as the deletion may still commit); a blob that is not there yet is left to its upload (for a
    /// day); else the note is claimed and the blob deleted.
    /// </summary>
    public async Task<IReadOnlyList<string>> Sweep(CancellationToken ct)
    {
        var table = await tables.PendingBlobs(ct);
        var cases = await tables.Cases(ct);
        var now = time.GetUtcNow();
        var cutoff = now - options.Value.OrphanAge;
        int seen = 0, deleted = 0, kept = 0;
        Task<bool> Held(Entry entry) => FileRows.Exists(cases, entry.Space, entry.CaseId, entry.FileId, ct);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"NotedAt le {cutoff}"), cancellationToken: ct))
        {
            seen++;
            var entry = new Entry(row.PartitionKey, row.GetString("CaseId"), row.RowKey, row.ETag);
            if (row.GetBoolean("Claimed") == true)
            {
                // A sweep that died between its claim and the blob's deletion: the blob is the sweep's, finish the work.
                if (await (await blobs.Block(FileBlobs.Name(entry.Space, entry.CaseId, entry.FileId), ct)).DeleteIfExistsAsync(cancellationToken: ct)) deleted++;
                await Forget(table, entry, ct);
                continue;
            }
            var dayOld = row.GetDateTimeOffset("NotedAt") <= now - UnwrittenAge;
            if (await Held(entry))
            {
                if (row.GetString("Kind") == Deletion && !dayOld) kept++; // the deletion may still commit
                else await Remove([entry], ct);
                continue;
            }
            var blob = await blobs.Block(FileBlobs.Name(entry.Space, entry.CaseId, entry.FileId), ct);
            DateTimeOffset? created;
            try
            {
                var properties = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
                created = WrittenStamp.Of(properties.Metadata, properties.CreatedOn);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                created = null;
            }
            if (created is { } at ? at > cutoff : !dayOld)
            {
                kept++; // still being written
                continue;
            }
            // Claimed under its ETag, so an upload that renewed its note meanwhile (412) keeps its blob. Gone already (404):
            // the note's request settled it. The claim stays on the row until the blob is gone, so a sweep that dies in
            // between leaves it to the next.
            var claimed = await Claim(table, row, ct);
            if (claimed is null)
            {
                kept++;
                continue;
            }
            await hooks.At(Testing.HookPoints.SweepClaimed, entry.Space, ct);
            if (created is not null && await blob.DeleteIfExistsAsync(cancellationToken: ct)) deleted++;
            await Forget(table, claimed, ct);
        }
        return seen == 0 ? [] : [$"File blobs: {seen} pending, {deleted} orphan(s) deleted, {kept} left for the next run"];
    }

    static Task<int> Forget(TableClient table, Entry entry, CancellationToken ct) =>
        TableDeletes.TryDelete(table, entry.Space, entry.FileId, entry.ETag, ct);

    /// <summary>Marks a note claimed under its ETag; null if it changed (an upload renewed it) or went meanwhile.</summary>
    static async Task<Entry?> Claim(TableClient table, TableEntity row, CancellationToken ct)
    {
        var claim = Row(row.PartitionKey, row.GetString("CaseId"), row.RowKey, row.GetString("Kind"), row.GetDateTimeOffset("NotedAt")!.Value);
        claim["Claimed"] = true;
        try
        {
            var response = await table.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, ct);
            return new Entry(row.PartitionKey, row.GetString("CaseId"), row.RowKey, response.Headers.ETag ?? ETag.All);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notes of blob work on case {CaseId} are left to the timer's sweep")]
    static partial void LogNotesLeft(ILogger logger, Exception ex, string caseId);

    static TableEntity Row(string space, string caseId, string fileId, string kind, DateTimeOffset notedAt) =>
        new(space, fileId) { ["CaseId"] = caseId, ["Kind"] = kind, ["NotedAt"] = notedAt };
}
