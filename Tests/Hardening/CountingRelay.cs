using System.Net;
using System.Net.Sockets;

namespace Cases.Tests.Hardening;

/// <summary>
/// A TCP relay in front of Azurite's blob port that counts the bytes storage sends back: what the app fetched, seen from
/// outside the app.
/// </summary>
public sealed class CountingRelay : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly string targetHost;
    readonly int targetPort;
    long fromStorage;

    public CountingRelay(Uri target)
    {
        targetHost = target.Host;
        targetPort = target.Port;
        listener.Start();
        _ = Accept();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    public long BytesFromStorage => Interlocked.Read(ref fromStorage);
    public void Reset() => Interlocked.Exchange(ref fromStorage, 0);

    async Task Accept()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) { return; }
            _ = Relay(client);
        }
    }

    async Task Relay(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(targetHost, targetPort, stop.Token);
                var up = Pump(client.GetStream(), server.GetStream(), count: false);
                var down = Pump(server.GetStream(), client.GetStream(), count: true);
                await Task.WhenAny(up, down);
            }
            catch (Exception) { /* a side closed */ }
        }
    }

    async Task Pump(NetworkStream from, NetworkStream to, bool count)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
        {
            if (count) Interlocked.Add(ref fromStorage, read);
            await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        return ValueTask.CompletedTask;
    }
}
