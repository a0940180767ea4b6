using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Functions.Hosting;
using Cases.Functions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Infrastructure;

/// <summary>
/// The real app on a free loopback port over the real Azurite, with tables of its own (a random prefix) that are deleted
/// afterwards, so test classes run in parallel on one Azurite. Requests go over real HTTP.
/// </summary>
public class CasesAppFixture : IAsyncLifetime
{
    public string TablePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..12];
    public FakeClock Clock { get; } = new();
    public WebApplication App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    /// <summary>For fixtures that change the host itself (e.g. Kestrel's limits).</summary>
    protected virtual void Configure(WebApplicationBuilder builder) { }

    /// <summary>False for a second instance over another fixture's tables.</summary>
    protected virtual bool OwnsTables => true;

    public async Task InitializeAsync()
    {
        Azurite.EnsureRunning();
        App = CasesApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = Azurite.ConnectionString,
                ["Cases:Storage:TablePrefix"] = TablePrefix,
                ["Cases:Identity:TrustClientPrincipal"] = "true",
                ["Cases:Identity:LocalUser:Username"] = "local-tester",
                ["Cases:Access:AdminRole"] = "Cases.Admin",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Cases:Numbering:RunInProcess"] = "false",
                [global::Cases.Functions.Testing.TestHooks.Setting] = "true",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
                // A key of the test's own, so that no test writes the development key file.
                ["Cases:Secrets:Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            };
            foreach (var (key, value) in Settings) settings[key] = value;
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<TimeProvider>(Clock);
            Configure(builder);
        });
        await App.StartAsync();
        BaseAddress = new Uri(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        var service = App.Services.GetRequiredService<TableServiceClient>();
        if (OwnsTables)
        {
            foreach (var name in App.Services.GetRequiredService<CasesTables>().TableNames)
                await service.DeleteTableAsync(name);
            await App.Services.GetRequiredService<global::Cases.Functions.Files.FileBlobs>().DeleteContainer();
            await App.Services.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>()
                .GetBlobContainerClient(App.Services.GetRequiredService<global::Cases.Functions.Find.ViewSnapshots>().ContainerName).DeleteIfExistsAsync();
        }
        await App.DisposeAsync();
    }

    /// <summary>The app's test hooks (on in every test fixture): hold requests between read and commit, or crash them.</summary>
    public global::Cases.Functions.Testing.TestHooks Hooks => App.Services.GetRequiredService<global::Cases.Functions.Testing.TestHooks>();

    public async Task<TableClient> CasesTable() => await App.Services.GetRequiredService<CasesTables>().Cases();

    /// <summary>
    /// The space's rows of the cases table, without the change log's notes (content-free, kept an hour, so every write
    /// leaves one): what tests look at to see what a write or a delete left behind.
    /// </summary>
    public async Task<List<TableEntity>> CaseTableRows(string space)
    {
        var table = await CasesTable();
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {space}")))
            if (!row.RowKey.StartsWith(global::Cases.Functions.Cases.ChangeLog.Prefix, StringComparison.Ordinal)) rows.Add(row);
        return rows;
    }

    /// <summary>How many rows one of the app's tables holds in a space (e.g. the outbox tables: none when all is settled).</summary>
    public async Task<int> RowsInSpace(Func<CasesTables, Task<TableClient>> table, string space)
    {
        var client = await table(App.Services.GetRequiredService<CasesTables>());
        var count = 0;
        await foreach (var _ in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {space}"), select: ["PartitionKey"])) count++;
        return count;
    }

    /// <summary>A fresh space, so tests sharing the fixture never see each other's cases.</summary>
    public static string NewSpace() => "s" + Guid.NewGuid().ToString("N")[..10];

    public static string Api(string space, string path) => space == "default" ? $"/api{path}" : $"/s/{space}/api{path}";

    /// <summary>Creates a case over HTTP and moves the clock on by a millisecond.</summary>
    public async Task<JsonObject> CreateCase(string space, object? overrides = null)
    {
        var body = TestCases.NewCaseBody();
        if (overrides is not null)
            foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(overrides))!.AsObject())
                body[key] = value?.DeepClone();
        var response = await Http.PostAsJsonAsync(Api(space, "/cases"), body);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"create failed: {(int)response.StatusCode} {json}");
        Clock.Advance(TimeSpan.FromMilliseconds(1)); // so cases created one after another have distinct creation times
        return JsonNode.Parse(json)!.AsObject();
    }
}

public static class TestCases
{
    public static JsonObject NewCaseBody() => new()
    {
        ["title"] = "Suspicious login on web-01",
        ["description"] = "Several failed logins followed by a success from an unusual country.",
        ["tags"] = new JsonArray("phishing", "web"),
        ["owner"] = "securitySolution",
        ["connector"] = new JsonObject { ["id"] = "none", ["name"] = "none", ["type"] = ".none", ["fields"] = null },
        ["settings"] = new JsonObject { ["syncAlerts"] = true },
    };
}
