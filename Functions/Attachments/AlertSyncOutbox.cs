using Azure.Data.Tables;
using Cases.Functions.Storage;

namespace Cases.Functions.Attachments;

/// <summary>
/// Alert status messages go out after the case change commits, and a queue outage must not lose them. So before the
/// change, a row in the <c>alertsync</c> table notes that the case's alerts may need its status: partition = space, row
/// key = case id and a unique suffix, one row per change, so concurrent changes of a case never take each other's
/// note. Once its messages are sent the change deletes its own row. Rows left behind (the queue was down, the process
/// died) are found by the timer's run (<see cref="AlertStatusSync.Redeliver"/>). The table holds only pending rows, so
/// that run reads little.
/// </summary>
public sealed class AlertSyncOutbox(CasesTables tables, TimeProvider time)
{
    /// <summary>A note; <see cref="ETag"/> is known for notes the timer's run read (it deletes only what it read).</summary>
    public sealed record Note(string Space, string CaseId, string RowKey, DateTimeOffset NotedAt, Azure.ETag ETag = default);

    public async Task<Note> Add(string space, string caseId, CancellationToken ct)
    {
        var table = await tables.AlertSync(ct);
        var note = new Note(space, caseId, $"{caseId}_{Guid.NewGuid():N}", time.GetUtcNow());
        await table.AddEntityAsync(Row(note, note.NotedAt), ct);
        return note;
    }

    /// <summary>Writes the note again if the timer's run took it meanwhile (and refreshes its time if not).</summary>
    public async Task Keep(Note note, CancellationToken ct)
    {
        var table = await tables.AlertSync(ct);
        await table.UpsertEntityAsync(Row(note, time.GetUtcNow()), TableUpdateMode.Replace, ct);
    }

    static TableEntity Row(Note note, DateTimeOffset notedAt) => new(note.Space, note.RowKey) { ["CaseId"] = note.CaseId, ["NotedAt"] = notedAt };

    /// <summary>Deletes the note; the timer's run deletes only the copy it read (a note kept again since stays).</summary>
    public async Task Remove(Note note, CancellationToken ct) =>
        await TableDeletes.TryDelete(await tables.AlertSync(ct), note.Space, note.RowKey, note.ETag == default ? Azure.ETag.All : note.ETag, ct);

    /// <summary>Notes older than <paramref name="age"/>: their requests are over, so whatever they did not send is due.</summary>
    public async Task<List<Note>> Due(TimeSpan age, CancellationToken ct)
    {
        var table = await tables.AlertSync(ct);
        var filter = TableClient.CreateQueryFilter($"NotedAt le {time.GetUtcNow() - age}");
        var due = new List<Note>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            due.Add(new Note(row.PartitionKey, row.GetString("CaseId"), row.RowKey, row.GetDateTimeOffset("NotedAt") ?? default, row.ETag));
        return due;
    }
}
