using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;

namespace Cases.Bench;

/// <summary>
/// Case files: upload and download throughput through the app (run as its own process, as the Functions host runs it)
/// for 1, 10 and 100 MiB, beside what bounds it, measured in the same run on the same bytes: <c>openssl dgst</c> for each
/// hash and the three in sequence, and a raw Azure.Storage.Blobs upload with no hashing. Also the app's peak memory
/// (resident set, sampled every 2 ms) during the 100 MiB upload, above its idle level.
/// </summary>
public static class FilesBench
{
    const int MiB = 1024 * 1024;
    static readonly int[] Sizes = [1, 10, 100];

    public static async Task Run(int repeats)
    {
        var connection = Environment.GetEnvironmentVariable("AzureWebJobsStorage") ?? "UseDevelopmentStorage=true";
        var data = new byte[100 * MiB];
        new Random(42).NextBytes(data);
        data[0] = 0x1F; // gzip's magic number, so the content check accepts it
        data[1] = 0x8B;
        var dataFile = Path.Combine(Path.GetTempPath(), $"cases-files-bench-{Guid.NewGuid():N}.gz");
        await File.WriteAllBytesAsync(dataFile, data);
        try
        {
            var rows = new List<(string Name, string Value)>();
            Console.Error.WriteLine("openssl dgst on the 100 MiB file...");
            var md5 = Best(repeats, () => OpenSsl("md5", dataFile));
            var sha1 = Best(repeats, () => OpenSsl("sha1", dataFile));
            var sha256 = Best(repeats, () => OpenSsl("sha256", dataFile));
            var hashes = 100 * MiB / (100 * MiB / md5 + 100 * MiB / sha1 + 100 * MiB / sha256); // the three in sequence
            var dotnetHashes = Best(repeats, () => DotnetHashes(data));

            Console.Error.WriteLine("raw Azure.Storage.Blobs uploads...");
            var container = new BlobServiceClient(connection).GetBlobContainerClient("bench-raw-" + Guid.NewGuid().ToString("N")[..8]);
            await container.CreateIfNotExistsAsync();
            var raw = new Dictionary<int, double>();
            foreach (var size in Sizes)
                raw[size] = await BestAsync(repeats, async () =>
                {
                    var clock = Stopwatch.StartNew();
                    await container.GetBlobClient(Guid.NewGuid().ToString()).UploadAsync(new BinaryData(data.AsMemory(0, size * MiB)));
                    return size * MiB / clock.Elapsed.TotalSeconds;
                });
            var blocks = new Dictionary<int, double>();
            var inBlocks = new Azure.Storage.StorageTransferOptions { InitialTransferSize = 4 * MiB, MaximumTransferSize = 4 * MiB, MaximumConcurrency = 3 };
            foreach (var size in Sizes)
                blocks[size] = await BestAsync(repeats, async () =>
                {
                    var clock = Stopwatch.StartNew();
                    await container.GetBlobClient(Guid.NewGuid().ToString()).UploadAsync(new BinaryData(data.AsMemory(0, size * MiB)),
                        new Azure.Storage.Blobs.Models.BlobUploadOptions { TransferOptions = inBlocks });
                    return size * MiB / clock.Elapsed.TotalSeconds;
                });

            Console.Error.WriteLine("through the app...");
            var prefix = "benchf" + Guid.NewGuid().ToString("N")[..8];
            await using var app = await AppProcess.Start(prefix);
            using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            var caseId = await CreateCase(http);
            await Upload(http, caseId, data.AsMemory(0, MiB)); // warm-up
            var up = new Dictionary<int, double>();
            var down = new Dictionary<int, double>();
            var paired = new Dictionary<int, double>(); // raw uploads run right before each app upload: same load on the machine
            long idle = 0, peak = 0;
            var appCpu = 0.0;
            foreach (var size in Sizes)
            {
                var ids = new List<string>();
                up[size] = await BestAsync(repeats, async () =>
                {
                    var rawClock = Stopwatch.StartNew();
                    await container.GetBlobClient(Guid.NewGuid().ToString()).UploadAsync(new BinaryData(data.AsMemory(0, size * MiB)));
                    paired[size] = Math.Max(paired.GetValueOrDefault(size), size * MiB / rawClock.Elapsed.TotalSeconds);
                    var measureMemory = size == 100;
                    if (measureMemory) { GC.Collect(); await Task.Delay(500); idle = app.ResidentBytes(); }
                    using var sampler = measureMemory ? app.SamplePeak() : null;
                    var cpu = app.CpuTime();
                    var clock = Stopwatch.StartNew();
                    ids.Add(await Upload(http, caseId, data.AsMemory(0, size * MiB)));
                    var elapsed = clock.Elapsed.TotalSeconds;
                    if (size == 100) appCpu = (app.CpuTime() - cpu).TotalSeconds / elapsed;
                    if (sampler is not null) peak = Math.Max(peak, sampler.Stop() - idle);
                    return size * MiB / elapsed;
                });
                down[size] = await BestAsync(repeats, async () =>
                {
                    var clock = Stopwatch.StartNew();
                    using var response = await http.GetAsync($"/api/cases/{caseId}/files/{ids[0]}/download", HttpCompletionOption.ResponseHeadersRead);
                    response.EnsureSuccessStatusCode();
                    await (await response.Content.ReadAsStreamAsync()).CopyToAsync(Stream.Null);
                    return size * MiB / clock.Elapsed.TotalSeconds;
                });
            }

            static string Mb(double bytesPerSecond) => $"{bytesPerSecond / 1e6:N0} MB/s";
            Console.WriteLine();
            Console.WriteLine($"Case files, best of {repeats}, on {Environment.ProcessorCount} cores (MB = 10^6 bytes):");
            Console.WriteLine($"| {"",-34} | {"1 MiB",10} | {"10 MiB",10} | {"100 MiB",10} |");
            Console.WriteLine($"|{new string('-', 36)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|");
            Console.WriteLine($"| {"app upload (raw body)",-34} | {Mb(up[1]),10} | {Mb(up[10]),10} | {Mb(up[100]),10} |");
            Console.WriteLine($"| {"app download",-34} | {Mb(down[1]),10} | {Mb(down[10]),10} | {Mb(down[100]),10} |");
            Console.WriteLine($"| {"raw Azure.Storage.Blobs upload",-34} | {Mb(raw[1]),10} | {Mb(raw[10]),10} | {Mb(raw[100]),10} |");
            Console.WriteLine($"| {"raw upload, paired with the app's",-34} | {Mb(paired[1]),10} | {Mb(paired[10]),10} | {Mb(paired[100]),10} |");
            Console.WriteLine($"| {"raw upload in 4 MiB blocks, 3 at once",-34} | {Mb(blocks[1]),10} | {Mb(blocks[10]),10} | {Mb(blocks[100]),10} |");
            Console.WriteLine();
            Console.WriteLine($"openssl dgst on 100 MiB: md5 {Mb(md5)}, sha1 {Mb(sha1)}, sha256 {Mb(sha256)}; the three in sequence {Mb(hashes)}");
            Console.WriteLine($".NET IncrementalHash, the three over each block in one pass: {Mb(dotnetHashes)}");
            await container.DeleteIfExistsAsync();
            var bound = Math.Min(Math.Max(raw[100], paired[100]), hashes);
            Console.WriteLine($"100 MiB upload: {up[100] / bound:P0} of min(raw blob upload, three hashes) = {Mb(bound)} (target >= 80%)");
            Console.WriteLine($"App CPU during the last 100 MiB upload: {appCpu:N2} cores busy on average");
            Console.WriteLine($"Peak app memory during the 100 MiB upload: {peak / (double)MiB:N1} MiB above idle ({idle / (double)MiB:N0} MiB) (target < 64 MiB)");
        }
        finally
        {
            File.Delete(dataFile);
        }
    }

    static double Best(int repeats, Func<double> run) => Enumerable.Range(0, repeats).Max(_ => run());

    static async Task<double> BestAsync(int repeats, Func<Task<double>> run)
    {
        var best = 0.0;
        for (var i = 0; i < repeats; i++) best = Math.Max(best, await run());
        return best;
    }

    /// <summary>Bytes per second of <c>openssl dgst -{algorithm}</c> over the file (already in the page cache).</summary>
    static double OpenSsl(string algorithm, string path)
    {
        var start = new ProcessStartInfo("openssl", ["dgst", "-" + algorithm, path]) { RedirectStandardOutput = true };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"openssl dgst -{algorithm} failed");
        return new FileInfo(path).Length / clock.Elapsed.TotalSeconds;
    }

    static double DotnetHashes(byte[] data)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var clock = Stopwatch.StartNew();
        for (var offset = 0; offset < data.Length; offset += 2 * MiB)
        {
            var block = data.AsSpan(offset, Math.Min(2 * MiB, data.Length - offset));
            md5.AppendData(block);
            sha1.AppendData(block);
            sha256.AppendData(block);
        }
        md5.GetHashAndReset(); sha1.GetHashAndReset(); sha256.GetHashAndReset();
        return data.Length / clock.Elapsed.TotalSeconds;
    }

    static async Task<string> CreateCase(HttpClient http)
    {
        var body = new JsonObject
        {
            ["title"] = "Files bench", ["description"] = "Benchmark case", ["tags"] = new JsonArray(), ["owner"] = "securitySolution",
            ["connector"] = new JsonObject { ["id"] = "none", ["name"] = "none", ["type"] = ".none", ["fields"] = null },
            ["settings"] = new JsonObject { ["syncAlerts"] = true },
        };
        using var response = await http.PostAsync("/api/cases", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    static async Task<string> Upload(HttpClient http, string caseId, ReadOnlyMemory<byte> bytes)
    {
        var content = new ReadOnlyMemoryContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        using var response = await http.PostAsync($"/api/cases/{caseId}/files?filename=sample.gz", content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"upload failed: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["file"]!["id"]!.GetValue<string>();
    }

    /// <summary>The built app as a process of its own, so that its memory is measured alone.</summary>
    sealed class AppProcess : IAsyncDisposable
    {
        readonly Process process;
        public Uri BaseAddress { get; }

        AppProcess(Process process, Uri baseAddress) => (this.process, BaseAddress) = (process, baseAddress);

        public static async Task<AppProcess> Start(string tablePrefix)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Cases.Functions.dll"), "--urls", $"http://127.0.0.1:{port}"])
            {
                WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment["Cases__Storage__TablePrefix"] = tablePrefix;
            start.Environment["Cases__Numbering__RunInProcess"] = "false";
            start.Environment["Logging__LogLevel__Default"] = "Warning";

            var app = new AppProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
            app.process.OutputDataReceived += (_, _) => { };
            app.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  app: " + e.Data); };
            app.process.BeginOutputReadLine();
            app.process.BeginErrorReadLine();
            using var http = new HttpClient();
            for (var i = 0; i < 300; i++)
            {
                try { (await http.GetAsync(app.BaseAddress)).Dispose(); return app; }
                catch (HttpRequestException) { await Task.Delay(100); }
            }
            throw new TimeoutException("The app did not start.");
        }

        public long ResidentBytes()
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            return 0;
        }

        public PeakSampler SamplePeak() => new(this);

        /// <summary>User + system CPU time of the app so far (from /proc, in clock ticks of 10 ms).</summary>
        public TimeSpan CpuTime()
        {
            var fields = File.ReadAllText($"/proc/{process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return TimeSpan.FromMilliseconds((long.Parse(fields[11]) + long.Parse(fields[12])) * 10);
        }

        public sealed class PeakSampler : IDisposable
        {
            readonly CancellationTokenSource stop = new();
            readonly Task<long> sampling;

            public PeakSampler(AppProcess app) => sampling = Task.Run(async () =>
            {
                long peak = 0;
                while (!stop.IsCancellationRequested)
                {
                    peak = Math.Max(peak, app.ResidentBytes());
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
}
