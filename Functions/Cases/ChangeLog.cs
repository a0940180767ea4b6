using System.Globalization;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Functions.Storage;

namespace Cases.Functions.Cases;

/// <summary>A change note as written: the transaction action that commits it, and its row key.</summary>
public sealed record ChangeNote(string Key, TableTransactionAction Action);

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
public sealed class ChangeLog(CasesTables tables, TimeProvider time)
{
    public const string Prefix = "change_";

    /// <summary>Writes made by this instance (space, case id, the record or null when deleted, the note's key).</summary>
    public event Action<string, string, CaseRecord?, string?>? Local;

    /// <summary>A note for a write about to be committed, keyed by the time it is made (not the case's own dates).</summary>
    public ChangeNote Note(string space, string caseId)
    {
        var key = $"{Prefix}{Key(time.GetUtcNow().UtcTicks)}_{caseId}_{Guid.NewGuid():N}";
        return new(key, new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(space, key) { ["CaseId"] = caseId }));
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
}
