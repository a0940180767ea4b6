using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Queues;
using Cases.Functions.Storage;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Attachments;

public sealed class AlertSyncOptions
{
    public const string Section = "Cases:Alerts";

    /// <summary>The queue status changes are published on (3-63 of a-z 0-9 '-').</summary>
    public string StatusQueue { get; set; } = "alert-status-updates";

    /// <summary>How old a note of an unsent sync must be before the timer's run sends it (its request is surely over).</summary>
    public TimeSpan RedeliverAfter { get; set; } = TimeSpan.FromMinutes(1);

    public static bool IsValidQueueName(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') &&
        name[0] != '-' && name[^1] != '-' && !name.Contains("--");
}

/// <summary>
/// Kibana's syncAlerts: when a case whose <c>settings.syncAlerts</c> is on changes status (or syncAlerts is turned on),
/// its alerts should follow. We do not own the alerts, so the change is published on a queue for whoever does, at most
/// <see cref="AlertsPerMessage"/> alerts a message (a queue message holds 64 KiB). Format: README, "Comments and attachments".
/// Delivery is at least once: a change that may need messages is noted in <see cref="AlertSyncOutbox"/> before it commits,
/// and whatever its request could not send, the timer's run sends (the case's current status, for all its alerts).
/// </summary>
public sealed partial class AlertStatusSync(QueueServiceClient queues, IOptions<AlertSyncOptions> options, AttachmentStore attachments,
    AlertSyncOutbox outbox, CaseStore cases, TimeProvider time, ILogger<AlertStatusSync> logger)
{
    public const int AlertsPerMessage = 200;
    readonly QueueClient client = queues.GetQueueClient(options.Value.StatusQueue);
    readonly CreateOnce queueCreation = CreateOnce.Queues(queues.GetQueueClient(options.Value.StatusQueue));

    /// <summary>Kibana's mapping of case status to the alerts' workflow status.</summary>
    public static string AlertStatus(string caseStatus) => caseStatus switch
    {
        CaseStatus.InProgress => "acknowledged",
        CaseStatus.Closed => "closed",
        _ => "open",
    };

    /// <summary>Whether a change from <paramref name="before"/> to <paramref name="after"/> publishes (as Kibana syncs).</summary>
    public static bool Publishes(Case before, Case after) =>
        after.Settings.SyncAlerts && (before.Status != after.Status || !before.Settings.SyncAlerts);

    /// <summary>Notes, before a change commits, that its case's alerts may need messages; null when they won't.</summary>
    public async Task<AlertSyncOutbox.Note?> Expect(string space, string caseId, bool publishes, CancellationToken ct) =>
        publishes ? await outbox.Add(space, caseId, ct) : null;

    /// <summary>
    /// After the change committed (so whatever happens here, the request succeeds). With <paramref name="send"/> false
    /// (the queue failed earlier in this request) nothing is tried: the note is left for the timer's run. Returns
    /// whether the messages went.
    /// </summary>
    public Task<bool> CaseChanged(string space, Case before, Case after, AlertSyncOutbox.Note? note, bool send = true) =>
        Deliver(space, after, Publishes(before, after) ? null : [], note, send);

    /// <summary>As in Kibana, alerts newly attached to a syncing case take the case's status.</summary>
    public async Task AlertsAttached(string space, Case c, IReadOnlyList<(string Id, string Index)> alerts, AlertSyncOutbox.Note? note)
    {
        // Sync turned on since the request looked: note now, late, rather than not at all.
        if (c.Settings.SyncAlerts && alerts.Count > 0 && note is null)
        {
            try { note = await outbox.Add(space, c.Id, CancellationToken.None); }
            catch (Exception ex) { LogNotNoted(logger, ex, c.Id); }
        }
        await Deliver(space, c, c.Settings.SyncAlerts ? alerts : [], note, send: true);
    }

    async Task<List<(string, string)>> CaseAlerts(string space, string caseId, CancellationToken ct) =>
        (await attachments.List(space, caseId, ct, AttachmentTypes.Alert)).SelectMany(a => a.Attachment.AlertIds.Zip(a.Attachment.Indices)).ToList();

    /// <summary>
    /// Sends (all the case's alerts when <paramref name="alerts"/> is null), then takes the note back. The change is
    /// committed already, so nothing here fails the request, and the client going away does not stop it: on any failure
    /// the note stays (written again if the timer's run took it meanwhile) and the timer's run sends.
    /// </summary>
    async Task<bool> Deliver(string space, Case c, IReadOnlyList<(string, string)>? alerts, AlertSyncOutbox.Note? note, bool send)
    {
        if (!send) return false;
        try
        {
            // A note that has aged while its change committed could be taken by the timer's run before this sends:
            // refresh it first, so that whatever happens next, one of the two sends the current status.
            if (note is not null && time.GetUtcNow() - note.NotedAt > options.Value.RedeliverAfter / 2) await outbox.Keep(note, CancellationToken.None);
            await Publish(space, c, alerts ?? await CaseAlerts(space, c.Id, CancellationToken.None), CancellationToken.None);
            if (note is not null) await outbox.Remove(note, CancellationToken.None);
            return true;
        }
        catch (Exception ex)
        {
            LogDeferred(logger, ex, c.Id);
            try
            {
                if (note is not null) await outbox.Keep(note, CancellationToken.None); // in case the timer's run took it meanwhile
            }
            catch (Exception again)
            {
                LogNotNoted(logger, again, c.Id);
            }
            return false;
        }
    }

    /// <summary>
    /// The timer's part: for each case with notes older than <see cref="AlertSyncOptions.RedeliverAfter"/>, the case's
    /// current status for all its alerts, once, then its notes go.
    /// </summary>
    public async Task<IReadOnlyList<string>> Redeliver(CancellationToken ct)
    {
        var due = await outbox.Due(options.Value.RedeliverAfter, ct);
        if (due.Count == 0) return [];
        int sent = 0, failed = 0;
        foreach (var notes in due.GroupBy(n => (n.Space, n.CaseId)))
        {
            try
            {
                var (space, caseId) = notes.Key;
                if ((await cases.Get(space, caseId, ct))?.Record.Case is { Settings.SyncAlerts: true } c)
                {
                    await Publish(space, c, await CaseAlerts(space, c.Id, ct), ct);
                    sent++;
                }
                foreach (var note in notes) await outbox.Remove(note, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failed++;
                LogDeferred(logger, ex, notes.Key.CaseId);
            }
        }
        return [$"Alert status sync: {due.Count} pending, {sent} case(s) sent, {failed} left for the next run"];
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert status messages for case {CaseId} could not be noted for the timer's run: they are lost")]
    static partial void LogNotNoted(ILogger logger, Exception ex, string caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert status messages for case {CaseId} not sent now; the timer's run will send them")]
    static partial void LogDeferred(ILogger logger, Exception ex, string caseId);

    async Task Publish(string space, Case after, IReadOnlyList<(string First, string Second)> alerts, CancellationToken ct)
    {
        if (alerts.Count == 0) return;
        await queueCreation.Ensure(ct);
        foreach (var chunk in alerts.Chunk(AlertsPerMessage))
        {
            var message = new JsonObject
            {
                ["spaceId"] = space,
                ["caseId"] = after.Id,
                ["owner"] = after.Owner,
                ["status"] = after.Status,
                ["alertStatus"] = AlertStatus(after.Status),
                ["changedAt"] = KibanaDateConverter.Text(after.UpdatedAt ?? after.CreatedAt),
                ["alerts"] = new JsonArray(chunk.Select(a => (JsonNode?)new JsonObject { ["id"] = a.First, ["index"] = a.Second }).ToArray()),
            };
            try
            {
                await client.SendMessageAsync(message.ToJsonString(), ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                queueCreation.Forget(); // deleted since: the next attempt creates it again (where allowed)
                throw;
            }
        }
    }
}
