using Azure;
using Azure.Data.Tables;
using Cases.Functions.Storage;

namespace Cases.Functions.Webhooks;

/// <summary>
/// The <c>webhooks</c> table, partition = space: <c>h_{id}</c> a webhook; <c>d_{webhookId}_{caseId}_{sequence}_{n}_{deliveryId}</c>
/// a delivery, so a webhook's pending deliveries for one case are one key range, in the order the events happened.
/// </summary>
public sealed class WebhookStore(CasesTables tables)
{
    public async Task Add(string space, Webhook w, CancellationToken ct)
    {
        var table = await tables.Webhooks(ct);
        await table.AddEntityAsync(new TableEntity(space, "h_" + w.Id)
        {
            ["Url"] = w.Url,
            ["Events"] = string.Join(',', w.Events),
            ["Secret"] = w.ProtectedSecret,
            ["CreatedAt"] = w.CreatedAt,
            ["CreatedBy"] = w.CreatedBy,
        }, ct);
    }

    public async Task<Webhook?> Get(string space, string id, CancellationToken ct)
    {
        var table = await tables.Webhooks(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(space, "h_" + id, cancellationToken: ct);
        return row.HasValue ? FromRow(row.Value!) : null;
    }

    public async Task<List<Webhook>> List(string space, CancellationToken ct)
    {
        var table = await tables.Webhooks(ct);
        var result = new List<Webhook>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(space, "h_"), cancellationToken: ct)) result.Add(FromRow(row));
        return result;
    }

    public async Task<int> Count(string space, CancellationToken ct) => (await List(space, ct)).Count;

    /// <summary>Deletes the webhook, then its deliveries.</summary>
    public async Task<bool> Delete(string space, string id, CancellationToken ct)
    {
        var table = await tables.Webhooks(ct);
        var response = await table.DeleteEntityAsync(space, "h_" + id, ETag.All, ct);
        if (response.Status == 404) return false;
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(space, $"d_{id}_"), select: ["RowKey"], cancellationToken: ct)) keys.Add(row.RowKey);
        await TableDeletes.Delete(table, space, keys, ct);
        return true;
    }

    /// <summary>Adds a pending delivery; one that exists already (the event is being fanned out again) is left as it is.</summary>
    public async Task AddDelivery(string space, string webhookId, string caseId, long sequence, DateTimeOffset occurredAt, int position, string deliveryId,
        string eventName, string payload, CancellationToken ct)
    {
        var table = await tables.Webhooks(ct);
        var key = $"d_{webhookId}_{caseId}_{sequence:D19}_{position:D2}_{deliveryId}";
        try
        {
            await table.AddEntityAsync(new TableEntity(space, key)
            {
                ["DeliveryId"] = deliveryId,
                ["Event"] = eventName,
                ["CaseId"] = caseId,
                ["Payload"] = payload,
                ["Status"] = WebhookDelivery.Pending,
                ["Attempts"] = 0,
                ["CreatedAt"] = occurredAt,
            }, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Added by an earlier attempt of the same fan-out.
        }
    }

    /// <summary>A webhook's pending deliveries for one case, oldest first.</summary>
    public async Task<List<TableEntity>> Pending(string space, string webhookId, string caseId, CancellationToken ct)
    {
        var table = await tables.Webhooks(ct);
        var prefix = $"d_{webhookId}_{caseId}_";
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {space} and RowKey ge {prefix} and RowKey lt {prefix + "~"} and Status eq {WebhookDelivery.Pending}");
        var result = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) result.Add(row);
        return result;
    }

    public async Task Update(TableEntity delivery, CancellationToken ct)
    {
        var table = await tables.Webhooks(ct);
        await table.UpdateEntityAsync(delivery, ETag.All, TableUpdateMode.Merge, ct);
    }

    /// <summary>
    /// Keeps a webhook's newest <paramref name="keep"/> finished deliveries (at least what the read-back shows) and every
    /// pending one (still to be sent, in order); deletes the older finished ones. Returns how many went.
    /// </summary>
    public async Task<int> PruneFinished(string space, string webhookId, int keep, CancellationToken ct)
    {
        var table = await tables.Webhooks(ct);
        var finished = new List<(string Key, DateTimeOffset At)>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(space, $"d_{webhookId}_"), select: ["RowKey", "Status", "CreatedAt"], cancellationToken: ct))
            if (row.GetString("Status") != WebhookDelivery.Pending) finished.Add((row.RowKey, row.GetDateTimeOffset("CreatedAt") ?? default));
        var old = finished.OrderByDescending(d => d.At).ThenByDescending(d => d.Key, StringComparer.Ordinal).Skip(keep).Select(d => d.Key).ToList();
        await TableDeletes.Delete(table, space, old, ct);
        return old.Count;
    }

    /// <summary>The newest <paramref name="max"/> deliveries of a webhook.</summary>
    public async Task<List<WebhookDelivery>> Deliveries(string space, string webhookId, int max, CancellationToken ct)
    {
        var table = await tables.Webhooks(ct);
        var all = new List<WebhookDelivery>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(space, $"d_{webhookId}_"), cancellationToken: ct))
            all.Add(new WebhookDelivery(row.GetString("DeliveryId"), row.GetString("Event"), row.GetString("CaseId"), row.GetString("Status"),
                row.GetInt32("Attempts") ?? 0, row.GetInt32("LastStatusCode"), row.GetString("LastError"),
                row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("LastAttemptAt"), row.GetDateTimeOffset("DeliveredAt")));
        return all.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id, StringComparer.Ordinal).Take(max).ToList();
    }

    static string Range(string space, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {space} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");

    static Webhook FromRow(TableEntity row) => new(row.RowKey[2..], row.GetString("Url"),
        row.GetString("Events").Split(',', StringSplitOptions.RemoveEmptyEntries), row.GetString("Secret"),
        row.GetDateTimeOffset("CreatedAt") ?? default, row.GetString("CreatedBy"));
}
