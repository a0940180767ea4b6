namespace Cases.Functions.Notifications;

/// <summary>How notification work (emails, webhook deliveries) is queued and retried. Section <c>Cases:Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Cases:Notifications";

    /// <summary>The Storage queue; empty: the table prefix (lower-cased) + <c>case-notifications</c>. Failures go to <c>{queue}-poison</c>.</summary>
    public string Queue { get; set; } = "";

    /// <summary>Delay before the first retry; each next one doubles, up to <see cref="MaxRetryDelay"/>. At least 1 s: a queue
    /// message's visibility is counted in whole seconds.</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Attempts before a message is set aside in the poison queue (defaults: ~10 minutes of retries).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How long a message being worked on stays invisible to other readers: longer than the work can take
    /// (an SMTP send gives up after 30 s, a webhook after 10 s). A process that dies mid-message frees it after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the standalone reader waits when the queue is empty.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether this process drains the queue: by default standalone yes, in the isolated worker no (its queue
    /// trigger does; see <see cref="NotificationServices.AddNotificationReader"/>).</summary>
    public bool RunInProcess { get; set; } = true;

    /// <summary>Finished deliveries kept per webhook (older ones are deleted after each delivery run); pending ones are
    /// always kept. At least the 50 that <c>GET .../deliveries</c> shows, unless set lower.</summary>
    public int KeepDeliveries { get; set; } = Webhooks.WebhooksApi.DeliveriesShown;

    /// <summary>How long the record that an email was sent (which stops a retried message sending it twice) is kept;
    /// the timer's run deletes older ones. Must outlive every retry of a message: MaxAttempts × (MaxRetryDelay + Lease).</summary>
    public TimeSpan SentEmailRetention { get; set; } = TimeSpan.FromDays(1);

    public string QueueName(string tablePrefix) => Queue.Length > 0 ? Queue : tablePrefix.ToLowerInvariant() + "case-notifications";

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1, after <paramref name="attempt"/> failed ones, in whole
    /// seconds (at least one): Storage queues count visibility in seconds and the SDK drops any fraction, so a shorter delay
    /// would be no delay at all and a failing message would burn through its attempts in a tight loop.</summary>
    public TimeSpan RetryDelay(long attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var delay = Math.Min(FirstRetry.Ticks * factor, MaxRetryDelay.Ticks);
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(delay / TimeSpan.TicksPerSecond)));
    }

    public bool IsValid() => FirstRetry >= TimeSpan.FromSeconds(1) && MaxRetryDelay >= FirstRetry && MaxRetryDelay <= TimeSpan.FromDays(7)
        && MaxAttempts is >= 1 and <= 100 && PollInterval > TimeSpan.Zero && Lease >= TimeSpan.FromSeconds(1) && Lease <= TimeSpan.FromDays(7) && (Queue.Length == 0 || Attachments.AlertSyncOptions.IsValidQueueName(Queue))
        && KeepDeliveries is >= 1 and <= 1000 && SentEmailRetention > (MaxRetryDelay + Lease) * MaxAttempts && SentEmailRetention <= TimeSpan.FromDays(365);

    public const string Rule = "Cases:Notifications: FirstRetry at least 1 s (queues count visibility in whole seconds), MaxRetryDelay between FirstRetry and 7 days, MaxAttempts 1-100, PollInterval > 0, Lease 1 s to 7 days, Queue a queue name (3-63 of a-z 0-9 '-'), KeepDeliveries 1-1000, SentEmailRetention longer than MaxAttempts × (MaxRetryDelay + Lease) and at most 365 days.";
}
