using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Notifications;

/// <summary>
/// Drains the notification queue when the app runs standalone (a queue trigger does it under the Functions host).
/// A message that fails becomes visible again after a backoff (first retry within seconds, doubling, capped at
/// minutes); after <see cref="NotificationOptions.MaxAttempts"/> it is moved to the <c>-poison</c> queue for operators.
/// A crash loses nothing: a message is deleted only once done, and one being worked on reappears after its lease.
/// </summary>
public sealed partial class NotificationReader(NotificationQueue queue, NotificationProcessor processor, NotificationRetries retries,
    IOptions<NotificationOptions> options, ILogger<NotificationReader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RunInProcess) return; // the setting as finally configured (also when set after registration)
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                await queue.Ensure(stoppingToken);
                messages = (await queue.Queue.ReceiveMessagesAsync(maxMessages: 16, visibilityTimeout: settings.Lease, stoppingToken)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogQueueUnavailable(logger, ex);
                await Delay(settings.PollInterval * 5, stoppingToken);
                continue;
            }
            if (messages.Length == 0)
            {
                await Delay(settings.PollInterval, stoppingToken);
                continue;
            }
            foreach (var message in messages)
            {
                if (stoppingToken.IsCancellationRequested) return;
                await Handle(message, stoppingToken);
            }
        }
    }

    async Task Handle(QueueMessage message, CancellationToken ct)
    {
        try
        {
            await processor.Process(message.MessageText, ct);
            await queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            return;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // shutting down: the message reappears after its lease
        }
        catch (Exception ex)
        {
            try
            {
                await retries.AfterReaderFailure(message, ex);
            }
            catch (Exception rescheduling)
            {
                LogNotRescheduled(logger, rescheduling, message.MessageId); // it reappears after its lease anyway
            }
        }
    }

    static async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, ct); }
        catch (OperationCanceledException) { }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The notification queue cannot be read now")]
    static partial void LogQueueUnavailable(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {MessageId} could not be rescheduled; it reappears after its lease")]
    static partial void LogNotRescheduled(ILogger logger, Exception ex, string messageId);
}
