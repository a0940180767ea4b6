using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using System.Reflection.PortableExecutable;
using Cases.Functions.Hosting;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Deploy;

/// <summary>
/// The zip <c>./scripts/package</c> builds is what gets deployed on the dotnet-isolated stack: the worker's publish
/// output (functions.metadata, worker.config.json, host.json without a custom handler, ReadyToRun assemblies), whose
/// functions are the app's routes, and whose assemblies serve real requests.
/// </summary>
public sealed class PackageTests(PackageFixture package) : IClassFixture<PackageFixture>
{
    static readonly IReadOnlyList<RouteTable.Operation> Routes = RouteTable.Operations(CasesApp.Build([]));

    JsonArray Metadata() => JsonNode.Parse(File.ReadAllText(Path.Combine(package.AppRoot, "functions.metadata")))!.AsArray();

    [Fact]
    public void The_zip_holds_the_workers_functions_metadata_with_every_route_the_timer_and_the_queue_trigger()
    {
        var functions = Metadata();
        var http = functions.Where(f => f!["bindings"]![0]!["type"]!.GetValue<string>() == "httpTrigger")
            .Select(f => f!["name"]!.GetValue<string>().ToLowerInvariant()).Order().ToList();
        Assert.Equal(Routes.Select(r => r.Name.ToLowerInvariant()).Order(), http);
        var timer = functions.Single(f => f!["name"]!.GetValue<string>() == "AssignCaseNumbers")!;
        Assert.Equal("%NUMBERING_SCHEDULE%", timer["bindings"]![0]!["schedule"]!.GetValue<string>());
        var drain = functions.Single(f => f!["name"]!.GetValue<string>() == "DrainNotifications")!;
        Assert.Equal("queueTrigger", drain["bindings"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("%Cases:Notifications:Queue%", drain["bindings"]![0]!["queueName"]!.GetValue<string>());
        // The host loads the queue extension from the package (extensions.json points into .azurefunctions/).
        Assert.True(File.Exists(Path.Combine(package.AppRoot, ".azurefunctions", "Microsoft.Azure.WebJobs.Extensions.Storage.Queues.dll")));
        Assert.Contains("AzureStorageQueues", File.ReadAllText(Path.Combine(package.AppRoot, "extensions.json")));
        Assert.All(functions, f => Assert.Equal("Cases.Functions.dll", f!["scriptFile"]!.GetValue<string>()));
    }

    [Fact]
    public void The_zip_starts_the_worker_with_dotnet_and_host_json_has_no_custom_handler()
    {
        var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(package.AppRoot, "worker.config.json")))!["description"]!;
        Assert.Equal("dotnet-isolated", worker["language"]!.GetValue<string>());
        Assert.Equal("Cases.Functions.dll", worker["defaultWorkerPath"]!.GetValue<string>());
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(package.AppRoot, "host.json")))!.AsObject();
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.False(host.ContainsKey("customHandler"));
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(package.AppRoot, ".azurefunctions", "Microsoft.Azure.WebJobs.Extensions.FunctionMetadataLoader.dll")));
        using var zip = ZipFile.OpenRead(package.Zip);
        Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith(".pdb") || e.Name is "local.settings.json" or "local.settings.sample.json");
    }

    [Fact]
    public void The_apps_assemblies_are_ReadyToRun()
    {
        foreach (var name in new[] { "Cases.Functions.dll", "Cases.Domain.dll" })
        {
            using var pe = new PEReader(File.OpenRead(Path.Combine(package.AppRoot, name)));
            // A ReadyToRun image carries precompiled native code, announced by the managed native header.
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{name} is not ReadyToRun");
        }
    }

    [Fact]
    public async Task The_packaged_app_serves_requests_with_every_storage_operation()
    {
        await using var run = await PackagedApp.Start(package.AppRoot);
        var http = run.Http;

        Assert.Equal("available", (await (await http.GetAsync("/api/health")).Json())["status"]!.GetValue<string>());
        Assert.Equal("available", (await (await http.GetAsync("/api/health/ready")).Json())["status"]!.GetValue<string>());
        var created = await (await http.PostAsJsonAsync("/api/cases", TestCases.NewCaseBody())).Json();
        var id = created["id"]!.GetValue<string>();

        // Every Table Storage path the app uses runs here from the ReadyToRun build: point read, transactions, queries, deletes.
        // Alerts on a syncing case go through the alert-sync outbox table and the queue.
        var alerts = new JsonObject
        {
            ["type"] = "alert",
            ["owner"] = "securitySolution",
            ["alertId"] = "a1",
            ["index"] = ".alerts-security.alerts-default",
            ["rule"] = new JsonObject { ["id"] = "r1", ["name"] = "Brute force" },
        };
        await (await http.PostAsJsonAsync($"/api/cases/{id}/comments", alerts)).Json();

        var read = await (await http.GetAsync($"/api/cases/{id}")).Json();
        Assert.Equal("Suspicious login on web-01", read["title"]!.GetValue<string>());
        var patched = await (await http.PatchAsJsonAsync("/api/cases", new JsonObject
        {
            ["cases"] = new JsonArray(new JsonObject { ["id"] = id, ["version"] = read["version"]!.GetValue<string>(), ["status"] = "closed" }),
        })).Json();
        Assert.Equal("closed", patched[0]!["status"]!.GetValue<string>());
        var found = await (await http.GetAsync("/api/cases/_find?tags=nothing&tags=phishing&status=closed")).Json();
        Assert.Equal(id, found["cases"]![0]!["id"]!.GetValue<string>());
        var actions = await (await http.GetAsync($"/api/cases/{id}/user_actions/_find")).Json();
        Assert.Equal(3, actions["total"]!.GetValue<int>()); // create, the alert, the status

        // Files: streamed upload with the three hashes, and a streamed download.
        var upload = new ByteArrayContent("evidence"u8.ToArray());
        upload.Headers.ContentType = new("text/plain");
        var file = (await (await http.PostAsync($"/api/cases/{id}/files?filename=note.txt", upload)).Json())["file"]!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("evidence"u8)), file["hash"]!["sha256"]!.GetValue<string>());
        Assert.Equal("evidence", await http.GetStringAsync($"/api/cases/{id}/files/{file["id"]}/download"));

        // The operators' command runs AssignCaseNumbers with its sweeps from the package; none of them fails.
        await using (var numbering = AppProcess.StartExecutable("dotnet", package.AppRoot, run.Environment, "Cases.Functions.dll", "--assign-numbers"))
        {
            Assert.Equal(0, await numbering.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains("numbered 1 case(s) in 1 space(s)", numbering.Output);
            Assert.DoesNotContain("failed", numbering.Output);
        }
        Assert.Equal(1, (await (await http.GetAsync($"/api/cases/{id}")).Json())["incremental_id"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/cases?ids={id}")).StatusCode);
        await (await http.GetAsync($"/api/cases/{id}")).Error(HttpStatusCode.NotFound, id);
    }

    /// <summary>The packaged worker assembly run standalone (<c>dotnet Cases.Functions.dll</c>), app settings in the environment.</summary>
    sealed class PackagedApp(AppProcess process, HttpClient http, string prefix, Dictionary<string, string> environment) : IAsyncDisposable
    {
        public HttpClient Http => http;
        public Dictionary<string, string> Environment => environment;

        public static async Task<PackagedApp> Start(string appRoot)
        {
            Azurite.EnsureRunning();
            var port = AppProcess.FreePort();
            var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
            var environment = new Dictionary<string, string>
            {
                ["AzureWebJobsStorage"] = Azurite.ConnectionString,
                ["Cases__Storage__TablePrefix"] = prefix,
                ["Cases__Numbering__RunInProcess"] = "false",
            };
            var process = AppProcess.StartExecutable("dotnet", appRoot,
                new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" }, "Cases.Functions.dll");
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await process.WaitUntilReady(http, TimeSpan.FromSeconds(60));
            return new PackagedApp(process, http, prefix, environment);
        }

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            await process.DisposeAsync();
            await Azurite.DeleteAppStorage(prefix);
        }
    }
}
