using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Functions.Hosting;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Deploy;

/// <summary>
/// The zip <c>./scripts/package</c> builds is what gets deployed: its function folders must match the app's routes,
/// host.json must launch the packaged (Native AOT) executable, and that executable must serve what the host forwards.
/// </summary>
public sealed class PackageTests(PackageFixture package) : IClassFixture<PackageFixture>
{
    /// <summary>
    /// Flip to true once the timer function <c>AssignCaseNumbers</c> is in the route table: the package must then
    /// contain it. Every timer function found in the package is invoked either way.
    /// </summary>
    static readonly bool TimerFunctionExpected = true;

    const string TimerFunction = "AssignCaseNumbers";

    static readonly IReadOnlyList<FunctionManifest.HttpFunction> Routes = FunctionManifest.HttpFunctions(CasesApp.Build([]));

    IEnumerable<(string Name, JsonNode Json)> Functions() =>
        Directory.GetDirectories(package.AppRoot)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => (Path.GetFileName(d), JsonNode.Parse(File.ReadAllText(Path.Combine(d, "function.json")))!));

    static string Trigger(JsonNode function) => function["bindings"]![0]!["type"]!.GetValue<string>();

    string Executable => Path.Combine(package.AppRoot,
        JsonNode.Parse(File.ReadAllText(Path.Combine(package.AppRoot, "host.json")))!["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());

    [Fact]
    public void Every_function_json_is_valid_and_the_http_functions_are_exactly_the_apps_routes()
    {
        var http = Functions().Where(f => Trigger(f.Json) == "httpTrigger").ToList();
        Assert.Equal(Routes.Select(r => r.Name).Order(), http.Select(f => f.Name).Order());
        foreach (var (name, json) in http)
        {
            var route = Routes.Single(r => r.Name == name);
            var bindings = json["bindings"]!.AsArray();
            Assert.Equal(2, bindings.Count);
            Assert.Equal("in", bindings[0]!["direction"]!.GetValue<string>());
            Assert.Equal("anonymous", bindings[0]!["authLevel"]!.GetValue<string>());
            Assert.Equal(route.Route, bindings[0]!["route"]!.GetValue<string>());
            Assert.Equal(route.Methods, bindings[0]!["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Equal("http", bindings[1]!["type"]!.GetValue<string>());
            Assert.Equal("out", bindings[1]!["direction"]!.GetValue<string>());
        }
        foreach (var (name, json) in Functions().Where(f => Trigger(f.Json) != "httpTrigger"))
        {
            var trigger = json["bindings"]![0]!;
            Assert.True(Trigger(json) == "timerTrigger", $"{name}: unexpected trigger {Trigger(json)}");
            Assert.Equal("in", trigger["direction"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(trigger["name"]?.GetValue<string>()), name);
            Assert.False(string.IsNullOrWhiteSpace(trigger["schedule"]?.GetValue<string>()), name);
        }
        if (TimerFunctionExpected)
            Assert.Contains(Functions(), f => f.Name == TimerFunction && Trigger(f.Json) == "timerTrigger");
        Assert.Contains("api/health", http.Select(f => f.Json["bindings"]![0]!["route"]!.GetValue<string>()));
    }

    [Fact]
    public void Host_json_launches_the_packaged_native_executable_which_the_zip_keeps_executable()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(package.AppRoot, "host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());

        Assert.True(File.Exists(Executable), $"host.json launches {Executable}, which is not in the package");
        // Native code (ELF), so the instance needs no .NET runtime; and the zip entry carries the execute bit.
        Assert.Equal("\x7F" + "ELF", Encoding.Latin1.GetString(File.ReadAllBytes(Executable).AsSpan(0, 4)));
        using var zip = ZipFile.OpenRead(package.Zip);
        var entry = zip.GetEntry(Path.GetFileName(Executable))!;
        Assert.True(((entry.ExternalAttributes >> 16) & 0b001_000_000) != 0, "the executable lost its execute bit in the zip");
        Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith(".dbg") || e.FullName.EndsWith(".pdb"));
    }

    [Fact]
    public async Task The_packaged_executable_serves_forwarded_requests_with_every_storage_operation()
    {
        await using var run = await PackagedApp.Start(Executable, package.AppRoot);
        var http = run.Http;

        Assert.Equal("available", (await (await http.GetAsync("/api/health")).Json())["status"]!.GetValue<string>());
        Assert.Equal("available", (await (await http.GetAsync("/api/health/ready")).Json())["status"]!.GetValue<string>());

        // Forwarded as the host does: original path with /api, public Host header, invocation headers.
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(TestCases.NewCaseBody()) };
        create.Headers.Host = "cases-prod.azurewebsites.net";
        create.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        create.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.300.0");
        var created = await (await http.SendAsync(create)).Json();
        var id = created["id"]!.GetValue<string>();

        // Every Table Storage path the app uses runs here under Native AOT: point read, transactions, queries, deletes.
        var read = await (await http.GetAsync($"/api/cases/{id}")).Json();
        Assert.Equal("Suspicious login on web-01", read["title"]!.GetValue<string>());
        var patched = await (await http.PatchAsJsonAsync("/api/cases", new JsonObject
        {
            ["cases"] = new JsonArray(new JsonObject { ["id"] = id, ["version"] = read["version"]!.GetValue<string>(), ["status"] = "closed" }),
        })).Json();
        Assert.Equal("closed", patched[0]!["status"]!.GetValue<string>());
        var found = await (await http.GetAsync("/api/cases/_find?tags=nothing,phishing&status=open,closed")).Json();
        Assert.Equal(id, found["cases"]![0]!["id"]!.GetValue<string>());
        var actions = await (await http.GetAsync($"/api/cases/{id}/user_actions/_find")).Json();
        Assert.Equal(2, actions["total"]!.GetValue<int>());

        // Alerts on a syncing case go through the alert-sync outbox table and the queue.
        var alerts = new JsonObject
        {
            ["type"] = "alert", ["owner"] = "securitySolution", ["alertId"] = "a1", ["index"] = ".alerts-security.alerts-default",
            ["rule"] = new JsonObject { ["id"] = "r1", ["name"] = "Brute force" },
        };
        await (await http.PostAsJsonAsync($"/api/cases/{id}/comments", alerts)).Json();

        // Files: streamed upload with the three hashes, and (under the host) a download by a signed link of the blob.
        var upload = new ByteArrayContent("evidence"u8.ToArray());
        upload.Headers.ContentType = new("text/plain");
        var file = (await (await http.PostAsync($"/api/cases/{id}/files?filename=note.txt", upload)).Json())["file"]!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("evidence"u8)), file["hash"]!["sha256"]!.GetValue<string>());
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var download = await noRedirects.GetAsync(new Uri(http.BaseAddress!, $"/api/cases/{id}/files/{file["id"]}/download"));
        Assert.Equal(HttpStatusCode.Redirect, download.StatusCode);
        Assert.Equal("evidence", await new HttpClient().GetStringAsync(download.Headers.Location!));
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/cases?ids={id}")).StatusCode);
        await (await http.GetAsync($"/api/cases/{id}")).Error(HttpStatusCode.NotFound, id);
    }

    [Fact]
    public async Task The_packaged_executable_answers_the_hosts_timer_invocations()
    {
        var timers = Functions().Where(f => Trigger(f.Json) == "timerTrigger").Select(f => f.Name).ToList();
        if (TimerFunctionExpected) Assert.Contains(TimerFunction, timers);
        if (timers.Count == 0) return; // No timer function in the route table yet.

        await using var run = await PackagedApp.Start(Executable, package.AppRoot);
        foreach (var name in timers)
        {
            // As the host sends it: POST /{FunctionName}, no /api, the timer's state as JSON.
            var now = DateTimeOffset.UtcNow;
            var payload = JsonNode.Parse("""
                {"Data":{"timer":{"Schedule":{"AdjustForDST":true},
                  "ScheduleStatus":{"Last":"LAST","Next":"NEXT","LastUpdated":"LAST"},
                  "IsPastDue":false}},
                 "Metadata":{"sys":{"MethodName":"NAME","UtcNow":"NOW","RandGuid":"GUID"}}}
                """.Replace("LAST", now.AddMinutes(-10).ToString("O")).Replace("NEXT", now.AddMinutes(10).ToString("O"))
                   .Replace("NAME", name).Replace("NOW", now.ToString("O")).Replace("GUID", Guid.NewGuid().ToString()))!;
            using var invoke = new HttpRequestMessage(HttpMethod.Post, "/" + name) { Content = JsonContent.Create(payload) };
            invoke.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
            using var response = await run.Http.SendAsync(invoke);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{name}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var body = JsonNode.Parse(text)!;
            Assert.NotNull(body["Logs"]?.AsArray());
            // The sweeps report a failure as a line rather than failing the run (e.g. code Native AOT lacks): none here.
            Assert.DoesNotContain(body["Logs"]!.AsArray(), l => l!.GetValue<string>().Contains("failed"));
        }
    }

    /// <summary>The packaged executable started as the host starts it: FUNCTIONS_CUSTOMHANDLER_PORT, app settings in the environment.</summary>
    sealed class PackagedApp(AppProcess process, HttpClient http, string prefix) : IAsyncDisposable
    {
        public HttpClient Http => http;

        public static async Task<PackagedApp> Start(string executable, string appRoot)
        {
            Azurite.EnsureRunning();
            var port = AppProcess.FreePort();
            var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
            var process = AppProcess.StartExecutable(executable, appRoot, new Dictionary<string, string>
            {
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(),
                ["AzureWebJobsStorage"] = Azurite.ConnectionString,
                ["Cases__Storage__TablePrefix"] = prefix,
            });
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await process.WaitUntilReady(http, TimeSpan.FromSeconds(30));
            return new PackagedApp(process, http, prefix);
        }

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            await process.DisposeAsync();
            await Azurite.DeleteAppStorage(prefix);
        }
    }
}
