using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Cases.Functions.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cases.Bench;

/// <summary>
/// The least any server between the client and Blob Storage can do: take a raw body and stream it into one Put Blob,
/// with no hashing, no checks and no tables (<c>Cases.Bench relay PORT</c>, run as its own process like the app). Where
/// client, server and Azurite share the same cores, this is the ceiling for the app's upload throughput.
/// </summary>
public static class PassThroughRelay
{
    public static async Task Serve(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var connection = Environment.GetEnvironmentVariable("AzureWebJobsStorage") ?? "UseDevelopmentStorage=true";
        var container = new BlobServiceClient(connection).GetBlobContainerClient("bench-relay");
        await container.CreateIfNotExistsAsync();

        app.MapGet("/", () => "relay");
        app.MapPost("/{name}", async (string name, HttpRequest request, CancellationToken ct) =>
        {
            await using var body = new KnownLengthStream(request.Body, request.ContentLength ?? 0);
            await container.GetBlockBlobClient(name).UploadAsync(body, cancellationToken: ct);
            return Results.Ok();
        });
        app.MapDelete("/{name}", async (string name) =>
        {
            await container.DeleteBlobAsync(name);
            return Results.NoContent();
        });
        await app.RunAsync();
    }
}
