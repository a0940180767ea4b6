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
    readonly Lazy<Task<TableClient>> cases = new(() => Create(service, options.Value.TablePrefix + "cases"));

    public Task<TableClient> Cases() => cases.Value;

    public IEnumerable<string> TableNames => [options.Value.TablePrefix + "cases"];

    static async Task<TableClient> Create(TableServiceClient service, string name)
    {
        var table = service.GetTableClient(name);
        try
        {
            await table.CreateIfNotExistsAsync();
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Created concurrently by another instance: fine.
        }
        return table;
    }
}
