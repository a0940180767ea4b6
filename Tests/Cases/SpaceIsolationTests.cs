using System.Net;
using System.Net.Http.Json;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Cases;

/// <summary>Nothing of one space is visible or changeable from another.</summary>
public sealed class SpaceIsolationTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task A_case_of_one_space_cannot_be_read_found_changed_or_deleted_from_another()
    {
        var mine = CasesAppFixture.NewSpace();
        var other = CasesAppFixture.NewSpace();
        var created = await app.CreateCase(mine);
        var id = created["id"]!.GetValue<string>();
        var version = created["version"]!.GetValue<string>();

        foreach (var space in new[] { other, "default" })
        {
            await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{id}"))).Error(HttpStatusCode.NotFound, "not found");
            await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{id}/user_actions/_find"))).Error(HttpStatusCode.NotFound, "not found");
            var found = await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_find"))).Json();
            Assert.DoesNotContain(found["cases"]!.AsArray(), c => c!["id"]!.GetValue<string>() == id);
            await (await app.Http.PatchAsJsonAsync(CasesAppFixture.Api(space, "/cases"), new { cases = new[] { new { id, version, title = "hijacked" } } }))
                .Error(HttpStatusCode.NotFound, "do not exist");
            await (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases?ids={id}"))).Error(HttpStatusCode.NotFound, "not found");
        }

        var still = await (await app.Http.GetAsync(CasesAppFixture.Api(mine, $"/cases/{id}"))).Json();
        Assert.Equal(created["title"]!.GetValue<string>(), still["title"]!.GetValue<string>());
        var mineFound = await (await app.Http.GetAsync(CasesAppFixture.Api(mine, "/cases/_find"))).Json();
        Assert.Equal(1, mineFound["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_default_space_is_served_at_api_and_at_s_default_api()
    {
        var created = await app.CreateCase("default");
        var id = created["id"]!.GetValue<string>();
        var viaPrefix = await (await app.Http.GetAsync($"/s/default/api/cases/{id}")).Json();
        Assert.Equal(id, viaPrefix["id"]!.GetValue<string>());
    }
}
