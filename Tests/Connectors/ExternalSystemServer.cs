using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cases.Tests.Connectors;

/// <summary>A request an external system received.</summary>
public sealed record Received(string Method, string Path, string Query, string? Authorization, IReadOnlyDictionary<string, string> Headers, JsonNode? Body)
{
    public string Line => $"{Method} {Path}";
}

/// <summary>
/// A real HTTP server on a free loopback port that speaks, as documented, the REST APIs Kibana's case connectors call:
/// Jira REST v2 issues and comments, ServiceNow's table API and Elastic app import set, IBM Resilient incidents and
/// comments, Swimlane records and comments, TheHive v1 cases and comments, and a generic case system for the Webhook -
/// Case Management connector. It keeps what it created and records every request. <see cref="Fault"/> makes it
/// misbehave: answer a status, garbage or a redirect, or stall.
/// </summary>
public sealed partial class ExternalSystemServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<Received> received = new();
    readonly ConcurrentDictionary<string, JsonObject> records = new();
    int next = 1000;

    public Uri Url { get; private set; } = null!;
    public string Base => Url.ToString().TrimEnd('/');
    public IReadOnlyList<Received> Requests => received.ToArray();

    /// <summary>When set, the server takes ServiceNow OAuth only: a token from <c>/oauth_token.do</c> on every other call.</summary>
    public ServiceNowOAuthInstance? OAuth { get; set; }

    /// <summary>When it returns a result for a request, that is the answer (after the request is recorded).</summary>
    public Func<Received, IResult?>? Fault { get; set; }

    ExternalSystemServer()
    {
        app = LoopbackServer.Create();
        app.Map("/{**path}", (Delegate)Handle);
    }

    public static async Task<ExternalSystemServer> Start()
    {
        var server = new ExternalSystemServer();
        server.Url = new Uri(await LoopbackServer.Start(server.app));
        return server;
    }

    public IEnumerable<Received> Where(string method, string pathPattern) =>
        Requests.Where(r => r.Method == method && Regex.IsMatch(r.Path, "^" + pathPattern + "$"));

    public static IResult Answer(HttpStatusCode status, string body = "{\"errorMessages\":[\"refused\"]}") =>
        Results.Content(body, "application/json", statusCode: (int)status);

    async Task<IResult> Handle(HttpContext http)
    {
        var text = await new StreamReader(http.Request.Body).ReadToEndAsync();
        JsonNode? body = null;
        try { body = text.Length > 0 ? JsonNode.Parse(text) : null; } catch (System.Text.Json.JsonException) { body = JsonValue.Create(text); }
        var request = new Received(http.Request.Method, http.Request.Path.Value ?? "", http.Request.QueryString.Value ?? "",
            http.Request.Headers.Authorization.FirstOrDefault(),
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        received.Enqueue(request);
        if (Fault?.Invoke(request) is { } fault) return fault;
        if (OAuth is { } oauth)
        {
            if (request.Method == "POST" && request.Path == "/oauth_token.do") return await oauth.Token(text);
            if (!oauth.Accepts(request.Authorization)) return ServiceNowOAuthInstance.NotAuthenticated();
        }
        return Route(request) ?? Results.NotFound();
    }

    string NewId() => Interlocked.Increment(ref next).ToString();

    IResult? Route(Received r)
    {
        var p = r.Path;
        Match m;
        // Jira REST API v2
        if (r.Method == "POST" && p == "/rest/api/2/issue")
        {
            var id = NewId();
            var key = $"{r.Body!["fields"]!["project"]!["key"]}-{id}";
            records[id] = new JsonObject { ["key"] = key };
            return Results.Json(new JsonObject { ["id"] = id, ["key"] = key, ["self"] = $"{Base}/rest/api/2/issue/{id}" }, statusCode: 201);
        }
        if ((m = Match(p, @"/rest/api/2/issue/(\w+)")).Success && r.Method == "PUT")
            return records.ContainsKey(m.Groups[1].Value) ? Results.NoContent() : Answer(HttpStatusCode.NotFound);
        if ((m = Match(p, @"/rest/api/2/issue/(\w+)/comment")).Success && r.Method == "POST")
            return Results.Json(new JsonObject { ["id"] = NewId(), ["body"] = r.Body?["body"]?.DeepClone() }, statusCode: 201);

        // ServiceNow table API and the Elastic app's import set
        if ((m = Match(p, @"/api/now/v2/table/(\w+)")).Success && r.Method == "POST")
            return Results.Json(new JsonObject { ["result"] = NewIncident(m.Groups[1].Value) }, statusCode: 201);
        if ((m = Match(p, @"/api/now/v2/table/(\w+)/(\w+)")).Success && r.Method is "PATCH" or "GET")
            return records.TryGetValue(m.Groups[2].Value, out var incident)
                ? Results.Json(new JsonObject { ["result"] = incident.DeepClone() })
                : Answer(HttpStatusCode.NotFound);
        if ((m = Match(p, @"/api/(x_elas2_inc_int|x_elas2_sir_int)/elastic_api/import_set_row")).Success && r.Method == "POST")
        {
            var table = m.Groups[1].Value == "x_elas2_inc_int" ? "incident" : "sn_si_incident";
            var existing = r.Body?["elastic_incident_id"]?.GetValue<string>();
            var sysId = existing ?? NewIncident(table)["sys_id"]!.GetValue<string>();
            return Results.Json(new JsonObject
            {
                ["import_set"] = "ISET0010001",
                ["staging_table"] = "x_elas2_inc_int_elastic_incident",
                ["result"] = new JsonArray(new JsonObject
                {
                    ["transform_map"] = "Elastic Incident",
                    ["table"] = table,
                    ["status"] = existing is null ? "inserted" : "updated",
                    ["sys_id"] = sysId,
                }),
            }, statusCode: 201);
        }

        if ((m = Match(p, @"/api/x_elas2_sir_int/elastic_api/incident/(\w+)/observables/bulk")).Success && r.Method == "POST")
            return records.ContainsKey(m.Groups[1].Value) && r.Body is JsonArray observables
                ? Results.Json(new JsonObject { ["result"] = new JsonArray(observables.Select(o => (JsonNode?)new JsonObject { ["value"] = o?["value"]?.DeepClone(), ["observable_sys_id"] = NewId() }).ToArray()) })
                : Answer(HttpStatusCode.BadRequest);

        // IBM Resilient
        if ((m = Match(p, @"/rest/orgs/(\w+)/incidents")).Success && r.Method == "POST")
        {
            var id = NewId();
            records[id] = new JsonObject { ["id"] = long.Parse(id), ["name"] = r.Body?["name"]?.DeepClone(), ["description"] = r.Body?["description"]?.DeepClone() };
            return Results.Json(new JsonObject { ["id"] = long.Parse(id), ["name"] = r.Body?["name"]?.DeepClone(), ["create_date"] = 1_700_000_000_000 });
        }
        if ((m = Match(p, @"/rest/orgs/(\w+)/incidents/(\w+)")).Success && r.Method is "GET" or "PATCH")
        {
            if (!records.TryGetValue(m.Groups[2].Value, out var incident)) return Answer(HttpStatusCode.NotFound);
            return r.Method == "GET" ? Results.Json(incident) : Results.Json(new JsonObject { ["success"] = true, ["title"] = null });
        }
        if ((m = Match(p, @"/rest/orgs/(\w+)/incidents/(\w+)/comments")).Success && r.Method == "POST")
            return Results.Json(new JsonObject { ["id"] = long.Parse(NewId()) });

        // Swimlane
        if ((m = Match(p, @"/api/app/(\w+)/record")).Success && r.Method == "POST")
        {
            var id = "a" + NewId();
            return Results.Json(new JsonObject { ["id"] = id, ["name"] = "SWL-" + id[1..], ["createdDate"] = "2026-01-01T00:00:00.000Z" });
        }
        if ((m = Match(p, @"/api/app/(\w+)/record/(\w+)")).Success && r.Method == "PATCH")
            return Results.Json(new JsonObject { ["id"] = m.Groups[2].Value, ["name"] = "SWL-" + m.Groups[2].Value[1..], ["modifiedDate"] = "2026-01-01T00:00:00.000Z" });
        if ((m = Match(p, @"/api/app/(\w+)/record/(\w+)/(\w+)/comment")).Success && r.Method == "POST")
            return Results.Json(new JsonObject());

        // TheHive API v1
        if (p == "/api/v1/case" && r.Method == "POST")
        {
            var id = "~" + NewId();
            records[id] = new JsonObject { ["_id"] = id, ["number"] = records.Count + 1, ["title"] = r.Body?["title"]?.DeepClone(), ["_createdAt"] = 1_700_000_000_000 };
            return Results.Json(records[id], statusCode: 201);
        }
        if ((m = Match(p, @"/api/v1/case/(~\w+)")).Success && r.Method is "PATCH" or "GET")
        {
            if (!records.TryGetValue(m.Groups[1].Value, out var found)) return Answer(HttpStatusCode.NotFound);
            return r.Method == "GET" ? Results.Json(found) : Results.NoContent();
        }
        if ((m = Match(p, @"/api/v1/case/(~\w+)/comment")).Success && r.Method == "POST")
            return Results.Json(new JsonObject { ["_id"] = "~" + NewId(), ["message"] = r.Body?["message"]?.DeepClone() }, statusCode: 201);

        // A generic case system for Webhook - Case Management
        if (p == "/hook/issues" && r.Method == "POST")
        {
            var id = "W" + NewId();
            records[id] = new JsonObject { ["key"] = "HOOK-" + id[1..] };
            return Results.Json(new JsonObject { ["data"] = new JsonObject { ["id"] = id } }, statusCode: 201);
        }
        if ((m = Match(p, @"/hook/issues/(W\w+)")).Success && r.Method is "GET" or "PUT")
            return records.TryGetValue(m.Groups[1].Value, out var issue)
                ? Results.Json(new JsonObject { ["data"] = issue.DeepClone() })
                : Answer(HttpStatusCode.NotFound);
        if ((m = Match(p, @"/hook/issues/(W\w+)/comments")).Success && r.Method == "POST")
            return Results.Json(new JsonObject { ["ok"] = true }, statusCode: 201);
        return null;
    }

    JsonObject NewIncident(string table)
    {
        var id = "s" + NewId();
        var incident = new JsonObject { ["sys_id"] = id, ["number"] = (table == "incident" ? "INC" : "SIR") + id[1..].PadLeft(7, '0'), ["sys_created_on"] = "2026-01-01 00:00:00" };
        records[id] = incident;
        return incident;
    }

    static Match Match(string path, string pattern) => Regex.Match(path, "^" + pattern + "$");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
