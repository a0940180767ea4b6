using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cases.Bench;

/// <summary>
/// A server the benchmark runs as a process of its own on a loopback port (as the Functions host runs the app), so that
/// its memory and CPU time are measured alone. JIT-compiled servers run fully optimised from the first call
/// (no tiering, no ReadyToRun code): background recompilation would otherwise take a core during the measurement.
/// </summary>
sealed class ChildProcess : IAsyncDisposable
{
    readonly Process process;
    public Uri BaseAddress { get; }
    public string Kind { get; }
    public ProcessCpu Cpu { get; }

    ChildProcess(Process process, Uri baseAddress, string kind) =>
        (this.process, BaseAddress, Kind, Cpu) = (process, baseAddress, kind, new ProcessCpu(process.Id));

    /// <summary>The app: the packaged ReadyToRun assembly when CASES_BENCH_APP names it (what ships), else the JIT build.</summary>
    public static Task<ChildProcess> App(string tablePrefix)
    {
        var packaged = Environment.GetEnvironmentVariable("CASES_BENCH_APP");
        return Start(string.IsNullOrEmpty(packaged) ? "JIT" : "ReadyToRun", port =>
        {
            var start = string.IsNullOrEmpty(packaged)
                ? Dotnet("Cases.Functions.dll", "--urls", $"http://127.0.0.1:{port}")
                : new ProcessStartInfo("dotnet", [packaged, "--urls", $"http://127.0.0.1:{port}"]) { WorkingDirectory = Path.GetDirectoryName(packaged)! };
            start.Environment["Cases__Storage__TablePrefix"] = tablePrefix;
            start.Environment["Cases__Numbering__RunInProcess"] = "false";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            return start;
        });
    }

    /// <summary>This benchmark's own <see cref="PassThroughRelay"/>.</summary>
    public static Task<ChildProcess> Relay() =>
        Start("JIT", port => Dotnet("Cases.Bench.dll", "relay", port.ToString()));

    static ProcessStartInfo Dotnet(string assembly, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly), .. args]) { WorkingDirectory = AppContext.BaseDirectory };
        start.Environment["DOTNET_TieredCompilation"] = "0";
        start.Environment["DOTNET_ReadyToRun"] = "0";
        return start;
    }

    static async Task<ChildProcess> Start(string kind, Func<int, ProcessStartInfo> command)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = command(port);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        var child = new ChildProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"), kind);
        child.process.OutputDataReceived += (_, _) => { };
        child.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  child: " + e.Data); };
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 600; i++)
        {
            try { (await http.GetAsync(child.BaseAddress)).Dispose(); return child; }
            catch (HttpRequestException) { await Task.Delay(100); }
        }
        await child.DisposeAsync();
        throw new TimeoutException($"{start.FileName} did not start.");
    }

    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }

    public PeakSampler SamplePeak() => new(this);

    /// <summary>The highest resident set seen, sampled every 2 ms until stopped.</summary>
    public sealed class PeakSampler : IDisposable
    {
        readonly CancellationTokenSource stop = new();
        readonly Task<long> sampling;

        public PeakSampler(ChildProcess child) => sampling = Task.Run(async () =>
        {
            long peak = 0;
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, child.ResidentBytes());
                await Task.Delay(2);
            }
            return peak;
        });

        public long Stop()
        {
            stop.Cancel();
            return sampling.GetAwaiter().GetResult();
        }

        public void Dispose() => stop.Cancel();
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

/// <summary>User + system CPU time of a process so far (from /proc, in clock ticks of 10 ms).</summary>
sealed class ProcessCpu(int pid)
{
    /// <summary>Azurite, when ./scripts/bench started it (CASES_BENCH_AZURITE_PID).</summary>
    public static ProcessCpu? Azurite() =>
        int.TryParse(Environment.GetEnvironmentVariable("CASES_BENCH_AZURITE_PID"), out var pid) ? new ProcessCpu(pid) : null;

    public TimeSpan Time()
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return TimeSpan.FromMilliseconds((long.Parse(fields[11]) + long.Parse(fields[12])) * 10);
    }
}
