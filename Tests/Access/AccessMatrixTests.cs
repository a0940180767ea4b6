using Cases.Functions.Upkeep;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Functions.Access;
using Cases.Functions.Hosting;
using Cases.Functions.Numbering;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Access;

/// <summary>
/// Every route of the app's route table × every kind of caller (no role, read on the other owner, read, all minus each
/// sub-feature, all) in two spaces: roles are granted in space <c>soc</c> only, so in the default space every one of them
/// has nothing. Each cell gets the status Kibana's privileges give it, and no cell that may not read the
/// securitySolution cases sees any trace of them (ids, titles, tags, categories, reporters).
/// </summary>
public sealed class AccessMatrixTests(AccessMatrixTests.Fixture app) : IClassFixture<AccessMatrixTests.Fixture>
{
    const string Granted = "soc";
    const string Secret = "SECRET-";
    static readonly string[] LeakMarkers = [Secret, "secret-tag", "secret-category", "@secret.contoso.com"];
    static readonly string AdminPrincipal = Principals.Of("admin@secret.contoso.com", "Cases.Admin");
    static readonly string ObsAdminPrincipal = Principals.Of("obs-admin@contoso.com", "Cases.Admin");

    static readonly string[] AllCapabilities = ["read", "create", "update", "delete", "settings", "comment", "reopen", "assign", "push", "files"];
    static readonly string[] SubFeatures = ["delete", "settings", "comment", "reopen", "assign", "push", "files"];

    /// <summary>A kind of caller: its role's grant and, written out by hand, what it may do to securitySolution cases in soc.</summary>
    public sealed record Profile(string Name, string? Grant, string[] OnSecurity, bool ReadsOtherOwner = false)
    {
        public string Principal => Principals.Of(Name is "none" or "other" ? $"p-{Name}@contoso.com" : $"p-{Name}@secret.contoso.com", Name);
        public override string ToString() => Name;
    }

    public static readonly Profile[] Profiles =
    [
        new("none", null, []),
        new("other", $"{Granted}/observability:read", [], ReadsOtherOwner: true),
        new("read", $"{Granted}/securitySolution:read", ["read"]),
        .. SubFeatures.Select(s => new Profile($"all-{s}", $"{Granted}/securitySolution:all-{s}", AllCapabilities.Where(c => c != s).ToArray())),
        new("all", $"{Granted}/securitySolution:all", AllCapabilities),
    ];

    public sealed class Fixture : CasesAppFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            Profiles.Where(p => p.Grant is not null).Select(p => new KeyValuePair<string, string?>($"Cases:Access:Roles:{p.Name}:0", p.Grant))
                .Append(new("Logging:LogLevel:Cases.Security", "None"));
    }

    enum Kind { OnCase, Listing, Number, Caller }

    /// <summary>Shared targets of a space: read by every cell, changed by none.</summary>
    sealed record Targets(string Space, string CaseId, int Number, string CommentId, string ObservableId, string FileId, string ConfigurationId);

    /// <summary>
    /// One request to a route. <paramref name="Needs"/>: what the caller must hold on securitySolution (OnCase) — the spec,
    /// written from Kibana's privileges, not read from the app. <paramref name="Build"/> prepares what the request
    /// changes (as the admin, only when the cell should succeed) and returns the request.
    /// </summary>
    sealed record Recipe(string Route, Kind Kind, string[] Needs, HttpStatusCode Success, Func<Fixture, Targets, bool, Task<HttpRequestMessage>> Build, string? Lock = null);

    static HttpRequestMessage Request(HttpMethod method, string space, string path, JsonNode? body = null) =>
        new(method, CasesAppFixture.Api(space, path)) { Content = body is null ? null : JsonContent.Create(body) };

    /// <summary>Kibana's internal routes live beside <c>/api</c>, not under it: <c>/internal/...</c>, <c>/s/{spaceId}/internal/...</c>.</summary>
    static Func<Fixture, Targets, bool, Task<HttpRequestMessage>> Internal(string path, JsonNode body) =>
        (_, t, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, (t.Space == "default" ? "" : $"/s/{t.Space}") + path) { Content = JsonContent.Create(body.DeepClone()) });

    static Func<Fixture, Targets, bool, Task<HttpRequestMessage>> Fixed(HttpMethod method, Func<Targets, string> path, Func<Targets, JsonNode?>? body = null) =>
        (_, t, _) => Task.FromResult(Request(method, t.Space, path(t), body?.Invoke(t)));

    static readonly ConcurrentBag<string> SecretIds = [];

    static JsonObject SecretCase(string owner = "securitySolution") => new()
    {
        ["title"] = owner == "securitySolution" ? Secret + Guid.NewGuid().ToString("N")[..8] : "Visible observability case",
        ["description"] = "matrix",
        ["tags"] = new JsonArray(owner == "securitySolution" ? "secret-tag" : "visible-tag"),
        ["category"] = owner == "securitySolution" ? "secret-category" : "visible-category",
        ["owner"] = owner,
        ["connector"] = new JsonObject { ["id"] = "none", ["name"] = "none", ["type"] = ".none", ["fields"] = null },
        ["settings"] = new JsonObject { ["syncAlerts"] = false },
    };

    static async Task<JsonNode> Admin(Fixture app, HttpRequestMessage request, HttpStatusCode expected = HttpStatusCode.OK, string? principal = null)
    {
        using var response = await app.Http.SendAsync(request.As(principal ?? AdminPrincipal));
        return response.StatusCode == HttpStatusCode.NoContent && expected == HttpStatusCode.NoContent ? new JsonObject() : await response.Json(expected);
    }

    static async Task<JsonNode> NewCase(Fixture app, string space, string owner = "securitySolution", string? principal = null)
    {
        var created = await Admin(app, Request(HttpMethod.Post, space, "/cases", SecretCase(owner)), principal: principal);
        if (owner == "securitySolution") SecretIds.Add(created["id"]!.GetValue<string>());
        return created;
    }

    static async Task<string> NewComment(Fixture app, string space, string caseId)
    {
        var c = await Admin(app, Request(HttpMethod.Post, space, $"/cases/{caseId}/comments",
            new JsonObject { ["type"] = "user", ["comment"] = Secret + "comment", ["owner"] = "securitySolution" }));
        return c["comments"]!.AsArray().Last()!["id"]!.GetValue<string>();
    }

    static async Task<string> NewObservable(Fixture app, string space, string caseId)
    {
        var c = await Admin(app, Request(HttpMethod.Post, space, $"/cases/{caseId}/observables", Observable()));
        return c["observables"]!.AsArray().Last()!["id"]!.GetValue<string>();
    }

    static JsonObject Observable() => new()
    {
        ["observable"] = new JsonObject { ["typeKey"] = "observable-type-ipv4", ["value"] = $"10.0.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}", ["description"] = Secret },
    };

    static HttpRequestMessage Upload(string space, string caseId)
    {
        var content = new ByteArrayContent("hello from the matrix"u8.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain");
        return new HttpRequestMessage(HttpMethod.Post, CasesAppFixture.Api(space, $"/cases/{caseId}/files?filename=secret-notes.txt")) { Content = content };
    }

    static async Task<string> NewFile(Fixture app, string space, string caseId) =>
        (await Admin(app, Upload(space, caseId)))["file"]!["id"]!.GetValue<string>();

    static JsonObject Patch(JsonNode c, JsonObject change)
    {
        change["id"] = c["id"]!.GetValue<string>();
        change["version"] = c["version"]!.GetValue<string>();
        return new JsonObject { ["cases"] = new JsonArray(change) };
    }

    static readonly Recipe[] Recipes =
    [
        new("POST /cases", Kind.OnCase, ["create"], HttpStatusCode.OK, async (_, t, _) =>
        {
            var request = Request(HttpMethod.Post, t.Space, "/cases", SecretCase());
            return await Task.FromResult(request);
        }),
        new("GET /cases/{caseId}", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}")),
        new("PATCH /cases", Kind.OnCase, ["update"], HttpStatusCode.OK, async (app, t, fresh) =>
        {
            var c = fresh ? await NewCase(app, t.Space) : await Admin(app, Request(HttpMethod.Get, t.Space, $"/cases/{t.CaseId}"));
            return Request(HttpMethod.Patch, t.Space, "/cases", Patch(c, new JsonObject { ["title"] = Secret + "renamed" + Guid.NewGuid().ToString("N")[..6] }));
        }),
        // Reopening a closed case needs the reopen sub-feature too.
        new("PATCH /cases", Kind.OnCase, ["update", "reopen"], HttpStatusCode.OK, async (app, t, fresh) =>
        {
            var c = await NewCase(app, t.Space);
            c = (await Admin(app, Request(HttpMethod.Patch, t.Space, "/cases", Patch(c, new JsonObject { ["status"] = "closed" }))))[0]!;
            return Request(HttpMethod.Patch, t.Space, "/cases", Patch(c, new JsonObject { ["status"] = "open" }));
        }),
        // Changing assignees needs the assign sub-feature too.
        new("PATCH /cases", Kind.OnCase, ["update", "assign"], HttpStatusCode.OK, async (app, t, fresh) =>
        {
            var c = fresh ? await NewCase(app, t.Space) : await Admin(app, Request(HttpMethod.Get, t.Space, $"/cases/{t.CaseId}"));
            return Request(HttpMethod.Patch, t.Space, "/cases", Patch(c, new JsonObject { ["assignees"] = new JsonArray(new JsonObject { ["uid"] = "u_analyst_" + Guid.NewGuid().ToString("N")[..6] }) }));
        }),
        new("DELETE /cases", Kind.OnCase, ["delete"], HttpStatusCode.NoContent, async (app, t, fresh) =>
            Request(HttpMethod.Delete, t.Space, $"/cases?ids={(fresh ? (await NewCase(app, t.Space))["id"] : t.CaseId)}")),
        new("GET /cases/_me", Kind.Caller, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/_me")),
        new("GET /cases/{caseId}/user_actions/_find", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/user_actions/_find")),
        new("POST /cases/{caseId}/comments", Kind.OnCase, ["comment"], HttpStatusCode.OK, Fixed(HttpMethod.Post, t => $"/cases/{t.CaseId}/comments",
            _ => new JsonObject { ["type"] = "user", ["comment"] = Secret + "more", ["owner"] = "securitySolution" })),
        new("PATCH /cases/{caseId}/comments", Kind.OnCase, ["update"], HttpStatusCode.OK, async (app, t, fresh) =>
        {
            var caseId = fresh ? (await NewCase(app, t.Space))["id"]!.GetValue<string>() : t.CaseId;
            var commentId = fresh ? await NewComment(app, t.Space, caseId) : t.CommentId;
            var comment = await Admin(app, Request(HttpMethod.Get, t.Space, $"/cases/{caseId}/comments/{commentId}"));
            return Request(HttpMethod.Patch, t.Space, $"/cases/{caseId}/comments", new JsonObject
            {
                ["id"] = commentId, ["version"] = comment["version"]!.GetValue<string>(), ["type"] = "user", ["comment"] = Secret + "edited", ["owner"] = "securitySolution",
            });
        }),
        new("DELETE /cases/{caseId}/comments", Kind.OnCase, ["delete"], HttpStatusCode.NoContent, async (app, t, fresh) =>
        {
            if (!fresh) return Request(HttpMethod.Delete, t.Space, $"/cases/{t.CaseId}/comments");
            var caseId = (await NewCase(app, t.Space))["id"]!.GetValue<string>();
            await NewComment(app, t.Space, caseId);
            return Request(HttpMethod.Delete, t.Space, $"/cases/{caseId}/comments");
        }),
        new("GET /cases/{caseId}/comments", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/comments")),
        new("GET /cases/{caseId}/comments/_find", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/comments/_find")),
        new("GET /cases/{caseId}/comments/{commentId}", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/comments/{t.CommentId}")),
        new("DELETE /cases/{caseId}/comments/{commentId}", Kind.OnCase, ["delete"], HttpStatusCode.NoContent, async (app, t, fresh) =>
        {
            if (!fresh) return Request(HttpMethod.Delete, t.Space, $"/cases/{t.CaseId}/comments/{t.CommentId}");
            var caseId = (await NewCase(app, t.Space))["id"]!.GetValue<string>();
            return Request(HttpMethod.Delete, t.Space, $"/cases/{caseId}/comments/{await NewComment(app, t.Space, caseId)}");
        }),
        new("GET /cases/{caseId}/alerts", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/alerts")),
        new("GET /cases/alerts/{alertId}", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/alerts/alert-{t.Space}")),
        new("GET /cases/{caseId}/events", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/events")),
        new("GET /cases/{caseId}/attachments/_search", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/attachments/_search?search=SECRET")),
        new("GET /cases/observables/types", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/observables/types?owner=securitySolution")),
        new("GET /cases/{caseId}/observables", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/observables")),
        new("POST /cases/{caseId}/observables", Kind.OnCase, ["update"], HttpStatusCode.OK, async (app, t, fresh) =>
            Request(HttpMethod.Post, t.Space, $"/cases/{(fresh ? (await NewCase(app, t.Space))["id"] : t.CaseId)}/observables", Observable())),
        new("PATCH /cases/{caseId}/observables/{observableId}", Kind.OnCase, ["update"], HttpStatusCode.OK, async (app, t, fresh) =>
        {
            var caseId = fresh ? (await NewCase(app, t.Space))["id"]!.GetValue<string>() : t.CaseId;
            var id = fresh ? await NewObservable(app, t.Space, caseId) : t.ObservableId;
            return Request(HttpMethod.Patch, t.Space, $"/cases/{caseId}/observables/{id}",
                new JsonObject { ["observable"] = new JsonObject { ["value"] = "10.9.9.9", ["description"] = Secret + "edited" } });
        }),
        new("DELETE /cases/{caseId}/observables/{observableId}", Kind.OnCase, ["delete"], HttpStatusCode.OK, async (app, t, fresh) =>
        {
            var caseId = fresh ? (await NewCase(app, t.Space))["id"]!.GetValue<string>() : t.CaseId;
            return Request(HttpMethod.Delete, t.Space, $"/cases/{caseId}/observables/{(fresh ? await NewObservable(app, t.Space, caseId) : t.ObservableId)}");
        }),
        new("GET /cases/metrics/{caseId}", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/metrics/{t.CaseId}?features=alerts.count&features=lifespan")),
        new("GET /cases/_number/{number}", Kind.Number, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/_number/{t.Number}")),
        new("GET /cases/_find", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/_find?perPage=100")),
        new("GET /cases/tags", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/tags")),
        new("GET /cases/reporters", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/reporters")),
        new("GET /cases/categories", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/categories")),
        new("GET /cases/metrics", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/metrics?features=status&features=mttr")),
        new("POST /cases/_bulk_get", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Post, _ => "/cases/_bulk_get", t => new JsonObject { ["ids"] = new JsonArray(t.CaseId) })),
        new("GET /cases/configure", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/configure")),
        new("POST /cases/configure", Kind.OnCase, ["settings"], HttpStatusCode.OK, Fixed(HttpMethod.Post, _ => "/cases/configure", _ => SettingsBody()), Lock: "configure"),
        new("PATCH /cases/configure/{configurationId}", Kind.OnCase, ["settings"], HttpStatusCode.OK, async (app, t, fresh) =>
        {
            var current = (await Admin(app, Request(HttpMethod.Get, t.Space, "/cases/configure?owner=securitySolution")))[0]!;
            return Request(HttpMethod.Patch, t.Space, $"/cases/configure/{current["id"]}",
                new JsonObject { ["version"] = current["version"]!.GetValue<string>(), ["closure_type"] = fresh ? "close-by-pushing" : "close-by-user" });
        }, Lock: "configure"),
        new("GET /cases/configure/connectors/_find", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/configure/connectors/_find")),
        // Connectors (Kibana's Actions API): reading needs read on some owner; changing them needs case settings.
        // The bodies are refused (400) or the connector is missing (404) where access allows: the cell shows the decision.
        new("POST /actions/connector", Kind.OnCase, ["settings"], HttpStatusCode.BadRequest, Fixed(HttpMethod.Post, _ => "/actions/connector", _ => new JsonObject())),
        new("POST /actions/connector/{id}", Kind.OnCase, ["settings"], HttpStatusCode.BadRequest, Fixed(HttpMethod.Post, _ => "/actions/connector/matrix-1", _ => new JsonObject())),
        new("GET /actions/connector/{id}", Kind.Listing, [], HttpStatusCode.NotFound, Fixed(HttpMethod.Get, _ => "/actions/connector/matrix-missing")),
        new("PUT /actions/connector/{id}", Kind.OnCase, ["settings"], HttpStatusCode.NotFound, Fixed(HttpMethod.Put, _ => "/actions/connector/matrix-missing", _ => new JsonObject { ["name"] = "x", ["config"] = new JsonObject() })),
        new("DELETE /actions/connector/{id}", Kind.OnCase, ["settings"], HttpStatusCode.NotFound, Fixed(HttpMethod.Delete, _ => "/actions/connector/matrix-missing")),
        new("GET /actions/connectors", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/actions/connectors")),
        new("GET /actions/connector_types", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/actions/connector_types")),
        new("POST /cases/{caseId}/connector/{connectorId}/_push", Kind.OnCase, ["push"], HttpStatusCode.NotFound, Fixed(HttpMethod.Post, t => $"/cases/{t.CaseId}/connector/matrix-missing/_push", _ => new JsonObject())),
        new("GET /cases/{caseId}/user_actions", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/user_actions")),
        new("GET /cases/{caseId}/user_actions/_connectors", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/user_actions/_connectors")),
        // Webhooks (our extension) are part of a space's case settings.
        new("POST /cases/webhooks", Kind.OnCase, ["settings"], HttpStatusCode.BadRequest, Fixed(HttpMethod.Post, _ => "/cases/webhooks", _ => new JsonObject())),
        new("GET /cases/webhooks", Kind.OnCase, ["settings"], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/webhooks")),
        new("GET /cases/webhooks/{webhookId}", Kind.OnCase, ["settings"], HttpStatusCode.NotFound, Fixed(HttpMethod.Get, _ => $"/cases/webhooks/{Guid.Empty}")),
        new("DELETE /cases/webhooks/{webhookId}", Kind.OnCase, ["settings"], HttpStatusCode.NotFound, Fixed(HttpMethod.Delete, _ => $"/cases/webhooks/{Guid.Empty}")),
        new("GET /cases/webhooks/{webhookId}/deliveries", Kind.OnCase, ["settings"], HttpStatusCode.NotFound, Fixed(HttpMethod.Get, _ => $"/cases/webhooks/{Guid.Empty}/deliveries")),
        // Export lists only readable owners' cases (the matrix checks no secret case leaks); import creates cases.
        new("POST /saved_objects/_export", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Post, _ => "/saved_objects/_export", _ => new JsonObject { ["type"] = new JsonArray("cases") })),
        new("POST /saved_objects/_import", Kind.OnCase, ["create"], HttpStatusCode.BadRequest, Fixed(HttpMethod.Post, _ => "/saved_objects/_import", _ => new JsonObject())),
        // User profiles for assignee pickers: any signed-in caller.
        new("POST /internal/cases/_suggest_user_profiles", Kind.Caller, [], HttpStatusCode.OK, Internal("/internal/cases/_suggest_user_profiles", new JsonObject { ["name"] = "a", ["owners"] = new JsonArray("securitySolution") })),
        new("POST /s/{spaceId}/internal/cases/_suggest_user_profiles", Kind.Caller, [], HttpStatusCode.OK, Internal("/internal/cases/_suggest_user_profiles", new JsonObject { ["name"] = "a", ["owners"] = new JsonArray("securitySolution") })),
        new("POST /internal/security/user_profile/_bulk_get", Kind.Caller, [], HttpStatusCode.OK, Internal("/internal/security/user_profile/_bulk_get", new JsonObject { ["uids"] = new JsonArray("u_matrix") })),
        new("POST /s/{spaceId}/internal/security/user_profile/_bulk_get", Kind.Caller, [], HttpStatusCode.OK, Internal("/internal/security/user_profile/_bulk_get", new JsonObject { ["uids"] = new JsonArray("u_matrix") })),
        new("POST /cases/{caseId}/files", Kind.OnCase, ["files"], HttpStatusCode.OK, (_, t, _) => Task.FromResult(Upload(t.Space, t.CaseId))),
        new("GET /cases/{caseId}/files", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/files")),
        new("DELETE /cases/{caseId}/files", Kind.OnCase, ["files", "delete"], HttpStatusCode.NoContent, async (app, t, fresh) =>
        {
            if (!fresh) return Request(HttpMethod.Delete, t.Space, $"/cases/{t.CaseId}/files?ids={t.FileId}");
            var caseId = (await NewCase(app, t.Space))["id"]!.GetValue<string>();
            return Request(HttpMethod.Delete, t.Space, $"/cases/{caseId}/files?ids={await NewFile(app, t.Space, caseId)}");
        }),
        new("GET /cases/{caseId}/files/{fileId}", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/files/{t.FileId}")),
        new("GET /cases/{caseId}/files/{fileId}/download", Kind.OnCase, ["read"], HttpStatusCode.OK, Fixed(HttpMethod.Get, t => $"/cases/{t.CaseId}/files/{t.FileId}/download")),
        new("GET /cases/files/_find", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => "/cases/files/_find")),
        new("GET /cases/files/_cases", Kind.Listing, [], HttpStatusCode.OK, Fixed(HttpMethod.Get, _ => $"/cases/files/_cases?hash={Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("hello from the matrix"u8.ToArray()))}")),
    ];

    static JsonObject SettingsBody() => new()
    {
        ["owner"] = "securitySolution",
        ["closure_type"] = "close-by-user",
        ["connector"] = new JsonObject { ["id"] = "none", ["name"] = "none", ["type"] = ".none", ["fields"] = null },
        ["customFields"] = new JsonArray(),
        ["templates"] = new JsonArray(),
    };

    /// <summary>Every route the app serves (but the public ones), as "METHOD /path" without the space prefix.</summary>
    static IEnumerable<(string Route, bool DefaultSpace)> RouteTable()
    {
        var app = CasesApp.Build([]);
        foreach (var endpoint in ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<AccessRule>() is PublicAccess) continue;
            var raw = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            var defaultSpace = !raw.StartsWith("/s/{spaceId}/");
            var path = raw.StartsWith("/s/{spaceId}/api") ? raw["/s/{spaceId}/api".Length..] : raw.StartsWith("/api") ? raw["/api".Length..] : raw;
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                yield return ($"{method} {path}", defaultSpace);
        }
    }

    [Fact]
    public void Every_route_declares_who_may_call_it_and_has_a_row_in_the_matrix()
    {
        var app = CasesApp.Build([]);
        var undeclared = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AccessRule>() is null).Select(e => e.DisplayName).ToList();
        Assert.True(undeclared.Count == 0, "Routes without .RequiresCases(...), .RequiresCaller() or .IsPublic(): " + string.Join(", ", undeclared));
        var withoutRow = RouteTable().Select(r => r.Route).Distinct().Where(r => Recipes.All(x => x.Route != r)).ToList();
        Assert.True(withoutRow.Count == 0, "Routes missing from the access matrix: " + string.Join(", ", withoutRow));
        var stale = Recipes.Select(r => r.Route).Where(r => RouteTable().All(x => x.Route != r)).ToList();
        Assert.True(stale.Count == 0, "Matrix rows for routes that do not exist: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task Every_route_answers_each_kind_of_caller_in_two_spaces_as_kibanas_privileges_say()
    {
        var routes = RouteTable().ToList();
        var spaces = new List<Targets> { await Prepare(Granted), await Prepare("default") };
        var cells = (from t in spaces
                     from recipe in Recipes
                     where routes.Any(r => r.Route == recipe.Route && r.DefaultSpace == (t.Space == "default"))
                     from profile in Profiles
                     select (t, recipe, profile)).ToList();
        var locks = Recipes.Where(r => r.Lock is not null).Select(r => r.Lock!).Distinct().ToDictionary(l => l, _ => new SemaphoreSlim(1, 1));
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(cells, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (cell, ct) =>
        {
            var (t, recipe, profile) = cell;
            var expected = Expected(recipe, profile, t.Space);
            var gate = recipe.Lock is null ? null : locks[recipe.Lock];
            if (gate is not null) await gate.WaitAsync(ct);
            try
            {
                using var request = (await recipe.Build(app, t, expected == recipe.Success)).As(profile.Principal);
                var sent = request.RequestUri + " " + (request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct));
                using var response = await app.Http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                var where = $"{recipe.Route} [{string.Join("+", recipe.Needs)}] as {profile} in {t.Space}";
                if (response.StatusCode != expected) failures.Add($"{where}: expected {(int)expected}, got {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
                if (response.IsSuccessStatusCode && recipe.Route == "POST /cases") SecretIds.Add(JsonNode.Parse(body)!["id"]!.GetValue<string>());
                // A caller who may not read securitySolution cases here never sees a trace of one (ids it sent aside).
                if (!(t.Space == Granted && profile.OnSecurity.Contains("read")))
                {
                    body = body.Replace($"\"p-{profile.Name}@secret.contoso.com\"", "\"(the caller)\"", StringComparison.Ordinal); // _me names the caller
                    foreach (var marker in LeakMarkers.Concat(SecretIds.Where(id => !sent.Contains(id))))
                        if (body.Contains(marker, StringComparison.Ordinal)) failures.Add($"{where}: the body shows \"{marker}\": {body[..Math.Min(body.Length, 300)]}");
                }
            }
            finally
            {
                gate?.Release();
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cells.Count} cells failed:\n" + string.Join("\n", failures.Order()));
    }

    static HttpStatusCode Expected(Recipe recipe, Profile profile, string space)
    {
        var held = space == Granted ? profile.OnSecurity : [];
        var readsAny = space == Granted && (held.Contains("read") || profile.ReadsOtherOwner);
        return recipe.Kind switch
        {
            Kind.Caller => recipe.Success,
            Kind.Listing => readsAny ? recipe.Success : HttpStatusCode.Forbidden,
            // A number is a lookup: a case of an owner the caller may not read is simply not found.
            Kind.Number => held.Contains("read") ? recipe.Success : readsAny ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden,
            _ => recipe.Needs.All(held.Contains) ? recipe.Success : HttpStatusCode.Forbidden,
        };
    }

    /// <summary>A securitySolution case with a comment, an alert, an observable and a file; settings; a case of the other owner.</summary>
    async Task<Targets> Prepare(string space)
    {
        await NewCase(app, space, "observability", ObsAdminPrincipal);
        var c = await NewCase(app, space);
        var caseId = c["id"]!.GetValue<string>();
        var commentId = await NewComment(app, space, caseId);
        await Admin(app, Request(HttpMethod.Post, space, $"/cases/{caseId}/comments", new JsonObject
        {
            ["type"] = "alert",
            ["alertId"] = $"alert-{space}",
            ["index"] = ".alerts-security.alerts-default",
            ["rule"] = new JsonObject { ["id"] = "rule-1", ["name"] = "Brute force" },
            ["owner"] = "securitySolution",
        }));
        var observableId = await NewObservable(app, space, caseId);
        var fileId = await NewFile(app, space, caseId);
        var settings = await Admin(app, Request(HttpMethod.Post, space, "/cases/configure", SettingsBody()));
        await app.App.Services.GetRequiredService<TimerRun>().Run(CancellationToken.None);
        var numbered = await Admin(app, Request(HttpMethod.Get, space, $"/cases/{caseId}"));
        return new Targets(space, caseId, numbered["incremental_id"]!.GetValue<int>(), commentId, observableId, fileId, settings["id"]!.GetValue<string>());
    }
}
