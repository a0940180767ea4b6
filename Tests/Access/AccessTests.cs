using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cases.Tests.Access;

/// <summary>What the matrix does not show cell by cell: counts, bulk refusals, _me, the safe default, security events.</summary>
public sealed class AccessTests(AccessTests.Fixture app) : IClassFixture<AccessTests.Fixture>
{
    public sealed class Fixture : CasesAppFixture
    {
        public ConcurrentQueue<string> SecurityEvents { get; } = new();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("Cases:Access:Roles:obs-reader:0", "*/observability:read"),
            new("Cases:Access:Roles:soc-analyst:0", "*/securitySolution:all-delete"),
            new("Cases:Access:Roles:soc-analyst:1", "*/observability:read"),
            new("Logging:LogLevel:Cases.Security", "Warning"),
        ];

        protected override void Configure(WebApplicationBuilder builder) =>
            builder.Logging.AddProvider(new CollectingLoggerProvider("Cases.Security", SecurityEvents));
    }

    static readonly string Admin = Principals.Of("admin@contoso.com", "Cases.Admin");
    static readonly string ObsReader = Principals.Of("olga@contoso.com", "obs-reader");
    static readonly string Analyst = Principals.Of("sam@contoso.com", "soc-analyst");

    async Task<HttpResponseMessage> Send(HttpMethod method, string space, string path, string? principal, JsonNode? body = null) =>
        await app.Http.SendAsync(new HttpRequestMessage(method, CasesAppFixture.Api(space, path)) { Content = body is null ? null : JsonContent.Create(body) }.As(principal));

    async Task<JsonNode> Create(string space, string owner, string title)
    {
        var body = TestCases.NewCaseBody();
        body["owner"] = owner;
        body["title"] = title;
        body["tags"] = new JsonArray(owner + "-tag");
        return await (await Send(HttpMethod.Post, space, "/cases", Admin, body)).Json();
    }

    [Fact]
    public async Task Listings_totals_and_counts_only_cover_owners_the_caller_may_read()
    {
        var space = CasesAppFixture.NewSpace();
        for (var i = 0; i < 3; i++) await Create(space, "securitySolution", "soc " + i);
        await Create(space, "observability", "obs");

        var found = await (await Send(HttpMethod.Get, space, "/cases/_find", ObsReader)).Json();
        Assert.Equal(1, found["total"]!.GetValue<int>());
        Assert.Equal(1, found["count_open_cases"]!.GetValue<int>());
        Assert.Equal("obs", Assert.Single(found["cases"]!.AsArray())!["title"]!.GetValue<string>());
        var metrics = await (await Send(HttpMethod.Get, space, "/cases/metrics?features=status", ObsReader)).Json();
        Assert.Equal(1, metrics["status"]!["open"]!.GetValue<int>());
        var tags = await (await Send(HttpMethod.Get, space, "/cases/tags", ObsReader)).Json();
        Assert.Equal(["observability-tag"], tags.AsArray().Select(t => t!.GetValue<string>()));
        // Asking for an owner one may not read is refused, as Kibana refuses it, rather than answered with its cases.
        await (await Send(HttpMethod.Get, space, "/cases/_find?owner=securitySolution", ObsReader))
            .Error(HttpStatusCode.Forbidden, "Unauthorized to access cases with owners: \"securitySolution\"");
        // The admin sees all four.
        Assert.Equal(4, (await (await Send(HttpMethod.Get, space, "/cases/_find", Admin)).Json())["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_bulk_update_with_one_forbidden_case_changes_none()
    {
        var space = CasesAppFixture.NewSpace();
        var mine = await Create(space, "securitySolution", "mine");
        var theirs = await Create(space, "observability", "theirs");
        var patch = new JsonObject
        {
            ["cases"] = new JsonArray(
                new JsonObject { ["id"] = mine["id"]!.GetValue<string>(), ["version"] = mine["version"]!.GetValue<string>(), ["title"] = "changed" },
                new JsonObject { ["id"] = theirs["id"]!.GetValue<string>(), ["version"] = theirs["version"]!.GetValue<string>(), ["title"] = "changed" }),
        };
        await (await Send(HttpMethod.Patch, space, "/cases", Analyst, patch)).Error(HttpStatusCode.Forbidden, "Unauthorized to update case with owners: \"observability\"");
        Assert.Equal("mine", (await (await Send(HttpMethod.Get, space, $"/cases/{mine["id"]}", Admin)).Json())["title"]!.GetValue<string>());

        // Deleting needs the delete sub-feature the analyst's all-delete leaves out.
        await (await Send(HttpMethod.Delete, space, $"/cases?ids={mine["id"]}", Analyst)).Error(HttpStatusCode.Forbidden, "Unauthorized to delete case");
        await (await Send(HttpMethod.Get, space, $"/cases/{mine["id"]}", Admin)).Json();
    }

    [Fact]
    public async Task Me_tells_the_caller_who_they_are_and_what_they_may_do_per_owner_in_this_space()
    {
        var me = await (await Send(HttpMethod.Get, "soc", "/cases/_me", Analyst)).Json();
        Assert.Equal("sam@contoso.com", me["username"]!.GetValue<string>());
        Assert.Equal(["soc-analyst"], me["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("soc", me["space"]!.GetValue<string>());
        var soc = me["owners"]!["securitySolution"]!;
        Assert.True(soc["read"]!.GetValue<bool>() && soc["create"]!.GetValue<bool>() && soc["createComment"]!.GetValue<bool>());
        Assert.False(soc["delete"]!.GetValue<bool>());
        Assert.False(soc["all"]!.GetValue<bool>());
        Assert.True(me["owners"]!["observability"]!["read"]!.GetValue<bool>());
        Assert.False(me["owners"]!["observability"]!["update"]!.GetValue<bool>());
        Assert.False(me["owners"]!["cases"]!["read"]!.GetValue<bool>());
        // The local user (development) may do everything.
        var local = await (await app.Http.GetAsync("/api/cases/_me")).Json();
        Assert.True(local["owners"]!["cases"]!["all"]!.GetValue<bool>());
    }

    [Fact]
    public async Task With_no_mapping_a_role_grants_nothing_and_only_the_admin_role_gets_in()
    {
        var space = CasesAppFixture.NewSpace();
        var stranger = Principals.Of("eve@contoso.com", "Some.Unmapped.Role");
        await (await Send(HttpMethod.Get, space, "/cases/_find", stranger)).Error(HttpStatusCode.Forbidden, "Unauthorized to access cases of any owner");
        await (await Send(HttpMethod.Post, space, "/cases", stranger, TestCases.NewCaseBody())).Error(HttpStatusCode.Forbidden, "Unauthorized to create case of any owner");
        await (await Send(HttpMethod.Get, space, "/cases/_find", Admin)).Json();
    }

    [Fact]
    public async Task A_principal_naming_no_user_is_not_a_caller()
    {
        var nobody = Principals.Of(null, "Cases.Admin");
        await (await Send(HttpMethod.Get, "default", "/cases/_find", nobody)).Error(HttpStatusCode.Unauthorized, "neither a user name nor an object id");
        await (await Send(HttpMethod.Get, "default", "/cases/tags", nobody)).Error(HttpStatusCode.Unauthorized, "neither a user name nor an object id");
    }

    [Fact]
    public async Task Each_refusal_is_logged_as_a_security_event_with_who_route_owner_and_space_but_no_case_content()
    {
        var space = CasesAppFixture.NewSpace();
        var secret = await Create(space, "securitySolution", "Top secret title");
        await (await Send(HttpMethod.Get, space, $"/cases/{secret["id"]}", ObsReader)).Error(HttpStatusCode.Forbidden, "Unauthorized to access case with owners: \"securitySolution\"");
        var logged = app.SecurityEvents.Where(e => e.Contains(space)).ToList();
        var line = Assert.Single(logged);
        Assert.Contains("olga@contoso.com", line);
        Assert.Contains("/s/{spaceId}/api/cases/{caseId}", line);
        Assert.Contains("securitySolution", line);
        Assert.DoesNotContain("Top secret title", line);
    }
}

/// <summary>In Azure the local user is off: every route but health needs a caller, reads included.</summary>
public sealed class CallerRequiredTests(CallerRequiredTests.Fixture app) : IClassFixture<CallerRequiredTests.Fixture>
{
    public sealed class Fixture : CasesAppFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Identity:LocalUserEnabled", "false")];
    }

    [Theory]
    [InlineData("/api/cases/_find")]
    [InlineData("/api/cases/tags")]
    [InlineData("/api/cases/reporters")]
    [InlineData("/api/cases/metrics?features=status")]
    [InlineData("/api/cases/configure")]
    [InlineData("/api/cases/00000000-0000-0000-0000-000000000000")]
    [InlineData("/s/soc/api/cases/00000000-0000-0000-0000-000000000000/user_actions/_find")]
    [InlineData("/api/cases/00000000-0000-0000-0000-000000000000/files/00000000-0000-0000-0000-000000000000/download")]
    [InlineData("/api/cases/_me")]
    public async Task Reads_without_a_caller_get_401(string path) =>
        await (await app.Http.GetAsync(path)).Error(HttpStatusCode.Unauthorized, "Authentication is required");

    [Theory]
    [InlineData("/api/health")]
    [InlineData("/api/health/ready")]
    [InlineData("/")]
    [InlineData("/api/openapi.json")]
    public async Task Health_and_the_api_description_need_no_caller(string path) =>
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(path)).StatusCode);
}

sealed class CollectingLoggerProvider(string category, ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => categoryName == category ? new Collector(lines) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose() { }

    sealed class Collector(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
