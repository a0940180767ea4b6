using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Cases.Functions.Files;
using Cases.Functions.Storage;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Files;

/// <summary>Uploads over real HTTP in both forms, and a look at what storage holds for a case.</summary>
public static class FilesClient
{
    public static Task<HttpResponseMessage> UploadRaw(this CasesAppFixture app, string space, string caseId, string fileName, string contentType, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return app.Http.PostAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files?filename={Uri.EscapeDataString(fileName)}"), content);
    }

    public static Task<HttpResponseMessage> UploadForm(this CasesAppFixture app, string space, string caseId, string fileName, string contentType, byte[] bytes,
        string? formName = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(file, "file", fileName);
        if (formName is not null) form.Add(new StringContent(formName), "filename");
        return app.Http.PostAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files"), form);
    }

    public static async Task<JsonObject> Uploaded(this Task<HttpResponseMessage> upload) => (await (await upload).Json())["file"]!.AsObject();

    public static async Task<List<BlobItem>> Blobs(this CasesAppFixture app, string space, string caseId)
    {
        var container = app.App.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(app.App.Services.GetRequiredService<FileBlobs>().ContainerName);
        var blobs = new List<BlobItem>();
        if (!await container.ExistsAsync()) return blobs;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.Uncommitted, FileBlobs.CasePrefix(space, caseId), default))
            blobs.Add(blob);
        return blobs;
    }

    /// <summary>A request written by hand over a socket, so a test can pause in the middle of its body.</summary>
    public sealed class SlowRequest(System.Net.Sockets.TcpClient client) : IDisposable
    {
        public static async Task<SlowRequest> Start(CasesAppFixture app, string path, string contentType, int contentLength)
        {
            var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port);
            var request = new SlowRequest(client);
            await request.Send($"POST {path} HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\nContent-Type: {contentType}\r\n" +
                               $"Content-Length: {contentLength}\r\nConnection: close\r\n\r\n");
            return request;
        }

        public async Task Send(string text)
        {
            await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(text));
            await client.GetStream().FlushAsync();
        }

        /// <summary>The whole response (status line, headers, body); the request asked the server to close after it.</summary>
        public async Task<string> Response()
        {
            using var reader = new StreamReader(client.GetStream(), System.Text.Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }

        public void Dispose() => client.Dispose();
    }

    /// <summary>Notes of blob work in flight in the space (Files/PendingBlobs.cs): none once every request is over.</summary>
    public static Task<int> PendingBlobNotes(this CasesAppFixture app, string space) => app.RowsInSpace(t => t.PendingBlobs(), space);

    public static async Task<BlobProperties> BlobProperties(this CasesAppFixture app, string space, string caseId, string fileId)
    {
        var container = app.App.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(app.App.Services.GetRequiredService<FileBlobs>().ContainerName);
        return (await container.GetBlobClient(FileBlobs.Name(space, caseId, fileId)).GetPropertiesAsync()).Value;
    }

    /// <summary>Every row of the space other than the case row, its create_case action and its change-log entries.</summary>
    public static async Task<List<string>> ExtraRows(this CasesAppFixture app, string space) =>
        [.. (await app.CaseTableRows(space)).Where(r => !r.RowKey.StartsWith("case_", StringComparison.Ordinal) && r.GetString("Type") != "create_case").Select(r => r.RowKey)];

    public static async Task<int?> TotalFiles(this CasesAppFixture app, string space, string caseId)
    {
        var table = await app.CasesTable();
        return (await table.GetEntityAsync<TableEntity>(space, "case_" + caseId)).Value.GetInt32("TotalFiles");
    }

    /// <summary>Bytes that pass the gzip content check: the magic number, then random bytes.</summary>
    public static byte[] Gzip(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        if (size > 0) bytes[0] = 0x1F;
        if (size > 1) bytes[1] = 0x8B;
        return bytes;
    }
}
