using Azure;
using Azure.Data.Tables;
using Cases.Functions.Storage;

namespace Cases.Functions.Profiles;

/// <summary>
/// User profiles of the deployment (not of a space: a person is the same in every space), in the <c>profiles</c> table:
/// one partition, row key = the uid escaped for a key. Reads of many profiles are one partition scan: a deployment
/// has people in the thousands, not millions.
/// </summary>
public sealed class ProfileStore(CasesTables tables)
{
    const string Partition = "profile";

    public async Task Save(UserProfile profile, TimeProvider time, CancellationToken ct)
    {
        var table = await tables.Profiles(ct);
        await table.UpsertEntityAsync(new TableEntity(Partition, Key(profile.Uid))
        {
            ["Uid"] = profile.Uid,
            ["Username"] = profile.Username,
            ["FullName"] = profile.FullName,
            ["Email"] = profile.Email,
            ["UpdatedAt"] = time.GetUtcNow(),
        }, TableUpdateMode.Replace, ct);
    }

    public async Task<UserProfile?> Get(string uid, CancellationToken ct)
    {
        var table = await tables.Profiles(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Key(uid), cancellationToken: ct);
        return row.HasValue ? From(row.Value!) : null;
    }

    public async Task<List<UserProfile>> All(CancellationToken ct)
    {
        var table = await tables.Profiles(ct);
        var result = new List<UserProfile>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: ct))
            result.Add(From(row));
        return result;
    }

    static UserProfile From(TableEntity row) =>
        new(row.GetString("Uid"), row.GetString("Username"), row.GetString("FullName"), row.GetString("Email"));

    /// <summary>A row key cannot hold '/', '\', '#', '?' or control characters; percent-escaping removes them all.</summary>
    static string Key(string uid) => Uri.EscapeDataString(uid);
}
