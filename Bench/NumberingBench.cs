using System.Diagnostics;
using Cases.Domain.Cases;
using Cases.Functions.Numbering;

namespace Cases.Bench;

/// <summary>AssignCaseNumbers: time to number 50,000 cases in one space, and the cost of a run with nothing to do.</summary>
public static class NumberingBench
{
    public static async Task Run(int cases)
    {
        await using var bench = await BenchApp.Start();
        var space = "numbering-bench";
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        Console.Error.WriteLine($"Seeding {cases:N0} unnumbered cases...");
        await bench.Seed(space, cases, i => new NewCase
        {
            Title = $"Case {i}",
            Description = "Benchmark case",
            Tags = [],
            Owner = "securitySolution",
            Connector = Connector.None,
            Settings = new CaseSettings(true),
        }, i => start.AddSeconds(i));

        var numberer = bench.Service<CaseNumberer>();
        var runs = new List<(int Numbered, TimeSpan Elapsed)>();
        var total = Stopwatch.StartNew();
        while (true)
        {
            var report = await numberer.Run(CancellationToken.None);
            if (report.Numbered == 0)
            {
                foreach (var line in report.Lines) Console.Error.WriteLine($"  last run: {line}");
                break;
            }
            runs.Add((report.Numbered, report.Elapsed));
        }
        total.Stop();

        // Check the outcome, not just the time: every case numbered, numbers exactly 1..N.
        var numbers = new List<long>();
        await foreach (var r in bench.Service<Cases.Functions.Cases.CaseStore>().List(space, [], CancellationToken.None))
            if (r.IncrementalId is { } n) numbers.Add(n);
        numbers.Sort();
        var exact = numbers.Count == cases && numbers.Select((n, i) => n == i + 1).All(x => x);
        Console.Error.WriteLine($"  check: {numbers.Count:N0} of {cases:N0} cases numbered, 1..N exactly: {exact}");

        var idle = new Samples("idle run (nothing to number)");
        for (var i = 0; i < 30; i++) await idle.Time(() => numberer.Run(CancellationToken.None));

        Console.WriteLine();
        Console.WriteLine($"AssignCaseNumbers, {cases:N0} cases in one space, {runs.Count} run(s) of at most {bench.Service<Microsoft.Extensions.Options.IOptions<NumberingOptions>>().Value.MaxPerRun:N0}:");
        foreach (var (numbered, elapsed) in runs)
            Console.WriteLine($"  run: {numbered,6:N0} cases in {elapsed.TotalSeconds,6:0.0} s ({numbered / elapsed.TotalSeconds:N0} cases/s)");
        Console.WriteLine($"  total: {runs.Sum(r => r.Numbered):N0} cases in {total.Elapsed.TotalSeconds:0.0} s (target < 60 s); " +
            $"check: {numbers.Count:N0} numbered, exactly 1..{cases:N0}: {(exact ? "yes" : "NO")}");
        Samples.Print([idle], new Dictionary<string, double> { [idle.Name] = 50 });
    }
}
