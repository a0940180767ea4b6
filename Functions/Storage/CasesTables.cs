using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Storage;

/// <summary>
/// The app's tables, created on first use rather than at start-up so that a cold start touches no storage.
/// One table holds every case row of every space: the partition key is the space, so a case and the activity
/// entries that record its changes can be committed in one entity-group transaction.
/// </summary>
public sealed class CasesTables(TableServiceClient service, IOptions<StorageOptions> options)
{
    Task<TableClient>? cases;

    /// <summary>The cases table, created once per process; a failed attempt (storage down) is retried by the next caller.</summary>
    public Task<TableClient> Cases()
    {
        var current = cases;
        if (current is null || current.IsFaulted || current.IsCanceled)
        {
            var fresh = Create(service, options.Value.TablePrefix + "cases");
            current = Interlocked.CompareExchange(ref cases, fresh, current) == current ? fresh : cases!;
        }
        return current;
    }

    public IEnumerable<string> TableNames => [options.Value.TablePrefix + "cases"];

    static async Task<TableClient> Create(TableServiceClient service, string name)
    {
        var table = service.GetTableClient(name);
        try
        {
            // Not CreateIfNotExistsAsync: it serializes its request by reflection, which Native AOT does not allow.
            await table.CreateAsync();
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Exists already (or was created concurrently by another instance): fine.
        }
        return table;
    }
}
