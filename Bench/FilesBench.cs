using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;

namespace Cases.Bench;

/// <summary>
/// Case files: upload and download throughput through the app (run as its own process, as the Functions host runs it)
/// for 1, 10 and 100 MiB, beside what bounds it, measured in the same run on the same bytes: <c>openssl dgst</c> for each
/// hash and the three in sequence, a raw Azure.Storage.Blobs upload with no hashing, and a pass-through relay (a server
/// that only streams the body into a Put Blob: the ceiling for any server in the path when client, server and Azurite
/// share the same cores). Raw, relay and app uploads take turns, so each repeat sees the same load; every blob is
/// deleted after its measurement, so Azurite's in-memory store (and its garbage collection) stays the same size.
/// Also the CPU time each process spends per 100 MiB upload, and the app's peak memory during it, above idle.
/// </summary>
public static class FilesBench
{
    const int MiB = 1024 * 1024;
    static readonly int[] Sizes = [1, 10, 100];

    /// <summary>One way of uploading: best throughput per size, CPU seconds per 100 MiB upload (client's, server's, Azurite's).</summary>
    sealed class Row(string name)
    {
        public string Name => name;
        public Dictionary<int, double> Best { get; } = [];
        public List<double> ClientCpu { get; } = [];
        public List<double> ServerCpu { get; } = [];
        public List<double> AzuriteCpu { get; } = [];
    }

    public static async Task Run(int repeats)
    {
        var connection = Environment.GetEnvironmentVariable("AzureWebJobsStorage") ?? "UseDevelopmentStorage=true";
        var data = new byte[100 * MiB];
        new Random(42).NextBytes(data);
        data[0] = 0x1F; // gzip's magic number, so the content check accepts it
        data[1] = 0x8B;
        var dataFile = Path.Combine(Path.GetTempPath(), $"cases-files-bench-{Guid.NewGuid():N}.gz");
        await File.WriteAllBytesAsync(dataFile, data);
        var container = new BlobServiceClient(connection).GetBlobContainerClient("bench-raw-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.Error.WriteLine("openssl dgst on the 100 MiB file...");
            var md5 = Best(repeats, () => OpenSsl("md5", dataFile));
            var sha1 = Best(repeats, () => OpenSsl("sha1", dataFile));
            var sha256 = Best(repeats, () => OpenSsl("sha256", dataFile));
            var hashes = 100 * MiB / (100 * MiB / md5 + 100 * MiB / sha1 + 100 * MiB / sha256); // the three in sequence
            var dotnetHashes = Best(repeats, () => DotnetHashes(data));

            await container.CreateIfNotExistsAsync();
            var azurite = ProcessCpu.Azurite();
            Console.Error.WriteLine("raw uploads in blocks...");
            var blocks = new Row("raw upload in 4 MiB blocks, 3 at once");
            var inBlocks = new Azure.Storage.StorageTransferOptions { InitialTransferSize = 4 * MiB, MaximumTransferSize = 4 * MiB, MaximumConcurrency = 3 };
            foreach (var size in Sizes)
                for (var i = 0; i < repeats; i++)
                    await (await Measure(blocks, data.AsMemory(0, size * MiB), null, azurite, async bytes =>
                    {
                        var blob = container.GetBlobClient(Guid.NewGuid().ToString());
                        await blob.UploadAsync(new BinaryData(bytes), new Azure.Storage.Blobs.Models.BlobUploadOptions { TransferOptions = inBlocks });
                        return () => blob.DeleteAsync();
                    }))();

            Console.Error.WriteLine("raw, relay and app uploads, in turns...");
            await using var relayProcess = await ChildProcess.Relay();
            await using var app = await ChildProcess.App("benchf" + Guid.NewGuid().ToString("N")[..8]);
            using var relayHttp = new HttpClient { BaseAddress = relayProcess.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            var caseId = await CreateCase(http);
            await Delete(http, caseId, await Upload(http, caseId, data.AsMemory(0, MiB))); // warm-up
            var raw = new Row("raw Azure.Storage.Blobs upload (Put Blob)");
            var relay = new Row("pass-through relay (no hashing)");
            var up = new Row("app upload (raw body)");
            var down = new Row("app download");
            long idle = 0, peak = 0;
            foreach (var size in Sizes)
                for (var i = 0; i < repeats; i++)
                {
                    var slice = data.AsMemory(0, size * MiB);
                    await (await Measure(raw, slice, null, azurite, async bytes =>
                    {
                        var blob = container.GetBlobClient(Guid.NewGuid().ToString());
                        await blob.UploadAsync(new BinaryData(bytes));
                        return () => blob.DeleteAsync();
                    }))();
                    await (await Measure(relay, slice, relayProcess.Cpu, azurite, async bytes =>
                    {
                        var name = Guid.NewGuid().ToString();
                        (await relayHttp.PostAsync(name, new ReadOnlyMemoryContent(bytes))).EnsureSuccessStatusCode();
                        return async () => (await relayHttp.DeleteAsync(name)).EnsureSuccessStatusCode();
                    }))();

                    var measureMemory = size == 100;
                    if (measureMemory) { GC.Collect(); await Task.Delay(500); idle = app.ResidentBytes(); }
                    using var sampler = measureMemory ? app.SamplePeak() : null;
                    var fileId = "";
                    var deleteFile = await Measure(up, slice, app.Cpu, azurite, async bytes =>
                    {
                        fileId = await Upload(http, caseId, bytes);
                        return () => Delete(http, caseId, fileId);
                    });
                    if (sampler is not null) peak = Math.Max(peak, sampler.Stop() - idle);
                    await Measure(down, slice, null, null, async _ =>
                    {
                        using var response = await http.GetAsync($"/api/cases/{caseId}/files/{fileId}/download", HttpCompletionOption.ResponseHeadersRead);
                        response.EnsureSuccessStatusCode();
                        await (await response.Content.ReadAsStreamAsync()).CopyToAsync(Stream.Null);
                        return () => Task.CompletedTask;
                    });
                    await deleteFile();
                }

            static string Mb(double bytesPerSecond) => $"{bytesPerSecond / 1e6:N0} MB/s";
            Console.WriteLine();
            Console.WriteLine($"Case files, best of {repeats}, on {Environment.ProcessorCount} cores (MB = 10^6 bytes; app: {app.Kind}):");
            Console.WriteLine($"| {"",-42} | {"1 MiB",10} | {"10 MiB",10} | {"100 MiB",10} |");
            Console.WriteLine($"|{new string('-', 44)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|");
            foreach (var row in new[] { up, down, relay, raw, blocks })
                Console.WriteLine($"| {row.Name,-42} | {Mb(row.Best[1]),10} | {Mb(row.Best[10]),10} | {Mb(row.Best[100]),10} |");
            Console.WriteLine();
            Console.WriteLine($"openssl dgst on 100 MiB: md5 {Mb(md5)}, sha1 {Mb(sha1)}, sha256 {Mb(sha256)}; the three in sequence {Mb(hashes)}");
            Console.WriteLine($".NET IncrementalHash, the three over each block in one pass: {Mb(dotnetHashes)}");
            var bound = Math.Min(raw.Best[100], hashes);
            Console.WriteLine($"100 MiB upload through the app: {up.Best[100] / bound:P0} of min(raw blob upload, three hashes) = {Mb(bound)} (target >= 80%)");
            Console.WriteLine($"  the pass-through relay: {relay.Best[100] / bound:P0} of the same bound; the app: {up.Best[100] / relay.Best[100]:P0} of the relay");
            static string Seconds(List<double> cpu) => cpu.Count == 0 ? "n/a" : $"{cpu.Min():N2}-{cpu.Max():N2}";
            Console.WriteLine("CPU seconds per 100 MiB upload (client = this benchmark):");
            Console.WriteLine($"  raw:   client {Seconds(raw.ClientCpu)}, Azurite {Seconds(raw.AzuriteCpu)}");
            Console.WriteLine($"  relay: client {Seconds(relay.ClientCpu)}, relay {Seconds(relay.ServerCpu)}, Azurite {Seconds(relay.AzuriteCpu)}");
            Console.WriteLine($"  app:   client {Seconds(up.ClientCpu)}, app {Seconds(up.ServerCpu)}, Azurite {Seconds(up.AzuriteCpu)}");
            Console.WriteLine($"Peak app memory during the 100 MiB upload: {peak / (double)MiB:N1} MiB above idle ({idle / (double)MiB:N0} MiB) (target < 64 MiB)");
        }
        finally
        {
            await container.DeleteIfExistsAsync();
            File.Delete(dataFile);
        }
    }

    /// <summary>
    /// Times one upload (returning how to take it back) and records its throughput and, for 100 MiB, the CPU time the
    /// server and Azurite spent on it.
    /// </summary>
    static async Task<Func<Task>> Measure(Row row, ReadOnlyMemory<byte> bytes, ProcessCpu? server, ProcessCpu? azurite,
        Func<ReadOnlyMemory<byte>, Task<Func<Task>>> upload)
    {
        var client = Process.GetCurrentProcess();
        var clientCpu = client.TotalProcessorTime;
        var serverCpu = server?.Time();
        var azuriteCpu = azurite?.Time();
        var clock = Stopwatch.StartNew();
        var undo = await upload(bytes);
        var elapsed = clock.Elapsed.TotalSeconds;
        var size = bytes.Length / MiB;
        row.Best[size] = Math.Max(row.Best.GetValueOrDefault(size), bytes.Length / elapsed);
        if (size == 100)
        {
            client.Refresh();
            row.ClientCpu.Add((client.TotalProcessorTime - clientCpu).TotalSeconds);
            if (server is not null) row.ServerCpu.Add((server.Time() - serverCpu!.Value).TotalSeconds);
            if (azurite is not null) row.AzuriteCpu.Add((azurite.Time() - azuriteCpu!.Value).TotalSeconds);
        }
        return undo;
    }

    static double Best(int repeats, Func<double> run) => Enumerable.Range(0, repeats).Max(_ => run());

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
            ["title"] = "Files bench",
            ["description"] = "Benchmark case",
            ["tags"] = new JsonArray(),
            ["owner"] = "securitySolution",
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

    static async Task Delete(HttpClient http, string caseId, string fileId) =>
        (await http.DeleteAsync($"/api/cases/{caseId}/files?ids={fileId}")).EnsureSuccessStatusCode();
}
