using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Cases.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Notifications;

/// <summary>The notification queue and its poison queue (same account as the tables; base64 messages, as a queue trigger reads).</summary>
public sealed class NotificationQueue
{
    readonly CreateOnce creation;

    public NotificationQueue(QueueServiceClient queues, IOptions<NotificationOptions> options, IOptions<StorageOptions> storage)
    {
        Queue = queues.GetQueueClient(options.Value.QueueName(storage.Value.TablePrefix));
        Poison = queues.GetQueueClient(options.Value.QueueName(storage.Value.TablePrefix) + "-poison");
        creation = CreateOnce.Queues(Queue, Poison);
    }

    public QueueClient Queue { get; }
    public QueueClient Poison { get; }

    public async Task Send(NotificationMessage message, CancellationToken ct, TimeSpan? delay = null)
    {
        await Ensure(ct);
        try
        {
            await Queue.SendMessageAsync(Text(message), visibilityTimeout: delay, cancellationToken: ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            creation.Forget(); // deleted since: created again next time
            throw;
        }
    }

    public static string Text(NotificationMessage message) => JsonSerializer.Serialize(message, NotificationJsonContext.Default.NotificationMessage);

    public static NotificationMessage Parse(string text) =>
        JsonSerializer.Deserialize(text, NotificationJsonContext.Default.NotificationMessage)
        ?? throw new JsonException("An empty notification message.");

    /// <summary>Creates both queues on first use (<see cref="CreateOnce"/>); in Azure the deployment may have created them.</summary>
    public Task Ensure(CancellationToken ct) => creation.Ensure(ct);
}
