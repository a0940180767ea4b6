using System.Net;
using System.Net.Sockets;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Hosting;

/// <summary>One executable, two entry points: the isolated worker when the Functions host starts it, else standalone.</summary>
public sealed class EntryPointModeTests
{
    [Fact]
    public async Task Started_with_the_hosts_arguments_it_is_the_isolated_worker_and_dials_the_host()
    {
        // A listener stands in for the host's gRPC port: the worker must connect to it (no host answers, so it then gives up).
        using var host = new TcpListener(IPAddress.Loopback, 0);
        host.Start();
        var hostPort = ((IPEndPoint)host.LocalEndpoint).Port;
        var webPort = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{webPort}" },
            "--functions-uri", $"http://127.0.0.1:{hostPort}/", "--functions-worker-id", Guid.NewGuid().ToString(),
            "--functions-request-id", Guid.NewGuid().ToString(), "--functions-grpc-max-message-length", "2147483647");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var dialled = await host.AcceptTcpClientAsync(timeout.Token);
        Assert.True(dialled.Connected);
        // Not the standalone app: nothing serves HTTP on the URL it would have used.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync("/api/health"));
    }

    [Fact]
    public async Task Without_the_host_ASPNETCORE_URLS_is_honoured()
    {
        var port = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await app.WaitUntilReady(http, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health")).StatusCode);
    }
}
