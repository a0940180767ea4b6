using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Notifications;

/// <summary>
/// What becomes of a message whose work failed, for the standalone reader and the queue trigger alike: tried again after
/// a backoff (first within seconds, doubling, capped at minutes), or after <see cref="NotificationOptions.MaxAttempts"/>
/// failures moved to <c>{queue}-poison</c> for operators. Failures so far = the attempts a re-queued copy carries + the
/// message's own dequeue count (a process that died mid-message counts too).
/// </summary>
public sealed partial class NotificationRetries(NotificationQueue queue, IOptions<NotificationOptions> options, ILogger<NotificationRetries> logger)
{
    /// <summary>The reader still holds the message: it hides it for the backoff (the message keeps its id and dequeue count).</summary>
    public async Task AfterReaderFailure(QueueMessage message, Exception error)
    {
        if (await PoisonIfDone(message, error) is not { } failures)
        {
            await queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            return;
        }
        await queue.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt,
            visibilityTimeout: options.Value.RetryDelay(failures), cancellationToken: CancellationToken.None);
    }

    /// <summary>
    /// The host holds the message and deletes it when the function returns, retrying only at host.json's fixed interval:
    /// so the backoff is a copy sent with that delay, counting its attempts. If that send fails, the function fails and
    /// the host's own retry (host.json <c>queues</c>) and poison queue (the same <c>{queue}-poison</c>) take over.
    /// </summary>
    public async Task AfterTriggerFailure(QueueMessage message, Exception error, CancellationToken ct)
    {
        if (await PoisonIfDone(message, error) is not { } failures) return;
        var copy = NotificationQueue.Parse(message.MessageText) with { Attempts = (int)Math.Min(failures, int.MaxValue) };
        await queue.Send(copy, ct, options.Value.RetryDelay(failures));
    }

    /// <summary>Moves the message to the poison queue once it failed often enough (or cannot be read); else the failures so far.</summary>
    async Task<long?> PoisonIfDone(QueueMessage message, Exception error)
    {
        long failures;
        try
        {
            failures = NotificationQueue.Parse(message.MessageText).Attempts + message.DequeueCount;
        }
        catch (JsonException)
        {
            failures = long.MaxValue; // never readable: no point in trying again
        }
        var max = options.Value.MaxAttempts;
        LogFailed(logger, error, message.MessageId, Math.Min(failures, max), max);
        if (failures < max) return failures;
        await queue.Ensure(CancellationToken.None);
        await queue.Poison.SendMessageAsync(message.MessageText, CancellationToken.None);
        LogPoisoned(logger, message.MessageId, queue.Poison.Name);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {MessageId} failed (attempt {Attempt} of {MaxAttempts})")]
    static partial void LogFailed(ILogger logger, Exception ex, string messageId, long attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {MessageId} failed too often and was moved to {PoisonQueue}")]
    static partial void LogPoisoned(ILogger logger, string messageId, string poisonQueue);
}
