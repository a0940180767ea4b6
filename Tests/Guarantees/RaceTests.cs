using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Functions.Cases;
using Cases.Functions.Numbering;
using Cases.Functions.Testing;
using Cases.Tests.Attachments;
using Cases.Tests.Files;
using Cases.Tests.Infrastructure;
using Cases.Tests.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Guarantees;

/// <summary>
/// Writes that read then commit, raced for real: every request is held at the app's hook point between its read and its
/// commit until all of them have read, then all go at once. The stored state afterwards must hold the winner's values,
/// the loser's 409 (or its change applied again, where that is the design), complete counters and user actions, and limits.
/// </summary>
public sealed class RaceTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    string Api(string path) => CasesAppFixture.Api(space, path);

    /// <summary>Starts the requests, waits until each is held at the point, then lets them all commit at once.</summary>
    async Task<HttpResponseMessage[]> Race(string point, params Func<Task<HttpResponseMessage>>[] requests)
    {
        using var gate = HookGate.Hold(app.Hooks, point, space, requests.Length);
        var sent = requests.Select(r => Task.Run(r)).ToArray();
        await Task.WhenAny(gate.AllArrived(), Task.WhenAll(sent)); // a request that failed before its commit shows below
        Assert.True(gate.Seen >= requests.Length, "not every request reached " + point + ": " +
            string.Join(", ", sent.Where(t => t.IsCompleted).Select(t => (int)t.Result.StatusCode)));
        gate.Release();
        return await Task.WhenAll(sent);
    }

    static HttpStatusCode[] Statuses(HttpResponseMessage[] responses) => responses.Select(r => r.StatusCode).Order().ToArray();

    async Task<int> ActionCount(string caseId, string type) =>
        (await app.Get(space, $"/cases/{caseId}/user_actions/_find?types={type}&perPage=100"))["total"]!.GetValue<int>();

    [Fact]
    public async Task Two_edits_of_one_case_version_one_wins_the_other_gets_409_and_nothing_of_it_is_stored()
    {
        var c = await app.CreateCase(space);
        var (id, version) = (c.Id(), c["version"]!.GetValue<string>());
        Task<HttpResponseMessage> Edit(string title) =>
            app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id, version, title } } });

        var responses = await Race(HookPoints.CaseCommit, () => Edit("by A"), () => Edit("by B"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], Statuses(responses));
        var winner = (await responses.Single(r => r.IsSuccessStatusCode).Json())[0]!;
        var stored = await app.Get(space, $"/cases/{id}");
        Assert.Equal(winner["title"]!.GetValue<string>(), stored["title"]!.GetValue<string>());
        Assert.Equal(winner["version"]!.GetValue<string>(), stored["version"]!.GetValue<string>());
        Assert.Equal(1, await ActionCount(id, "title"));
    }

    [Fact]
    public async Task Two_bulk_updates_of_the_same_cases_one_wins_whole_the_loser_writes_nothing()
    {
        var cases = new[] { await app.CreateCase(space), await app.CreateCase(space) };
        Task<HttpResponseMessage> Bulk(string tag) => app.Http.PatchAsJsonAsync(Api("/cases"), new
        {
            cases = cases.Select(c => new { id = c.Id(), version = c["version"]!.GetValue<string>(), tags = new[] { tag } }).ToArray(),
        });

        var responses = await Race(HookPoints.CaseCommit, () => Bulk("a"), () => Bulk("b"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], Statuses(responses));
        var winnerTag = (await responses.Single(r => r.IsSuccessStatusCode).Json())[0]!["tags"]![0]!.GetValue<string>();
        foreach (var c in cases)
        {
            var stored = await app.Get(space, $"/cases/{c.Id()}");
            Assert.Equal([winnerTag], stored["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
            Assert.Equal(2, await ActionCount(c.Id(), "tags")); // the winner's: one "add" [a or b], one "delete" [phishing, web]
        }
    }

    [Fact]
    public async Task Comments_added_at_once_are_all_kept_and_counted()
    {
        var caseId = (await app.CreateCase(space)).Id();

        var responses = await Race(HookPoints.AttachmentCommit,
            () => app.Attach(space, caseId, AttachmentTestClient.UserComment("first")),
            () => app.Attach(space, caseId, AttachmentTestClient.UserComment("second")),
            () => app.Attach(space, caseId, AttachmentTestClient.UserComment("third")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var stored = await app.Get(space, $"/cases/{caseId}");
        Assert.Equal(3, stored["totalComment"]!.GetValue<int>());
        Assert.Equal(["first", "second", "third"], stored["comments"]!.AsArray().Select(x => x!["comment"]!.GetValue<string>()).Order());
        Assert.Equal(3, await ActionCount(caseId, "comment"));
    }

    [Fact]
    public async Task Two_edits_of_one_comment_version_one_wins_the_other_gets_409()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var comment = (await app.AttachOk(space, caseId, AttachmentTestClient.UserComment("original")))["comments"]![0]!;
        Task<HttpResponseMessage> Edit(string text) => app.Http.PatchAsJsonAsync(Api($"/cases/{caseId}/comments"), new JsonObject
        {
            ["id"] = comment.Id(),
            ["version"] = comment["version"]!.GetValue<string>(),
            ["type"] = "user",
            ["comment"] = text,
            ["owner"] = "securitySolution",
        });

        var responses = await Race(HookPoints.AttachmentCommit, () => Edit("by A"), () => Edit("by B"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], Statuses(responses));
        var winner = (await responses.Single(r => r.IsSuccessStatusCode).Json())["comments"]![0]!["comment"]!.GetValue<string>();
        var stored = await app.Get(space, $"/cases/{caseId}/comments/{comment.Id()}");
        Assert.Equal(winner, stored["comment"]!.GetValue<string>());
        Assert.Equal(2, await ActionCount(caseId, "comment")); // the create and the winner's edit
    }

    [Fact]
    public async Task Alerts_attached_at_once_never_take_a_case_past_1000()
    {
        var caseId = (await app.CreateCase(space)).Id();
        await app.AttachOk(space, caseId, AttachmentTestClient.Alerts(Enumerable.Range(0, 999).Select(i => $"alert-{i}")));

        var responses = await Race(HookPoints.AttachmentCommit,
            () => app.Attach(space, caseId, AttachmentTestClient.Alerts(["late-a"])),
            () => app.Attach(space, caseId, AttachmentTestClient.Alerts(["late-b"])));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadRequest], Statuses(responses));
        await responses.Single(r => !r.IsSuccessStatusCode).Error(HttpStatusCode.BadRequest, "maximum allowed number (1000) of attached alerts");
        var stored = await app.Get(space, $"/cases/{caseId}");
        Assert.Equal(1000, stored["totalAlerts"]!.GetValue<int>());
        Assert.Equal(1000, (await app.Get(space, $"/cases/{caseId}/alerts")).AsArray().Count);
    }

    [Fact]
    public async Task Observables_added_at_once_never_take_a_case_past_50()
    {
        var caseId = (await app.CreateCase(space)).Id();
        Task<HttpResponseMessage> Add(string value) => app.Http.PostAsJsonAsync(Api($"/cases/{caseId}/observables"), new JsonObject
        {
            ["observable"] = new JsonObject { ["typeKey"] = "observable-type-ipv4", ["value"] = value },
        });
        for (var i = 1; i <= 49; i++) await (await Add($"10.0.0.{i}")).Json();

        var responses = await Race(HookPoints.AttachmentCommit, () => Add("10.0.1.1"), () => Add("10.0.1.2"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadRequest], Statuses(responses));
        await responses.Single(r => !r.IsSuccessStatusCode).Error(HttpStatusCode.BadRequest, "maximum allowed number (50) of observables");
        Assert.Equal(50, (await app.Get(space, $"/cases/{caseId}/observables"))["observables"]!.AsArray().Count);
        Assert.Equal(50, await ActionCount(caseId, "observables"));
    }

    [Fact]
    public async Task Two_updates_of_one_settings_version_one_wins_the_other_gets_409()
    {
        var created = await app.Configure(space, SettingsClient.Body());
        var (id, version) = (created["id"]!.GetValue<string>(), created["version"]!.GetValue<string>());

        var responses = await Race(HookPoints.SettingsCommit,
            () => app.PatchSettings(space, id, new JsonObject { ["version"] = version, ["closure_type"] = "close-by-pushing" }),
            () => app.PatchSettings(space, id, new JsonObject { ["version"] = version, ["customFields"] = new JsonArray(SettingsClient.Field("ticket", "text")) }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], Statuses(responses));
        var winner = await responses.Single(r => r.IsSuccessStatusCode).Json();
        var stored = (await app.Get(space, "/cases/configure")).AsArray().Single()!;
        Assert.Equal(winner["version"]!.GetValue<string>(), stored["version"]!.GetValue<string>());
        Assert.Equal(winner["closure_type"]!.GetValue<string>(), stored["closure_type"]!.GetValue<string>());
        Assert.Equal(winner["customFields"]!.AsArray().Count, stored["customFields"]!.AsArray().Count);
    }

    [Fact]
    public async Task Files_committed_at_once_are_all_kept_and_counted()
    {
        var caseId = (await app.CreateCase(space)).Id();

        var responses = await Race(HookPoints.FileCommit,
            () => app.UploadRaw(space, caseId, "a.txt", "text/plain", "first"u8.ToArray()),
            () => app.UploadRaw(space, caseId, "b.txt", "text/plain", "second"u8.ToArray()));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var files = await app.Get(space, $"/cases/{caseId}/files");
        Assert.Equal(2, files["total"]!.GetValue<int>());
        Assert.Equal(2, (await app.Blobs(space, caseId)).Count);
        var row = (await (await app.CasesTable()).GetEntityAsync<Azure.Data.Tables.TableEntity>(space, Functions.Cases.CaseRows.CaseKey(caseId))).Value;
        Assert.Equal(2, row.GetInt32("TotalFiles"));
    }

    [Fact]
    public async Task Files_deleted_at_once_from_one_case_are_all_removed_and_counted()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var ids = new List<string>();
        foreach (var name in new[] { "a.txt", "b.txt", "c.txt" })
            ids.Add((await app.UploadRaw(space, caseId, name, "text/plain", "x"u8.ToArray()).Uploaded())["id"]!.GetValue<string>());
        Task<HttpResponseMessage> Delete(string fileId) => app.Http.DeleteAsync(Api($"/cases/{caseId}/files?ids={fileId}"));

        // Both read the case's counters; the loser's transaction fails on the moved case row and must be sent again.
        var responses = await Race(HookPoints.FileDetach, () => Delete(ids[0]), () => Delete(ids[1]));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        var files = (await app.Get(space, $"/cases/{caseId}/files"))["files"]!.AsArray();
        Assert.Equal([ids[2]], files.Select(f => f!["id"]!.GetValue<string>()));
        Assert.Single(await app.Blobs(space, caseId));
        Assert.Equal(1, await app.TotalFiles(space, caseId));
        Assert.Equal(0, await app.PendingBlobNotes(space)); // each deletion settled its notes
        Assert.Equal(5, await ActionCount(caseId, "comment")); // three uploads, two deletions
    }

    [Fact]
    public async Task A_file_deleted_twice_at_once_is_removed_once()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var fileId = (await app.UploadRaw(space, caseId, "a.txt", "text/plain", "x"u8.ToArray()).Uploaded())["id"]!.GetValue<string>();
        await app.UploadRaw(space, caseId, "b.txt", "text/plain", "x"u8.ToArray()).Uploaded();
        Task<HttpResponseMessage> Delete() => app.Http.DeleteAsync(Api($"/cases/{caseId}/files?ids={fileId}"));

        var responses = await Race(HookPoints.FileDetach, Delete, Delete);

        // The loser finds the file gone when it tries again: the outcome it asked for, recorded once.
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal(1, (await app.Get(space, $"/cases/{caseId}/files"))["total"]!.GetValue<int>());
        Assert.Equal(1, await app.TotalFiles(space, caseId));
        Assert.Single(await app.Blobs(space, caseId));
        Assert.Equal(3, await ActionCount(caseId, "comment")); // two uploads, one deletion
    }

    [Fact]
    public async Task A_case_edited_while_its_deletion_is_on_its_way_is_deleted_all_the_same()
    {
        var c = await app.CreateCase(space);
        var id = c.Id();
        Task<HttpResponseMessage> deletion;
        using (var gate = HookGate.Hold(app.Hooks, HookPoints.DeleteMark, space, 1))
        {
            deletion = app.Http.DeleteAsync(Api($"/cases?ids={id}"));
            await gate.AllArrived(); // the deletion read the case; its mark is conditional on that version
            await app.Patch(space, id, new { title = "edited meanwhile" });
        }
        Assert.Equal(HttpStatusCode.NoContent, (await deletion).StatusCode);
        await (await app.Http.GetAsync(Api($"/cases/{id}"))).Error(HttpStatusCode.NotFound, id);
        Assert.Equal(0, (await app.Get(space, "/cases/_find"))["total"]!.GetValue<int>());
        // One delete record, the deletion's only; nothing of the case or the edit left.
        Assert.Equal([CaseRows.DeletedKey(id)], (await app.CaseTableRows(space)).Select(r => r.RowKey));
    }

    [Fact]
    public async Task A_case_deleted_twice_at_once_is_deleted_once()
    {
        var id = (await app.CreateCase(space)).Id();
        Task<HttpResponseMessage> Delete() => app.Http.DeleteAsync(Api($"/cases?ids={id}"));

        // The loser's mark fails on the winner's; it finds the case marked already and goes on to purge.
        var responses = await Race(HookPoints.DeleteMark, Delete, Delete);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        await (await app.Http.GetAsync(Api($"/cases/{id}"))).Error(HttpStatusCode.NotFound, id);
        Assert.Equal([CaseRows.DeletedKey(id)], (await app.CaseTableRows(space)).Select(r => r.RowKey));
    }

    [Fact]
    public async Task A_numbering_run_that_read_the_counter_before_others_moved_it_never_hands_out_a_number_twice()
    {
        // The space's counter exists already (so runs update it under its ETag rather than create it).
        var zeroth = (await app.CreateCase(space)).Id();
        await ActivatorUtilities.CreateInstance<CaseNumberer>(app.App.Services).Run(default);
        var first = new[] { (await app.CreateCase(space)).Id(), (await app.CreateCase(space)).Id() };
        var slow = ActivatorUtilities.CreateInstance<CaseNumberer>(app.App.Services);
        var gate = HookGate.Hold(app.Hooks, HookPoints.NumberingCommit, space, 1);
        var slowRun = Task.Run(() => slow.Run(default));
        await gate.AllArrived(); // read the counter (1) and planned #2, #3

        // Meanwhile other runs number those two and a third case, moving the counter to 4.
        await ActivatorUtilities.CreateInstance<CaseNumberer>(app.App.Services).Run(default);
        var third = (await app.CreateCase(space)).Id();
        await ActivatorUtilities.CreateInstance<CaseNumberer>(app.App.Services).Run(default);
        gate.Dispose();
        await slowRun; // its batch was planned on a stale counter
        var fourth = (await app.CreateCase(space)).Id();
        await ActivatorUtilities.CreateInstance<CaseNumberer>(app.App.Services).Run(default);

        var numbers = new List<long>();
        foreach (var id in first.Prepend(zeroth).Append(third).Append(fourth))
            numbers.Add((await app.Get(space, $"/cases/{id}"))["incremental_id"]!.GetValue<long>());
        Assert.Equal([1L, 2, 3, 4, 5], numbers);
    }
}
