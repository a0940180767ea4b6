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
        var table = await tables.Cases(ct);
        var items = Empty();
        await foreach (var row in table.QueryAsync<TableEntity>(CaseRows.RangeFilter(space, CaseRows.ItemsPrefix(caseId)), cancellationToken: ct))
            Add(items, caseId, row);
        return Sorted(items);
    }

    /// <summary>
    /// Every case's items in the space, with one key-range scan in row-key order (rows of one case are contiguous), as
    /// (case id, items). An export of a whole space reads this beside the case rows instead of one query per case.
    /// </summary>
    public async IAsyncEnumerable<(string CaseId, CaseItems Items)> ReadAll(string space, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        string? current = null;
        var items = Empty();
        await foreach (var row in table.QueryAsync<TableEntity>(CaseRows.RangeFilter(space, CaseRows.ItemsRoot), cancellationToken: ct))
        {
            var caseId = CaseRows.ItemCaseId(row.RowKey);
            if (caseId != current)
            {
                if (current is not null) yield return (current, Sorted(items));
                (current, items) = (caseId, Empty());
            }
            Add(items, caseId, row);
        }
        if (current is not null) yield return (current, Sorted(items));
    }

    public static CaseItems Empty() => new([], [], [], []);

    static void Add(CaseItems items, string caseId, TableEntity row)
    {
        if (row.RowKey.StartsWith(AttachmentRows.AttachmentPrefix(caseId), StringComparison.Ordinal)) items.Attachments.Add(AttachmentRows.FromEntity(row));
        else if (row.RowKey.StartsWith(CaseRows.UserActionPrefix(caseId), StringComparison.Ordinal)) items.UserActions.Add(CaseRows.UserActionFromEntity(row));
        else if (row.RowKey.StartsWith(FileRows.ItemPrefix(caseId), StringComparison.Ordinal)) items.FileIds.Add(row.RowKey[FileRows.ItemPrefix(caseId).Length..]);
        else if (row.RowKey == AttachmentRows.ObservablesKey(caseId)) items.Observables.AddRange(AttachmentRows.ObservablesFromEntity(row));
    }

    static CaseItems Sorted(CaseItems items)
    {
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
        var table = await tables.Cases(ct);
        await table.SubmitTransactionAsync(rows, ct);
    }
}
