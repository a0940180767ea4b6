using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Domain.UserActions;
using Cases.Functions.Cases;
using Cases.Functions.UserActions;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Cases;

public sealed class UserActionsTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    string Api(string path) => CasesAppFixture.Api(space, path);

    async Task<JsonObject> CaseWithHistory()
    {
        var c = await app.CreateCase(space);
        foreach (var change in new object[] { new { title = "Second title" }, new { status = "in-progress" }, new { assignees = new[] { new { uid = "u_1" } } }, new { status = "closed" } })
        {
            app.Clock.Advance(TimeSpan.FromSeconds(10));
            var item = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(change))!.AsObject();
            item["id"] = c["id"]!.GetValue<string>();
            item["version"] = c["version"]!.GetValue<string>();
            c = (await (await app.Http.PatchAsJsonAsync(Api("/cases"), new JsonObject { ["cases"] = new JsonArray(item) })).Json())[0]!.AsObject();
        }
        return c;
    }

    [Fact]
    public async Task Actions_are_listed_oldest_first_and_can_be_filtered_sorted_and_paged()
    {
        var c = await CaseWithHistory();
        string Url(string q) => Api($"/cases/{c["id"]}/user_actions/_find?{q}");
        static string[] Types(JsonNode r) => r["userActions"]!.AsArray().Select(a => $"{a!["action"]}:{a["type"]}").ToArray();

        var all = await (await app.Http.GetAsync(Url(""))).Json();
        Assert.Equal(["create:create_case", "update:title", "update:status", "add:assignees", "update:status"], Types(all));
        Assert.Equal(5, all["total"]!.GetValue<int>());

        Assert.Equal(["update:status", "update:status"], Types(await (await app.Http.GetAsync(Url("types=status"))).Json()));
        Assert.Equal(["update:title", "add:assignees"], Types(await (await app.Http.GetAsync(Url("types=title&types=assignees"))).Json()));
        Assert.Equal(5, (await (await app.Http.GetAsync(Url("types=action"))).Json())["total"]!.GetValue<int>());
        Assert.Empty(Types(await (await app.Http.GetAsync(Url("types=user"))).Json()));

        var newestFirst = await (await app.Http.GetAsync(Url("sortOrder=desc&perPage=2&page=2"))).Json();
        Assert.Equal(["update:status", "update:title"], Types(newestFirst));
        Assert.Equal(5, newestFirst["total"]!.GetValue<int>());
        Assert.Equal(2, newestFirst["perPage"]!.GetValue<int>());

        await (await app.Http.GetAsync(Url("types=nonsense"))).Error(HttpStatusCode.BadRequest, "Invalid value \"nonsense\" supplied to \"types\"");
        await (await app.Http.GetAsync(Url("perPage=101"))).Error(HttpStatusCode.BadRequest, "The maximum allowed perPage value is 100.");
    }

    [Fact]
    public async Task A_change_and_its_user_action_are_committed_together_or_not_at_all()
    {
        var created = await app.CreateCase(space);
        var id = created["id"]!.GetValue<string>();
        var store = app.App.Services.GetRequiredService<CaseStore>();
        var actions = app.App.Services.GetRequiredService<UserActionStore>();
        var current = (await store.Get(space, id, default))!;
        var existing = (await actions.List(space, id, default)).Single();

        // A transaction whose activity row cannot be written (its key is taken) must not change the case either.
        var next = current.Record with { Case = current.Record.Case with { Title = "Must not be written" }, Version = 2 };
        var clash = existing with { Action = "update", Type = "title" };
        await Assert.ThrowsAsync<TableTransactionFailedException>(() => store.TryUpdate(space, current, next, [clash], default));
        Assert.Equal(created["title"]!.GetValue<string>(), (await store.Get(space, id, default))!.Record.Case.Title);

        // And a change whose case row moved on (stale ETag) writes no activity row.
        var moved = (await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id, version = created["version"]!.GetValue<string>(), title = "Moved on" } } }));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var fresh = new UserAction(Guid.NewGuid().ToString(), id, "update", "title", new JsonObject { ["title"] = "x" }, app.Clock.GetUtcNow(), existing.CreatedBy, existing.Owner);
        Assert.False(await store.TryUpdate(space, current, next, [fresh], default));
        Assert.DoesNotContain(await actions.List(space, id, default), a => a.Id == fresh.Id);
        Assert.Equal(2, (await actions.List(space, id, default)).Count);
    }
}
