using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Functions.Hosting;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cases.Tests.Hosting;

/// <summary>
/// Every <c>[Function]</c> method called as the worker calls it (a real HttpContext, the app's services over real
/// Azurite): it answers exactly as the standalone app answers the same request over HTTP.
/// </summary>
public sealed class FunctionEntryPointTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    const string MissingCase = "00000000-0000-4000-8000-000000000000";

    sealed record Entry(Type Type, MethodInfo Method, string Verb, string Route);

    static readonly IReadOnlyList<Entry> HttpEntries = typeof(CasesApp).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(m => (Type: t, Method: m, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null))))
        .Where(x => x.Trigger is not null)
        .SelectMany(x => x.Trigger!.Methods!.Select(verb => new Entry(x.Type, x.Method, verb.ToUpperInvariant(), x.Trigger.Route!)))
        .ToList();

    EndpointCatalog Catalog() => new(app.App.Services, app.App.Services.GetRequiredService<ILoggerFactory>());

    async Task<(int Status, string Body)> Invoke(EndpointCatalog catalog, Entry entry, string path, IReadOnlyDictionary<string, string> routeValues,
        string? json = null)
    {
        await using var scope = app.App.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var (pathOnly, query) = path.IndexOf('?') is var q and >= 0 ? (path[..q], path[q..]) : (path, "");
        context.Request.Method = entry.Verb;
        context.Request.Path = pathOnly;
        context.Request.QueryString = new QueryString(query);
        foreach (var (key, value) in routeValues) context.Request.RouteValues[key] = value;
        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
        }
        var response = new MemoryStream();
        context.Response.Body = response;
        var function = ActivatorUtilities.CreateInstance(scope.ServiceProvider, entry.Type, catalog);
        var result = (IResult)entry.Method.Invoke(function, [context.Request])!;
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(response.ToArray()));
    }

    async Task<(int Status, string Body)> Send(string verb, string path, string? json)
    {
        using var request = new HttpRequestMessage(new HttpMethod(verb), path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await app.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_http_function_answers_as_the_standalone_route_does()
    {
        var space = CasesAppFixture.NewSpace();
        var created = await app.CreateCase(space);
        var caseId = created["id"]!.GetValue<string>();
        var alert = new JsonObject
        {
            ["type"] = "alert",
            ["owner"] = "securitySolution",
            ["alertId"] = "alert-entry-1",
            ["index"] = ".alerts-security.alerts-default",
            ["rule"] = new JsonObject { ["id"] = "r1", ["name"] = "Brute force" },
        };
        await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/comments"), alert)).Json();
        var withComment = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/comments"),
            new JsonObject { ["type"] = "user", ["owner"] = "securitySolution", ["comment"] = "looking" })).Json();
        var commentId = withComment["comments"]!.AsArray().Last()!["id"]!.GetValue<string>();
        var upload = new ByteArrayContent("evidence"u8.ToArray());
        upload.Headers.ContentType = new("text/plain");
        var file = (await (await app.Http.PostAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files?filename=note.txt"), upload)).Json())["file"]!;
        var observed = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/observables"), new JsonObject
        {
            ["observable"] = new JsonObject { ["typeKey"] = "observable-type-ipv4", ["value"] = "10.0.0.1", ["description"] = "C2" },
        })).Json();
        var configuration = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/cases/configure"), new JsonObject
        {
            ["owner"] = "securitySolution",
            ["closure_type"] = "close-by-user",
            ["connector"] = new JsonObject { ["id"] = "none", ["name"] = "none", ["type"] = ".none", ["fields"] = null },
        })).Json();

        await app.App.Services.GetRequiredService<global::Cases.Functions.Connectors.ConnectorStore>().TryAdd(space, "entry-connector",
            global::Cases.Functions.Connectors.ConnectorKind.Jira, "Entry Jira", new JsonObject { ["apiUrl"] = "https://jira.example.com", ["projectKey"] = "ES" },
            new JsonObject { ["email"] = "a@example.com", ["apiToken"] = "t" }, default);

        var catalog = Catalog();
        var checkedRoutes = 0;
        foreach (var entry in HttpEntries)
        {
            // Reads use the objects above; writes get a body or ids that are refused, so state stays as it was.
            var write = entry.Verb is not "GET";
            var values = new Dictionary<string, string>
            {
                ["spaceId"] = space,
                ["caseId"] = entry.Verb == "DELETE" ? MissingCase : caseId,
                ["commentId"] = commentId,
                ["fileId"] = file["id"]!.GetValue<string>(),
                ["observableId"] = observed["observables"]![0]!["id"]!.GetValue<string>(),
                ["configurationId"] = configuration["id"]!.GetValue<string>(),
                ["alertId"] = "alert-entry-1",
                ["number"] = "1",
                // Connectors: one of the space's (its host is not allowed, so a push is refused), or for a delete one that does not exist.
                ["id"] = entry.Verb == "DELETE" ? "missing-connector" : "entry-connector",
                ["connectorId"] = "entry-connector",
                ["webhookId"] = Guid.NewGuid().ToString(), // none registered: both answer 404
            };
            var route = entry.Route;
            var used = values.Where(v => route.Contains("{" + v.Key + "}")).ToDictionary();
            foreach (var (key, value) in used) route = route.Replace("{" + key + "}", value);
            var query = entry.Verb == "DELETE" && !entry.Route.Contains("{caseId}") ? $"?ids={MissingCase}"
                : entry.Route.EndsWith("cases/metrics") ? "?features=mttr"
                : entry.Route.Contains("metrics/") ? "?features=lifespan"
                : entry.Route.EndsWith("files/_cases") ? $"?hash={file["hash"]!["sha256"]}"
                : entry.Route.EndsWith("attachments/_search") ? "?search=alert-entry-1" : "";
            var path = "/" + route + query;
            var body = entry.Verb is "POST" or "PATCH" ? "{}" : null;

            var viaFunction = await Invoke(catalog, entry, path, used, body);
            var viaHttp = await Send(entry.Verb, path, body);
            Assert.True(viaHttp.Status == viaFunction.Status, $"{entry.Method.Name} {entry.Verb} {path}: function {viaFunction.Status}, http {viaHttp.Status}\n{viaFunction.Body}\n{viaHttp.Body}");
            Assert.True(viaHttp.Body == viaFunction.Body, $"{entry.Method.Name} {entry.Verb} {path}:\n{viaFunction.Body}\n{viaHttp.Body}");
            Assert.True(viaFunction.Status < 500, $"{entry.Method.Name}: {viaFunction.Status} {viaFunction.Body}");
            if (!write && entry.Method.Name is not ("GetCaseByNumber" or "GetCaseByNumberDefaultSpace"))
                Assert.True(viaFunction.Status == 200 || entry.Route.StartsWith("api/") && !entry.Route.StartsWith("api/health") && viaFunction.Status == 404
                    || entry.Route.Contains("{webhookId}") && viaFunction.Status == 404,
                    $"{entry.Method.Name} {path}: {viaFunction.Status} {viaFunction.Body}");
            checkedRoutes++;
        }
        Assert.True(checkedRoutes > 80, $"only {checkedRoutes} entry points");
    }

    [Fact]
    public async Task A_case_created_through_its_function_is_numbered_by_the_timer_function_and_found_by_number()
    {
        var catalog = Catalog();
        var create = HttpEntries.Single(e => e.Method.Name == "CreateCaseDefaultSpace");
        var (status, body) = await Invoke(catalog, create, "/api/cases", new Dictionary<string, string>(), TestCases.NewCaseBody().ToJsonString());
        Assert.Equal(200, status);
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        Assert.Equal("Suspicious login on web-01", (await (await app.Http.GetAsync($"/api/cases/{id}")).Json())["title"]!.GetValue<string>());

        var timer = typeof(CasesApp).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == "AssignCaseNumbers");
        var functions = ActivatorUtilities.CreateInstance(app.App.Services, timer.DeclaringType!, catalog);
        await (Task)timer.Invoke(functions, [new TimerInfo(), CancellationToken.None])!;

        var number = (await (await app.Http.GetAsync($"/api/cases/{id}")).Json())["incremental_id"]!.GetValue<long>();
        var byNumber = HttpEntries.Single(e => e.Method.Name == "GetCaseByNumberDefaultSpace");
        var found = await Invoke(catalog, byNumber, $"/api/cases/_number/{number}", new Dictionary<string, string> { ["number"] = number.ToString() });
        Assert.Equal(200, found.Status);
        Assert.Equal(id, JsonNode.Parse(found.Body)!["id"]!.GetValue<string>());
    }
}
