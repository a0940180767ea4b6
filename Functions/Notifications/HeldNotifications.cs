using Azure.Data.Tables;
using Cases.Functions.Storage;

namespace Cases.Functions.Notifications;

/// <summary>
/// Event messages the notification queue did not take when their change committed (unreachable, or refusing past the
/// storage client's retries): kept in the <c>notifyheld</c> table (partition = space, row = the event's id) and sent by
/// the timer's run, so a queue outage delays a change's emails and webhook deliveries instead of losing them.
/// </summary>
public sealed class HeldNotifications(CasesTables tables, NotificationQueue queue, TimeProvider time)
{
    public async Task Hold(NotificationMessage message, CancellationToken ct)
    {
        var table = await tables.NotifyHeld(ct);
        await table.UpsertEntityAsync(new TableEntity(message.Space, message.Event!.Id)
        {
            ["Message"] = NotificationQueue.Text(message),
            ["HeldAt"] = time.GetUtcNow(),
        }, TableUpdateMode.Replace, ct);
    }

    /// <summary>Part of the timer's run (<c>Upkeep/TimerRun</c>): queues what was held, each removed once queued.</summary>
    public async Task<IReadOnlyList<string>> SendHeld(CancellationToken ct)
    {
        var table = await tables.NotifyHeld(ct);
        var sent = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: ct))
        {
            await queue.Send(NotificationQueue.Parse(row.GetString("Message")), ct);
            await TableDeletes.TryDelete(table, row.PartitionKey, row.RowKey, row.ETag, ct);
            sent++;
        }
        return sent == 0 ? [] : [$"Notifications held back by a queue failure: {sent} queued"];
    }
}
