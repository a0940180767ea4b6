using Azure;
using Azure.Data.Tables;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Domain.Observables;
using Cases.Domain.UserActions;
using Cases.Functions.Cases;
using Cases.Functions.Files;
using Cases.Functions.Hosting;
using Cases.Functions.Storage;

namespace Cases.Functions.Attachments;

public sealed record StoredAttachment(Attachment Attachment, ETag ETag);

/// <summary>
/// One attachment change, ready to commit: the case as it will be (counters, updated_at; never a new version), the
/// user actions that record it, and the attachment, observable and alert-index rows it writes or removes.
/// </summary>
public sealed record AttachmentChange(CaseRecord Next, IReadOnlyList<UserAction> Actions, IReadOnlyList<TableTransactionAction> Rows);

/// <summary>Reads attachments and commits attachment changes together with the case counters and user actions.</summary>
public sealed class AttachmentStore(CasesTables tables, ChangeLog changes, FileStore files, Testing.TestHooks hooks)
{
    public FileStore Files => files;

    /// <summary>
    /// Every attachment of a case, oldest first, as Kibana lists them: the attachment rows and the case's files (each an
    /// external reference of type <c>.files</c>, see <see cref="FileAttachment"/>).
    /// </summary>
    public async Task<List<Attachment>> ListAll(string space, string caseId, CancellationToken ct)
    {
        var rows = List(space, caseId, ct);
        var stored = files.ListCase(space, caseId, ct);
        await Task.WhenAll(rows, stored);
        return rows.Result.Select(a => a.Attachment).Concat(stored.Result.Select(FileAttachment.AsAttachment))
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Sequence).ToList();
    }

    public async Task<StoredAttachment?> Get(string space, string caseId, string id, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(space, AttachmentRows.AttachmentKey(caseId, id), cancellationToken: ct);
        return response.HasValue ? new StoredAttachment(AttachmentRows.FromEntity(response.Value!), response.Value!.ETag) : null;
    }

    /// <summary>The other case of this space that holds an attachment or file with this id, if one does.</summary>
    public async Task<string?> OtherCaseHolding(string space, string caseId, string id, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(space, AttachmentRows.CaseIndexKey(id), ["CaseId"], ct);
        if (index.HasValue && index.Value!.GetString("CaseId") is { } holder && holder != caseId && await Get(space, holder, id, ct) is not null)
            return holder;
        return await files.CaseOf(space, id, ct) is { } fileCase && fileCase != caseId ? fileCase : null;
    }

    /// <summary>A case's attachments (optionally of one type), oldest first.</summary>
    public async Task<List<StoredAttachment>> List(string space, string caseId, CancellationToken ct, string? type = null)
    {
        var table = await tables.Cases(ct);
        var prefix = AttachmentRows.AttachmentPrefix(caseId);
        var filter = type is null
            ? CaseRows.RangeFilter(space, prefix)
            : CaseRows.RangeFilter(space, prefix) + " and " + TableClient.CreateQueryFilter($"Type eq {type}");
        var list = new List<StoredAttachment>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            list.Add(new StoredAttachment(AttachmentRows.FromEntity(row), row.ETag));
        return list.OrderBy(a => a.Attachment.CreatedAt).ThenBy(a => a.Attachment.Sequence).ToList();
    }

    public async Task<List<Observable>> Observables(string space, string caseId, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(space, AttachmentRows.ObservablesKey(caseId), cancellationToken: ct);
        return response.HasValue ? AttachmentRows.ObservablesFromEntity(response.Value!) : [];
    }

    /// <summary>The index rows of an alert in a space: which cases hold it.</summary>
    public async Task<List<string>> CasesWithAlert(string space, string alertId, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var prefix = AttachmentRows.AlertIndexPrefix(alertId);
        var filter = CaseRows.RangeFilter(space, prefix);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["CaseId"], cancellationToken: ct))
            ids.Add(row.GetString("CaseId"));
        return ids;
    }

    /// <summary>
    /// Commits the change in one entity-group transaction: a merge of the case row's counters, activity count and
    /// document (conditional on the ETag read), the user actions and the rows. False if anything moved meanwhile
    /// (the case row, an attachment, an alert attached concurrently): the caller re-reads and plans again.
    /// </summary>
    public async Task<bool> TryCommit(string space, StoredCase current, AttachmentChange change, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var caseRow = new TableEntity(space, CaseRows.CaseKey(change.Next.Case.Id))
        {
            [CaseColumns.Actions] = current.ActionCount + change.Actions.Count,
            [CaseColumns.TotalComment] = change.Next.TotalComment,
            [CaseColumns.TotalAlerts] = change.Next.TotalAlerts,
            // Set once any attachment was ever written, so reading a case that never had one skips the attachment query.
            [CaseColumns.HasAttachments] = true,
        };
        ChunkedText.Write(caseRow, CaseColumns.Doc, System.Text.Json.JsonSerializer.Serialize(change.Next.Case, CasesJsonContext.Default.Case));
        var batch = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, caseRow, current.ETag) };
        batch.AddRange(change.Rows);
        batch.AddRange(change.Actions.Select((a, i) =>
            new TableTransactionAction(TableTransactionActionType.Add, CaseRows.ToEntity(space, a, CaseRows.UserActionKey(a, i)))));
        // Announced in the space's change log with the commit, so every instance's find view re-reads the case (new counters, updated_at).
        var note = changes.Note(space, change.Next.Case.Id);
        batch.Add(note.Action);
        await hooks.At(Testing.HookPoints.AttachmentCommit, space, ct);
        try
        {
            await changes.Commit(table, batch, [note], ct);
            changes.Saved(space, change.Next, note);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return false;
        }
    }
}
