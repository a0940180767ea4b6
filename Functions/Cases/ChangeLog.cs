using System.Globalization;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Functions.Storage;

namespace Cases.Functions.Cases;

/// <summary>A change note as written: the case it announces, its row key, and the transaction action that commits it.</summary>
public sealed record ChangeNote(string Space, string CaseId, string Key, TableTransactionAction Action);

/// <summary>
/// Notes read from the change log (key and case id), and the time the reading reached: the newest note's, or the
/// reader's clock when the read began if that is later (a quiet log moves a reader on by its own clock).
/// </summary>
public sealed record NotesSince(List<(string Key, string CaseId)> Notes, long ReachedTicks);

/// <summary>
/// Which cases of a space changed, and when: one <c>change_</c> row per write, in the <c>cases</c> table beside the case
/// (row key = time then case id), committed in the same entity-group transaction as the write it announces. So a write
/// can never go unannounced, costs no extra round trip, and a note that can be read is a write that has landed: each
/// instance reads a note's case once. Rows carry no content, only the case id.
/// </summary>
public sealed partial class ChangeLog(CasesTables tables, TimeProvider time, ILogger<ChangeLog> logger)
{
    public const string Prefix = "change_";

    /// <summary>
    /// Notes are keyed by the writer's clock, taken before its commit, so readers list them again from this far behind
    /// the newest note or their own clock, whichever is later (see Find/CaseIndex): a write that commits late, or on an
    /// instance whose clock lags, is still seen. A commit later than half of it is announced again (<see cref="Commit"/>).
    /// </summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);

    /// <summary>Writes made by this instance (space, case id, the record or null when deleted, the note's key).</summary>
    public event Action<string, string, CaseRecord?, string?>? Local;

    /// <summary>A note for a write about to be committed, keyed by the time it is made (not the case's own dates).</summary>
    public ChangeNote Note(string space, string caseId)
    {
        var key = $"{Prefix}{Key(time.GetUtcNow().UtcTicks)}_{caseId}_{Guid.NewGuid():N}";
        return new(space, caseId, key, new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(space, key) { ["CaseId"] = caseId }));
    }

    /// <summary>
    /// Submits a write's transaction, which carries <paramref name="notes"/>. If it landed more than half the
    /// <see cref="Overlap"/> after its notes were keyed (a slow or retried call), readers may have moved past those keys
    /// already, so the write is announced again with fresh notes: best effort, as the write itself has landed.
    /// </summary>
    public async Task Commit(TableClient table, IEnumerable<TableTransactionAction> batch, IReadOnlyCollection<ChangeNote> notes, CancellationToken ct)
    {
        await table.SubmitTransactionAsync(batch, ct);
        if (notes.Count == 0 || time.GetUtcNow().UtcTicks - notes.Min(n => TicksOf(n.Key)) <= Overlap.Ticks / 2) return;
        try
        {
            foreach (var chunk in notes.Chunk(100))
                await table.SubmitTransactionAsync(chunk.Select(n => Note(n.Space, n.CaseId).Action), CancellationToken.None);
            LogAnnouncedAgain(logger, notes.Count);
        }
        catch (Exception ex)
        {
            LogNotAnnouncedAgain(logger, ex, notes.Count);
        }
    }

    public void Saved(string space, CaseRecord record, ChangeNote? note) => Local?.Invoke(space, record.Case.Id, record, note?.Key);

    public void Removed(string space, string caseId, ChangeNote? note) => Local?.Invoke(space, caseId, null, note?.Key);

    /// <summary>The notes written at or after <paramref name="ticks"/> (key and case id), and the time the reading reached.</summary>
    public async Task<NotesSince> Since(string space, long ticks, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var notes = new List<(string, string)>();
        var reached = Math.Max(ticks, time.GetUtcNow().UtcTicks);
        var filter = CaseRows.RangeFilter(space, From(ticks), CaseRows.PrefixEnd(Prefix));
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "CaseId"], cancellationToken: ct))
        {
            notes.Add((row.RowKey, row.GetString("CaseId")));
            reached = Math.Max(reached, TicksOf(row.RowKey));
        }
        return new(notes, reached);
    }

    /// <summary>Deletes the space's notes older than <paramref name="ticks"/>.</summary>
    public async Task Compact(string space, long ticks, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var filter = CaseRows.RangeFilter(space, Prefix, From(ticks));
        await TableDeletes.DeleteMatching(table, space, filter, ct);
    }

    /// <summary>The smallest row key of a note made at <paramref name="ticks"/>: notes sort by time as strings.</summary>
    public static string From(long ticks) => Prefix + Key(ticks);

    static long TicksOf(string rowKey) => long.Parse(rowKey.AsSpan(Prefix.Length, 19), CultureInfo.InvariantCulture);

    static string Key(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "A write of {Count} case(s) committed late; announced again with fresh change notes")]
    static partial void LogAnnouncedAgain(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A write of {Count} case(s) committed late and could not be announced again; other instances' views may miss it until the case changes or they reload")]
    static partial void LogNotAnnouncedAgain(ILogger logger, Exception ex, int count);
}
