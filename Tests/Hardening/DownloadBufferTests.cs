using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Cases.Tests.Files;
using Xunit.Abstractions;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Hardening;

/// <summary>The app with its blob endpoint behind a <see cref="CountingRelay"/>.</summary>
public sealed class CountedBlobsFixture : CasesAppFixture
{
    public CountingRelay Relay { get; } = new(new Uri(Regex.Match(Azurite.ConnectionString, "BlobEndpoint=([^;]+)") is { Success: true } m
        ? m.Groups[1].Value : "http://127.0.0.1:10000/devstoreaccount1"));

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("AzureWebJobsStorage", Regex.IsMatch(Azurite.ConnectionString, "BlobEndpoint=")
            ? Regex.Replace(Azurite.ConnectionString, @"BlobEndpoint=http://[^/;]+", $"BlobEndpoint=http://127.0.0.1:{Relay.Port}")
            : $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{Relay.Port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Relay.DisposeAsync();
    }
}

/// <summary>Standalone downloads stream with small buffers; a range fetches what it asks, not a 4 MiB block.</summary>
public class DownloadBufferTests(CountedBlobsFixture app, ITestOutputHelper output) : IClassFixture<CountedBlobsFixture>
{
    [Fact]
    public async Task A_one_byte_range_fetches_about_one_byte_from_storage()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var bytes = FilesClient.Gzip(6 * 1024 * 1024, 20);
        var fileId = (await app.UploadRaw(space, caseId, "capture.gz", "application/gzip", bytes).Uploaded())["id"]!.GetValue<string>();
        var route = CasesAppFixture.Api(space, $"/cases/{caseId}/files/{fileId}/download");

        foreach (var (range, first, length) in new[] { ("bytes=0-0", 0, 1), ("bytes=5000000-5000099", 5_000_000, 100), ("bytes=-10", bytes.Length - 10, 10) })
        {
            app.Relay.Reset();
            using var request = new HttpRequestMessage(HttpMethod.Get, route);
            request.Headers.Range = RangeHeaderValue.Parse(range);
            using var response = await app.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(bytes.AsSpan(first, length).ToArray(), await response.Content.ReadAsByteArrayAsync());
            output.WriteLine($"{range}: {app.Relay.BytesFromStorage:N0} bytes from storage");
            // Headers of a storage response are under 2 KB; the old 4 MiB read-ahead fetched the whole block.
            Assert.True(app.Relay.BytesFromStorage < 4_096 + length, $"{range}: {app.Relay.BytesFromStorage:N0} bytes from storage");
        }

        app.Relay.Reset();
        Assert.Equal(bytes, await app.Http.GetByteArrayAsync(route));
        Assert.InRange(app.Relay.BytesFromStorage, bytes.Length, bytes.Length + 16_384);
    }
}

/// <summary>
/// Slow readers of standalone downloads: what the app allocates for them, measured alone (socket buffers, which the
/// kernel holds, are not the app's memory; a 4 MiB read-ahead block per reader was).
/// </summary>
[Collection(nameof(AloneCollection))]
public class SlowReaderTests(CasesAppFixture app, ITestOutputHelper output) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task Ten_slow_readers_of_a_large_file_cost_the_app_little_memory()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var bytes = FilesClient.Gzip(8 * 1024 * 1024, 21);
        var fileId = (await app.UploadRaw(space, caseId, "big.gz", "application/gzip", bytes).Uploaded())["id"]!.GetValue<string>();
        var route = CasesAppFixture.Api(space, $"/cases/{caseId}/files/{fileId}/download");
        Assert.Equal(bytes.Length, (await app.Http.GetByteArrayAsync(route)).Length); // warm up

        // Clients with small socket buffers that read the headers and a little of the body, then stop.
        const int Readers = 10;
        var readers = new List<System.Net.Sockets.TcpClient>();
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        try
        {
            for (var i = 0; i < Readers; i++)
            {
                var client = new System.Net.Sockets.TcpClient { ReceiveBufferSize = 16 * 1024 };
                await client.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port);
                readers.Add(client);
                var stream = client.GetStream();
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {route} HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\n\r\n"));
                await stream.ReadExactlyAsync(new byte[4096]);
            }
            await Task.Delay(1000); // whatever is going to be read ahead is read by now
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            output.WriteLine($"{Readers} slow readers: {allocated:N0} bytes allocated");
            Assert.True(allocated < 16L * 1024 * 1024, $"{Readers} slow readers made the app allocate {allocated:N0} bytes");
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }
    }
}

/// <summary>Which part of a file a Range header asks for, so that exactly that part is fetched.</summary>
public class RequestedRangeTests
{
    [Theory]
    [InlineData("bytes=0-0", 0L, 0L)]
    [InlineData("bytes=50-1000", 50L, 99L)]
    [InlineData("bytes=90-", 90L, 99L)]
    [InlineData("bytes=-10", 90L, 99L)]
    [InlineData("bytes=-500", 0L, 99L)]
    public void A_single_satisfiable_range_is_clamped_to_the_file(string header, long from, long to)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Request.Headers.Range = header;
        Assert.Equal((from, to), global::Cases.Functions.Files.BlobRangeStream.Requested(http.Request, 100));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("bytes=200-")]
    [InlineData("bytes=5-2")]
    [InlineData("items=0-1")]
    public void None_several_or_unsatisfiable_ranges_fetch_from_where_the_response_reads(string header)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        if (header.Length > 0) http.Request.Headers.Range = header;
        Assert.Null(global::Cases.Functions.Files.BlobRangeStream.Requested(http.Request, 100));
    }
}
