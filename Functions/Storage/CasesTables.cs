using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Storage;

/// <summary>
/// The app's tables, created on first use rather than at start-up so that a cold start touches no storage.
/// <list type="bullet">
/// <item><c>cases</c>: every case row of every space; the partition key is the space, so a case, the activity
/// entries that record its changes and its change note (Cases/ChangeLog.cs) are committed in one entity-group transaction.</item>
/// <item><c>numbering</c>: cases waiting for a number, one row each (see Numbering/CaseNumberer.cs);</item>
/// <item><c>views</c>: where each space's view snapshot stands (its blob in <c>view-snapshots</c>), so a new instance starts without scanning (Find/ViewSnapshots.cs);</item>
/// <item><c>alertsync</c>: alert status messages not yet known to be sent, one row per case (Attachments/AlertSyncOutbox.cs);</item>
/// <item><c>pendingblobs</c>: file blobs being written or deleted, which a crash could leave without a row (Files/PendingBlobs.cs);</item>
/// <item><c>connectors</c>: the connectors of each space, secrets encrypted (Connectors/ConnectorStore.cs).</item>
/// <item><c>profiles</c>, <c>webhooks</c>, <c>notifysent</c>: user profiles, webhooks and their deliveries, emails sent (Profiles/, Webhooks/, Notifications/).</item>
/// <item><c>notifyheld</c>: change events the notification queue did not take, until the timer's run sends them (Notifications/HeldNotifications.cs).</item>
/// </list>
/// </summary>
public sealed class CasesTables(TableServiceClient service, IOptions<StorageOptions> options)
{
    readonly EnsuredTable cases = new(service.GetTableClient(options.Value.TablePrefix + "cases"));
    readonly EnsuredTable numbering = new(service.GetTableClient(options.Value.TablePrefix + "numbering"));
    readonly EnsuredTable views = new(service.GetTableClient(options.Value.TablePrefix + "views"));
    readonly EnsuredTable alertSync = new(service.GetTableClient(options.Value.TablePrefix + "alertsync"));
    readonly EnsuredTable pendingBlobs = new(service.GetTableClient(options.Value.TablePrefix + "pendingblobs"));
    readonly EnsuredTable connectors = new(service.GetTableClient(options.Value.TablePrefix + "connectors"));
    readonly EnsuredTable profiles = new(service.GetTableClient(options.Value.TablePrefix + "profiles"));
    readonly EnsuredTable webhooks = new(service.GetTableClient(options.Value.TablePrefix + "webhooks"));
    readonly EnsuredTable notifySent = new(service.GetTableClient(options.Value.TablePrefix + "notifysent"));
    readonly EnsuredTable notifyHeld = new(service.GetTableClient(options.Value.TablePrefix + "notifyheld"));

    public Task<TableClient> Cases(CancellationToken ct = default) => cases.Get(ct);
    public Task<TableClient> Numbering(CancellationToken ct = default) => numbering.Get(ct);
    public Task<TableClient> Views(CancellationToken ct = default) => views.Get(ct);
    public Task<TableClient> AlertSync(CancellationToken ct = default) => alertSync.Get(ct);
    public Task<TableClient> PendingBlobs(CancellationToken ct = default) => pendingBlobs.Get(ct);
    public Task<TableClient> Connectors(CancellationToken ct = default) => connectors.Get(ct);
    public Task<TableClient> Profiles(CancellationToken ct = default) => profiles.Get(ct);
    public Task<TableClient> Webhooks(CancellationToken ct = default) => webhooks.Get(ct);
    public Task<TableClient> NotifySent(CancellationToken ct = default) => notifySent.Get(ct);
    public Task<TableClient> NotifyHeld(CancellationToken ct = default) => notifyHeld.Get(ct);

    public IEnumerable<string> TableNames => [cases.Name, numbering.Name, views.Name, alertSync.Name, pendingBlobs.Name, connectors.Name,
        profiles.Name, webhooks.Name, notifySent.Name, notifyHeld.Name];

    /// <summary>A table, created on first use (<see cref="CreateOnce"/>).</summary>
    sealed class EnsuredTable(TableClient table)
    {
        readonly CreateOnce creation = CreateOnce.Table(table);

        public string Name => table.Name;

        public async Task<TableClient> Get(CancellationToken ct)
        {
            await creation.Ensure(ct);
            return table;
        }
    }
}
