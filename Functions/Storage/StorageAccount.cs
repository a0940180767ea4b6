using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Identity;

namespace Cases.Functions.Storage;

/// <summary>
/// Reads the storage account the Functions way: <c>AzureWebJobsStorage</c> as a connection string (locally, Azurite),
/// or <c>AzureWebJobsStorage__tableServiceUri</c> / <c>__blobServiceUri</c> (+ <c>__credential</c>/<c>__clientId</c>) for a managed identity in Azure.
/// </summary>
public static class StorageAccount
{
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public static TableServiceClient CreateTableService(IConfiguration config)
    {
        var section = config.GetSection("AzureWebJobsStorage");
        var tableUri = section["tableServiceUri"];
        if (!string.IsNullOrEmpty(tableUri))
            return new TableServiceClient(new Uri(tableUri), Credential(section), TableOptions());
        var connection = config["AzureWebJobsStorage"];
        return new TableServiceClient(string.IsNullOrWhiteSpace(connection) ? DevelopmentStorage : connection, TableOptions());
    }

    public static BlobServiceClient CreateBlobService(IConfiguration config)
    {
        var section = config.GetSection("AzureWebJobsStorage");
        var blobUri = section["blobServiceUri"];
        if (!string.IsNullOrEmpty(blobUri))
            return new BlobServiceClient(new Uri(blobUri), Credential(section), BlobOptions());
        var connection = config["AzureWebJobsStorage"];
        return new BlobServiceClient(string.IsNullOrWhiteSpace(connection) ? DevelopmentStorage : connection, BlobOptions());
    }

    // The SDK's defaults (3 retries backing off up to a minute, 100 s per try) let one storage call outlast the host's
    // limit for a whole request (230 s behind Azure's front end) when the account hangs. Table calls are small: a few
    // seconds per try and two quick retries bound one call to about 25 s, then the request answers 503.
    static TableClientOptions TableOptions() => new()
    {
        Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2), NetworkTimeout = TimeSpan.FromSeconds(8) },
    };

    // A try of a blob call moves up to one upload block (4 MiB by default) or a download buffer, so it gets longer.
    static BlobClientOptions BlobOptions() => new()
    {
        Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2), NetworkTimeout = TimeSpan.FromSeconds(30) },
    };

    static ManagedIdentityCredential Credential(IConfigurationSection section) =>
        section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
}

/// <summary>The account's queue service, read the same way: connection string, or <c>AzureWebJobsStorage__queueServiceUri</c> with a managed identity.</summary>
public static class QueueAccount
{
    /// <summary>Base64 messages: what a Functions queue trigger expects by default (host.json <c>messageEncoding</c>).</summary>
    // Messages are sent inside requests, and a failed send is kept for the timer's run (AlertSyncOutbox): so fail within
    // seconds rather than the storage default's ~30 s of backed-off retries.
    static readonly Azure.Storage.Queues.QueueClientOptions Options = new()
    {
        MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64,
        Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1), NetworkTimeout = TimeSpan.FromSeconds(5) },
    };

    public static Azure.Storage.Queues.QueueServiceClient CreateQueueService(IConfiguration config)
    {
        var section = config.GetSection("AzureWebJobsStorage");
        var queueUri = section["queueServiceUri"];
        if (!string.IsNullOrEmpty(queueUri))
            return new Azure.Storage.Queues.QueueServiceClient(new Uri(queueUri), section["clientId"] is { Length: > 0 } clientId
                ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
                : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned), Options);
        var connection = config["AzureWebJobsStorage"];
        return new Azure.Storage.Queues.QueueServiceClient(string.IsNullOrWhiteSpace(connection) ? StorageAccount.DevelopmentStorage : connection, Options);
    }
}
