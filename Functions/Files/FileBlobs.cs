using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Cases.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Files;

/// <summary>
/// The container of case files, <c>{prefix}case-files</c>, created on first use. Blob names are
/// <c>{space}/{caseId}/{fileId}</c>, so a space's or a case's files are one prefix. A blob is never read except through
/// its table row, so a blob without a row (an upload cut off between the two commits) is invisible until swept.
/// </summary>
public sealed class FileBlobs
{
    readonly BlobContainerClient container;
    readonly CreateOnce creation;

    public FileBlobs(BlobServiceClient service, IOptions<StorageOptions> options)
    {
        container = service.GetBlobContainerClient(options.Value.TablePrefix.ToLowerInvariant() + "case-files");
        creation = CreateOnce.Container(container);
    }

    public string ContainerName => container.Name;

    public static string Name(string space, string caseId, string fileId) => $"{space}/{caseId}/{fileId}";
    public static string CasePrefix(string space, string caseId) => $"{space}/{caseId}/";

    public async Task<BlobContainerClient> Container(CancellationToken ct)
    {
        await creation.Ensure(ct);
        return container;
    }

    /// <summary>For tests and benchmarks, which each use a prefix of their own.</summary>
    public Task DeleteContainer() => container.DeleteIfExistsAsync();

    public async Task<BlockBlobClient> Block(string blobName, CancellationToken ct) =>
        (await Container(ct)).GetBlockBlobClient(blobName);

    public async Task Delete(string blobName, CancellationToken ct) =>
        await (await Container(ct)).DeleteBlobIfExistsAsync(blobName, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);

    /// <summary>Committed blobs under a prefix, with their age.</summary>
    public async IAsyncEnumerable<BlobItem> List(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var client = await Container(ct);
        await foreach (var blob in client.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct))
            yield return blob;
    }

    /// <summary>Deletes every blob of a case (its deletion, or a sweep).</summary>
    public async Task DeleteCase(string space, string caseId, CancellationToken ct)
    {
        await foreach (var blob in List(CasePrefix(space, caseId), ct))
        {
            try
            {
                await Delete(blob.Name, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Deleted concurrently: fine.
            }
        }
    }
}
