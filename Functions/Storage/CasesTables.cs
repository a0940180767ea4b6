using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Storage;

/// <summary>
/// The app's tables, created on first use rather than at start-up so that a cold start touches no storage.
/// <list type="bullet">
/// <item><c>cases</c>: every case row of every space; the partition key is the space, so a case and the activity
/// entries that record its changes can be committed in one entity-group transaction.</item>
/// <item><c>numbering</c>: cases waiting for a number, one row each (see Numbering/CaseNumberer.cs);</item>
/// <item><c>changes</c>: which cases changed when, for every instance's in-memory view (see Find/ChangeLog.cs);</item>
/// <item><c>views</c>: compressed snapshots of those views, so a new instance starts without scanning (Find/ViewSnapshots.cs);</item>
/// <item><c>alertsync</c>: alert status messages not yet known to be sent, one row per case (Attachments/AlertSyncOutbox.cs);</item>
/// <item><c>pendingblobs</c>: file blobs being written or deleted, which a crash could leave without a row (Files/PendingBlobs.cs).</item>
/// </list>
/// </summary>
public sealed class CasesTables(TableServiceClient service, IOptions<StorageOptions> options)
{
    readonly EnsuredTable cases = new(service.GetTableClient(options.Value.TablePrefix + "cases"));
    readonly EnsuredTable numbering = new(service.GetTableClient(options.Value.TablePrefix + "numbering"));
    readonly EnsuredTable changes = new(service.GetTableClient(options.Value.TablePrefix + "changes"));
    readonly EnsuredTable views = new(service.GetTableClient(options.Value.TablePrefix + "views"));
    readonly EnsuredTable alertSync = new(service.GetTableClient(options.Value.TablePrefix + "alertsync"));
    readonly EnsuredTable pendingBlobs = new(service.GetTableClient(options.Value.TablePrefix + "pendingblobs"));

    public Task<TableClient> Cases() => cases.Get();
    public Task<TableClient> Numbering() => numbering.Get();
    public Task<TableClient> Changes() => changes.Get();
    public Task<TableClient> Views() => views.Get();
    public Task<TableClient> AlertSync() => alertSync.Get();
    public Task<TableClient> PendingBlobs() => pendingBlobs.Get();

    public IEnumerable<string> TableNames => [cases.Name, numbering.Name, changes.Name, views.Name, alertSync.Name, pendingBlobs.Name];

    /// <summary>Creates its table once; a failed attempt (storage down) is retried by the next caller, not cached.</summary>
    sealed class EnsuredTable(TableClient table)
    {
        readonly SemaphoreSlim gate = new(1, 1);
        volatile bool created;

        public string Name => table.Name;

        public async Task<TableClient> Get()
        {
            if (created) return table;
            await gate.WaitAsync();
            try
            {
                if (!created)
                {
                    try
                    {
                        // Not CreateIfNotExistsAsync: it serializes its request by reflection (kept out since the Native AOT build).
                        await table.CreateAsync();
                    }
                    catch (RequestFailedException ex) when (ex.Status == 409)
                    {
                        // Exists already, or was created concurrently by another instance: fine.
                    }
                    created = true;
                }
                return table;
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
