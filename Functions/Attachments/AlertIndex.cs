using Azure;
using Azure.Data.Tables;
using Cases.Domain.Attachments;
using Cases.Functions.Cases;
using Cases.Functions.Storage;

namespace Cases.Functions.Attachments;

/// <summary>Removes a deleted case's alert and attachment index rows (they live outside its <c>item_</c> prefix), before its attachments go.</summary>
public static class AlertIndex
{
    public static async Task Purge(TableClient table, string space, string caseId, CancellationToken ct)
    {
        var prefix = AttachmentRows.AttachmentPrefix(caseId);
        var filter = CaseRows.RangeFilter(space, prefix);
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var attachment = AttachmentRows.FromEntity(row);
            keys.AddRange(attachment.AlertIds.Select(id => AttachmentRows.AlertIndexKey(id, caseId)));
            if (attachment.Indexed) keys.Add(AttachmentRows.CaseIndexKey(attachment.Id));
        }
        // A purge that was cut off may already have removed some: TableDeletes tolerates that.
        await TableDeletes.Delete(table, space, keys, ct);
    }
}
