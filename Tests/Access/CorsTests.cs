using System.Net;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace Cases.Tests.Access;

/// <summary>
/// Front ends on other origins: the app allows exactly the configured origins, with credentials, answers preflights on
/// every route with the headers Kibana clients send, and exposes the headers they read. A real headless Chromium loads a
/// page from one origin that uses the API on another; a page from an origin not listed is blocked by the browser.
/// </summary>
public sealed class CorsTests(CorsTests.Fixture app) : IClassFixture<CorsTests.Fixture>
{
    public sealed class Fixture : CasesAppFixture
    {
        public PageServer Allowed { get; } = PageServer.Start();
        public PageServer Other { get; } = PageServer.Start();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Cors:AllowedOrigins:0", Allowed.Origin + "/")];

        public override async Task DisposeAsync()
        {
            await Allowed.DisposeAsync();
            await Other.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    /// <summary>A small Kestrel server on a free loopback port that serves the front-end page: its own origin.</summary>
    public sealed class PageServer : IAsyncDisposable
    {
        readonly WebApplication web;

        PageServer(WebApplication web, string origin)
        {
            this.web = web;
            Origin = origin;
        }

        public string Origin { get; }

        public static PageServer Start()
        {
            var web = LoopbackServer.Create();
            web.MapGet("/", () => Results.Content("<!doctype html><html><head><title>front end</title></head><body>cases front end</body></html>", "text/html"));
            var address = LoopbackServer.Start(web).GetAwaiter().GetResult();
            return new PageServer(web, address.TrimEnd('/'));
        }

        public async ValueTask DisposeAsync() => await web.DisposeAsync();
    }

    HttpRequestMessage Preflight(string path, string origin, string method, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    [Theory]
    [InlineData("/api/cases", "POST")]
    [InlineData("/s/soc/api/cases/_find", "GET")]
    [InlineData("/api/cases/0b7e5b4c-1111-2222-3333-444455556666/files", "POST")]
    [InlineData("/api/cases/configure/0b7e5b4c", "PATCH")]
    public async Task Preflights_from_an_allowed_origin_are_answered_with_kibanas_client_headers(string path, string method)
    {
        using var response = await app.Http.SendAsync(Preflight(path, app.Allowed.Origin, method, "kbn-xsrf,content-type,authorization,elastic-api-version"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(app.Allowed.Origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        foreach (var header in new[] { "kbn-xsrf", "content-type", "authorization", "elastic-api-version" }) Assert.Contains(header, allowed);
        Assert.Contains(method, string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")));
    }

    [Fact]
    public async Task Another_origin_gets_no_cors_headers_and_errors_keep_them_for_the_allowed_one()
    {
        using var other = await app.Http.SendAsync(Preflight("/api/cases", app.Other.Origin, "POST", "content-type"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/cases/0b7e5b4c-1111-2222-3333-444455556666");
        request.Headers.Add("Origin", app.Allowed.Origin);
        using var missing = await app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(app.Allowed.Origin, Assert.Single(missing.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("Content-Disposition", string.Join(",", missing.Headers.GetValues("Access-Control-Expose-Headers")));
    }

    const string FrontEnd = """
        async ([api, fileText]) => {
          const json = { 'Content-Type': 'application/json', 'kbn-xsrf': 'true', 'elastic-api-version': '2023-10-31' };
          try {
            const created = await fetch(api + '/api/cases', { method: 'POST', credentials: 'include', headers: json, body: JSON.stringify({
              title: 'From the browser', description: 'created by fetch', tags: ['browser'], owner: 'securitySolution',
              connector: { id: 'none', name: 'none', type: '.none', fields: null }, settings: { syncAlerts: false } }) });
            if (!created.ok) return JSON.stringify({ step: 'create', status: created.status });
            const id = (await created.json()).id;
            const found = await (await fetch(api + '/api/cases/_find?tags=browser', { credentials: 'include' })).json();
            const form = new FormData();
            form.append('file', new Blob([fileText], { type: 'text/plain' }), 'notes.txt');
            const uploaded = await fetch(api + '/api/cases/' + id + '/files', { method: 'POST', credentials: 'include', headers: { 'kbn-xsrf': 'true' }, body: form });
            if (!uploaded.ok) return JSON.stringify({ step: 'upload', status: uploaded.status, body: await uploaded.text() });
            const fileId = (await uploaded.json()).file.id;
            const download = await fetch(api + '/api/cases/' + id + '/files/' + fileId + '/download', { credentials: 'include' });
            return JSON.stringify({ id, found: found.cases.map(c => c.id), total: found.total, downloaded: await download.text(),
              disposition: download.headers.get('Content-Disposition') });
          } catch (e) {
            return JSON.stringify({ blocked: e.name + ': ' + e.message });
          }
        }
        """;

    [Fact]
    public async Task A_browser_page_on_an_allowed_origin_creates_finds_uploads_and_downloads_and_another_origin_is_blocked()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is missing: run ./scripts/setup.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var api = app.BaseAddress.ToString().TrimEnd('/');

        var page = await browser.NewPageAsync();
        await page.GotoAsync(app.Allowed.Origin + "/");
        var result = JsonNode.Parse(await page.EvaluateAsync<string>(FrontEnd, new[] { api, "hello from another origin" }))!;
        Assert.True(result["id"] is not null, result.ToJsonString());
        var id = result["id"]!.GetValue<string>();
        Assert.Contains(id, result["found"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("hello from another origin", result["downloaded"]!.GetValue<string>());
        Assert.Contains("notes.txt", result["disposition"]!.GetValue<string>());

        var stranger = await browser.NewPageAsync();
        await stranger.GotoAsync(app.Other.Origin + "/");
        var blocked = JsonNode.Parse(await stranger.EvaluateAsync<string>(FrontEnd, new[] { api, "never" }))!;
        Assert.True(blocked["blocked"] is not null, blocked.ToJsonString());
        // The preflight failed, so the browser never sent the create: still one case from the browser.
        var all = await (await app.Http.GetAsync("/api/cases/_find?tags=browser")).Json();
        Assert.Equal(1, all["total"]!.GetValue<int>());
    }
}
