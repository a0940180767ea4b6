using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Notifications;

/// <summary>
/// Drains the notification queue when the app runs standalone (a queue trigger does it under the Functions host).
/// A message that fails becomes visible again after a backoff (first retry within seconds, doubling, capped at
/// minutes); after <see cref="NotificationOptions.MaxAttempts"/> it is moved to the <c>-poison</c> queue for operators.
/// A crash loses nothing: a message is deleted only once done, and one being worked on reappears after its lease.
/// </summary>
public sealed partial class NotificationReader(NotificationQueue queue, NotificationProcessor processor, IOptions<NotificationOptions> options,
    IOptions<EmailOptions> email, ILogger<NotificationReader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!email.Value.Enabled) LogEmailOff(logger);
        var settings = options.Value;
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
                await Handle(message, settings, stoppingToken);
            }
        }
    }

    async Task Handle(QueueMessage message, NotificationOptions settings, CancellationToken ct)
    {
        try
        {
            await processor.ProcessAsync(message.MessageText, ct);
            await queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            return;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // shutting down: the message reappears after its lease
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, message.MessageId, message.DequeueCount, settings.MaxAttempts);
        }
        try
        {
            if (message.DequeueCount >= settings.MaxAttempts)
            {
                await queue.Poison.SendMessageAsync(message.MessageText, CancellationToken.None);
                await queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                LogPoisoned(logger, message.MessageId, queue.Poison.Name);
            }
            else
            {
                await queue.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.RetryDelay(message.DequeueCount),
                    cancellationToken: CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            LogNotRescheduled(logger, ex, message.MessageId); // it reappears after its lease anyway
        }
    }

    static async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, ct); }
        catch (OperationCanceledException) { }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email on assignment is off: set Cases__Email__From and Cases__Email__Smtp__Host to turn it on")]
    static partial void LogEmailOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The notification queue cannot be read now")]
    static partial void LogQueueUnavailable(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {MessageId} failed (attempt {Attempt} of {MaxAttempts})")]
    static partial void LogFailed(ILogger logger, Exception ex, string messageId, long attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {MessageId} failed too often and was moved to {PoisonQueue}")]
    static partial void LogPoisoned(ILogger logger, string messageId, string poisonQueue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {MessageId} could not be rescheduled; it reappears after its lease")]
    static partial void LogNotRescheduled(ILogger logger, Exception ex, string messageId);
}
