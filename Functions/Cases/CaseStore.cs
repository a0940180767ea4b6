using Azure;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Domain.UserActions;
using Cases.Functions.Storage;

namespace Cases.Functions.Cases;

/// <summary>A case as read, with what is needed to write it back only if nobody changed it meanwhile.</summary>
public sealed record StoredCase(CaseRecord Record, ETag ETag, int ActionCount, bool Deleted = false, bool HasAttachments = false);

/// <summary>What an import needs to know of a case that exists already: its number (kept on overwrite) and whether it has attachments.</summary>
public sealed record ExistingCase(long? IncrementalId, bool HasAttachments);

/// <summary>A case brought in by an import, whose attachments and user actions are stored already.</summary>
public sealed record ImportedCase(CaseRecord Record, int ActionCount, bool HasAttachments, bool IsNew);

/// <summary>Reads and writes cases; every write commits the case and its user actions in one transaction.</summary>
public sealed class CaseStore(CasesTables tables, ChangeLog changes, Testing.TestHooks hooks)
{
    /// <summary>A live case, or null. <paramref name="includeDeleted"/> also returns one whose deletion was cut off.</summary>
    public async Task<StoredCase?> Get(string space, string caseId, CancellationToken ct, bool includeDeleted = false)
    {
        var table = await tables.Cases(ct);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(space, CaseRows.CaseKey(caseId), cancellationToken: ct);
        if (!response.HasValue) return null;
        var entity = response.Value!;
        var deleted = CaseRows.IsDeleted(entity);
        if (deleted && !includeDeleted) return null;
        return new StoredCase(CaseRows.FromEntity(entity), entity.ETag, entity.GetInt32(CaseColumns.Actions) ?? 0, deleted, entity.GetBoolean(CaseColumns.HasAttachments) == true);
    }

    /// <summary>
    /// Commits a new case with its create_case action and its change note in one transaction. The caller has queued it
    /// for a number first (<see cref="QueueForNumber"/>): a case without a queue row would never be numbered, while a
    /// queue row without a case is harmless and cleared by the next numbering run. The queue has a table of its own so
    /// that a numbering run finds the waiting cases of every space in one query.
    /// </summary>
    public async Task Create(string space, CaseRecord record, UserAction created, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var note = changes.Note(space, record.Case.Id);
        await changes.Commit(table,
        [
            new TableTransactionAction(TableTransactionActionType.Add, CaseRows.ToEntity(space, record, 1)),
            new TableTransactionAction(TableTransactionActionType.Add, CaseRows.ToEntity(space, created, CaseRows.UserActionKey(created, 0))),
            note.Action,
        ], [note], ct);
        changes.Saved(space, record, note);
    }

    /// <summary>Puts a case about to be created on the numbering queue (see <see cref="Create"/>).</summary>
    public async Task QueueForNumber(string space, string caseId, DateTimeOffset createdAt, CancellationToken ct)
    {
        var numbering = await tables.Numbering(ct);
        await numbering.UpsertEntityAsync(PendingNumbers.Row(space, caseId, createdAt), TableUpdateMode.Replace, ct);
    }

    /// <summary>
    /// Writes the new state and its actions (and any <paramref name="alongside"/> rows of the case's partition) if the
    /// row is still as read; false if it changed meanwhile.
    /// </summary>
    public async Task<bool> TryUpdate(string space, StoredCase current, CaseRecord next, IReadOnlyList<UserAction> actions, CancellationToken ct,
        IEnumerable<TableTransactionAction>? alongside = null)
    {
        var table = await tables.Cases(ct);
        var row = CaseRows.ToEntity(space, next, current.ActionCount + actions.Count);
        var batch = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, row, current.ETag) };
        batch.AddRange(actions.Select((a, i) =>
            new TableTransactionAction(TableTransactionActionType.Add, CaseRows.ToEntity(space, a, CaseRows.UserActionKey(a, i)))));
        if (alongside is not null) batch.AddRange(alongside);
        var note = changes.Note(space, next.Case.Id);
        batch.Add(note.Action);
        await hooks.At(Testing.HookPoints.CaseCommit, space, ct);
        try
        {
            await changes.Commit(table, batch, [note], ct);
            changes.Saved(space, next, note);
            await hooks.At(Testing.HookPoints.CaseCommitted, space, ct);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    /// <summary>
    /// The first step of a delete (see Deletion/CaseDeletion.cs): marks the case deleted together with its delete_case
    /// record and change note; from then on it is gone for every reader. A change meanwhile (an edit, a counter, a
    /// number) does not stop it: the mark is applied over the current row.
    /// </summary>
    public async Task MarkDeleted(string space, StoredCase current, UserAction deleted, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var caseId = current.Record.Case.Id;
        var tombstone = new TableEntity(space, CaseRows.CaseKey(caseId)) { [CaseColumns.Deleted] = true };
        var note = changes.Note(space, caseId);
        for (var attempt = 1; ; attempt++)
        {
            await hooks.At(Testing.HookPoints.DeleteMark, space, ct);
            try
            {
                await changes.Commit(table,
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, tombstone, current.ETag),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, CaseRows.ToEntity(space, deleted, CaseRows.DeletedKey(caseId))),
                    note.Action,
                ], [note], ct);
                break;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 412 && attempt < 10)
            {
                current = await Get(space, caseId, ct, includeDeleted: true) ?? throw new InvalidOperationException($"Case {caseId} vanished while being deleted.");
                if (current.Deleted) break; // marked meanwhile by another delete
            }
        }
        changes.Removed(space, caseId, note);
        await hooks.At(Testing.HookPoints.DeleteMarked, space, ct);
    }

    /// <summary>The last step of a delete: the number's lookup row, everything under the case's prefix, the case row.</summary>
    public async Task PurgeRows(string space, string caseId, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        // The number's lookup row goes first, while the case row still tells which number it had.
        var numbered = await table.GetEntityIfExistsAsync<TableEntity>(space, CaseRows.CaseKey(caseId), [CaseColumns.IncrementalId], ct);
        if (numbered.HasValue && numbered.Value!.GetInt64(CaseColumns.IncrementalId) is { } number)
            await table.DeleteEntityAsync(space, CaseRows.NumberKey(number), ETag.All, ct);
        await hooks.At(Testing.HookPoints.PurgedNumber, space, ct);
        await TableDeletes.DeleteMatching(table, space, CaseRows.RangeFilter(space, CaseRows.ItemsPrefix(caseId)), ct);
        await hooks.At(Testing.HookPoints.PurgedItems, space, ct);
        await table.DeleteEntityAsync(space, CaseRows.CaseKey(caseId), ETag.All, ct);
    }

    /// <summary>
    /// Writes imported cases, 50 per transaction, each with its change note. New ones are queued for a number first (as
    /// <see cref="Create"/> does). The rows are merged, so a case that is overwritten keeps its number and its file
    /// counter. Returns the ids that could not be written, with the reason.
    /// </summary>
    public async Task<Dictionary<string, string>> Import(string space, IReadOnlyList<ImportedCase> cases, CancellationToken ct)
    {
        var numbering = await tables.Numbering(ct);
        foreach (var chunk in cases.Where(c => c.IsNew).Chunk(100))
            await numbering.SubmitTransactionAsync(chunk.Select(c =>
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, PendingNumbers.Row(space, c.Record.Case.Id, c.Record.Case.CreatedAt))), ct);

        var table = await tables.Cases(ct);
        var failed = new Dictionary<string, string>();
        var notes = new Dictionary<string, ChangeNote>();
        List<TableTransactionAction> Rows(ImportedCase c)
        {
            var note = notes[c.Record.Case.Id] = changes.Note(space, c.Record.Case.Id);
            return [new(TableTransactionActionType.UpsertMerge, ImportedEntity(space, c)), note.Action];
        }
        foreach (var chunk in cases.Chunk(50))
        {
            try
            {
                var rows = chunk.SelectMany(Rows).ToList(); // keys the chunk's notes
                await changes.Commit(table, rows, [.. chunk.Select(c => notes[c.Record.Case.Id])], ct);
            }
            catch (TableTransactionFailedException)
            {
                // One bad row fails its whole batch: write them one by one to keep the good ones.
                foreach (var c in chunk)
                {
                    try
                    {
                        var rows = Rows(c);
                        await changes.Commit(table, rows, [notes[c.Record.Case.Id]], ct);
                    }
                    catch (TableTransactionFailedException ex) when (ex.Status is >= 400 and < 500)
                    {
                        failed[c.Record.Case.Id] = ex.ErrorCode ?? ex.Message;
                    }
                }
            }
        }
        foreach (var c in cases)
            if (!failed.ContainsKey(c.Record.Case.Id)) changes.Saved(space, c.Record, notes[c.Record.Case.Id]);
        return failed;
    }

    /// <summary>
    /// Which of <paramref name="caseIds"/> exist (live) in the space. A few are read one by one; many are found with one
    /// query over the space's case rows that fetches three columns, instead of thousands of reads.
    /// </summary>
    public async Task<Dictionary<string, ExistingCase>> Existing(string space, IReadOnlyCollection<string> caseIds, CancellationToken ct)
    {
        string[] columns = ["RowKey", CaseColumns.IncrementalId, CaseColumns.HasAttachments, CaseColumns.Deleted];
        var table = await tables.Cases(ct);
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, ExistingCase>(StringComparer.Ordinal);
        void Add(TableEntity row)
        {
            if (!CaseRows.IsDeleted(row))
                found[row.RowKey[CaseRows.CasePrefix.Length..]] = new ExistingCase(row.GetInt64(CaseColumns.IncrementalId), row.GetBoolean(CaseColumns.HasAttachments) == true);
        }
        if (caseIds.Count < ScanForExistingFrom)
        {
            await Parallel.ForEachAsync(caseIds, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
            {
                var row = await table.GetEntityIfExistsAsync<TableEntity>(space, CaseRows.CaseKey(id), columns, token);
                if (row.HasValue) Add(row.Value!);
            });
            return new Dictionary<string, ExistingCase>(found, StringComparer.Ordinal);
        }
        var wanted = caseIds as ISet<string> ?? caseIds.ToHashSet(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(CaseRows.RangeFilter(space, CaseRows.CasePrefix), select: columns, cancellationToken: ct))
            if (wanted.Contains(row.RowKey[CaseRows.CasePrefix.Length..])) Add(row);
        return new Dictionary<string, ExistingCase>(found, StringComparer.Ordinal);
    }

    /// <summary>From this many ids on, one query over the space's case rows is cheaper than a read per id.</summary>
    const int ScanForExistingFrom = 500;

    static TableEntity ImportedEntity(string space, ImportedCase c)
    {
        var entity = CaseRows.ToEntity(space, c.Record, c.ActionCount);
        entity[CaseColumns.TotalComment] = c.Record.TotalComment;
        entity[CaseColumns.TotalAlerts] = c.Record.TotalAlerts;
        entity[CaseColumns.HasAttachments] = c.HasAttachments;
        entity[CaseColumns.Deleted] = false;
        return entity;
    }

    /// <summary>The case that holds a number in a space, if any.</summary>
    public async Task<StoredCase?> GetByNumber(string space, long number, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var lookup = await table.GetEntityIfExistsAsync<TableEntity>(space, CaseRows.NumberKey(number), cancellationToken: ct);
        return lookup.HasValue ? await Get(space, lookup.Value!.GetString("CaseId"), ct) : null;
    }

    /// <summary>The live cases of a space, in id order; only those of <paramref name="owners"/> if any are given (filtered by the storage).</summary>
    public async IAsyncEnumerable<CaseRecord> List(string space, IReadOnlyList<string> owners, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var filter = CaseRows.RangeFilter(space, CaseRows.CasePrefix);
        if (owners.Count > 0) filter += " and (" + string.Join(" or ", owners.Select(o => CaseColumns.Owner + " eq " + TableClient.CreateQueryFilter($"{o}"))) + ")";
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            if (!CaseRows.IsDeleted(row))
                yield return CaseRows.FromEntity(row);
    }
}
