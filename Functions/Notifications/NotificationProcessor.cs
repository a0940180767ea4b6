using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Functions.Hosting;
using Cases.Functions.Outbound;
using Cases.Functions.Profiles;
using Cases.Functions.Storage;
using Cases.Functions.Webhooks;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Notifications;

/// <summary>
/// Does the work of one queue message; throws when it should be tried again later. Called by the standalone reader
/// (<see cref="NotificationReader"/>) and, under the Functions host, by a queue trigger: the same method for both.
/// Every step may run more than once (a retry after a crash), so each is idempotent: deliveries are added once by key,
/// an email's sending is recorded in <c>notifysent</c> and not repeated.
/// </summary>
public sealed partial class NotificationProcessor(NotificationQueue queue, ProfileStore profiles, WebhookStore webhooks, WebhookSender sender,
    SecretProtector secrets, SmtpSender smtp, CaseLinks links, CasesTables tables, IOptions<EmailOptions> email, IOptions<NotificationOptions> options,
    TimeProvider time, ILogger<NotificationProcessor> logger)
{
    public async Task Process(string messageText, CancellationToken ct)
    {
        NotificationMessage message;
        try
        {
            message = NotificationQueue.Parse(messageText);
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, ex);
            throw;
        }
        switch (message.Kind)
        {
            case NotificationMessage.EventKind when message.Event is { } e:
                await FanOut(message.Space, e, ct);
                break;
            case NotificationMessage.EmailKind when message.Event is { } e && message.Uid is { } uid:
                await Email(message.Space, e, uid, ct);
                break;
            case NotificationMessage.WebhookKind when message.WebhookId is { } hookId && message.CaseId is { } caseId:
                await Deliver(message.Space, hookId, caseId, ct);
                break;
            default:
                throw new InvalidOperationException($"A notification message of unknown kind \"{message.Kind}\" or without its fields.");
        }
    }

    /// <summary>An event becomes one email message per new assignee (never the one who assigned) and deliveries per webhook.</summary>
    async Task FanOut(string space, CaseEvent e, CancellationToken ct)
    {
        if (email.Value.Enabled)
            foreach (var uid in e.AddedAssignees ?? [])
                if (uid != e.Actor.ProfileUid)
                    await queue.Send(new NotificationMessage(NotificationMessage.EmailKind, space, e, Uid: uid), ct);

        foreach (var hook in await webhooks.List(space, ct))
        {
            var wanted = e.Events.Where(hook.Wants).ToList();
            if (wanted.Count == 0) continue;
            for (var i = 0; i < e.Events.Count; i++)
            {
                if (!hook.Wants(e.Events[i])) continue;
                var deliveryId = DeliveryId(e.Id, hook.Id, e.Events[i]);
                await webhooks.AddDelivery(space, hook.Id, e.Case.Id, e.Sequence, e.OccurredAt, i, deliveryId, e.Events[i], Payload(space, e, e.Events[i], deliveryId), ct);
            }
            await queue.Send(new NotificationMessage(NotificationMessage.WebhookKind, space, WebhookId: hook.Id, CaseId: e.Case.Id), ct);
        }
    }

    /// <summary>The body receivers get (plus <c>sentAt</c>, set on each attempt).</summary>
    static string Payload(string space, CaseEvent e, string eventName, string deliveryId)
    {
        var body = new JsonObject
        {
            ["id"] = deliveryId,
            ["event"] = eventName,
            ["spaceId"] = space,
            ["occurredAt"] = KibanaDateConverter.Text(e.OccurredAt),
            ["actor"] = JsonSerializer.SerializeToNode(e.Actor, CasesJsonContext.Default.CaseUser),
            ["case"] = JsonSerializer.SerializeToNode(e.Case, NotificationJsonContext.Default.CaseSummary),
        };
        if (eventName == CaseEvents.Updated && e.ChangedFields is { } fields) body["changedFields"] = new JsonArray(fields.Select(f => (JsonNode?)f).ToArray());
        if (eventName == CaseEvents.Assigned && e.AddedAssignees is { } added) body["assignees"] = new JsonArray(added.Select(f => (JsonNode?)f).ToArray());
        if (eventName == CaseEvents.CommentAdded && e.CommentType is { } type) body["commentType"] = type;
        if (eventName == CaseEvents.AlertAttached && e.AlertsAttached is { } count) body["alertsAttached"] = count;
        return body.ToJsonString();
    }

    /// <summary>The same for every attempt at fanning out one event, so a delivery is only ever added once.</summary>
    static string DeliveryId(string eventId, string hookId, string eventName) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{eventId}|{hookId}|{eventName}"))[..16]).ToString();

    async Task Email(string space, CaseEvent e, string uid, CancellationToken ct)
    {
        if (!email.Value.Enabled) return;
        var profile = await profiles.Get(uid, ct);
        if (profile?.Email is not { Length: > 0 } address || !MimeKit.MailboxAddress.TryParse(address, out _))
        {
            LogNoEmail(logger, uid);
            return; // unknown uid, or no email: never emailed (as in Kibana)
        }
        var sent = await tables.NotifySent(ct);
        var key = $"{e.Id}_{Uri.EscapeDataString(uid)}";
        if ((await sent.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(space, key, select: ["RowKey"], cancellationToken: ct)).HasValue) return;
        var message = AssignmentEmail.Build(email.Value.From!, address, profile.FullName, e, links.ForCase(space, e.Case.Owner, e.Case.Id));
        await smtp.Send(message, ct);
        // Recorded after the server took it: a crash in between sends it again (at least once), never not at all.
        // SentAt (the app's clock) lets the timer's run delete it once no retry can come (NotificationUpkeep).
        await sent.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(space, key) { [NotificationUpkeep.SentAt] = time.GetUtcNow() }, cancellationToken: ct);
    }

    async Task Deliver(string space, string hookId, string caseId, CancellationToken ct)
    {
        var hook = await webhooks.Get(space, hookId, ct);
        if (hook is null) return; // deleted since
        var secret = secrets.Unprotect(hook.ProtectedSecret);
        foreach (var delivery in await webhooks.Pending(space, hookId, caseId, ct))
        {
            var ok = await sender.Send(hook, secret, delivery, ct);
            await webhooks.Update(delivery, ct);
            // In order per case: a later event waits until this one is through.
            if (!ok) throw new WebhookDeliveryFailed(delivery.GetString("LastError") ?? "failed");
        }
        // The history stays bounded: the newest finished deliveries (what the read-back shows) and the pending ones.
        await webhooks.PruneFinished(space, hookId, options.Value.KeepDeliveries, ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A notification message could not be read; it is set aside")]
    static partial void LogUnreadable(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "No email is known for assignee {Uid}: not emailed")]
    static partial void LogNoEmail(ILogger logger, string uid);
}

/// <summary>A receiver did not take a delivery: the message is tried again with backoff.</summary>
public sealed class WebhookDeliveryFailed(string reason) : Exception($"Webhook delivery failed: {reason}");
