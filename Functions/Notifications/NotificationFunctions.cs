using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Notifications;

/// <summary>
/// Under the Functions host, a queue trigger drains the notification queue (standalone, <see cref="NotificationReader"/>
/// does): the same <see cref="NotificationProcessor.Process"/>, the same backoff and poison queue
/// (<see cref="NotificationRetries"/>). The queue's name comes from the app setting <c>Cases__Notifications__Queue</c>,
/// which must be set under the host (the deployment sets it).
/// </summary>
public sealed class NotificationFunctions(NotificationProcessor processor, NotificationRetries retries)
{
    public const string Name = "DrainNotifications";

    /// <summary>The trigger's queue: the app setting, resolved by the host.</summary>
    public const string QueueExpression = "%" + NotificationOptions.Section + ":Queue%";

    [Function(Name)]
    public async Task DrainNotifications([QueueTrigger(QueueExpression)] QueueMessage message, CancellationToken ct)
    {
        try
        {
            await processor.Process(message.MessageText, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            await retries.AfterTriggerFailure(message, ex, ct);
        }
    }
}
