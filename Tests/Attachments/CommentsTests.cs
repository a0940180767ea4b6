using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Attachments;

public sealed class CommentsTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    string Api(string path) => CasesAppFixture.Api(space, path);

    [Fact]
    public async Task A_comment_is_added_read_edited_and_deleted_with_user_actions_and_counters()
    {
        var c = await app.CreateCase(space);
        var caseId = c.Id();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var markdown = "**Bold** and `code`\n\n- a list <b>with html</b> & émoji 🚨";
        var withComment = await app.AttachOk(space, caseId, UserComment(markdown));
        Assert.Equal(1, withComment["totalComment"]!.GetValue<int>());
        Assert.Equal(c["version"]!.GetValue<string>(), withComment["version"]!.GetValue<string>());
        var comment = withComment["comments"]![0]!;
        Assert.Equal(markdown, comment["comment"]!.GetValue<string>());
        Assert.Equal("user", comment["type"]!.GetValue<string>());
        var now = app.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        Assert.Equal(now, comment["created_at"]!.GetValue<string>());
        Assert.Equal(now, withComment["updated_at"]!.GetValue<string>());

        var got = await app.Get(space, $"/cases/{caseId}/comments/{comment.Id()}");
        Assert.Equal(markdown, got["comment"]!.GetValue<string>());
        var caseRead = await app.Get(space, $"/cases/{caseId}");
        Assert.Equal(comment.Id(), caseRead["comments"]![0]!.Id());

        // A pending edit of the case, read before the comment, still succeeds: counters are not part of the version.
        var edited = await (await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id = caseId, version = c["version"]!.GetValue<string>(), title = "Still mine" } } })).Json();
        Assert.Equal(1, edited[0]!["totalComment"]!.GetValue<int>());

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var update = new JsonObject { ["id"] = comment.Id(), ["version"] = comment["version"]!.GetValue<string>(), ["type"] = "user", ["comment"] = "Edited", ["owner"] = "securitySolution" };
        var updated = await (await app.Http.PatchAsJsonAsync(Api($"/cases/{caseId}/comments"), update)).Json();
        var after = updated["comments"]![0]!;
        Assert.Equal("Edited", after["comment"]!.GetValue<string>());
        Assert.NotEqual(comment["version"]!.GetValue<string>(), after["version"]!.GetValue<string>());
        Assert.NotNull(after["updated_by"]);

        // The stale version now gets 409.
        await (await app.Http.PatchAsJsonAsync(Api($"/cases/{caseId}/comments"), update)).Error(HttpStatusCode.Conflict, "Please refresh before saving additional updates.");

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(Api($"/cases/{caseId}/comments/{comment.Id()}"))).StatusCode);
        await (await app.Http.GetAsync(Api($"/cases/{caseId}/comments/{comment.Id()}"))).Error(HttpStatusCode.NotFound, "not found");
        Assert.Equal(0, (await app.Get(space, $"/cases/{caseId}"))["totalComment"]!.GetValue<int>());

        var actions = await app.Get(space, $"/cases/{caseId}/user_actions/_find?types=user");
        var kinds = actions["userActions"]!.AsArray().Select(a => $"{a!["action"]}:{a["type"]}:{a["payload"]!["comment"]!["comment"]}").ToArray();
        Assert.Equal([$"create:comment:{markdown}", "update:comment:Edited", "delete:comment:Edited"], kinds);
        Assert.All(actions["userActions"]!.AsArray(), a => Assert.Equal(comment.Id(), a!["comment_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Comment_limits_and_malformed_requests_get_Kibana_messages()
    {
        var caseId = (await app.CreateCase(space)).Id();
        Assert.Equal(30_000, (await app.AttachOk(space, caseId, UserComment(new string('a', 30_000))))["comments"]![0]!["comment"]!.GetValue<string>().Length);
        await (await app.Attach(space, caseId, UserComment(new string('a', 30_001)))).Error(HttpStatusCode.BadRequest, "The length of the comment is too long. The maximum length is 30000.");
        await (await app.Attach(space, caseId, UserComment("  "))).Error(HttpStatusCode.BadRequest, "The comment field cannot be an empty string.");
        var extra = UserComment("x");
        extra["foo"] = 1;
        await (await app.Attach(space, caseId, extra)).Error(HttpStatusCode.BadRequest, "invalid keys \"foo\"");
        await (await app.Attach(space, caseId, new JsonObject { ["type"] = "nope", ["owner"] = "cases" })).Error(HttpStatusCode.BadRequest, "Invalid value \"nope\" supplied to \"type\"");
        await (await app.Attach(space, caseId, UserComment("x", owner: "observability"))).Error(HttpStatusCode.BadRequest, "does not match the owner");
        await (await app.Attach(space, "no-such-case", UserComment("x"))).Error(HttpStatusCode.NotFound, "not found");
        await (await app.Http.PatchAsJsonAsync(Api($"/cases/{caseId}/comments"), new JsonObject { ["id"] = "missing", ["version"] = "WzEsMV0=", ["type"] = "user", ["comment"] = "x", ["owner"] = "securitySolution" }))
            .Error(HttpStatusCode.NotFound, "Saved object [cases-comments/missing] not found");
    }

    [Fact]
    public async Task Two_concurrent_edits_of_one_comment_one_wins_the_other_gets_409()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var comment = (await app.AttachOk(space, caseId, UserComment("first")))["comments"]![0]!;
        HttpRequestMessage Edit(string text) => new(HttpMethod.Patch, Api($"/cases/{caseId}/comments"))
        {
            Content = JsonContent.Create(new JsonObject { ["id"] = comment.Id(), ["version"] = comment["version"]!.GetValue<string>(), ["type"] = "user", ["comment"] = text, ["owner"] = "securitySolution" }),
        };
        var responses = await Task.WhenAll(app.Http.SendAsync(Edit("one")), app.Http.SendAsync(Edit("two")));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order().ToArray());
        var winner = (await responses.Single(r => r.IsSuccessStatusCode).Json())["comments"]![0]!["comment"]!.GetValue<string>();
        Assert.Equal(winner, (await app.Get(space, $"/cases/{caseId}/comments/{comment.Id()}"))["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_additions_all_count()
    {
        var caseId = (await app.CreateCase(space)).Id();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => app.AttachOk(space, caseId, UserComment($"comment {i}"))));
        var c = await app.Get(space, $"/cases/{caseId}");
        Assert.Equal(8, c["totalComment"]!.GetValue<int>());
        Assert.Equal(8, c["comments"]!.AsArray().Count);
        // _find reads the space's view, which attachment changes keep current.
        var found = await app.Get(space, "/cases/_find");
        Assert.Equal(8, found["cases"]![0]!["totalComment"]!.GetValue<int>());
    }

    [Fact]
    public async Task Find_pages_and_sorts_and_delete_all_removes_everything()
    {
        var caseId = (await app.CreateCase(space)).Id();
        for (var i = 1; i <= 5; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await app.AttachOk(space, caseId, UserComment($"c{i}"));
        }
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await app.AttachOk(space, caseId, Alerts(["a1", "a2"]));
        static string[] Texts(JsonNode page) => page["comments"]!.AsArray().Select(c => c!["comment"]?.GetValue<string>() ?? c["type"]!.GetValue<string>()).ToArray();
        // As in Kibana: user comments only, oldest first unless sortOrder=desc.
        var oldest = await app.Get(space, $"/cases/{caseId}/comments/_find?perPage=2");
        Assert.Equal(["c1", "c2"], Texts(oldest));
        Assert.Equal(5, oldest["total"]!.GetValue<int>());
        Assert.Equal(["c3", "c4"], Texts(await app.Get(space, $"/cases/{caseId}/comments/_find?perPage=2&page=2&sortOrder=asc")));
        Assert.Equal(["c5", "c4"], Texts(await app.Get(space, $"/cases/{caseId}/comments/_find?perPage=2&sortOrder=desc")));
        await (await app.Http.GetAsync(Api($"/cases/{caseId}/comments/_find?perPage=101"))).Error(HttpStatusCode.BadRequest, "The maximum allowed perPage value is 100.");

        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(Api($"/cases/{caseId}/comments"))).StatusCode);
        var c = await app.Get(space, $"/cases/{caseId}");
        Assert.Empty(c["comments"]!.AsArray());
        Assert.Equal(0, c["totalComment"]!.GetValue<int>());
        Assert.Equal(0, c["totalAlerts"]!.GetValue<int>());
        Assert.Empty((await app.Get(space, "/cases/alerts/a1")).AsArray());
        Assert.Equal(6, (await app.Get(space, $"/cases/{caseId}/user_actions/_find?types=comment&perPage=100"))["userActions"]!.AsArray().Count(a => a!["action"]!.GetValue<string>() == "delete"));
    }

    [Fact]
    public async Task A_quote_is_a_new_comment_that_keeps_the_reference()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var original = (await app.AttachOk(space, caseId, UserComment("The host is compromised.")))["comments"]![0]!;
        var quote = UserComment("> The host is compromised.\n\nAgreed, isolating it.");
        quote["quotedCommentId"] = original.Id();
        var reply = (await app.AttachOk(space, caseId, quote))["comments"]!.AsArray().Single(c => c!.Id() != original.Id())!;
        Assert.Equal(original.Id(), reply["quotedCommentId"]!.GetValue<string>());
        Assert.Equal(original.Id(), (await app.Get(space, $"/cases/{caseId}/comments/{reply.Id()}"))["quotedCommentId"]!.GetValue<string>());

        quote["quotedCommentId"] = "does-not-exist";
        await (await app.Attach(space, caseId, quote)).Error(HttpStatusCode.BadRequest, "The quoted comment does-not-exist does not exist on this case.");
    }

    [Fact]
    public async Task Visualizations_and_events_are_stored_as_given()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var lens = JsonNode.Parse("""{"attributes":{"title":"Logins","visualizationType":"lnsXY","state":{"query":{"language":"kuery","query":"event.outcome : \"failure\""},"filters":[],"datasourceStates":{"formBased":{"layers":{"l1":{"columns":{"c1":{"operationType":"count","label":"Count"}}}}}}},"references":[{"type":"index-pattern","id":"logs-*","name":"indexpattern"}]},"timeRange":{"from":"now-7d","to":"now"},"metadata":{"nested":[1,2.5,null,true]}}""")!;
        var body = new JsonObject
        {
            ["type"] = "persistableState",
            ["persistableStateAttachmentTypeId"] = ".lens",
            ["persistableStateAttachmentState"] = lens.DeepClone(),
            ["owner"] = "securitySolution",
        };
        var stored = (await app.AttachOk(space, caseId, body))["comments"]![0]!;
        var read = await app.Get(space, $"/cases/{caseId}/comments/{stored.Id()}");
        Assert.True(JsonNode.DeepEquals(lens, read["persistableStateAttachmentState"]), read.ToJsonString());
        Assert.Equal(".lens", read["persistableStateAttachmentTypeId"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromSeconds(5));
        await app.AttachOk(space, caseId, new JsonObject { ["type"] = "event", ["eventId"] = new JsonArray("e1", "e2"), ["index"] = new JsonArray("logs-1", "logs-1"), ["owner"] = "securitySolution" });
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        await app.AttachOk(space, caseId, new JsonObject { ["type"] = "event", ["eventId"] = "e3", ["index"] = "logs-2", ["owner"] = "securitySolution" });
        var events = (await app.Get(space, $"/cases/{caseId}/events")).AsArray();
        Assert.Equal(["e3", "e2", "e1"], events.Select(e => e!["id"]!.GetValue<string>()).ToArray());
        Assert.Equal("logs-2", events[0]!["index"]!.GetValue<string>());
        var c = await app.Get(space, $"/cases/{caseId}");
        Assert.Equal(0, c["totalComment"]!.GetValue<int>());
        Assert.Equal(3, c["comments"]!.AsArray().Count);
    }
}
