using Azure;
using Azure.Data.Tables;
using Cases.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Files;

/// <summary>
/// Blobs that a crash could leave without their file row: an upload between its Put Blob and its table commit, a
/// deletion between its table commit and the blob's. Each gets a row in the <c>pendingblobs</c> table (partition =
/// space, row key = file id) before the blob work and loses it after; the timer's run (<see cref="Sweep"/>) handles
/// rows left older than <see cref="FilesOptions.OrphanAge"/>: a blob no file row holds is deleted. The table lists only
/// work in flight, so the sweep reads little however many files there are.
/// </summary>
public sealed class PendingBlobs(CasesTables tables, FileBlobs blobs, IOptions<FilesOptions> options)
{
    public sealed record Entry(string Space, string CaseId, string FileId, ETag ETag);

    /// <summary>Notes the blobs of these files of one case (one transaction: at most 100).</summary>
    public async Task<List<Entry>> Add(string space, string caseId, IReadOnlyList<string> fileIds, CancellationToken ct)
    {
        var table = await tables.PendingBlobs();
        // Storage's clock, like the blobs' own times the sweep compares with (tests fake the app's clock).
        var now = DateTimeOffset.UtcNow;
        var rows = fileIds.Select(id => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            new TableEntity(space, id) { ["CaseId"] = caseId, ["NotedAt"] = now })).ToList();
        var results = (await table.SubmitTransactionAsync(rows, ct)).Value;
        return fileIds.Select((id, i) => new Entry(space, caseId, id, results[i].Headers.ETag ?? ETag.All)).ToList();
    }

    /// <summary>The blob work is done (or undone): forgets the entries, unless noted again since.</summary>
    public async Task Remove(IEnumerable<Entry> entries, CancellationToken ct)
    {
        var table = await tables.PendingBlobs();
        foreach (var entry in entries)
        {
            try
            {
                await table.DeleteEntityAsync(entry.Space, entry.FileId, entry.ETag, ct);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Swept already, or noted again.
            }
        }
    }

    /// <summary>
    /// For each entry older than the orphan age: if no file row holds its blob, deletes the blob, unless the blob itself
    /// is younger than that (an upload that took long has just put it and is about to commit its row).
    /// </summary>
    public async Task<IReadOnlyList<string>> Sweep(CancellationToken ct)
    {
        var table = await tables.PendingBlobs();
        var cases = await tables.Cases();
        var cutoff = DateTimeOffset.UtcNow - options.Value.OrphanAge;
        int seen = 0, deleted = 0, kept = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"NotedAt le {cutoff}"), cancellationToken: ct))
        {
            seen++;
            var caseId = row.GetString("CaseId");
            var held = await cases.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, FileRows.ItemKey(caseId, row.RowKey), ["PartitionKey"], ct);
            if (!held.HasValue)
            {
                var blob = await blobs.Block(FileBlobs.Name(row.PartitionKey, caseId, row.RowKey), ct);
                try
                {
                    if ((await blob.GetPropertiesAsync(cancellationToken: ct)).Value.CreatedOn > cutoff)
                    {
                        kept++;
                        continue; // look again next run
                    }
                    await blob.DeleteIfExistsAsync(cancellationToken: ct);
                    deleted++;
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // Never written, or deleted already.
                }
            }
            await Remove([new Entry(row.PartitionKey, caseId, row.RowKey, row.ETag)], ct);
        }
        return seen == 0 ? [] : [$"File blobs: {seen} pending, {deleted} orphan(s) deleted, {kept} left for the next run"];
    }
}
