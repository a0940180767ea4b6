using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Cases.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Notifications;

/// <summary>The notification queue and its poison queue (same account as the tables; base64 messages, as a queue trigger reads).</summary>
public sealed class NotificationQueue(QueueServiceClient queues, IOptions<NotificationOptions> options, IOptions<StorageOptions> storage)
{
    public QueueClient Queue { get; } = queues.GetQueueClient(options.Value.QueueName(storage.Value.TablePrefix));
    public QueueClient Poison { get; } = queues.GetQueueClient(options.Value.QueueName(storage.Value.TablePrefix) + "-poison");
    volatile bool created;

    public async Task Send(NotificationMessage message, CancellationToken ct, TimeSpan? delay = null)
    {
        await Ensure(ct);
        var text = JsonSerializer.Serialize(message, NotificationJsonContext.Default.NotificationMessage);
        try
        {
            await Queue.SendMessageAsync(text, visibilityTimeout: delay, cancellationToken: ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            created = false; // deleted since: created again next time
            throw;
        }
    }

    public static NotificationMessage Parse(string text) =>
        JsonSerializer.Deserialize(text, NotificationJsonContext.Default.NotificationMessage)
        ?? throw new JsonException("An empty notification message.");

    /// <summary>Creates both queues on first use (Azurite, fresh accounts); in Azure the deployment may have created them.</summary>
    public async Task Ensure(CancellationToken ct)
    {
        if (created) return;
        foreach (var queue in new[] { Queue, Poison })
        {
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 403)
            {
                // An identity with message rights only: the deployment created the queue.
            }
        }
        created = true;
    }
}
