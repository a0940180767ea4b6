using System.Collections.Concurrent;
using Azure.Data.Tables;
using Cases.Domain.Find;
using Cases.Functions.Cases;
using Cases.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Find;

/// <summary>
/// Each instance's in-memory view of the cases of a space (a compact <see cref="CaseView"/>), which <c>_find</c>, the
/// listings and the metrics read. Table Storage has no secondary indexes and no full-text search, so a view is loaded
/// once per instance (from the space's snapshot blob, or one scan of the space), then kept current from
/// the <see cref="ChangeLog"/>. Writes made by this instance show at once; other instances' writes are caught up with
/// in the background, and a query waits for that only briefly (<see cref="FindOptions.CatchUpWait"/>), and only when
/// the last catch-up finished within that time: a catch-up never runs inline more often than it can finish.
/// Views of empty spaces are not kept; idle views and, past the memory ceiling, the least recently used ones are dropped.
/// </summary>
public sealed partial class CaseIndex
{
    /// <summary>How stale a view may be about other instances' writes before a query starts a catch-up.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far back a catch-up lists notes again (<see cref="ChangeLog.Overlap"/>), behind the newest note or the
    /// reader's own clock, whichever is later. Notes already applied are skipped, so this costs no reads; and the cursor
    /// moves on in quiet too, so a burst of writes is not listed again at every catch-up after it.
    /// </summary>
    static readonly TimeSpan Overlap = ChangeLog.Overlap;

    /// <summary>Change rows older than this are deleted; a view idle for half of it reloads instead of catching up.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    static readonly TimeSpan CompactEvery = TimeSpan.FromMinutes(5);
    /// <summary>How often an instance writes a fresh snapshot of a view it keeps.</summary>
    static readonly TimeSpan SnapshotEvery = TimeSpan.FromMinutes(10);
    static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(10);

    readonly ConcurrentDictionary<string, SpaceView> spaces = new(StringComparer.Ordinal);
    readonly CasesTables tables;
    readonly CaseStore store;
    readonly ChangeLog changes;
    readonly ViewSnapshots snapshots;
    readonly TimeProvider time;
    readonly FindOptions options;
    readonly ILogger<CaseIndex> logger;
    long sweptAt;

    public CaseIndex(CasesTables tables, CaseStore store, ChangeLog changes, ViewSnapshots snapshots, TimeProvider time,
        IOptions<FindOptions> options, ILogger<CaseIndex> logger)
    {
        (this.tables, this.store, this.changes, this.snapshots, this.time, this.options, this.logger) =
            (tables, store, changes, snapshots, time, options.Value, logger);
        changes.Local += (space, caseId, record, note) =>
        {
            if (!spaces.TryGetValue(space, out var view)) return;
            if (record is null) view.Current.Remove(caseId);
            else view.Current.Apply(record);
            if (note is not null) view.Applied(note);
        };
    }

    /// <summary>The spaces whose views this instance holds (for tests and the benchmark).</summary>
    public IReadOnlyCollection<string> HeldSpaces => spaces.Keys.ToList();

    /// <summary>Forgets a space's view; the next query reloads it (the benchmark measures what a view holds this way).</summary>
    public bool Drop(string space) => spaces.TryRemove(space, out _);

    /// <summary>The estimated size of all views held.</summary>
    public long ApproximateBytes => spaces.Values.Sum(v => v.Current.ApproximateBytes);

    /// <summary>The space's view, loaded on first use and caught up with other instances' writes.</summary>
    public async Task<CaseView> View(string space, CancellationToken ct)
    {
        var view = spaces.GetOrAdd(space, _ => new SpaceView());
        view.UsedAt = time.GetTimestamp();
        if (!view.Loaded) await Load(space, view, ct);
        else if (time.GetElapsedTime(view.RefreshedAt) >= RefreshInterval) await CatchUpBriefly(space, view, ct);
        Sweep(space);
        return view.Current;
    }

    public async Task<CaseTotals> TotalsOf(string space, IReadOnlyCollection<string> owners, CancellationToken ct) =>
        (await View(space, ct)).TotalsOf(owners);

    /// <summary>The first query of a space on this instance: concurrent ones load once; other spaces do not wait.</summary>
    async Task Load(string space, SpaceView view, CancellationToken ct, bool writeSnapshot = true)
    {
        await view.Gate.WaitAsync(ct);
        try
        {
            if (view.Loaded) return;
            var refreshStarted = time.GetTimestamp();
            var usable = (time.GetUtcNow() - Retention / 2).UtcTicks;
            NotesSince? notesRead = null; // set when loaded from the snapshot
            if (await snapshots.ReadHead(space, usable, ct) is { } head)
            {
                // The notes since the snapshot are read while the snapshot is parsed, once its blob has arrived: a new
                // instance waits for the longer of the two, not both. (Not during the download: Azurite answers one
                // request at a time, and the notes' query would hold the blob up; in Azure the parse is the longer.)
                Task<NotesSince>? noting = null;
                var read = await snapshots.Read(space, head, received: () => noting = changes.Since(space, head.CursorTicks, ct), ct);
                if (read is var (loaded, applied) && noting is not null)
                {
                    view.Current = loaded;
                    view.CursorTicks = head.CursorTicks;
                    foreach (var note in applied) view.Applied(note);
                    view.SnapshotAt = time.GetTimestamp();
                    notesRead = await noting;
                }
            }
            if (notesRead is null)
            {
                view.CursorTicks = (time.GetUtcNow() - Overlap).UtcTicks;
                // A note that can be read is a write that has landed, so the scan that starts after reading these
                // shows every write they announce: their cases need no second read.
                foreach (var (key, _) in (await changes.Since(space, view.CursorTicks, ct)).Notes) view.Applied(key);
                await Scan(space, view.Current, ct);
            }
            var readTook = time.GetElapsedTime(refreshStarted);
            var (notes, reads) = await CatchUp(space, view, ct, notesRead);
            LogLoaded(logger, space, view.Current.Count, notesRead is null ? "scan" : "snapshot", (long)readTook.TotalMilliseconds, notes, reads,
                (long)(time.GetElapsedTime(refreshStarted) - readTook).TotalMilliseconds);
            view.RefreshedAt = refreshStarted;
            view.Loaded = true;
            if (view.Current.Count == 0 && view.SnapshotAt == 0)
            {
                // Reading an empty space keeps nothing: no view held, no snapshot written.
                spaces.TryRemove(new KeyValuePair<string, SpaceView>(space, view));
                return;
            }
            if (view.SnapshotAt == 0 && writeSnapshot)
            {
                view.SnapshotAt = time.GetTimestamp();
                _ = WriteSnapshot(space, view);
            }
        }
        finally
        {
            view.Gate.Release();
        }
    }

    /// <summary>
    /// Starts a catch-up unless one is running, and waits for it only if the last one finished within the wait: on a
    /// slow change log queries answer from the view at once while the catch-up goes on in the background.
    /// </summary>
    async Task CatchUpBriefly(string space, SpaceView view, CancellationToken ct)
    {
        Task running;
        lock (view)
        {
            if (time.GetElapsedTime(view.RefreshedAt) < RefreshInterval) return;
            running = view.CatchingUp ??= Task.Run(() => CatchUpInBackground(space, view), CancellationToken.None);
        }
        if (view.LastCatchUp > options.CatchUpWait) return;
        try
        {
            await running.WaitAsync(options.CatchUpWait, ct);
        }
        catch (TimeoutException)
        {
        }
    }

    async Task CatchUpInBackground(string space, SpaceView view)
    {
        var started = time.GetTimestamp();
        try
        {
            if (time.GetElapsedTime(view.RefreshedAt) > Retention / 2)
            {
                // Idle too long: the changes it missed may already be compacted away, so it loads again.
                spaces.TryRemove(new KeyValuePair<string, SpaceView>(space, view));
                return;
            }
            await CatchUp(space, view, CancellationToken.None);
            view.RefreshedAt = started;
            if (time.GetElapsedTime(view.SnapshotAt) > SnapshotEvery)
            {
                view.SnapshotAt = time.GetTimestamp();
                await WriteSnapshot(space, view);
            }
            if (view.CompactedAt == 0 || time.GetElapsedTime(view.CompactedAt) > CompactEvery)
            {
                view.CompactedAt = time.GetTimestamp();
                await changes.Compact(space, (time.GetUtcNow() - Retention).UtcTicks, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            LogCatchUpFailed(logger, ex, space);
        }
        finally
        {
            view.LastCatchUp = time.GetElapsedTime(started);
            lock (view) view.CatchingUp = null;
        }
    }

    /// <summary>Drops views idle too long, then the least recently used ones while all views together exceed the ceiling.</summary>
    void Sweep(string inUse)
    {
        var last = Interlocked.Read(ref sweptAt);
        if (last != 0 && time.GetElapsedTime(last) < SweepEvery) return;
        if (Interlocked.CompareExchange(ref sweptAt, time.GetTimestamp(), last) != last) return;
        foreach (var (space, view) in spaces)
            if (space != inUse && time.GetElapsedTime(view.UsedAt) > options.IdleViewLifetime)
                spaces.TryRemove(new KeyValuePair<string, SpaceView>(space, view));
        EnforceCeiling(inUse);
    }

    /// <summary>Drops the least recently used views (never <paramref name="inUse"/>) until the rest fit the ceiling.</summary>
    public void EnforceCeiling(string? inUse = null)
    {
        var limit = options.ViewMemoryLimitMegabytes * 1024L * 1024;
        var held = spaces.ToList();
        var total = held.Sum(v => v.Value.Current.ApproximateBytes);
        foreach (var (space, view) in held.OrderBy(v => v.Value.UsedAt))
        {
            if (total <= limit) break;
            if (space == inUse) continue;
            if (spaces.TryRemove(new KeyValuePair<string, SpaceView>(space, view)))
            {
                total -= view.Current.ApproximateBytes;
                LogViewDropped(logger, space);
            }
        }
    }

    /// <summary>
    /// The timer's upkeep of a space's snapshot (see SnapshotUpkeep): if nothing was written since the snapshot, only its
    /// position moves on (no view is loaded, no blob rewritten), which keeps it usable; otherwise <see cref="Snapshot"/>.
    /// Returns the number of cases snapshotted, or null when the snapshot was kept.
    /// </summary>
    public async Task<int?> KeepSnapshot(string space, CancellationToken ct)
    {
        if (await snapshots.ReadHead(space, (time.GetUtcNow() - Retention / 2).UtcTicks, ct) is { } head)
        {
            // The same rule as a catch-up's: the new position is the overlap behind this listing, and a write that commits
            // later than that after its note was keyed is announced again (ChangeLog.Commit).
            var (notes, reached) = await changes.Since(space, head.CursorTicks, ct);
            if (notes.Count == 0 && await snapshots.MoveCursor(space, head, reached - Overlap.Ticks, ct)) return null;
        }
        return await Snapshot(space, ct);
    }

    /// <summary>Brings the space's view up to date and writes its snapshot now.</summary>
    public async Task<int> Snapshot(string space, CancellationToken ct)
    {
        var view = spaces.GetOrAdd(space, _ => new SpaceView());
        if (!view.Loaded) await Load(space, view, ct, writeSnapshot: false); // written just below
        else
        {
            // Always caught up, even if a query just did: the snapshot's cursor is then the time of this run, so a new
            // instance can use it however long the space has been quiet (a snapshot is used up to half the retention).
            await view.Gate.WaitAsync(ct);
            try
            {
                var started = time.GetTimestamp();
                await CatchUp(space, view, ct);
                view.RefreshedAt = started;
            }
            finally
            {
                view.Gate.Release();
            }
        }
        var count = view.Current.Count;
        view.SnapshotAt = time.GetTimestamp();
        if (count == 0) await snapshots.Delete(space, ct); // nothing left to keep: the timer stops refreshing it
        else await snapshots.Write(space, view.Current, view.CursorTicks, view.AppliedNotes(), ct);
        return count;
    }

    /// <summary>In the background: a slow or failed snapshot only means the next new instance scans instead.</summary>
    async Task WriteSnapshot(string space, SpaceView view)
    {
        try
        {
            // The notes first: each one listed is already applied to the view written after it.
            var applied = view.AppliedNotes();
            await snapshots.Write(space, view.Current, view.CursorTicks, applied, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogSnapshotFailed(logger, ex, space);
        }
    }

    /// <summary>
    /// Scans the space's case rows: the fallback when there is no usable snapshot. Case ids are GUIDs (Kibana's too), so
    /// the rows are read as 16 ranges by the id's first character, four at a time: the rows' JSON is parsed on every
    /// core while the next pages arrive (at 100,000 cases on Azurite: 21 s against 40 s for one range read). Not more:
    /// one partition serves about 2,000 entities a second in Azure, and other spaces' queries share the storage.
    /// The ranges meet end to end, so any id falls in one of them.
    /// </summary>
    async Task Scan(string space, CaseView view, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        string[] bounds = [CaseRows.CasePrefix, .. "123456789abcdef".Select(c => CaseRows.CasePrefix + c), CaseRows.PrefixEnd(CaseRows.CasePrefix)];
        await Parallel.ForEachAsync(Enumerable.Range(0, bounds.Length - 1), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, token) =>
        {
            await foreach (var row in table.QueryAsync<TableEntity>(CaseRows.RangeFilter(space, bounds[i], bounds[i + 1]), cancellationToken: token))
                if (!CaseRows.IsDeleted(row))
                    view.Apply(CaseRows.FromEntity(row));
        });
    }

    /// <summary>
    /// Reads the cases of the notes not applied yet: a note is committed with its write, so once is enough. Returns how
    /// many notes were read and how many cases.
    /// </summary>
    async Task<(int Notes, int Reads)> CatchUp(string space, SpaceView view, CancellationToken ct, NotesSince? alreadyRead = null)
    {
        var (notes, reached) = alreadyRead ?? await changes.Since(space, view.CursorTicks, ct);
        var fresh = notes.Where(n => !view.HasApplied(n.Key)).ToList();
        var toRead = fresh.Select(n => n.CaseId).Distinct().ToList();
        var current = view.Current;
        await Parallel.ForEachAsync(toRead, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (caseId, token) =>
        {
            if (await store.Get(space, caseId, token) is { } stored) current.Apply(stored.Record, force: true);
            else current.Remove(caseId);
        });
        foreach (var note in fresh) view.Applied(note.Key);
        view.CursorTicks = Math.Max(view.CursorTicks, reached - Overlap.Ticks);
        view.ForgetBefore(ChangeLog.From(view.CursorTicks));
        return (notes.Count, toRead.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the view snapshot of space {Space} failed")]
    static partial void LogSnapshotFailed(ILogger logger, Exception ex, string space);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catching up the view of space {Space} failed; the next query retries")]
    static partial void LogCatchUpFailed(ILogger logger, Exception ex, string space);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the view of space {Space}: {Cases} cases from the {Source} in {ReadMs} ms, then {Notes} change notes ({Reads} cases read) in {CatchUpMs} ms")]
    static partial void LogLoaded(ILogger logger, string space, int cases, string source, long readMs, int notes, int reads, long catchUpMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped the view of space {Space} (memory ceiling); it reloads on demand")]
    static partial void LogViewDropped(ILogger logger, string space);

    sealed class SpaceView
    {
        public CaseView Current = new();
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile bool Loaded;
        public long RefreshedAt;
        public long CompactedAt;
        public long SnapshotAt;
        public long CursorTicks;
        public long UsedAt;
        public Task? CatchingUp;
        public TimeSpan LastCatchUp;

        /// <summary>Keys of the notes at or after the cursor whose writes the view already shows.</summary>
        readonly HashSet<string> applied = new(StringComparer.Ordinal);

        public bool HasApplied(string note)
        {
            lock (applied) return applied.Contains(note);
        }

        public void Applied(string note)
        {
            lock (applied) applied.Add(note);
        }

        public List<string> AppliedNotes()
        {
            lock (applied) return [.. applied];
        }

        public void ForgetBefore(string key)
        {
            lock (applied) applied.RemoveWhere(n => string.CompareOrdinal(n, key) < 0);
        }
    }
}
