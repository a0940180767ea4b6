using System.Diagnostics;
using Cases.Tests.Infrastructure;
using Xunit.Abstractions;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Attachments;

/// <summary>
/// The issue's figures: attaching 1,000 alerts in batches of 100 (median per batch; target ≤ 300 ms) and reading a case
/// with 1,000 alerts and 500 comments (target ≤ 200 ms), on Azurite. Opt-in (CASES_BENCHMARK=1), since it takes a while
/// and timings on a shared machine are not a pass/fail signal; it prints the figures.
/// </summary>
public sealed class AttachmentBenchmark(CasesAppFixture app, ITestOutputHelper output) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task Attach_1000_alerts_in_batches_and_read_a_full_case()
    {
        if (Environment.GetEnvironmentVariable("CASES_BENCHMARK") != "1") return;
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space)).Id();
        await app.AttachOk(space, (await app.CreateCase(space)).Id(), UserComment("warm-up"));

        var batches = new List<double>();
        for (var b = 0; b < 10; b++)
        {
            var watch = Stopwatch.StartNew();
            await app.AttachOk(space, caseId, Alerts(Enumerable.Range(b * 100, 100).Select(i => $"bench-{i}")));
            batches.Add(watch.Elapsed.TotalMilliseconds);
        }
        for (var i = 0; i < 500; i++) await app.AttachOk(space, caseId, UserComment($"Comment {i}: " + new string('x', 200)));

        var reads = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var watch = Stopwatch.StartNew();
            var c = await app.Get(space, $"/cases/{caseId}");
            reads.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(1000, c["totalAlerts"]!.GetValue<int>());
            Assert.Equal(500, c["totalComment"]!.GetValue<int>());
        }
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        output.WriteLine($"attach 100 alerts: median {Median(batches):F0} ms (batches: {string.Join(", ", batches.Select(x => x.ToString("F0")))})");
        output.WriteLine($"read case with 1,000 alerts + 500 comments: median {Median(reads):F0} ms");
        Console.WriteLine($"BENCHMARK attach-100 median {Median(batches):F0} ms; read median {Median(reads):F0} ms");
    }
}
