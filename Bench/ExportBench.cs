using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Cases;

namespace Cases.Bench;

/// <summary>
/// Issue 14's benchmark: export a space of N cases with 3 comments each to NDJSON, import the file into another space
/// (and again with overwrite), and export it as CSV; time and memory of each. The client streams the export to a temp
/// file and uploads from it, so the app's memory (this process) is what is measured.
/// </summary>
public static class ExportBench
{
    public static async Task Run(int count)
    {
        // The transfer's own progress lines (each import pass, export progress) show where the time goes.
        await using var bench = await BenchApp.Start(("Cases:Transfer:ImportMaxBytes", (512L * 1_048_576).ToString()),
            ("Logging:LogLevel:Cases.Functions.Transfer", "Information"));
        const string space = "bench";
        var start = DateTimeOffset.UtcNow.AddDays(-200);
        Console.Error.WriteLine($"Seeding {count:N0} cases with 3 comments each (by importing a generated file)...");
        var seeded = Stopwatch.StartNew();
        var seedFile = Path.Combine(Path.GetTempPath(), $"bench-seed-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(seedFile, Generate(count, start).Select(o => o.ToJsonString()));
        await ImportFile(bench, seedFile, space, "");
        File.Delete(seedFile);
        Console.Error.WriteLine($"Seeded in {seeded.Elapsed.TotalSeconds:0} s.");

        var file = Path.Combine(Path.GetTempPath(), $"bench-export-{Guid.NewGuid():N}.ndjson");
        try
        {
            var export = await Measure(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/s/{space}/api/saved_objects/_export")
                {
                    Content = JsonContent.Create(new { type = new[] { "cases" } }),
                };
                using var response = await bench.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await using var target = File.Create(file);
                await (await response.Content.ReadAsStreamAsync()).CopyToAsync(target);
            });
            var bytes = new FileInfo(file).Length;
            var lines = File.ReadLines(file).Count();

            string? importResult = null;
            async Task Import(string into, string query) => importResult = await ImportFile(bench, file, into, query);
            var import = await Measure(() => Import("copy", ""));
            var firstResult = importResult;
            var total = (await BenchApp.Ok(await bench.Http.GetAsync("/s/copy/api/cases/_find?perPage=1")))["total"];
            var again = await Measure(() => Import("copy", "?overwrite=true"));
            var csvRows = 0;
            var csv = await Measure(async () =>
            {
                using var response = await bench.Http.GetAsync($"/s/{space}/api/cases/_find?format=csv", HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                while (await reader.ReadLineAsync() is not null) csvRows++;
            });

            Console.WriteLine();
            Console.WriteLine($"Export and import of {count:N0} cases with 3 comments each ({lines:N0} lines, {bytes / 1_048_576.0:N1} MB of NDJSON)");
            Console.WriteLine();
            Console.WriteLine("| step | time | peak managed heap | peak working set |");
            Console.WriteLine("|---|---:|---:|---:|");
            Row("export (POST _export, streamed to a file)", export);
            Row("import into an empty space", import);
            Row("import again with overwrite=true", again);
            Row($"CSV of the space ({csvRows - 1:N0} rows)", csv);
            Console.WriteLine();
            Console.WriteLine($"import result: {firstResult}; cases found in the copy: {total}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    static async Task<string> ImportFile(BenchApp bench, string file, string into, string query)
    {
        await using var source = File.OpenRead(file);
        var content = new StreamContent(source);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ndjson");
        using var form = new MultipartFormDataContent { { content, "file", "export.ndjson" } };
        var result = await BenchApp.Ok(await bench.Http.PostAsync($"/s/{into}/api/saved_objects/_import{query}", form));
        return $"success={result["success"]}, successCount={result["successCount"]}, errors={result["errors"]!.AsArray().Count}";
    }

    /// <summary>N cases as the API creates them, each with 3 user comments and the user actions that record them, as saved objects.</summary>
    static IEnumerable<System.Text.Json.Nodes.JsonObject> Generate(int count, DateTimeOffset start)
    {
        var user = new Cases.Domain.Users.CaseUser("analyst@example.com", "Analyst", "analyst");
        for (var i = 0; i < count; i++)
        {
            var at = start.AddMinutes(i);
            var (c, created) = CaseRules.Create(new NewCase
            {
                Title = $"Case {i}: suspicious \"login\", host web-{i % 97}",
                Description = "Several failed logins followed by a success from an unusual country; investigating lateral movement.",
                Tags = ["phishing", $"host-{i % 97}"],
                Owner = "securitySolution",
                Severity = CaseSeverity.All[i % 4],
                Connector = Connector.None,
                Settings = new CaseSettings(true),
            }, Guid.NewGuid().ToString(), user, at, () => Guid.NewGuid().ToString());
            yield return Cases.Functions.Transfer.SavedObjectWriter.Case(new CaseRecord(c, 1, 3, 0, null), []);
            yield return Cases.Functions.Transfer.SavedObjectWriter.UserAction(created);
            for (var n = 0; n < 3; n++)
            {
                var comment = new Cases.Domain.Attachments.Attachment
                {
                    Id = Guid.NewGuid().ToString(),
                    CaseId = c.Id,
                    Version = 1,
                    Type = "user",
                    Owner = c.Owner,
                    Fields = new() { ["comment"] = $"Note {n}: checked the proxy logs, nothing new; escalating to tier 2." },
                    CreatedAt = at.AddSeconds(n + 1),
                    CreatedBy = user,
                    Sequence = n + 1,
                };
                yield return Cases.Functions.Transfer.SavedObjectWriter.Comment(comment);
                yield return Cases.Functions.Transfer.SavedObjectWriter.UserAction(new Cases.Domain.UserActions.UserAction(Guid.NewGuid().ToString(), c.Id, "create", "comment",
                    new() { ["comment"] = new System.Text.Json.Nodes.JsonObject { ["comment"] = comment.Fields["comment"]!.GetValue<string>(), ["type"] = "user", ["owner"] = c.Owner } },
                    comment.CreatedAt, user, c.Owner, comment.Id));
            }
        }
    }

    sealed record Measured(TimeSpan Time, long PeakHeap, long PeakWorkingSet);

    /// <summary>Times a step while sampling this process's managed heap and working set every 50 ms.</summary>
    static async Task<Measured> Measure(Func<Task> step)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long peakHeap = 0, peakSet = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                peakSet = Math.Max(peakSet, Process.GetCurrentProcess().WorkingSet64);
                try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var clock = Stopwatch.StartNew();
        await step();
        var time = clock.Elapsed;
        await stop.CancelAsync();
        await sampler;
        return new Measured(time, peakHeap, peakSet);
    }

    static void Row(string name, Measured m) =>
        Console.WriteLine($"| {name} | {m.Time.TotalSeconds:N1} s | {m.PeakHeap / 1_048_576.0:N0} MB | {m.PeakWorkingSet / 1_048_576.0:N0} MB |");
}
