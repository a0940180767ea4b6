using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Cases.Domain.Settings;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Storage;

namespace Cases.Functions.Settings;

/// <summary>Settings as read, with what is needed to write them back only if nobody changed them meanwhile.</summary>
public sealed record StoredConfiguration(CaseConfiguration Configuration, int Version, ETag ETag);

/// <summary>
/// Case settings live in the cases table beside the cases they govern: partition = space, row key
/// <c>config_{owner}</c>, so there is at most one per owner and space and reading it is a point read.
/// </summary>
public sealed class ConfigurationStore(CasesTables tables)
{
    const string Prefix = "config_";

    static string Key(string owner) => Prefix + owner;

    public async Task<StoredConfiguration?> Get(string space, string owner, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(space, Key(owner), cancellationToken: ct);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Every owner's settings in the space (at most one row per owner).</summary>
    public async Task<List<StoredConfiguration>> List(string space, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var filter = CaseRows.RangeFilter(space, Prefix);
        var result = new List<StoredConfiguration>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            result.Add(FromEntity(row));
        return result;
    }

    /// <summary>Kibana's create replaces whatever settings the owner had: a new id, version 1.</summary>
    public async Task<StoredConfiguration> Replace(string space, CaseConfiguration configuration, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var response = await table.UpsertEntityAsync(ToEntity(space, configuration, 1), TableUpdateMode.Replace, ct);
        return new StoredConfiguration(configuration, 1, response.Headers.ETag ?? ETag.All);
    }

    /// <summary>Writes the next version if the row is still as read; false if it changed meanwhile.</summary>
    public async Task<bool> TryUpdate(string space, StoredConfiguration current, CaseConfiguration next, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        try
        {
            await table.UpdateEntityAsync(ToEntity(space, next, current.Version + 1), current.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    static TableEntity ToEntity(string space, CaseConfiguration c, int version)
    {
        var entity = new TableEntity(space, Key(c.Owner)) { ["Id"] = c.Id, ["Owner"] = c.Owner, ["Version"] = version };
        ChunkedText.Write(entity, "Doc", JsonSerializer.Serialize(c, CasesJsonContext.Default.CaseConfiguration));
        return entity;
    }

    static StoredConfiguration FromEntity(TableEntity entity) => new(
        JsonSerializer.Deserialize(ChunkedText.Read(entity, "Doc"), CasesJsonContext.Default.CaseConfiguration)!,
        entity.GetInt32("Version") ?? 1,
        entity.ETag);
}
