using Cases.Domain.Cases;
using Cases.Domain.Users;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Bench;

/// <summary>The real app on a loopback port over the Azurite that scripts/bench started, with tables of its own.</summary>
public sealed class BenchApp : IAsyncDisposable
{
    public required WebApplication App { get; init; }
    public required HttpClient Http { get; init; }

    /// <summary>False for a second instance over another's tables.</summary>
    public bool OwnsTables { get; init; } = true;

    public string TablePrefix => App.Configuration["Cases:Storage:TablePrefix"]!;

    public static async Task<BenchApp> Start(params (string Key, string Value)[] settings)
    {
        var app = CasesApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            var values = new Dictionary<string, string?>
            {
                ["Cases:Storage:TablePrefix"] = "bench" + Guid.NewGuid().ToString("N")[..8],
                ["Cases:Numbering:RunInProcess"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
                // How long each view load took, and from what: beside the figures, on stderr.
                ["Logging:LogLevel:Cases.Functions.Find.CaseIndex"] = "Information",
                ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
            };
            foreach (var (key, value) in settings) values[key] = value;
            builder.Configuration.AddInMemoryCollection(values);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchApp
        {
            App = app,
            Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(30) },
            OwnsTables = !settings.Any(s => s.Key == "Cases:Storage:TablePrefix"),
        };
    }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>The response's JSON; a benchmark stops at the first failed request rather than timing errors.</summary>
    public static async Task<System.Text.Json.Nodes.JsonNode> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
        return System.Text.Json.Nodes.JsonNode.Parse(text)!;
    }

    /// <summary>Seeds cases through the store (the code the API runs), many at once, and prints progress.</summary>
    public async Task Seed(string space, int count, Func<int, NewCase> input, Func<int, DateTimeOffset> createdAt,
        Func<int, Case, Case>? transform = null, int parallelism = 32)
    {
        var store = Service<CaseStore>();
        var users = Enumerable.Range(0, 20).Select(i => new CaseUser($"analyst{i}@example.com", $"Analyst {i}", $"analyst{i}")).ToArray();
        var done = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var (c, action) = CaseRules.Create(input(i), Guid.NewGuid().ToString(), users[i % users.Length], createdAt(i), () => Guid.NewGuid().ToString());
            await store.QueueForNumber(space, c.Id, c.CreatedAt, ct);
            await store.Create(space, new CaseRecord(transform?.Invoke(i, c) ?? c, 1, 0, 0, null), action, ct);
            if (Interlocked.Increment(ref done) % 10_000 == 0)
                Console.Error.WriteLine($"  seeded {done:N0} cases ({done / clock.Elapsed.TotalSeconds:N0}/s)");
        });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        var service = Service<Azure.Data.Tables.TableServiceClient>();
        if (OwnsTables)
            foreach (var name in Service<Cases.Functions.Storage.CasesTables>().TableNames)
                await service.DeleteTableAsync(name);
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
