using Azure.Data.Tables;
using Cases.Domain.Attachments;
using Cases.Domain.Observables;
using Cases.Domain.UserActions;
using Cases.Functions.Attachments;
using Cases.Functions.Cases;
using Cases.Functions.Files;
using Cases.Functions.Storage;

namespace Cases.Functions.Transfer;

/// <summary>Everything a case owns besides its row, read with one key-range query over <c>item_{caseId}_</c>.</summary>
public sealed record CaseItems(List<Attachment> Attachments, List<UserAction> UserActions, List<Observable> Observables, List<string> FileIds);

/// <summary>Reads what an export needs of a case, and writes imported attachments and user actions (never case rows: those go through <see cref="CaseStore"/>).</summary>
public sealed class CaseItemRows(CasesTables tables)
{
    public async Task<CaseItems> Read(string space, string caseId, CancellationToken ct)
    {
        var table = await tables.Cases();
        var items = new CaseItems([], [], [], []);
        var attachments = AttachmentRows.AttachmentPrefix(caseId);
        var actions = CaseRows.UserActionPrefix(caseId);
        var files = FileRows.ItemPrefix(caseId);
        var observables = AttachmentRows.ObservablesKey(caseId);
        await foreach (var row in table.QueryAsync<TableEntity>(CaseRows.RangeFilter(space, CaseRows.ItemsPrefix(caseId)), cancellationToken: ct))
        {
            if (row.RowKey.StartsWith(attachments, StringComparison.Ordinal)) items.Attachments.Add(AttachmentRows.FromEntity(row));
            else if (row.RowKey.StartsWith(actions, StringComparison.Ordinal)) items.UserActions.Add(CaseRows.UserActionFromEntity(row));
            else if (row.RowKey.StartsWith(files, StringComparison.Ordinal)) items.FileIds.Add(row.RowKey[files.Length..]);
            else if (row.RowKey == observables) items.Observables.AddRange(AttachmentRows.ObservablesFromEntity(row));
        }
        items.Attachments.Sort((a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.Sequence.CompareTo(b.Sequence));
        return items;
    }

    /// <summary>The rows of one imported attachment: the attachment and, for alerts, the alert index rows (so the alert finds its case).</summary>
    public static List<TableTransactionAction> Rows(string space, Attachment a) =>
    [
        new(TableTransactionActionType.UpsertReplace, AttachmentRows.ToEntity(space, a)),
        .. AttachmentRows.AlertIndexEntities(space, a).Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)),
    ];

    /// <summary>
    /// A user action's row; its key comes from its time, its place among the case's actions of the same instant, and its
    /// id, so the order is kept and importing it again replaces it instead of adding a copy.
    /// </summary>
    public static List<TableTransactionAction> Rows(string space, UserAction action, int sameInstantIndex) =>
        [new(TableTransactionActionType.UpsertReplace, CaseRows.ToEntity(space, action, CaseRows.UserActionKey(action, sameInstantIndex)))];

    public static List<TableTransactionAction> Rows(string space, string caseId, IReadOnlyList<Observable> observables) =>
        [new(TableTransactionActionType.UpsertReplace, AttachmentRows.ObservablesEntity(space, caseId, observables))];

    /// <summary>Commits rows of one space in one entity-group transaction (at most 100).</summary>
    public async Task Submit(IReadOnlyList<TableTransactionAction> rows, CancellationToken ct)
    {
        var table = await tables.Cases();
        await table.SubmitTransactionAsync(rows, ct);
    }
}
