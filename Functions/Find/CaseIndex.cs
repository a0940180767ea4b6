using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Storage;

namespace Cases.Functions.Find;

/// <summary>
/// Each instance's in-memory view of the cases of a space, which <c>_find</c>, the listings and the metrics read.
/// Table Storage has no secondary indexes and no full-text search, so filtering 100,000 cases on the server would
/// mean reading them all on every query. Instead a view is loaded once per instance (one scan of the space) and then
/// kept current from the space's change log: every case write commits a <c>chg_</c> row in the same transaction, and
/// a view catches up with one range query over the rows written since it last looked. Writes made by this instance
/// are applied at once, so a client always sees its own changes; other instances' changes show within
/// <see cref="RefreshInterval"/>.
/// </summary>
public sealed class CaseIndex(CasesTables tables, TimeProvider time)
{
    /// <summary>How stale a view may be about other instances' writes before a query refreshes it.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Change rows are keyed by the writer's clock, read before its commit; re-reading this far back catches a write
    /// that committed late, or on an instance whose clock lags.
    /// </summary>
    static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);

    /// <summary>Change rows older than this are deleted; a view idle for half of it reloads instead of catching up.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    static readonly TimeSpan CompactEvery = TimeSpan.FromMinutes(5);

    readonly ConcurrentDictionary<string, SpaceView> spaces = new(StringComparer.Ordinal);

    public async Task<ICollection<CaseRecord>> Cases(string space, CancellationToken ct)
    {
        var view = spaces.GetOrAdd(space, _ => new SpaceView());
        await Refresh(space, view, ct);
        return view.Cases.Values;
    }

    /// <summary>This instance wrote a case: show it at once.</summary>
    public void Saved(string space, CaseRecord record)
    {
        if (spaces.TryGetValue(space, out var view)) view.Apply(record);
    }

    public void Removed(string space, string caseId)
    {
        if (spaces.TryGetValue(space, out var view)) view.Remove(caseId);
    }

    async Task Refresh(string space, SpaceView view, CancellationToken ct)
    {
        if (view.Loaded && Stopwatch.GetElapsedTime(view.RefreshedAt) < RefreshInterval) return;
        await view.Gate.WaitAsync(ct);
        try
        {
            if (view.Loaded && Stopwatch.GetElapsedTime(view.RefreshedAt) < RefreshInterval) return;
            var table = await tables.Cases();
            var refreshStarted = Stopwatch.GetTimestamp();
            if (view.Loaded && Stopwatch.GetElapsedTime(view.RefreshedAt) > Retention / 2)
                view.Reset(); // the changes it missed may already be compacted away
            if (!view.Loaded)
            {
                view.CursorTicks = (time.GetUtcNow() - Overlap).UtcTicks;
                await Load(table, space, view, ct);
            }
            await CatchUp(table, space, view, ct);
            view.RefreshedAt = refreshStarted;
            view.Loaded = true;
            if (Stopwatch.GetElapsedTime(view.CompactedAt) > CompactEvery || view.CompactedAt == 0)
            {
                view.CompactedAt = Stopwatch.GetTimestamp();
                await Compact(table, space, ct);
            }
        }
        finally
        {
            view.Gate.Release();
        }
    }

    static async Task Load(TableClient table, string space, SpaceView view, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {space} and RowKey ge {CaseRows.CasePrefix} and RowKey lt {CaseRows.PrefixEnd(CaseRows.CasePrefix)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            if (!CaseRows.IsDeleted(row))
                view.Apply(CaseRows.FromEntity(row));
    }

    static async Task CatchUp(TableClient table, string space, SpaceView view, CancellationToken ct)
    {
        var from = CaseRows.ChangeKey(view.CursorTicks);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {space} and RowKey ge {from} and RowKey lt {CaseRows.PrefixEnd(CaseRows.ChangePrefix)}");
        var newest = view.CursorTicks + Overlap.Ticks;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var caseId = row.GetString("CaseId");
            if (row.GetBoolean("Deleted") == true)
                view.Remove(caseId);
            else
                view.Apply(new CaseRecord(JsonSerializer.Deserialize(ChunkedText.Read(row, "Doc"), CasesJsonContext.Default.Case)!,
                    row.GetInt32("Version") ?? 1, row.GetInt32("TotalComment") ?? 0, row.GetInt32("TotalAlerts") ?? 0, row.GetInt64("IncrementalId")));
            newest = Math.Max(newest, long.Parse(row.RowKey.AsSpan(CaseRows.ChangePrefix.Length, 19), System.Globalization.CultureInfo.InvariantCulture));
        }
        view.CursorTicks = newest - Overlap.Ticks;
    }

    /// <summary>Deletes the space's change rows older than <see cref="Retention"/>.</summary>
    async Task Compact(TableClient table, string space, CancellationToken ct)
    {
        var before = CaseRows.ChangeKey((time.GetUtcNow() - Retention).UtcTicks);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {space} and RowKey ge {CaseRows.ChangePrefix} and RowKey lt {before}");
        var batch = new List<TableTransactionAction>(100);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, Azure.ETag.All));
            if (batch.Count == 100) await Flush();
        }
        if (batch.Count > 0) await Flush();

        async Task Flush()
        {
            try
            {
                await table.SubmitTransactionAsync(batch, ct);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                // Another instance compacted some of them first; the rest go next time.
            }
            batch.Clear();
        }
    }

    sealed class SpaceView
    {
        public readonly ConcurrentDictionary<string, CaseRecord> Cases = new(StringComparer.Ordinal);
        readonly ConcurrentDictionary<string, byte> deleted = new(StringComparer.Ordinal);
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile bool Loaded;
        public long RefreshedAt;
        public long CompactedAt;
        public long CursorTicks;

        public void Reset()
        {
            Loaded = false;
            Cases.Clear();
            deleted.Clear();
        }

        /// <summary>Keeps the newest version of each case; a change read again (overlap) or late never goes backwards.</summary>
        public void Apply(CaseRecord record)
        {
            if (deleted.ContainsKey(record.Case.Id)) return;
            Cases.AddOrUpdate(record.Case.Id, record, (_, old) => record.Version >= old.Version ? record : old);
        }

        public void Remove(string caseId)
        {
            deleted[caseId] = 0;
            Cases.TryRemove(caseId, out _);
        }
    }
}
