using Cases.Functions.Cases;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Cases;

public sealed class CaseLifecycleTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    string Api(string path) => CasesAppFixture.Api(space, path);

    [Fact]
    public async Task Create_fills_defaults_and_get_returns_the_same_case()
    {
        var created = await app.CreateCase(space);

        Assert.Equal("low", created["severity"]!.GetValue<string>());
        Assert.Equal("open", created["status"]!.GetValue<string>());
        Assert.Empty(created["assignees"]!.AsArray());
        Assert.Null(created["category"]);
        Assert.Null(created["incremental_id"]);
        Assert.Equal("local-tester", created["created_by"]!["username"]!.GetValue<string>());

        var fetched = await (await app.Http.GetAsync(Api($"/cases/{created["id"]}"))).Json();
        Assert.True(JsonNode.DeepEquals(created, fetched), $"{created}\n!=\n{fetched}");
    }

    [Fact]
    public async Task Closing_stamps_closed_at_closed_by_and_duration_and_reopening_clears_them()
    {
        var created = await app.CreateCase(space);
        app.Clock.Advance(TimeSpan.FromSeconds(90.6));
        var closed = (await Patch(created, new { status = "closed" }))[0]!.AsObject();

        Assert.Equal("closed", closed["status"]!.GetValue<string>());
        Assert.Equal(90, closed["duration"]!.GetValue<long>());
        Assert.Equal(closed["updated_at"]!.GetValue<string>(), closed["closed_at"]!.GetValue<string>());
        Assert.Equal("local-tester", closed["closed_by"]!["username"]!.GetValue<string>());
        Assert.NotEqual(created["version"]!.GetValue<string>(), closed["version"]!.GetValue<string>());

        var reopened = (await Patch(closed, new { status = "in-progress" }))[0]!;
        Assert.Equal("in-progress", reopened["status"]!.GetValue<string>());
        Assert.Null(reopened["closed_at"]);
        Assert.Null(reopened["closed_by"]);
        Assert.Null(reopened["duration"]);
    }

    [Fact]
    public async Task Update_changes_several_fields_of_several_cases_at_once()
    {
        var a = await app.CreateCase(space);
        var b = await app.CreateCase(space);
        var response = await app.Http.PatchAsJsonAsync(Api("/cases"), new
        {
            cases = new object[]
            {
                new { id = a["id"]!.GetValue<string>(), version = a["version"]!.GetValue<string>(), title = "Renamed", tags = new[] { "web", "ransomware" }, severity = "critical" },
                new { id = b["id"]!.GetValue<string>(), version = b["version"]!.GetValue<string>(), category = "Malware", assignees = new[] { new { uid = "u_1" } } },
            },
        });
        var updated = (await response.Json()).AsArray();

        Assert.Equal("Renamed", updated[0]!["title"]!.GetValue<string>());
        Assert.Equal(["web", "ransomware"], updated[0]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("critical", updated[0]!["severity"]!.GetValue<string>());
        Assert.Equal("Malware", updated[1]!["category"]!.GetValue<string>());
        Assert.Equal("u_1", updated[1]!["assignees"]![0]!["uid"]!.GetValue<string>());
        Assert.NotNull(updated[1]!["updated_at"]);
    }

    [Fact]
    public async Task A_stale_version_gets_409_and_changes_nothing()
    {
        var created = await app.CreateCase(space);
        await Patch(created, new { title = "First edit" });

        var response = await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id = Id(created), version = Version(created), title = "Second edit" } } });
        await response.Error(HttpStatusCode.Conflict, $"These cases {Id(created)} has been updated. Please refresh before saving additional updates.");

        var current = await (await app.Http.GetAsync(Api($"/cases/{Id(created)}"))).Json();
        Assert.Equal("First edit", current["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_concurrent_edits_with_the_same_version_one_wins_one_gets_409()
    {
        var created = await app.CreateCase(space);
        var edits = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => app.Http.PatchAsJsonAsync(Api("/cases"),
            new { cases = new[] { new { id = Id(created), version = Version(created), title = $"Edit {i}" } } })));

        Assert.Equal(1, edits.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(5, edits.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var actions = await (await app.Http.GetAsync(Api($"/cases/{Id(created)}/user_actions/_find?types=title"))).Json();
        Assert.Equal(1, actions["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_missing_version_or_id_is_a_400_and_an_unknown_id_a_404_with_nothing_written()
    {
        var created = await app.CreateCase(space);
        var noVersion = await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id = Id(created), title = "x" } } });
        await noVersion.Error(HttpStatusCode.BadRequest, "Invalid value \"undefined\" supplied to \"cases,version\"");

        var unknown = await app.Http.PatchAsJsonAsync(Api("/cases"), new
        {
            cases = new[]
            {
                new { id = Id(created), version = Version(created), title = "Should not be written" },
                new { id = "2c9f6f1e-0000-4000-8000-000000000000", version = "WzEsMV0=", title = "x" },
            },
        });
        await unknown.Error(HttpStatusCode.NotFound, "These cases 2c9f6f1e-0000-4000-8000-000000000000 do not exist.");
        var current = await (await app.Http.GetAsync(Api($"/cases/{Id(created)}"))).Json();
        Assert.Equal(created["title"]!.GetValue<string>(), current["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_field_in_one_case_writes_none_of_them()
    {
        var a = await app.CreateCase(space);
        var b = await app.CreateCase(space);
        var response = await app.Http.PatchAsJsonAsync(Api("/cases"), new
        {
            cases = new object[]
            {
                new { id = Id(a), version = Version(a), title = "Valid change" },
                new { id = Id(b), version = Version(b), title = new string('x', 161) },
            },
        });
        await response.Error(HttpStatusCode.BadRequest, "The length of the title is too long. The maximum length is 160.");
        var current = await (await app.Http.GetAsync(Api($"/cases/{Id(a)}"))).Json();
        Assert.Equal(Version(a), current["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_update_that_changes_nothing_gets_406()
    {
        var created = await app.CreateCase(space);
        var response = await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id = Id(created), version = Version(created), title = created["title"]!.GetValue<string>() } } });
        await response.Error(HttpStatusCode.NotAcceptable, "All update fields are identical to current version.");
    }

    [Fact]
    public async Task Bulk_limits_are_enforced()
    {
        var tooMany = Enumerable.Range(0, 101).Select(i => new { id = $"id-{i}", version = "WzEsMV0=", title = "x" }).ToArray();
        await (await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = tooMany }))
            .Error(HttpStatusCode.BadRequest, "The length of the field cases is too long. Array must be of length <= 100.");
        await (await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = Array.Empty<object>() }))
            .Error(HttpStatusCode.BadRequest, "The length of the field cases is too short. Array must be of length >= 1.");

        var ids = string.Join("&", Enumerable.Range(0, 101).Select(i => $"ids=id-{i}"));
        await (await app.Http.DeleteAsync(Api($"/cases?{ids}"))).Error(HttpStatusCode.BadRequest, "The length of the field ids is too long. Array must be of length <= 100.");
        await (await app.Http.DeleteAsync(Api("/cases"))).Error(HttpStatusCode.BadRequest, "The length of the field ids is too short.");
    }

    [Fact]
    public async Task Delete_removes_the_cases_and_everything_they_own_and_keeps_a_delete_record()
    {
        var a = await app.CreateCase(space);
        var b = await app.CreateCase(space);
        await Patch(a, new { title = "Edited before delete", tags = new[] { "x" } });

        var response = await app.Http.DeleteAsync(Api($"/cases?ids={Uri.EscapeDataString($"[\"{Id(a)}\",\"{Id(b)}\"]")}"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        await (await app.Http.GetAsync(Api($"/cases/{Id(a)}"))).Error(HttpStatusCode.NotFound, $"Saved object [cases/{Id(a)}] not found");
        await (await app.Http.GetAsync(Api($"/cases/{Id(b)}/user_actions/_find"))).Error(HttpStatusCode.NotFound, "not found");
        var keys = (await app.CaseTableRows(space)).Select(r => r.RowKey);
        // What stays: the delete records.
        Assert.Equal(new[] { $"deleted_{Id(a)}", $"deleted_{Id(b)}" }.Order(), keys.Order());

        await (await app.Http.DeleteAsync(Api($"/cases?ids={Id(a)}"))).Error(HttpStatusCode.NotFound, $"Saved object [cases/{Id(a)}] not found");
    }

    [Fact]
    public async Task A_delete_cut_off_after_marking_the_case_is_finished_by_deleting_again()
    {
        var created = await app.CreateCase(space);
        var table = await app.CasesTable();
        // What a crash right after the first step leaves: the case marked deleted, its activity still there.
        await table.UpdateEntityAsync(new Azure.Data.Tables.TableEntity(space, $"case_{Id(created)}") { ["Deleted"] = true }, Azure.ETag.All);
        await (await app.Http.GetAsync(Api($"/cases/{Id(created)}"))).Error(HttpStatusCode.NotFound, "not found");
        var found = await (await app.Http.GetAsync(Api("/cases/_find"))).Json();
        Assert.DoesNotContain(found["cases"]!.AsArray(), c => c!["id"]!.GetValue<string>() == Id(created));

        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(Api($"/cases?ids={Id(created)}"))).StatusCode);
        Assert.Empty((await app.CaseTableRows(space)).Where(r => r.GetBoolean("Deleted") != true).Select(r => r.RowKey));
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_404()
    {
        await (await app.Http.GetAsync(Api("/cases/2c9f6f1e-0000-4000-8000-000000000000"))).Error(HttpStatusCode.NotFound, "not found");
        await (await app.Http.GetAsync(Api("/cases/has%20space'quote"))).Error(HttpStatusCode.NotFound, "not found");
    }

    async Task<JsonArray> Patch(JsonObject current, object changes)
    {
        var item = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(changes))!.AsObject();
        item["id"] = Id(current);
        item["version"] = Version(current);
        var response = await app.Http.PatchAsJsonAsync(Api("/cases"), new JsonObject { ["cases"] = new JsonArray(item) });
        return (await response.Json()).AsArray();
    }

    static string Id(JsonNode c) => c["id"]!.GetValue<string>();
    static string Version(JsonNode c) => c["version"]!.GetValue<string>();
}
