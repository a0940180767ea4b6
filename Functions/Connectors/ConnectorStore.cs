using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Cases.Functions.Cases;
using Cases.Functions.Outbound;
using Cases.Functions.Storage;

namespace Cases.Functions.Connectors;

/// <summary>A connector as stored; <see cref="ProtectedSecrets"/> is encrypted and is never put in a response or log.</summary>
public sealed record StoredConnector(string Id, ConnectorKind Kind, string Name, JsonObject Config, string? ProtectedSecrets, ETag ETag,
    DateTimeOffset? UpdatedAt = null)
{
    public bool IsMissingSecrets => ProtectedSecrets is null;
}

/// <summary>
/// Connectors in the <c>connectors</c> table: partition = space (a connector is invisible from other spaces), row key =
/// the connector id. Columns: <c>Type</c>, <c>Name</c>, <c>Config</c> (JSON) and <c>Secrets</c> (the secrets' JSON,
/// encrypted by <see cref="SecretProtector"/>).
/// </summary>
public sealed class ConnectorStore(CasesTables tables, SecretProtector protector)
{
    public async Task<StoredConnector?> Get(string space, string id, CancellationToken ct)
    {
        if (!ConnectorIds.IsValid(id)) return null;
        var table = await tables.Connectors(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(space, id, cancellationToken: ct);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    public async Task<List<StoredConnector>> List(string space, CancellationToken ct)
    {
        var table = await tables.Connectors(ct);
        var result = new List<StoredConnector>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {space}"), cancellationToken: ct))
            if (FromEntity(row) is { } connector) result.Add(connector);
        return result;
    }

    /// <summary>Adds a new connector; false if the id is taken in the space.</summary>
    public async Task<bool> TryAdd(string space, string id, ConnectorKind kind, string name, JsonObject config, JsonObject secrets, CancellationToken ct)
    {
        var table = await tables.Connectors(ct);
        try
        {
            await table.AddEntityAsync(ToEntity(space, id, kind, name, config, secrets), ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces name, config and secrets if the row is still as read; false if it changed or went meanwhile.</summary>
    public async Task<bool> TryReplace(string space, StoredConnector current, string name, JsonObject config, JsonObject secrets, CancellationToken ct)
    {
        var table = await tables.Connectors(ct);
        try
        {
            await table.UpdateEntityAsync(ToEntity(space, current.Id, current.Kind, name, config, secrets), current.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Stores a connector brought in by an import, without secrets (Kibana exports none): it shows
    /// <c>is_missing_secrets: true</c> until a user enters them with an update. With <paramref name="overwrite"/> an
    /// existing connector of that id is replaced, its secrets dropped as Kibana does; otherwise false if the id is taken.
    /// </summary>
    public async Task<bool> TryImport(string space, string id, ConnectorKind kind, string name, JsonObject config, bool overwrite, CancellationToken ct)
    {
        var table = await tables.Connectors(ct);
        var entity = new TableEntity(space, id) { ["Type"] = kind.Id, ["Name"] = name };
        ChunkedText.Write(entity, "Config", config.ToJsonString());
        // A connector that needs no secrets (a webhook without auth) works as imported.
        if (!kind.NeedsSecrets(config)) entity["Secrets"] = protector.Protect("{}");
        if (overwrite)
        {
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
            return true;
        }
        try
        {
            await table.AddEntityAsync(entity, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> Delete(string space, string id, CancellationToken ct)
    {
        if (!ConnectorIds.IsValid(id)) return false;
        var table = await tables.Connectors(ct);
        // The SDK answers a delete of a missing row without throwing; its status tells.
        var response = await table.DeleteEntityAsync(space, id, ETag.All, ct);
        return response.Status != 404;
    }

    /// <summary>The decrypted secrets, for the outbound call only.</summary>
    public JsonObject Secrets(StoredConnector connector) =>
        connector.ProtectedSecrets is { } p ? JsonNode.Parse(protector.Unprotect(p))!.AsObject() : [];

    TableEntity ToEntity(string space, string id, ConnectorKind kind, string name, JsonObject config, JsonObject secrets)
    {
        var entity = new TableEntity(space, id) { ["Type"] = kind.Id, ["Name"] = name };
        ChunkedText.Write(entity, "Config", config.ToJsonString());
        entity["Secrets"] = protector.Protect(secrets.ToJsonString());
        return entity;
    }

    static StoredConnector? FromEntity(TableEntity e) => ConnectorKind.Find(e.GetString("Type")) is { } kind
        ? new StoredConnector(e.RowKey, kind, e.GetString("Name"), JsonNode.Parse(ChunkedText.Read(e, "Config"))!.AsObject(), e.GetString("Secrets"), e.ETag, e.Timestamp)
        : null;
}

public static class ConnectorIds
{
    /// <summary>Ids a client may choose (Kibana takes any string; a table row key cannot hold / \ # ? or control characters).</summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
