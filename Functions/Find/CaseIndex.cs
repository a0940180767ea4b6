using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Functions.Cases;
using Cases.Functions.Storage;

namespace Cases.Functions.Find;

/// <summary>
/// Each instance's in-memory view of the cases of a space, which <c>_find</c>, the listings and the metrics read.
/// Table Storage has no secondary indexes and no full-text search, so filtering 100,000 cases on the server would mean
/// reading them all on every query. Instead a view is loaded once per instance (one scan of the space), then kept
/// current from the <see cref="ChangeLog"/>: a query over the change rows written since it last looked, and a fresh
/// read of each case they name. Writes made by this instance show at once, so a client always sees its own changes;
/// other instances' changes show within <see cref="RefreshInterval"/>.
/// </summary>
public sealed partial class CaseIndex
{
    /// <summary>How stale a view may be about other instances' writes before a query refreshes it.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Change rows are keyed by the writer's clock, read before its commit; re-reading this far back catches a write that
    /// committed late, or on an instance whose clock lags.
    /// </summary>
    static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);

    /// <summary>Change rows older than this are deleted; a view idle for half of it reloads instead of catching up.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    static readonly TimeSpan CompactEvery = TimeSpan.FromMinutes(5);

    readonly ConcurrentDictionary<string, SpaceView> spaces = new(StringComparer.Ordinal);
    readonly CasesTables tables;
    readonly CaseStore store;
    readonly ChangeLog changes;
    readonly ViewSnapshots snapshots;
    readonly TimeProvider time;
    readonly ILogger<CaseIndex> logger;

    /// <summary>How often an instance writes a fresh snapshot of a view it keeps.</summary>
    static readonly TimeSpan SnapshotEvery = TimeSpan.FromMinutes(10);

    public CaseIndex(CasesTables tables, CaseStore store, ChangeLog changes, ViewSnapshots snapshots, TimeProvider time, ILogger<CaseIndex> logger)
    {
        (this.tables, this.store, this.changes, this.snapshots, this.time, this.logger) = (tables, store, changes, snapshots, time, logger);
        changes.Local += (space, caseId, record) =>
        {
            if (!spaces.TryGetValue(space, out var view)) return;
            if (record is null) view.Remove(caseId);
            else view.Apply(record);
        };
    }

    public async Task<ICollection<CaseRecord>> Cases(string space, CancellationToken ct)
    {
        var view = spaces.GetOrAdd(space, _ => new SpaceView());
        await Refresh(space, view, ct);
        return view.Cases.Values;
    }

    async Task Refresh(string space, SpaceView view, CancellationToken ct)
    {
        if (view.Loaded && Stopwatch.GetElapsedTime(view.RefreshedAt) < RefreshInterval) return;
        await view.Gate.WaitAsync(ct);
        try
        {
            if (view.Loaded && Stopwatch.GetElapsedTime(view.RefreshedAt) < RefreshInterval) return;
            var refreshStarted = Stopwatch.GetTimestamp();
            if (view.Loaded && Stopwatch.GetElapsedTime(view.RefreshedAt) > Retention / 2)
                view.Reset(); // the changes it missed may already be compacted away
            if (!view.Loaded)
            {
                var usable = (time.GetUtcNow() - Retention / 2).UtcTicks;
                if (await snapshots.Read(space, usable, ct) is var (cases, cursor))
                {
                    foreach (var record in cases) view.Apply(record);
                    view.CursorTicks = cursor;
                    view.SnapshotAt = Stopwatch.GetTimestamp();
                }
                else
                {
                    view.CursorTicks = (time.GetUtcNow() - Overlap).UtcTicks;
                    await Load(space, view, ct);
                }
            }
            await CatchUp(space, view, ct);
            view.RefreshedAt = refreshStarted;
            view.Loaded = true;
            if (view.SnapshotAt == 0 || Stopwatch.GetElapsedTime(view.SnapshotAt) > SnapshotEvery)
            {
                view.SnapshotAt = Stopwatch.GetTimestamp();
                _ = WriteSnapshot(space, view.Cases.Values.ToList(), view.CursorTicks);
            }
            if (view.CompactedAt == 0 || Stopwatch.GetElapsedTime(view.CompactedAt) > CompactEvery)
            {
                view.CompactedAt = Stopwatch.GetTimestamp();
                await changes.Compact(space, (time.GetUtcNow() - Retention).UtcTicks, ct);
            }
        }
        finally
        {
            view.Gate.Release();
        }
    }

    /// <summary>Brings the space's view up to date and writes its snapshot now (the timer's upkeep, see SnapshotUpkeep).</summary>
    public async Task<int> Snapshot(string space, CancellationToken ct)
    {
        var view = spaces.GetOrAdd(space, _ => new SpaceView());
        await Refresh(space, view, ct);
        var cases = view.Cases.Values.ToList();
        view.SnapshotAt = Stopwatch.GetTimestamp();
        await snapshots.Write(space, cases, view.CursorTicks, ct);
        return cases.Count;
    }

    /// <summary>In the background: a slow or failed snapshot only means the next new instance scans instead.</summary>
    async Task WriteSnapshot(string space, List<CaseRecord> cases, long cursorTicks)
    {
        try
        {
            await snapshots.Write(space, cases, cursorTicks, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogSnapshotFailed(logger, ex, space);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the view snapshot of space {Space} failed")]
    static partial void LogSnapshotFailed(ILogger logger, Exception ex, string space);

    /// <summary>Scans the space's case rows: the fallback when there is no usable snapshot.</summary>
    async Task Load(string space, SpaceView view, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var filter = CaseRows.RangeFilter(space, CaseRows.CasePrefix);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            if (!CaseRows.IsDeleted(row))
                view.Apply(CaseRows.FromEntity(row));
    }

    async Task CatchUp(string space, SpaceView view, CancellationToken ct)
    {
        var (changed, newest) = await changes.Since(space, view.CursorTicks, ct);
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (caseId, token) =>
        {
            if (await store.Get(space, caseId, token) is { } current) view.Apply(current.Record, force: true);
            else view.Remove(caseId);
        });
        view.CursorTicks = Math.Max(view.CursorTicks, newest - Overlap.Ticks);
    }

    /// <summary>What the listings and status counts read, kept up to date as cases change instead of recounted per request.</summary>
    public sealed record Totals(IReadOnlyDictionary<string, int> Tags, IReadOnlyDictionary<string, int> Categories, IReadOnlyDictionary<string, int> Statuses);

    /// <summary>The running totals of a space's cases of the given owners (all owners when empty).</summary>
    public async Task<Totals> TotalsOf(string space, IReadOnlyCollection<string> owners, CancellationToken ct)
    {
        var view = spaces.GetOrAdd(space, _ => new SpaceView());
        await Refresh(space, view, ct);
        return view.TotalsOf(owners);
    }

    sealed class SpaceView
    {
        public readonly ConcurrentDictionary<string, CaseRecord> Cases = new(StringComparer.Ordinal);
        readonly HashSet<string> deleted = new(StringComparer.Ordinal);
        /// <summary>Per owner: how many cases carry each tag, category and status.</summary>
        readonly Dictionary<string, (Dictionary<string, int> Tags, Dictionary<string, int> Categories, Dictionary<string, int> Statuses)> totals = new(StringComparer.Ordinal);
        readonly Lock changing = new();
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile bool Loaded;
        public long RefreshedAt;
        public long CompactedAt;
        public long SnapshotAt;
        public long CursorTicks;

        /// <summary>Keeps the newest version of each case; a write seen again (overlap) or late never goes backwards.</summary>
        public void Apply(CaseRecord record, bool force = false)
        {
            lock (changing)
            {
                if (deleted.Contains(record.Case.Id)) return;
                if (Cases.TryGetValue(record.Case.Id, out var old))
                {
                    if (!force && record.Version < old.Version) return;
                    Count(old.Case, -1);
                }
                Cases[record.Case.Id] = record;
                Count(record.Case, +1);
            }
        }

        public void Remove(string caseId)
        {
            lock (changing)
            {
                deleted.Add(caseId);
                if (Cases.TryRemove(caseId, out var old)) Count(old.Case, -1);
            }
        }

        public void Reset()
        {
            lock (changing)
            {
                Loaded = false;
                Cases.Clear();
                deleted.Clear();
                totals.Clear();
            }
        }

        public Totals TotalsOf(IReadOnlyCollection<string> owners)
        {
            lock (changing)
            {
                var chosen = totals.Where(t => owners.Count == 0 || owners.Contains(t.Key)).Select(t => t.Value).ToList();
                return new Totals(Sum(chosen.Select(c => c.Tags)), Sum(chosen.Select(c => c.Categories)), Sum(chosen.Select(c => c.Statuses)));
            }
        }

        static Dictionary<string, int> Sum(IEnumerable<Dictionary<string, int>> counts)
        {
            var sum = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var count in counts)
                foreach (var (key, n) in count)
                    sum[key] = sum.GetValueOrDefault(key) + n;
            return sum;
        }

        void Count(Case c, int delta)
        {
            if (!totals.TryGetValue(c.Owner, out var owner))
                totals[c.Owner] = owner = (new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
            foreach (var tag in c.Tags.Distinct()) Add(owner.Tags, tag, delta);
            if (c.Category is { } category) Add(owner.Categories, category, delta);
            Add(owner.Statuses, c.Status, delta);
        }

        static void Add(Dictionary<string, int> counts, string key, int delta)
        {
            var n = counts.GetValueOrDefault(key) + delta;
            if (n == 0) counts.Remove(key);
            else counts[key] = n;
        }
    }
}
