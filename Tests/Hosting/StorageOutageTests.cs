using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using Cases.Tests.Settings;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Hosting;

/// <summary>
/// Storage going away under a running app: its own Azurite is stopped while writes run on every write route, then
/// started again on the same ports. Only 503s with Retry-After in between, nothing half-written, and service resumes
/// without restarting the app.
/// </summary>
public sealed class StorageOutageTests
{
    /// <summary>The app over a storage account of the test's choosing.</summary>
    sealed class AppOver(string connectionString, TimeSpan? requestTimeout = null) : CasesAppFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("AzureWebJobsStorage", connectionString),
            new("Cases:Storage:RequestTimeout", (requestTimeout ?? TimeSpan.FromSeconds(60)).ToString()),
        ];

        // The storage is the test's own and goes with it (or never answered at all): nothing to clean up there.
        public override async Task DisposeAsync()
        {
            Http.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    [Fact]
    public async Task Writes_on_every_route_get_503_with_Retry_After_while_storage_is_down_and_work_again_when_it_is_back()
    {
        await using var storage = new PrivateAzurite();
        await storage.Start();
        var app = new AppOver(storage.ConnectionString);
        await app.InitializeAsync();
        try
        {
            const string space = "default";
            string Api(string path) => CasesAppFixture.Api(space, path);
            var settings = await app.Configure(space, SettingsClient.Body());
            var kept = await app.CreateCase(space);
            var doomed = await app.CreateCase(space);
            var withComment = await app.AttachOk(space, kept.Id(), UserComment("before the outage"));
            var comment = withComment["comments"]![0]!;
            var observed = await (await app.Http.PostAsJsonAsync(Api($"/cases/{kept.Id()}/observables"),
                new JsonObject { ["observable"] = new JsonObject { ["typeKey"] = "observable-type-ipv4", ["value"] = "10.0.0.1" } })).Json();
            var observableId = observed["observables"]![0]!.Id();
            var file = (await (await Upload(app, Api($"/cases/{kept.Id()}/files?filename=a.txt"))).Json())["file"]!.Id();
            var before = await Snapshot(app, space, kept.Id());

            await storage.Stop();
            var clock = Stopwatch.StartNew();
            var writes = new (string Route, Func<Task<HttpResponseMessage>> Send)[]
            {
                ("POST /cases", () => app.Http.PostAsJsonAsync(Api("/cases"), TestCases.NewCaseBody())),
                ("PATCH /cases", () => app.Http.PatchAsJsonAsync(Api("/cases"), new JsonObject
                {
                    ["cases"] = new JsonArray(new JsonObject { ["id"] = kept.Id(), ["version"] = kept["version"]!.DeepClone(), ["title"] = "During the outage" }),
                })),
                ("DELETE /cases", () => app.Http.DeleteAsync(Api($"/cases?ids={doomed.Id()}"))),
                ("POST comments", () => app.Attach(space, kept.Id(), UserComment("during the outage"))),
                ("PATCH comments", () => app.Http.PatchAsJsonAsync(Api($"/cases/{kept.Id()}/comments"), new JsonObject
                {
                    ["id"] = comment.Id(), ["version"] = comment["version"]!.DeepClone(), ["type"] = "user", ["comment"] = "edited", ["owner"] = "securitySolution",
                })),
                ("DELETE comment", () => app.Http.DeleteAsync(Api($"/cases/{kept.Id()}/comments/{comment.Id()}"))),
                ("DELETE comments", () => app.Http.DeleteAsync(Api($"/cases/{kept.Id()}/comments"))),
                ("POST observables", () => app.Http.PostAsJsonAsync(Api($"/cases/{kept.Id()}/observables"),
                    new JsonObject { ["observable"] = new JsonObject { ["typeKey"] = "observable-type-ipv4", ["value"] = "10.0.0.2" } })),
                ("PATCH observables", () => app.Http.PatchAsJsonAsync(Api($"/cases/{kept.Id()}/observables/{observableId}"),
                    new JsonObject { ["observable"] = new JsonObject { ["value"] = "10.0.0.3" } })),
                ("DELETE observables", () => app.Http.DeleteAsync(Api($"/cases/{kept.Id()}/observables/{observableId}"))),
                ("POST files", () => Upload(app, Api($"/cases/{kept.Id()}/files?filename=b.txt"))),
                ("DELETE files", () => app.Http.DeleteAsync(Api($"/cases/{kept.Id()}/files?ids={file}"))),
                ("POST configure", () => app.Http.PostAsJsonAsync(Api("/cases/configure"), SettingsClient.Body())),
                ("PATCH configure", () => app.PatchSettings(space, settings.Id(),
                    new JsonObject { ["version"] = settings["version"]!.DeepClone(), ["closure_type"] = "close-by-pushing" })),
                ("GET case", () => app.Http.GetAsync(Api($"/cases/{kept.Id()}"))),
            };
            var answers = await Task.WhenAll(writes.Select(async w => (w.Route, Response: await w.Send())));
            clock.Stop();
            foreach (var (route, response) in answers)
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{route}: {(int)response.StatusCode} {text}");
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{route}: no Retry-After");
                var body = JsonNode.Parse(text)!;
                Assert.Equal(503, body["statusCode"]!.GetValue<int>());
                Assert.Equal("Service Unavailable", body["error"]!.GetValue<string>());
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the failed writes took {clock.Elapsed}");

            await storage.Start();
            // Same app, storage back: nothing of the failed writes is there, everything from before is.
            Assert.Equal(before, await Snapshot(app, space, kept.Id()));
            Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(Api($"/cases/{doomed.Id()}"))).StatusCode);
            var found = await app.Get(space, "/cases/_find?perPage=100");
            Assert.Equal(2, found["total"]!.GetValue<int>());
            // And writes work again.
            await app.CreateCase(space);
            await app.AttachOk(space, kept.Id(), UserComment("after the outage"));
            Assert.Equal("After", (await app.Patch(space, kept.Id(), new { title = "After" }))["title"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(Api($"/cases?ids={doomed.Id()}"))).StatusCode);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_request_against_storage_that_never_answers_ends_within_the_request_timeout_with_503()
    {
        // A listener that accepts connections and never says a word: storage hanging.
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var port = ((IPEndPoint)blackHole.LocalEndpoint).Port;
        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try { while (true) held.Add(await blackHole.AcceptTcpClientAsync(stop.Token)); }
            catch (OperationCanceledException) { }
        });
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var app = new AppOver(connection, TimeSpan.FromSeconds(2));
        await app.InitializeAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            var response = await app.Http.PostAsJsonAsync("/api/cases", TestCases.NewCaseBody());
            clock.Stop();
            await response.Error(HttpStatusCode.ServiceUnavailable, "did not answer in time");
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        }
        finally
        {
            stop.Cancel();
            await accepting;
            foreach (var client in held) client.Dispose();
            await app.DisposeAsync();
        }
    }

    static Task<HttpResponseMessage> Upload(CasesAppFixture app, string path)
    {
        var content = new ByteArrayContent("hello"u8.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain");
        return app.Http.PostAsync(path, content);
    }

    /// <summary>What a client can read of a case: the case with its comments, its activity, its files and the settings.</summary>
    static async Task<string> Snapshot(CasesAppFixture app, string space, string caseId) =>
        (await app.Get(space, $"/cases/{caseId}")).ToJsonString() +
        (await app.Get(space, $"/cases/{caseId}/user_actions/_find?perPage=100")).ToJsonString() +
        (await app.Get(space, $"/cases/{caseId}/files")).ToJsonString() +
        (await app.Get(space, "/cases/configure")).ToJsonString();
}
