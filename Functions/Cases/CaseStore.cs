using Azure;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Domain.UserActions;
using Cases.Functions.Storage;

namespace Cases.Functions.Cases;

/// <summary>A case as read, with what is needed to write it back only if nobody changed it meanwhile.</summary>
public sealed record StoredCase(CaseRecord Record, ETag ETag, int ActionCount, bool Deleted = false, bool HasAttachments = false);

/// <summary>A case brought in by an import, whose attachments and user actions are stored already.</summary>
public sealed record ImportedCase(CaseRecord Record, int ActionCount, bool HasAttachments, bool IsNew);

/// <summary>Reads and writes cases; every write commits the case and its user actions in one transaction.</summary>
public sealed class CaseStore(CasesTables tables, Find.ChangeLog changes, Files.FileStore files, Testing.TestHooks hooks)
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
    /// Queues the case for a number and announces the change, then commits it with its create_case action. Both rows
    /// go first (side by side, one round trip): a case without a queue row would never be numbered, nor an unannounced
    /// one seen by other instances, while a queue row or change note without a case is harmless and cleared later.
    /// </summary>
    public async Task Create(string space, CaseRecord record, UserAction created, CancellationToken ct)
    {
        var numbering = await tables.Numbering(ct);
        await Task.WhenAll(
            numbering.UpsertEntityAsync(Numbering.PendingNumbers.Row(space, record.Case), TableUpdateMode.Replace, ct),
            changes.Note(space, record.Case.Id, ct));
        var table = await tables.Cases(ct);
        await table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, CaseRows.ToEntity(space, record, 1)),
            new TableTransactionAction(TableTransactionActionType.Add, CaseRows.ToEntity(space, created, CaseRows.UserActionKey(created, 0))),
        ], ct);
        changes.Saved(space, record);
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
        await changes.Note(space, next.Case.Id, ct);
        await hooks.At(Testing.HookPoints.CaseCommit, space, ct);
        try
        {
            await table.SubmitTransactionAsync(batch, ct);
            changes.Saved(space, next);
            await hooks.At(Testing.HookPoints.CaseCommitted, space, ct);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes a case in two steps that survive a crash between them: first the case is marked deleted together with
    /// the delete_case record (from then on it is gone for every reader), then everything it owns is removed.
    /// </summary>
    public async Task Delete(string space, StoredCase current, UserAction deleted, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        if (current.Deleted)
        {
            // A deletion that was cut off: its record is already written, only the purge is left.
            await Purge(table, space, current.Record.Case.Id, ct);
            return;
        }
        var caseId = current.Record.Case.Id;
        var tombstone = new TableEntity(space, CaseRows.CaseKey(caseId)) { [CaseColumns.Deleted] = true };
        await changes.Note(space, caseId, ct);
        for (var attempt = 1; !current.Deleted; attempt++)
        {
            try
            {
                await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, tombstone, current.ETag),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, CaseRows.ToEntity(space, deleted, CaseRows.DeletedKey(caseId))),
                ], ct);
                break;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 412 && attempt < 10)
            {
                // Changed meanwhile (an edit, a counter, a number): the delete still wins, over the current row.
                current = await Get(space, caseId, ct, includeDeleted: true) ?? throw new InvalidOperationException($"Case {caseId} vanished while being deleted.");
            }
        }
        changes.Removed(space, caseId);
        await hooks.At(Testing.HookPoints.DeleteMarked, space, ct);
        await Purge(table, space, caseId, ct);
    }

    async Task Purge(TableClient table, string space, string caseId, CancellationToken ct)
    {
        // Index rows live outside the case's prefix and are found through its attachments, so they go first.
        await Attachments.AlertIndex.Purge(table, space, caseId, ct);
        await hooks.At(Testing.HookPoints.PurgedAlertIndex, space, ct);
        // Blobs and file index rows likewise, while the case's file rows still list them.
        await files.PurgeCase(space, caseId, ct);
        await hooks.At(Testing.HookPoints.PurgedFiles, space, ct);
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
    /// Writes imported cases, up to 100 per transaction. New ones are queued for a number first (as <see cref="Create"/>
    /// does); every one is announced in the change log before it is written. The rows are merged, so a case that is
    /// overwritten keeps its number and its file counter. Returns the ids that could not be written, with the reason.
    /// </summary>
    public async Task<Dictionary<string, string>> Import(string space, IReadOnlyList<ImportedCase> cases, CancellationToken ct)
    {
        var numbering = await tables.Numbering();
        foreach (var chunk in cases.Where(c => c.IsNew).Chunk(100))
            await numbering.SubmitTransactionAsync(chunk.Select(c =>
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, Numbering.PendingNumbers.Row(space, c.Record.Case))), ct);
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (c, token) => await changes.Note(space, c.Record.Case.Id, token));

        var table = await tables.Cases();
        var failed = new Dictionary<string, string>();
        foreach (var chunk in cases.Chunk(100))
        {
            var rows = chunk.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertMerge, ImportedEntity(space, c))).ToList();
            try
            {
                await table.SubmitTransactionAsync(rows, ct);
            }
            catch (TableTransactionFailedException)
            {
                // One bad row fails its whole batch: write them one by one to keep the good ones.
                foreach (var c in chunk)
                {
                    try
                    {
                        await table.UpsertEntityAsync(ImportedEntity(space, c), TableUpdateMode.Merge, ct);
                    }
                    catch (RequestFailedException ex) when (ex.Status is >= 400 and < 500)
                    {
                        failed[c.Record.Case.Id] = ex.ErrorCode ?? ex.Message;
                    }
                }
            }
        }
        foreach (var c in cases)
            if (!failed.ContainsKey(c.Record.Case.Id)) changes.Saved(space, c.Record);
        return failed;
    }

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

    /// <summary>All live cases of a space, with optional server-side filters on the indexed columns.</summary>
    public async IAsyncEnumerable<CaseRecord> List(string space, IReadOnlyList<string> severities, IReadOnlyList<string> owners, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var filter = CaseRows.RangeFilter(space, CaseRows.CasePrefix);
        filter += AnyOf("Severity", severities) + AnyOf("Owner", owners);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            if (!CaseRows.IsDeleted(row))
                yield return CaseRows.FromEntity(row);
    }

    static string AnyOf(string column, IReadOnlyList<string> values) => values.Count == 0
        ? ""
        : " and (" + string.Join(" or ", values.Select(v => column + " eq " + TableClient.CreateQueryFilter($"{v}"))) + ")";
}
