using Azure;
using Azure.Data.Tables;
using Cases.Functions.Storage;

namespace Cases.Functions.Attachments;

/// <summary>
/// Alert status messages go out after the case change commits, and a queue outage must not lose them. So before the
/// change, a row in the <c>alertsync</c> table (partition = space, row key = case id) notes that the case's alerts may
/// need its status; once the messages are sent the row is deleted. Rows left behind (the queue was down, the process
/// died) are found by the timer's run (<see cref="AlertStatusSync.Redeliver"/>). The table holds only pending rows, so
/// that run reads little.
/// </summary>
public sealed class AlertSyncOutbox(CasesTables tables, TimeProvider time)
{
    public sealed record Note(string Space, string CaseId, ETag ETag);

    public async Task<Note> Add(string space, string caseId, CancellationToken ct)
    {
        var table = await tables.AlertSync();
        var row = new TableEntity(space, caseId) { ["NotedAt"] = time.GetUtcNow() };
        var response = await table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
        return new Note(space, caseId, response.Headers.ETag ?? ETag.All);
    }

    /// <summary>Deletes the note unless a later change noted the case again (that one's sender deletes it).</summary>
    public async Task Remove(Note note, CancellationToken ct)
    {
        var table = await tables.AlertSync();
        try
        {
            await table.DeleteEntityAsync(note.Space, note.CaseId, note.ETag, ct);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Gone already, or noted again since.
        }
    }

    /// <summary>Notes older than <paramref name="age"/>: their requests are over, so whatever they did not send is due.</summary>
    public async Task<List<Note>> Due(TimeSpan age, CancellationToken ct)
    {
        var table = await tables.AlertSync();
        var filter = TableClient.CreateQueryFilter($"NotedAt le {time.GetUtcNow() - age}");
        var due = new List<Note>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            due.Add(new Note(row.PartitionKey, row.RowKey, row.ETag));
        return due;
    }
}
