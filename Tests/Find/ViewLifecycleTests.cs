using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Functions.Find;
using Cases.Functions.Storage;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Find;

/// <summary>A small ceiling, so a few long cases go past it.</summary>
public sealed class SmallViewCeilingFixture : CasesAppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Find:ViewMemoryLimitMegabytes", "1")];
}

/// <summary>What an instance keeps of the spaces it reads: nothing for empty ones, and no more than its ceiling.</summary>
public sealed class ViewLifecycleTests(SmallViewCeilingFixture app) : IClassFixture<SmallViewCeilingFixture>
{
    CaseIndex Index => app.App.Services.GetRequiredService<CaseIndex>();

    [Fact]
    public async Task Reading_empty_spaces_keeps_no_view_and_writes_no_snapshot()
    {
        var spaces = Enumerable.Range(0, 20).Select(_ => CasesAppFixture.NewSpace()).ToList();
        foreach (var space in spaces)
        {
            await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_find"))).Json();
            await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/tags"))).Json();
        }
        Assert.Empty(Index.HeldSpaces.Intersect(spaces));
        var views = await app.App.Services.GetRequiredService<CasesTables>().Views();
        await Task.Delay(300); // a snapshot would be written in the background
        foreach (var space in spaces)
            Assert.False((await views.GetEntityIfExistsAsync<TableEntity>(space, "head")).HasValue);

        // A space with a case is kept, and found at once after its first write.
        var used = spaces[0];
        await app.CreateCase(used, new { title = "Now it has one" });
        Assert.Equal(1, (await (await app.Http.GetAsync(CasesAppFixture.Api(used, "/cases/_find"))).Json())["total"]!.GetValue<int>());
        Assert.Contains(used, Index.HeldSpaces);
    }

    [Fact]
    public async Task Past_the_memory_ceiling_the_least_recently_used_view_is_dropped_and_reloads_on_demand()
    {
        var (large, small) = (CasesAppFixture.NewSpace(), CasesAppFixture.NewSpace());
        var random = new Random(7);
        string Word() => new(Enumerable.Range(0, 8).Select(_ => (char)('a' + random.Next(26))).ToArray());
        for (var i = 0; i < 4; i++)
            await app.CreateCase(large, new { title = $"Long {i}", description = string.Join(' ', Enumerable.Range(0, 3300).Select(_ => Word())) });
        await app.CreateCase(small, new { title = "Short" });
        Assert.Equal(4, (await (await app.Http.GetAsync(CasesAppFixture.Api(large, "/cases/_find"))).Json())["total"]!.GetValue<int>());
        Assert.Contains(large, Index.HeldSpaces);
        Assert.True(Index.ApproximateBytes > 1024 * 1024, $"{Index.ApproximateBytes} bytes");
        // The next query's sweep may already drop it (at most every 10 s); the ceiling is enforced either way.
        Assert.Equal(1, (await (await app.Http.GetAsync(CasesAppFixture.Api(small, "/cases/_find"))).Json())["total"]!.GetValue<int>());

        Index.EnforceCeiling(inUse: small);
        Assert.DoesNotContain(large, Index.HeldSpaces);
        Assert.Contains(small, Index.HeldSpaces);
        Assert.True(Index.ApproximateBytes <= 1024 * 1024);

        var again = await (await app.Http.GetAsync(CasesAppFixture.Api(large, "/cases/_find?search=Long&perPage=10"))).Json();
        Assert.Equal(4, again["total"]!.GetValue<int>());
    }
}
