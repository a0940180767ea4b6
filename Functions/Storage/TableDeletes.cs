using Azure;
using Azure.Data.Tables;

namespace Cases.Functions.Storage;

/// <summary>
/// Deleting many rows of one partition: in transactions of 100. Rows already gone are not an error (another run, purge
/// or compaction got there first): the batch that hit one is finished row by row, which ignores missing rows.
/// </summary>
public static class TableDeletes
{
    public static async Task Delete(TableClient table, string partition, IEnumerable<string> rowKeys, CancellationToken ct)
    {
        foreach (var chunk in rowKeys.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(chunk.Select(key =>
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, key), ETag.All)), ct);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                foreach (var key in chunk) await table.DeleteEntityAsync(partition, key, ETag.All, ct);
            }
        }
    }

    /// <summary>
    /// Deletes one row if it is still as read (<paramref name="etag"/>; <see cref="ETag.All"/> for any): 200, or the
    /// status that refused it (404 gone, 412 changed since), neither of which is an error for a caller settling a note.
    /// </summary>
    public static async Task<int> TryDelete(TableClient table, string partition, string rowKey, ETag etag, CancellationToken ct)
    {
        try
        {
            await table.DeleteEntityAsync(partition, rowKey, etag, ct);
            return 200;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return ex.Status;
        }
    }

    /// <summary>Deletes every row of <paramref name="partition"/> the filter matches, a page of keys at a time.</summary>
    public static async Task DeleteMatching(TableClient table, string partition, string filter, CancellationToken ct)
    {
        var keys = new List<string>(100);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
        {
            keys.Add(row.RowKey);
            if (keys.Count == 100)
            {
                await Delete(table, partition, keys, ct);
                keys.Clear();
            }
        }
        await Delete(table, partition, keys, ct);
    }
}
