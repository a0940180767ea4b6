using Azure.Data.Tables;
using Cases.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Notifications;

/// <summary>
/// Part of the timer's run (<c>Upkeep/TimerRun</c>): deletes the records of sent emails (<c>notifysent</c>)
/// older than <see cref="NotificationOptions.SentEmailRetention"/>. They only stop a retried message from sending its
/// email twice, and no message is retried for that long. (Webhook histories are pruned as they are delivered.)
/// </summary>
public sealed class NotificationUpkeep(CasesTables tables, TimeProvider time, IOptions<NotificationOptions> options)
{
    public const string SentAt = "SentAt";

    public async Task<IReadOnlyList<string>> PruneSentEmails(CancellationToken ct)
    {
        var table = await tables.NotifySent(ct);
        var retention = options.Value.SentEmailRetention;
        var cutoff = time.GetUtcNow() - retention;
        var old = new List<(string Partition, string Key)>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"SentAt lt {cutoff}"), select: ["PartitionKey", "RowKey"], cancellationToken: ct))
            old.Add((row.PartitionKey, row.RowKey));
        foreach (var space in old.GroupBy(r => r.Partition))
            await TableDeletes.Delete(table, space.Key, space.Select(r => r.Key), ct);
        return old.Count == 0 ? [] : [$"Sent-email records: {old.Count} older than {retention} deleted"];
    }
}
