using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Domain.UserActions;
using Cases.Domain.Users;
using Cases.Functions.Cases;
using Cases.Functions.Numbering;
using Cases.Functions.Storage;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Numbering;

/// <summary>AssignCaseNumbers run for real against Azurite: gap-free, never reused, safe to overlap and to die halfway.</summary>
public sealed class NumberingTests(NumberingTests.Fixture app) : IClassFixture<NumberingTests.Fixture>
{
    /// <summary>Small runs, so that a few hundred cases already take several runs of several batches.</summary>
    public sealed class Fixture : CasesAppFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Numbering:MaxPerRun", "300")];
    }

    CaseNumberer NewRun() => ActivatorUtilities.CreateInstance<CaseNumberer>(app.App.Services);

    /// <summary>Creates cases straight through the store (the same code the API runs), many at a time.</summary>
    async Task<List<string>> Seed(string space, int count)
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            ids[i] = await CreateAt(space, app.Clock.GetUtcNow().AddMilliseconds(i), i));
        app.Clock.Advance(TimeSpan.FromMilliseconds(count));
        return [.. ids];
    }

    static NewCase TestInput(int i) => new()
    {
        Title = $"Case {i}",
        Description = "seeded",
        Tags = [],
        Owner = "cases",
        Connector = Connector.None,
        Settings = new CaseSettings(true),
    };

    /// <summary>The numbers of a space's cases, in creation order, read from storage.</summary>
    async Task<List<(string Id, long? Number)>> Numbers(string space)
    {
        var store = app.App.Services.GetRequiredService<CaseStore>();
        var cases = new List<CaseRecord>();
        await foreach (var r in store.List(space, [], default)) cases.Add(r);
        return cases.OrderBy(r => r.Case.CreatedAt).ThenBy(r => r.Case.Id, StringComparer.Ordinal).Select(r => (r.Case.Id, r.IncrementalId)).ToList();
    }

    async Task<int> Queued()
    {
        var numbering = await app.App.Services.GetRequiredService<CasesTables>().Numbering();
        var count = 0;
        await foreach (var _ in numbering.QueryAsync<TableEntity>(select: ["RowKey"])) count++;
        return count;
    }

    async Task RunUntilDone(CaseNumberer numberer)
    {
        for (var i = 0; i < 100 && await Queued() > 0; i++) await numberer.Run(default);
    }

    [Fact]
    public async Task Four_overlapping_runs_over_several_spaces_give_exactly_1_to_N_in_creation_order()
    {
        var spaces = Enumerable.Range(0, 3).Select(_ => CasesAppFixture.NewSpace()).ToArray();
        foreach (var space in spaces) await Seed(space, 700);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => RunUntilDone(NewRun()))));

        Assert.Equal(0, await Queued());
        foreach (var space in spaces)
        {
            var numbers = await Numbers(space);
            Assert.Equal(Enumerable.Range(1, 700).Select(n => (long?)n), numbers.Select(n => n.Number));
        }
    }

    [Fact]
    public async Task A_run_that_dies_between_two_writes_is_finished_by_the_next_run_without_gaps()
    {
        var space = CasesAppFixture.NewSpace();
        await Seed(space, 200);
        var dying = NewRun();
        dying.AfterBatchCommitted = (_, numbered) => numbered >= 98 ? throw new IOException("process killed") : Task.CompletedTask;
        await Assert.ThrowsAsync<IOException>(() => dying.Run(default));
        var halfway = await Numbers(space);
        Assert.Equal(Enumerable.Range(1, 98).Select(n => (long?)n), halfway.Take(98).Select(n => n.Number));
        Assert.All(halfway.Skip(98), n => Assert.Null(n.Number));

        await RunUntilDone(NewRun());
        Assert.Equal(Enumerable.Range(1, 200).Select(n => (long?)n), (await Numbers(space)).Select(n => n.Number));
        Assert.Equal(0, await Queued());
    }

    [Fact]
    public async Task Cases_created_during_a_run_are_numbered_after_the_others_and_deleted_ones_never_reuse_a_number()
    {
        var space = CasesAppFixture.NewSpace();
        var first = await Seed(space, 150);
        var run = NewRun();
        var creating = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++) await app.CreateCase(space);
        });
        await Task.WhenAll(run.Run(default), creating);
        await RunUntilDone(run);
        Assert.Equal(Enumerable.Range(1, 170).Select(n => (long?)n), (await Numbers(space)).Select(n => n.Number));

        // Delete #170 and two unnumbered cases; the next case gets 171, and the deleted ones were never numbered.
        var numbered = await Numbers(space);
        var unnumbered = new[] { (await app.CreateCase(space))["id"]!.GetValue<string>(), (await app.CreateCase(space))["id"]!.GetValue<string>() };
        var ids = string.Join("&", unnumbered.Append(numbered[^1].Id).Select(id => $"ids={id}"));
        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases?{ids}"))).StatusCode);
        var next = await app.CreateCase(space);
        await RunUntilDone(run);

        var fetched = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{next["id"]}"))).Json();
        Assert.Equal(171, fetched["incremental_id"]!.GetValue<long>());
        Assert.Equal(0, await Queued());
        Assert.Contains(first[0], numbered.Select(n => n.Id));
    }

    [Fact]
    public async Task Numbering_does_not_change_the_version_so_an_edit_read_before_it_still_succeeds()
    {
        var space = CasesAppFixture.NewSpace();
        var created = await app.CreateCase(space);
        await RunUntilDone(NewRun());

        var numbered = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{created["id"]}"))).Json();
        Assert.Equal(1, numbered["incremental_id"]!.GetValue<long>());
        Assert.Equal(created["version"]!.GetValue<string>(), numbered["version"]!.GetValue<string>());

        var edit = await app.Http.PatchAsJsonAsync(CasesAppFixture.Api(space, "/cases"), new
        {
            cases = new[] { new { id = created["id"]!.GetValue<string>(), version = created["version"]!.GetValue<string>(), title = "Edited after numbering" } },
        });
        var edited = (await edit.Json())[0]!;
        Assert.Equal(1, edited["incremental_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_case_is_found_by_its_number_in_its_own_space_only()
    {
        var space = CasesAppFixture.NewSpace();
        await app.CreateCase(space, new { title = "First" });
        var second = await app.CreateCase(space, new { title = "Second" });
        await RunUntilDone(NewRun());

        var byNumber = await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_number/2"))).Json();
        Assert.Equal(second["id"]!.GetValue<string>(), byNumber["id"]!.GetValue<string>());
        var search = await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_find?search=%232"))).Json();
        Assert.Equal(["Second"], search["cases"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()));

        await (await app.Http.GetAsync(CasesAppFixture.Api(CasesAppFixture.NewSpace(), "/cases/_number/2"))).Error(HttpStatusCode.NotFound, "No case has the number 2.");
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_number/abc"))).Error(HttpStatusCode.BadRequest, "Invalid value \"abc\" supplied to \"number\"");
    }

    [Fact]
    public async Task A_create_still_in_flight_holds_its_space_back_until_it_lands_or_is_given_up()
    {
        var space = CasesAppFixture.NewSpace();
        await AddGhost(space, app.Clock.GetUtcNow().AddSeconds(-1));
        var real = await app.CreateCase(space);

        await NewRun().Run(default);
        Assert.Null((await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{real["id"]}"))).Json())["incremental_id"]);

        app.Clock.Advance(TimeSpan.FromMinutes(6)); // past the grace: the ghost was a create that failed
        await NewRun().Run(default);
        Assert.Equal(1, (await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{real["id"]}"))).Json())["incremental_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_timer_route_is_not_reachable_standalone()
    {
        var response = await app.Http.PostAsync("/AssignCaseNumbers", JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
    /// <summary>
    /// A case created straight through the store (the same code the API runs) at <paramref name="createdAt"/>, which may
    /// be behind the clock: an instance whose clock lags.
    /// </summary>
    async Task<string> CreateAt(string space, DateTimeOffset createdAt, int i = 0)
    {
        var store = app.App.Services.GetRequiredService<CaseStore>();
        var (c, action) = CaseRules.Create(TestInput(i), Guid.NewGuid().ToString(), new CaseUser(null, null, "seeder"), createdAt, () => Guid.NewGuid().ToString());
        await store.QueueForNumber(space, c.Id, c.CreatedAt, default);
        await store.Create(space, new CaseRecord(c, 1, 0, 0, null), action, default);
        return c.Id;
    }

    async Task<long?> NumberOf(string space, string caseId) => (await Numbers(space)).Single(n => n.Id == caseId).Number;

    async Task AddGhost(string space, DateTimeOffset at) // a create that queued its number, then never landed
    {
        var numbering = await app.App.Services.GetRequiredService<CasesTables>().Numbering();
        var ghost = Guid.NewGuid().ToString();
        await numbering.AddEntityAsync(new TableEntity(space, PendingNumbers.Key(at, ghost)) { ["CaseId"] = ghost });
    }

    [Fact]
    public async Task A_run_takes_at_most_MaxPerRun_cases_and_reports_how_many_it_numbered()
    {
        await RunUntilDone(NewRun()); // whatever other tests left
        var space = CasesAppFixture.NewSpace();
        await Seed(space, 320);

        var first = await NewRun().Run(default);
        Assert.Equal(300, first.Numbered);
        Assert.Equal([space], first.Spaces);
        Assert.Contains($"space {space}: numbered 300 case(s)", first.Lines[0]);
        Assert.StartsWith("numbered 300 case(s) in 1 space(s)", first.Lines[^1]);
        Assert.Equal(20, (await Numbers(space)).Count(n => n.Number is null));

        var second = await NewRun().Run(default);
        Assert.Equal(20, second.Numbered);
        Assert.Equal(Enumerable.Range(1, 320).Select(n => (long?)n), (await Numbers(space)).Select(n => n.Number));
    }

    [Fact]
    public async Task A_case_queued_behind_the_cursor_by_a_lagging_clock_is_still_numbered()
    {
        var space = CasesAppFixture.NewSpace();
        var early = app.Clock.GetUtcNow();
        await Seed(space, 2);
        await RunUntilDone(NewRun());

        var late = await CreateAt(space, early.AddSeconds(-1)); // its queue row sorts before the ones already numbered
        await RunUntilDone(NewRun());
        Assert.Equal(3, await NumberOf(space, late));
        Assert.Equal(0, await Queued());
    }

    [Fact]
    public async Task A_create_that_never_landed_in_the_middle_of_a_batch_is_given_up_and_the_others_numbered()
    {
        var space = CasesAppFixture.NewSpace();
        var a = await CreateAt(space, app.Clock.GetUtcNow());
        app.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await AddGhost(space, app.Clock.GetUtcNow());
        app.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var b = await CreateAt(space, app.Clock.GetUtcNow());
        var c = await CreateAt(space, app.Clock.GetUtcNow().AddMilliseconds(1));
        app.Clock.Advance(TimeSpan.FromMinutes(6)); // past the grace

        await NewRun().Run(default);
        var numbers = await Numbers(space);
        Assert.Equal(new long?[] { 1, 2, 3 }, new[] { a, b, c }.Select(id => numbers.Single(n => n.Id == id).Number));
        Assert.Equal(0, await Queued());
    }

    [Fact]
    public async Task A_create_in_flight_for_exactly_the_grace_still_holds_its_space_back()
    {
        var space = CasesAppFixture.NewSpace();
        var grace = app.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NumberingOptions>>().Value.InFlightGrace;
        var queuedAt = app.Clock.GetUtcNow();
        await AddGhost(space, queuedAt);
        app.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var real = await CreateAt(space, app.Clock.GetUtcNow());

        app.Clock.Advance(queuedAt + grace - app.Clock.GetUtcNow()); // exactly the grace since it queued
        await NewRun().Run(default);
        Assert.Null(await NumberOf(space, real));

        app.Clock.Advance(TimeSpan.FromTicks(1));
        await NewRun().Run(default);
        Assert.Equal(1, await NumberOf(space, real));
    }
}
