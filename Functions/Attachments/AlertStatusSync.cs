using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Attachments;

public sealed class AlertSyncOptions
{
    public const string Section = "Cases:Alerts";

    /// <summary>The queue status changes are published on (3-63 of a-z 0-9 '-').</summary>
    public string StatusQueue { get; set; } = "alert-status-updates";

    public static bool IsValidQueueName(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') &&
        name[0] != '-' && name[^1] != '-' && !name.Contains("--");
}

/// <summary>
/// Kibana's syncAlerts: when a case whose <c>settings.syncAlerts</c> is on changes status (or syncAlerts is turned on),
/// its alerts should follow. We do not own the alerts, so the change is published on a queue for whoever does, at most
/// <see cref="AlertsPerMessage"/> alerts a message (a queue message holds 64 KiB). Format: README, "Comments and attachments".
/// </summary>
public sealed class AlertStatusSync(QueueServiceClient queues, IOptions<AlertSyncOptions> options, AttachmentStore attachments)
{
    public const int AlertsPerMessage = 200;
    readonly QueueClient client = queues.GetQueueClient(options.Value.StatusQueue);
    volatile bool queueExists;

    /// <summary>Kibana's mapping of case status to the alerts' workflow status.</summary>
    public static string AlertStatus(string caseStatus) => caseStatus switch
    {
        CaseStatus.InProgress => "acknowledged",
        CaseStatus.Closed => "closed",
        _ => "open",
    };

    public async Task CaseChanged(string space, Case before, Case after, CancellationToken ct)
    {
        if (!after.Settings.SyncAlerts) return;
        if (before.Status == after.Status && before.Settings.SyncAlerts) return;
        var alerts = (await attachments.List(space, after.Id, ct, AttachmentTypes.Alert))
            .SelectMany(a => a.Attachment.AlertIds.Zip(a.Attachment.Indices)).ToList();
        await Publish(space, after, alerts, ct);
    }

    /// <summary>As in Kibana, alerts newly attached to a syncing case take the case's status.</summary>
    public Task AlertsAttached(string space, Case c, IReadOnlyList<(string Id, string Index)> alerts, CancellationToken ct) =>
        c.Settings.SyncAlerts ? Publish(space, c, alerts, ct) : Task.CompletedTask;

    async Task Publish(string space, Case after, IReadOnlyList<(string First, string Second)> alerts, CancellationToken ct)
    {
        if (alerts.Count == 0) return;
        await EnsureQueue(ct);
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
            await client.SendMessageAsync(message.ToJsonString(), ct);
        }
    }

    /// <summary>
    /// Creates the queue on first use (Azurite, fresh accounts). In Azure the infrastructure creates it, and an identity
    /// with only message rights may not create queues: that refusal is not an error. A failure is retried next time.
    /// </summary>
    async Task EnsureQueue(CancellationToken ct)
    {
        if (queueExists) return;
        try
        {
            await client.CreateIfNotExistsAsync(cancellationToken: ct);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 403)
        {
            // No right to create queues: the deployment created it (infra/main.bicep).
        }
        queueExists = true;
    }
}
