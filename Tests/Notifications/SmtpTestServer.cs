using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Cases.Tests.Notifications;

/// <summary>
/// A real SMTP server on a loopback port (the SmtpServer library: a full SMTP conversation over TCP), keeping what it
/// receives. <see cref="GoDown"/> plays an outage: the port stays taken (no other process can grab it meanwhile) by a
/// listener that answers every connection as a server that is down does (421, then closes) and counts them.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    readonly ConcurrentQueue<MimeMessage> received = new();
    CancellationTokenSource? running;
    Task? serving;
    System.Net.Sockets.TcpListener? down;
    Task? refusing;
    int refused;

    /// <summary>Connections turned away since the last <see cref="GoDown"/>.</summary>
    public int Refused => Volatile.Read(ref refused);

    public int Port { get; } = Infrastructure.AppProcess.FreePort();

    public IReadOnlyList<MimeMessage> Received => received.ToArray();

    public IReadOnlyList<MimeMessage> To(string address) =>
        received.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    public async Task Start()
    {
        if (running is not null) return;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false)).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(received));
        running = new CancellationTokenSource();
        serving = new SmtpServer.SmtpServer(options, services).StartAsync(running.Token);
        // Listening once a connection is accepted.
        for (var i = 0; i < 100; i++)
        {
            if (serving.IsFaulted) throw new InvalidOperationException($"The SMTP server could not start on port {Port}.", serving.Exception);
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(20);
            }
        }
        throw new TimeoutException("The SMTP server did not start.");
    }

    /// <summary>Stops the server and keeps its port with a listener that refuses every session with 421.</summary>
    public async Task GoDown()
    {
        await Stop();
        Interlocked.Exchange(ref refused, 0);
        down = new System.Net.Sockets.TcpListener(IPAddress.Loopback, Port);
        down.Start();
        var listener = down;
        refusing = Task.Run(async () =>
        {
            while (true)
            {
                System.Net.Sockets.TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(); }
                catch (Exception) { return; } // stopped
                using (client)
                {
                    try { await client.GetStream().WriteAsync("421 4.3.2 Service not available, closing transmission channel\r\n"u8.ToArray()); }
                    catch (Exception) { /* the client went first */ }
                }
                Interlocked.Increment(ref refused);
            }
        });
    }

    /// <summary>Ends the outage: the real server again, on the same port.</summary>
    public async Task ComeBack()
    {
        if (down is not null)
        {
            down.Stop();
            await refusing!;
            down = null;
        }
        await Start();
    }

    /// <summary>Waits until <paramref name="count"/> connections were refused during the outage.</summary>
    public async Task WaitForRefused(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Refused < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Refused} of {count} connections refused in time.");
            await Task.Delay(20);
        }
    }

    public async Task Stop()
    {
        if (running is null) return;
        await running.CancelAsync();
        try { await serving!; } catch (Exception) { /* stopped, or never started */ }
        running.Dispose();
        running = null;
    }

    /// <summary>Waits until <paramref name="address"/> has <paramref name="count"/> messages.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitFor(string address, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var messages = To(address);
            if (messages.Count >= count) return messages;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{address} got {To(address).Count} of {count} emails in time.");
    }

    public async ValueTask DisposeAsync()
    {
        down?.Stop();
        await Stop();
    }

    sealed class Store(ConcurrentQueue<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
