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
            return new TableServiceClient(new Uri(tableUri), Credential(section));
        var connection = config["AzureWebJobsStorage"];
        return new TableServiceClient(string.IsNullOrWhiteSpace(connection) ? DevelopmentStorage : connection);
    }

    public static BlobServiceClient CreateBlobService(IConfiguration config)
    {
        var section = config.GetSection("AzureWebJobsStorage");
        var blobUri = section["blobServiceUri"];
        if (!string.IsNullOrEmpty(blobUri))
            return new BlobServiceClient(new Uri(blobUri), Credential(section));
        var connection = config["AzureWebJobsStorage"];
        return new BlobServiceClient(string.IsNullOrWhiteSpace(connection) ? DevelopmentStorage : connection);
    }

    static ManagedIdentityCredential Credential(IConfigurationSection section) =>
        section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
}
