using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Cases.Functions.Storage;

/// <summary>
/// Creates a table, container or queue on first use (Azurite, fresh accounts), once per instance: concurrent first
/// callers wait for one attempt; a failed attempt (storage down) is not remembered, so the next caller tries again; after
/// <see cref="Forget"/> (the resource was found deleted) the next caller creates it again. In Azure the deployment
/// creates them (infra/main.bicep), and an identity scoped to them may not create any: that refusal (403) is not an error.
/// </summary>
public sealed class CreateOnce
{
    readonly Func<CancellationToken, Task> create;
    readonly SemaphoreSlim gate = new(1, 1);
    volatile bool done;

    CreateOnce(Func<CancellationToken, Task> create) => this.create = create;

    // Tables: not CreateIfNotExistsAsync, which serializes its request by reflection (kept out since the Native AOT
    // build); 409 is "exists already, or created concurrently by another instance".
    public static CreateOnce Table(TableClient table) =>
        new(ct => Tolerating(() => table.CreateAsync(ct), 409, 403));

    public static CreateOnce Container(BlobContainerClient container) =>
        new(ct => Tolerating(() => container.CreateIfNotExistsAsync(cancellationToken: ct), 403));

    public static CreateOnce Queues(params QueueClient[] queues) =>
        new(async ct =>
        {
            foreach (var queue in queues) await Tolerating(() => queue.CreateIfNotExistsAsync(cancellationToken: ct), 403);
        });

    /// <param name="ct">The caller's: a request that times out while storage hangs is not held here.</param>
    public async Task Ensure(CancellationToken ct)
    {
        if (done) return;
        await gate.WaitAsync(ct);
        try
        {
            if (done) return;
            await create(ct);
            done = true;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The resource was found missing (deleted since): the next <see cref="Ensure"/> creates it again.</summary>
    public void Forget() => done = false;

    static async Task Tolerating(Func<Task> create, params int[] statuses)
    {
        try
        {
            await create();
        }
        catch (RequestFailedException ex) when (statuses.Contains(ex.Status))
        {
        }
    }
}
