using System.Net.Sockets;
using Azure.Data.Tables;

namespace Cases.Tests.Infrastructure;

/// <summary>The Azurite the tests run against: the one <c>./scripts/test</c> starts (via AzureWebJobsStorage), else the default local one.</summary>
public static class Azurite
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("AzureWebJobsStorage") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";

    static readonly Lazy<Exception?> Unreachable = new(Probe);

    public static void EnsureRunning()
    {
        if (Unreachable.Value is { } error)
            throw new InvalidOperationException(
                "Azurite is not reachable, so the tests cannot run. Run them with ./scripts/test, which starts and stops its own Azurite " +
                $"(or start Azurite yourself and set AzureWebJobsStorage). Tried: {ConnectionString}. Cause: {error.Message}", error);
    }

    static Exception? Probe()
    {
        var service = new TableServiceClient(ConnectionString);
        var uri = service.Uri;
        try
        {
            using var socket = new TcpClient();
            socket.Connect(uri.Host, uri.Port);
            return null;
        }
        catch (SocketException ex)
        {
            return ex;
        }
    }

    /// <summary>Deletes what an app process with this table prefix created: its tables and its containers.</summary>
    public static async Task DeleteAppStorage(string prefix)
    {
        var tables = new TableServiceClient(ConnectionString);
        await foreach (var table in tables.QueryAsync(TableClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "~"}")))
            await tables.DeleteTableAsync(table.Name);
        var blobs = new Azure.Storage.Blobs.BlobServiceClient(ConnectionString);
        foreach (var container in new[] { "case-files", "view-snapshots" })
            await blobs.GetBlobContainerClient(prefix.ToLowerInvariant() + container).DeleteIfExistsAsync();
    }
}
