using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Functions.Cases;
using Cases.Tests.Attachments;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Find;

public sealed class FindMoreTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    string Api(string path) => CasesAppFixture.Api(space, path);
    async Task<JsonNode> Get(string path) => await (await app.Http.GetAsync(Api(path))).Json();
    static string[] Titles(JsonNode result) => result["cases"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task The_continuation_token_walks_every_case_exactly_once_in_order()
    {
        var titles = Enumerable.Range(0, 23).Select(i => $"Case {i:D2}").ToList();
        foreach (var title in titles) await app.CreateCase(space, new { title });

        foreach (var (sort, expected) in new[] { ("sortField=title&sortOrder=asc", titles), ("sortField=createdAt&sortOrder=desc", Enumerable.Reverse(titles).ToList()) })
        {
            var seen = new List<string>();
            string? token = null;
            var pages = 0;
            do
            {
                var result = await Get($"/cases/_find?{sort}&perPage=5" + (token is null ? "" : $"&searchAfter={token}"));
                Assert.Equal(23, result["total"]!.GetValue<int>());
                seen.AddRange(Titles(result));
                token = result["searchAfter"]?.GetValue<string>();
                pages++;
            } while (token is not null);
            Assert.Equal(expected, seen);
            Assert.Equal(5, pages);
        }

        var first = await Get("/cases/_find?sortField=title&sortOrder=asc&perPage=5");
        await (await app.Http.GetAsync(Api($"/cases/_find?sortField=title&sortOrder=desc&searchAfter={first["searchAfter"]}")))
            .Error(HttpStatusCode.BadRequest, "belongs to another sortField or sortOrder");
        await (await app.Http.GetAsync(Api("/cases/_find?searchAfter=garbage!"))).Error(HttpStatusCode.BadRequest, "Invalid value \"garbage!\" supplied to \"searchAfter\"");
    }

    [Fact]
    public async Task Assignees_reporters_category_dates_and_custom_fields_filter()
    {
        await app.CreateCase(space, new { title = "Unassigned", category = "Malware" });
        await app.CreateCase(space, new { title = "Ada's", assignees = new[] { new { uid = "u_ada" } }, category = "Phishing" });
        app.Clock.Advance(TimeSpan.FromDays(40));
        await app.CreateCase(space, new { title = "Bob's", assignees = new[] { new { uid = "u_bob" } } });

        Assert.Equal(["Unassigned"], Titles(await Get("/cases/_find?assignees=none")));
        Assert.Equal(["Bob's", "Unassigned"], Titles(await Get("/cases/_find?assignees=none&assignees=u_bob")));
        Assert.Equal(["Phishing"], Titles(await Get("/cases/_find?category=Phishing")).Select(_ => "Phishing"));
        Assert.Equal(3, (await Get("/cases/_find?reporters=local-tester"))["total"]!.GetValue<int>());
        Assert.Equal(0, (await Get("/cases/_find?reporters=someone-else"))["total"]!.GetValue<int>());
        Assert.Equal(["Bob's"], Titles(await Get("/cases/_find?from=now-30d")));
        Assert.Equal(["Ada's", "Unassigned"], Titles(await Get("/cases/_find?to=now-30d")));
        var from = Uri.EscapeDataString(app.Clock.GetUtcNow().AddDays(-1).ToString("O"));
        Assert.Equal(["Bob's"], Titles(await Get($"/cases/_find?from={from}")));
    }

    [Fact]
    public async Task Tags_reporters_categories_and_metrics_list_what_is_in_use_per_owner()
    {
        await app.CreateCase(space, new { tags = new[] { "b", "a" }, category = "Malware", owner = "securitySolution" });
        await app.CreateCase(space, new { tags = new[] { "c" }, category = "Outage", owner = "observability" });
        var closing = await app.CreateCase(space, new { tags = Array.Empty<string>(), owner = "securitySolution" });
        app.Clock.Advance(TimeSpan.FromSeconds(100));
        await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id = closing["id"]!.GetValue<string>(), version = closing["version"]!.GetValue<string>(), status = "closed" } } });

        Assert.Equal(["a", "b", "c"], (await Get("/cases/tags")).AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(["a", "b"], (await Get("/cases/tags?owner=securitySolution")).AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(["Malware", "Outage"], (await Get("/cases/categories")).AsArray().Select(t => t!.GetValue<string>()));
        var reporters = (await Get("/cases/reporters")).AsArray();
        Assert.Equal("local-tester", Assert.Single(reporters)!["username"]!.GetValue<string>());
        Assert.Empty((await (await app.Http.GetAsync(CasesAppFixture.Api(CasesAppFixture.NewSpace(), "/cases/tags"))).Json()).AsArray());

        var metrics = await Get("/cases/metrics?features=status&features=mttr&owner=securitySolution");
        Assert.Equal(1, metrics["status"]!["open"]!.GetValue<int>());
        Assert.Equal(0, metrics["status"]!["inProgress"]!.GetValue<int>());
        Assert.Equal(1, metrics["status"]!["closed"]!.GetValue<int>());
        Assert.Equal(100, metrics["mttr"]!.GetValue<long>());
        await (await app.Http.GetAsync(Api("/cases/metrics?features=speed"))).Error(HttpStatusCode.BadRequest, "Valid features: mttr, status");
    }

    [Fact]
    public async Task No_filter_ever_returns_another_spaces_cases()
    {
        var created = await app.CreateCase(space, new { title = "Only here", tags = new[] { "isolated" }, category = "Secret", assignees = new[] { new { uid = "u_x" } } });
        var other = CasesAppFixture.NewSpace();
        await app.CreateCase(other, new { title = "Elsewhere" });
        foreach (var query in new[]
        {
            "", "tags=isolated", "search=Only", $"search={created["id"]}", "status=open", "severity=low", "owner=securitySolution",
            "category=Secret", "assignees=u_x", "reporters=local-tester", "from=now-1y", "sortField=title&sortOrder=asc",
        })
        {
            var found = await (await app.Http.GetAsync(CasesAppFixture.Api(other, $"/cases/_find?{query}"))).Json();
            Assert.DoesNotContain(found["cases"]!.AsArray(), c => c!["id"]!.GetValue<string>() == created["id"]!.GetValue<string>());
            Assert.DoesNotContain(Titles(found), t => t == "Only here");
        }
        var tags = await (await app.Http.GetAsync(CasesAppFixture.Api(other, "/cases/tags"))).Json();
        Assert.DoesNotContain(tags.AsArray(), t => t!.GetValue<string>() == "isolated");
        var categories = await (await app.Http.GetAsync(CasesAppFixture.Api(other, "/cases/categories"))).Json();
        Assert.Empty(categories.AsArray());
    }

    [Fact]
    public async Task Bulk_get_returns_found_cases_and_reports_the_others()
    {
        var a = await app.CreateCase(space);
        var b = await app.CreateCase(space);
        var missing = Guid.NewGuid().ToString();
        var result = await (await app.Http.PostAsJsonAsync(Api("/cases/_bulk_get"), new { ids = new[] { a["id"]!.GetValue<string>(), missing, b["id"]!.GetValue<string>() } })).Json();
        Assert.Equal([a["id"]!.GetValue<string>(), b["id"]!.GetValue<string>()], result["cases"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        Assert.Equal(missing, result["errors"]![0]!["caseId"]!.GetValue<string>());
        Assert.Equal(404, result["errors"]![0]!["status"]!.GetValue<int>());

        var other = await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(CasesAppFixture.NewSpace(), "/cases/_bulk_get"), new { ids = new[] { a["id"]!.GetValue<string>() } })).Json();
        Assert.Empty(other["cases"]!.AsArray());
        await (await app.Http.PostAsJsonAsync(Api("/cases/_bulk_get"), new { ids = Enumerable.Range(0, 1001).Select(i => $"x{i}").ToArray() }))
            .Error(HttpStatusCode.BadRequest, "Array must be of length <= 1000.");
    }

    [Fact]
    public async Task Another_instance_sees_changes_within_seconds()
    {
        // A second app over the same tables: its view catches up from the change log, not from this instance's memory.
        // It catches up in the background once its view is a second old, so a loaded machine may take a little longer.
        var second = new SecondInstance(app.TablePrefix);
        await second.InitializeAsync();
        try
        {
            Assert.Equal(0, (await (await second.Http.GetAsync(Api("/cases/_find"))).Json())["total"]!.GetValue<int>());

            var created = await app.CreateCase(space, new { title = "Seen elsewhere" });
            Assert.Equal(["Seen elsewhere"], await Eventually(async () => Titles(await (await second.Http.GetAsync(Api("/cases/_find"))).Json()), t => t.Length == 1));

            // An edit travels the same way: the update's own change note. (Searched for: a page's cases are read fresh,
            // so only a filter shows what the view knows.)
            await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id = created["id"]!.GetValue<string>(), version = created["version"]!.GetValue<string>(), title = "Retitled elsewhere" } } });
            Assert.Equal(["Retitled elsewhere"], await Eventually(async () => Titles(await (await second.Http.GetAsync(Api("/cases/_find?search=Retitled"))).Json()), t => t.Length == 1));

            await app.Http.DeleteAsync(Api($"/cases?ids={created["id"]}"));
            Assert.Equal(0, await Eventually(async () => (await (await second.Http.GetAsync(Api("/cases/_find"))).Json())["total"]!.GetValue<int>(), n => n == 0));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_write_that_commits_late_is_announced_again_so_another_instance_still_sees_it()
    {
        // A change note is keyed before its commit, and other instances list notes again only from ten seconds back.
        // Here an edit's commit is held for a minute by both instances' clocks, while the other instance reloads its
        // view and so moves past the note's key; once committed, the edit must still reach that view.
        var created = await app.CreateCase(space, new { title = "On time" });
        var second = new SecondInstance(app.TablePrefix);
        await second.InitializeAsync();
        try
        {
            async Task<int> LateOnSecond() => (await (await second.Http.GetAsync(Api("/cases/_find?search=late"))).Json())["total"]!.GetValue<int>();
            Assert.Equal(1, (await (await second.Http.GetAsync(Api("/cases/_find"))).Json())["total"]!.GetValue<int>());

            Task<HttpResponseMessage> edit;
            using (var gate = HookGate.Hold(app.Hooks, Functions.Testing.HookPoints.CaseCommit, space, 1))
            {
                edit = app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id = created.Id(), version = created["version"]!.GetValue<string>(), title = "Committed late" } } });
                await gate.AllArrived();
                app.Clock.Advance(TimeSpan.FromMinutes(1));
                second.Clock.SetTo(app.Clock.GetUtcNow());
                second.App.Services.GetRequiredService<Functions.Find.CaseIndex>().Drop(space);
                Assert.Equal(0, await LateOnSecond()); // reloaded: its cursor is now past the held edit's note
            }
            (await edit).EnsureSuccessStatusCode();
            Assert.Equal(1, await Eventually(LateOnSecond, n => n == 1));

            // The create's note and the edit's two: a write that commits on time is announced once.
            var notes = 0;
            var filter = Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {space} and RowKey ge {ChangeLog.Prefix} and RowKey lt {CaseRows.PrefixEnd(ChangeLog.Prefix)} and CaseId eq {created.Id()}");
            await foreach (var _ in (await app.CasesTable()).QueryAsync<Azure.Data.Tables.TableEntity>(filter)) notes++;
            Assert.Equal(3, notes);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_writing_instance_shows_its_own_create_edit_and_delete_at_once()
    {
        // Within the second after the view loaded no catch-up runs: what shows comes from the write itself. (A view of
        // an empty space is not kept, hence the first case; searched for, as a page's cases are read fresh and only a
        // filter shows what the view knows.)
        await app.CreateCase(space, new { title = "First" });
        Assert.Equal(["First"], Titles(await Get("/cases/_find")));
        var created = await app.CreateCase(space, new { title = "Mine" });
        Assert.Equal(["Mine"], Titles(await Get("/cases/_find?search=Mine")));
        await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id = created["id"]!.GetValue<string>(), version = created["version"]!.GetValue<string>(), title = "Renamed" } } });
        Assert.Equal(["Renamed"], Titles(await Get("/cases/_find?search=Renamed")));
        await app.Http.DeleteAsync(Api($"/cases?ids={created["id"]}"));
        var after = await Get("/cases/_find");
        Assert.Equal(["First"], Titles(after));
        Assert.Equal(1, after["total"]!.GetValue<int>()); // the view's count: a deleted case is also left off the page when read
    }

    /// <summary>Asks again every 200 ms, for at most 10 seconds, until the answer is as wanted; returns the last answer.</summary>
    static async Task<T> Eventually<T>(Func<Task<T>> ask, Func<T, bool> wanted)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answer = await ask();
        while (!wanted(answer) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(200);
            answer = await ask();
        }
        return answer;
    }
}
