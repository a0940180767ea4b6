using System.Diagnostics;

namespace Cases.Bench;

/// <summary>Latency samples and the table row they print as.</summary>
public sealed class Samples(string name)
{
    readonly List<double> milliseconds = [];

    public string Name { get; } = name;

    public async Task<T> Time<T>(Func<Task<T>> action)
    {
        var clock = Stopwatch.StartNew();
        var result = await action();
        milliseconds.Add(clock.Elapsed.TotalMilliseconds);
        return result;
    }

    public double Median => Percentile(0.5);
    public double P95 => Percentile(0.95);

    double Percentile(double p)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    public static void Print(IEnumerable<Samples> rows, IReadOnlyDictionary<string, double>? targets = null)
    {
        Console.WriteLine($"| {"operation",-46} | {"n",5} | {"median ms",9} | {"p95 ms",8} | {"target",8} |");
        Console.WriteLine($"|{new string('-', 48)}|{new string('-', 7)}|{new string('-', 11)}|{new string('-', 10)}|{new string('-', 10)}|");
        foreach (var row in rows)
        {
            var target = targets is not null && targets.TryGetValue(row.Name, out var t) ? $"≤ {t:0}" : "";
            Console.WriteLine($"| {row.Name,-46} | {row.milliseconds.Count,5} | {row.Median,9:0.0} | {row.P95,8:0.0} | {target,8} |");
        }
    }
}
