using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Functions.Storage;

namespace Cases.Functions.Find;

/// <summary>
/// Which cases of a space changed, and when: one row per write in the <c>changes</c> table (partition = space, row key =
/// time then case id), so an instance's view catches up with a range query over a small table. A row is written
/// <em>before</em> the write it announces: a write that then fails leaves a harmless false alarm (the reader re-reads
/// the case and finds it unchanged), while a write can never go unannounced. Rows carry no content, only the case id.
/// </summary>
public sealed class ChangeLog(CasesTables tables, TimeProvider time)
{
    /// <summary>Writes made by this instance, for its own view to show at once.</summary>
    public event Action<string, string, CaseRecord?>? Local;

    /// <summary>Announces a write about to happen, keyed by the time it is written (not the case's own dates).</summary>
    public async Task Note(string space, string caseId, CancellationToken ct)
    {
        var table = await tables.Changes(ct);
        await table.AddEntityAsync(new TableEntity(space, $"{Key(time.GetUtcNow().UtcTicks)}_{caseId}_{Guid.NewGuid():N}") { ["CaseId"] = caseId }, ct);
    }

    /// <summary>Announces writes to many cases (an import) in transactions of 100 rows instead of a write each.</summary>
    public async Task NoteMany(string space, IReadOnlyList<string> caseIds, CancellationToken ct)
    {
        var table = await tables.Changes(ct);
        var key = Key(time.GetUtcNow().UtcTicks);
        foreach (var chunk in caseIds.Chunk(100))
            await table.SubmitTransactionAsync(chunk.Select(id => new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(space, $"{key}_{id}_{Guid.NewGuid():N}") { ["CaseId"] = id })), ct);
    }

    public void Saved(string space, CaseRecord record) => Local?.Invoke(space, record.Case.Id, record);

    public void Removed(string space, string caseId) => Local?.Invoke(space, caseId, null);

    /// <summary>The cases changed at or after <paramref name="ticks"/>, and the newest change time seen.</summary>
    public async Task<(HashSet<string> CaseIds, long Newest)> Since(string space, long ticks, CancellationToken ct)
    {
        var table = await tables.Changes(ct);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var newest = ticks;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {space} and RowKey ge {Key(ticks)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "CaseId"], cancellationToken: ct))
        {
            ids.Add(row.GetString("CaseId"));
            newest = Math.Max(newest, long.Parse(row.RowKey.AsSpan(0, 19), CultureInfo.InvariantCulture));
        }
        return (ids, newest);
    }

    /// <summary>Deletes the space's rows older than <paramref name="ticks"/>.</summary>
    public async Task Compact(string space, long ticks, CancellationToken ct)
    {
        var table = await tables.Changes(ct);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {space} and RowKey lt {Key(ticks)}");
        await TableDeletes.DeleteMatching(table, space, filter, ct);
    }

    static string Key(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);
}
