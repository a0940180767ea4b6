using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cases.Tests.Infrastructure;

/// <summary>The built app run as its own process (standalone, or with the arguments the Functions host gives a worker).</summary>
public sealed class AppProcess : IAsyncDisposable
{
    readonly Process process;
    readonly System.Text.StringBuilder output = new();

    AppProcess(Process process) => this.process = process;

    public string Output { get { lock (output) return output.ToString(); } }

    public bool HasExited => process.HasExited;

    public static AppProcess Start(IDictionary<string, string> environment, params string[] args) =>
        StartExecutable("dotnet", AppContext.BaseDirectory, environment, [Path.Combine(AppContext.BaseDirectory, "Cases.Functions.dll"), .. args]);

    /// <summary>Starts <paramref name="executable"/> in <paramref name="workingDirectory"/> (e.g. <c>dotnet</c> in the unpacked package).</summary>
    public static AppProcess StartExecutable(string executable, string workingDirectory, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in new[] { "ASPNETCORE_URLS" }) start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var app = new AppProcess(Process.Start(start)!);
        app.process.OutputDataReceived += (_, e) => { lock (app.output) app.output.AppendLine(e.Data); };
        app.process.ErrorDataReceived += (_, e) => { lock (app.output) app.output.AppendLine(e.Data); };
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();
        return app;
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary>Polls GET / as the Functions host does until the app answers.</summary>
    public async Task WaitUntilReady(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException("The app exited early:\n" + Output);
            try
            {
                using var response = await http.GetAsync("/");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException("The app did not answer GET / in time:\n" + Output);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
