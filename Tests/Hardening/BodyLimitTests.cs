using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Cases.Tests.Infrastructure;
using Xunit.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Cases.Tests.Hardening;

/// <summary>
/// The app as the Functions worker runs its handlers: with no server-side body limit, so only the bounded reading of
/// JSON bodies stands between a large body and the process's memory.
/// </summary>
public sealed class NoServerBodyLimitFixture : CasesAppFixture
{
    protected override void Configure(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
}

/// <summary>Measures allocations: runs alone, so other tests' work does not count.</summary>
[CollectionDefinition(nameof(AloneCollection), DisableParallelization = true)]
public sealed class AloneCollection;

/// <summary>A JSON body over 1 MiB (Kibana's <c>server.maxPayload</c>) is refused with 413 before it is parsed.</summary>
[Collection(nameof(AloneCollection))]
public class BodyLimitTests(NoServerBodyLimitFixture app, ITestOutputHelper output) : IClassFixture<NoServerBodyLimitFixture>
{
    const long TenMegabytes = 10_000_000;

    /// <summary>The review's request: PATCH /api/cases with ten megabytes of zeros (five million array items).</summary>
    static HttpContent Zeros(long size, bool chunked) => new ZerosContent(size, chunked);

    [Fact]
    public async Task A_ten_megabyte_patch_of_zeros_is_a_413_quickly_and_costs_no_more_than_the_limit()
    {
        await app.Http.GetAsync("/api/cases/_find"); // warm up, so the measure is of the request alone
        foreach (var chunked in new[] { false, true })
        {
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            using var response = await app.Http.PatchAsync("/api/cases", Zeros(TenMegabytes, chunked));
            await response.Error(HttpStatusCode.RequestEntityTooLarge, "Payload content length greater than maximum allowed: 1048576");
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            output.WriteLine($"10 MB of zeros, chunked={chunked}: 413 in {watch.ElapsedMilliseconds} ms, {allocated:N0} bytes allocated");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
            // Parsing it whole allocated hundreds of megabytes; reading up to the limit costs about the limit.
            Assert.True(allocated < 24_000_000, $"chunked={chunked}: allocated {allocated:N0} bytes");
        }
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_parsed_and_answered_with_a_400_not_a_413()
    {
        using var response = await app.Http.PatchAsync("/api/cases", Zeros(1_000_001, chunked: true)); // {"cases":[0,0,...,0]}
        await response.Error(HttpStatusCode.BadRequest, "The length of the field cases is too long");
    }

    sealed class ZerosContent(long size, bool chunked) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < chunk.Length; i += 2) { chunk[i] = (byte)'0'; chunk[i + 1] = (byte)','; }
            await stream.WriteAsync("{\"cases\":["u8.ToArray());
            var sent = 10L;
            try
            {
                while (sent < size - 3)
                {
                    var n = (int)Math.Min(chunk.Length, size - 3 - sent);
                    await stream.WriteAsync(chunk.AsMemory(0, n));
                    sent += n;
                }
                await stream.WriteAsync("0]}"u8.ToArray());
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                // The server answered 413 and closed the request before all of it was sent: that is the point.
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = size;
            return !chunked;
        }
    }
}

/// <summary>The standalone app's own server limit gives the same answer for a declared length.</summary>
public class ServerBodyLimitTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_the_body_is_read()
    {
        var content = new ByteArrayContent(new byte[2_000_000]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await app.Http.PostAsync("/api/cases", content);
        await response.Error(HttpStatusCode.RequestEntityTooLarge, "1048576");
    }
}
