using System.Diagnostics;
using System.Net.Sockets;

namespace Cases.Tests.Infrastructure;

/// <summary>
/// An Azurite process of a test's own (as scripts/lib.sh starts one), on free ports, keeping its data in a temp folder so
/// that it can be stopped and started again on the same ports with its data: a storage outage, for real.
/// </summary>
public sealed class PrivateAzurite : IAsyncDisposable
{
    const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    readonly int blobPort = AppProcess.FreePort(), queuePort = AppProcess.FreePort(), tablePort = AppProcess.FreePort();
    readonly string location = Directory.CreateTempSubdirectory("azurite-").FullName;
    Process? process;
    readonly System.Text.StringBuilder output = new();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    public async Task Start()
    {
        var start = new ProcessStartInfo(Path.Combine(RepoFiles.Root, "node_modules", ".bin", "azurite"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--location", location,
                     "--blobPort", $"{blobPort}", "--queuePort", $"{queuePort}", "--tablePort", $"{tablePort}" })
            start.ArgumentList.Add(arg);
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Generous: on a loaded machine node takes its time to start.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!Answers(tablePort) || !Answers(blobPort) || !Answers(queuePort))
        {
            if (process.HasExited) throw new InvalidOperationException("Azurite exited on start: " + Output);
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Azurite did not answer within 90 s: " + Output);
            await Task.Delay(100);
        }
    }

    string Output { get { lock (output) return output.ToString(); } }

    /// <summary>Stops Azurite the way a service stops (SIGTERM: it saves its data and closes its ports); killed if it lingers.</summary>
    public async Task Stop()
    {
        if (process is null || process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", $"{process.Id}"])) await kill.WaitForExitAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        process = null;
    }

    static bool Answers(int port)
    {
        try
        {
            using var socket = new TcpClient();
            socket.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        try { Directory.Delete(location, recursive: true); } catch (IOException) { }
    }
}
