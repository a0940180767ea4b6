using Azure;
using Azure.Data.Tables;
using Cases.Domain.Attachments;
using Cases.Functions.Cases;

namespace Cases.Functions.Attachments;

/// <summary>Removes a deleted case's alert index rows (they live outside its <c>item_</c> prefix), before its attachments go.</summary>
public static class AlertIndex
{
    public static async Task Purge(TableClient table, string space, string caseId, CancellationToken ct)
    {
        var prefix = AttachmentRows.AttachmentPrefix(caseId);
        var filter = CaseRows.RangeFilter(space, prefix) + " and " + TableClient.CreateQueryFilter($"Type eq {AttachmentTypes.Alert}");
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            keys.AddRange(AttachmentRows.FromEntity(row).AlertIds.Select(id => AttachmentRows.AlertIndexKey(id, caseId)));
        foreach (var chunk in keys.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(chunk.Select(k =>
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(space, k), ETag.All)), ct);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                // A purge that was cut off already removed some: remove the rest one by one.
                foreach (var key in chunk) await table.DeleteEntityAsync(space, key, ETag.All, ct);
            }
        }
    }
}
