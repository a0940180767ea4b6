using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Hosting;

/// <summary>The built app started the way the Functions host starts a custom handler, and sent requests the way it forwards them.</summary>
public sealed class FunctionsHostTests
{
    [Fact]
    public async Task Under_the_host_the_app_binds_the_given_port_on_loopback_and_serves_forwarded_requests()
    {
        Azurite.EnsureRunning();
        var port = AppProcess.FreePort();
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(),
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Cases__Storage__TablePrefix"] = prefix,
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            await app.WaitUntilReady(http, TimeSpan.FromSeconds(30));

            // Forwarded as the host does: original path with /api, public Host header, invocation headers.
            using var create = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(TestCases.NewCaseBody()) };
            create.Headers.Host = "cases-prod.azurewebsites.net";
            create.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
            create.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.300.0");
            var created = await (await http.SendAsync(create)).Json();
            Assert.Equal("open", created["status"]!.GetValue<string>());

            // The host joins repeated query keys with commas.
            using var find = new HttpRequestMessage(HttpMethod.Get, "/api/cases/_find?tags=nothing,phishing&status=open,closed");
            find.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
            var found = await (await http.SendAsync(find)).Json();
            Assert.Equal(created["id"]!.GetValue<string>(), found["cases"]![0]!["id"]!.GetValue<string>());

            // Only loopback: the host is the one caller.
            Assert.Contains($"http://127.0.0.1:{port}", app.Output);

            // A timer invocation, exactly as the host sends it, numbers the case and answers the invocation response.
            var timer = await http.PostAsync("/AssignCaseNumbers", new StringContent("""
                {"Data":{"timer":{"Schedule":{"AdjustForDST":true},
                  "ScheduleStatus":{"Last":"2026-01-05T02:00:00.01+00:00","Next":"2026-01-05T02:10:00+00:00","LastUpdated":"2026-01-05T02:00:00.01+00:00"},
                  "IsPastDue":false}},
                 "Metadata":{"sys":{"MethodName":"AssignCaseNumbers","UtcNow":"2026-01-05T02:00:00.02Z","RandGuid":"0f9e5c8c-2b8a-4f59-9d0b-1c2d3e4f5a6b"}}}
                """, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal("application/json", timer.Content.Headers.ContentType!.MediaType);
            var invocation = await timer.Json();
            Assert.NotNull(invocation["Outputs"]);
            Assert.True(invocation.AsObject().ContainsKey("ReturnValue"));
            Assert.Contains(invocation["Logs"]!.AsArray(), l => l!.GetValue<string>().StartsWith("numbered 1 case(s) in 1 space(s)"));
            var numbered = await (await http.GetAsync($"/api/cases/{created["id"]}")).Json();
            Assert.Equal(1, numbered["incremental_id"]!.GetValue<long>());

            // The host buffers responses, so a download is a redirect to a link of the blob (DownloadLinkTests).
            var upload = new ByteArrayContent("evidence"u8.ToArray());
            upload.Headers.ContentType = new("text/plain");
            var file = (await (await http.PostAsync($"/api/cases/{created["id"]}/files?filename=note.txt", upload)).Json())["file"]!;
            using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var download = await noRedirects.GetAsync(new Uri(http.BaseAddress!, $"/api/cases/{created["id"]}/files/{file["id"]}/download"));
            Assert.Equal(HttpStatusCode.Redirect, download.StatusCode);
            Assert.Equal("evidence", await new HttpClient().GetStringAsync(download.Headers.Location!));
        }
        finally
        {
            await Azurite.DeleteAppStorage(prefix);
        }
    }

    [Fact]
    public async Task Without_the_host_ASPNETCORE_URLS_is_honoured()
    {
        var port = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await app.WaitUntilReady(http, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
    }
}
