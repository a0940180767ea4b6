using System.Net;
using System.Text.Json.Nodes;
using Cases.Functions.Numbering;
using Cases.Tests.Attachments;
using Cases.Tests.Files;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Transfer;

public sealed class ExportImportTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();

    /// <summary>Three cases with comments, alerts, edits and a closure, numbered; returns their ids.</summary>
    async Task<List<string>> Seed(string inSpace)
    {
        var first = (await app.CreateCase(inSpace, new { title = "Ransomware, \"stage 2\"\non db-01", severity = "critical", assignees = new[] { new { uid = "u_1" } }, category = "Malware" })).Id();
        await app.AttachOk(inSpace, first, AttachmentTestClient.UserComment("Isolated the host."));
        await app.AttachOk(inSpace, first, AttachmentTestClient.Alerts(["alert-1", "alert-2"]));
        await app.AttachOk(inSpace, first, AttachmentTestClient.UserComment("Backups are clean."));
        await app.Patch(inSpace, first, new { status = "in-progress", tags = new[] { "ransomware" } });
        var second = (await app.CreateCase(inSpace, new { title = "Phishing wave" })).Id();
        await app.AttachOk(inSpace, second, AttachmentTestClient.UserComment("Blocked the sender."));
        await app.Patch(inSpace, second, new { status = "closed" });
        var third = (await app.CreateCase(inSpace, new { title = "Disk full", owner = "observability" })).Id();
        await Number();
        return [first, second, third];
    }

    async Task Number() => await ActivatorUtilities.CreateInstance<CaseNumberer>(app.App.Services).Run(CancellationToken.None);

    /// <summary>What a client sees of a case: the case with its comments, and its user actions.</summary>
    async Task<(JsonObject Case, JsonNode Actions)> Read(string inSpace, string id) =>
        ((await app.Get(inSpace, $"/cases/{id}")).AsObject(), await app.Get(inSpace, $"/cases/{id}/user_actions/_find?perPage=100&sortOrder=asc"));

    [Fact]
    public async Task Export_then_delete_then_import_restores_every_case_comment_and_user_action_identically()
    {
        var ids = await Seed(space);
        var before = new List<(JsonObject Case, JsonNode Actions)>();
        foreach (var id in ids) before.Add(await Read(space, id));

        var lines = await app.ExportLines(space, new { type = new[] { "cases" } });
        var details = lines[^1];
        Assert.Equal(lines.Count - 1, details["exportedCount"]!.GetValue<int>());
        Assert.Equal(3, lines.OfType("cases").Count());
        Assert.Equal(4, lines.OfType("cases-comments").Count());
        Assert.Equal(0, details["missingRefCount"]!.GetValue<int>());

        var deleted = await app.Http.DeleteAsync(CasesAppFixture.Api(space, "/cases?" + string.Join('&', ids.Select(i => "ids=" + i))));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var result = await app.ImportOk(space, TransferClient.Ndjson(lines));
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal(lines.Count - 1, result["successCount"]!.GetValue<int>());

        for (var i = 0; i < ids.Count; i++)
        {
            var (c, actions) = await Read(space, ids[i]);
            // Numbers come from this deployment's numbering, not from the file.
            Assert.True(c["incremental_id"] is null, "an imported case waits for its number");
            c.Remove("incremental_id");
            before[i].Case.Remove("incremental_id");
            Assert.Equal(before[i].Case.ToJsonString(), c.ToJsonString());
            Assert.Equal(before[i].Actions.ToJsonString(), actions.ToJsonString());
        }
        await Number();
        Assert.NotNull((await app.Get(space, $"/cases/{ids[0]}"))["incremental_id"]);
        var found = await app.Get(space, "/cases/_find?perPage=10");
        Assert.Equal(3, found["total"]!.GetValue<int>());
        // The alert index was restored with the alert attachment.
        Assert.Equal([ids[0]], (await app.Get(space, "/cases/alerts/alert-1")).AsArray().Select(c => c!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_space_exported_imports_into_another_space_without_touching_the_first()
    {
        var ids = await Seed(space);
        var lines = await app.ExportLines(space, new { type = "cases" });
        var other = CasesAppFixture.NewSpace();
        var result = await app.ImportOk(other, TransferClient.Ndjson(lines));
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());

        var original = await Read(space, ids[0]);
        var copy = await Read(other, ids[0]);
        Assert.Equal(original.Case["title"]!.GetValue<string>(), copy.Case["title"]!.GetValue<string>());
        Assert.Equal(original.Case["comments"]!.ToJsonString(), copy.Case["comments"]!.ToJsonString());
        Assert.Equal(3, (await app.Get(other, "/cases/_find"))["total"]!.GetValue<int>());
        Assert.Equal(3, (await app.Get(space, "/cases/_find"))["total"]!.GetValue<int>());

        // Deleting the copies leaves the originals.
        await app.Http.DeleteAsync(CasesAppFixture.Api(other, "/cases?" + string.Join('&', ids.Select(i => "ids=" + i))));
        Assert.Equal(original.Case.ToJsonString(), (await Read(space, ids[0])).Case.ToJsonString());
    }

    [Fact]
    public async Task Importing_the_same_file_twice_with_overwrite_gives_the_same_state_and_without_it_conflicts()
    {
        var ids = await Seed(space);
        var lines = await app.ExportLines(space, new { objects = new[] { new { type = "cases", id = ids[0] } } });
        var target = CasesAppFixture.NewSpace();
        Assert.True((await app.ImportOk(target, TransferClient.Ndjson(lines)))["success"]!.GetValue<bool>());
        var once = await Read(target, ids[0]);

        var again = await app.ImportOk(target, TransferClient.Ndjson(lines), "?overwrite=true");
        Assert.True(again["success"]!.GetValue<bool>(), again.ToJsonString());
        Assert.Contains(again["successResults"]!.AsArray(), r => r!["id"]!.GetValue<string>() == ids[0] && r["overwrite"]!.GetValue<bool>());
        var twice = await Read(target, ids[0]);
        Assert.Equal(once.Case.ToJsonString(), twice.Case.ToJsonString());
        Assert.Equal(once.Actions.ToJsonString(), twice.Actions.ToJsonString());

        var conflicting = await app.ImportOk(target, TransferClient.Ndjson(lines));
        Assert.False(conflicting["success"]!.GetValue<bool>());
        Assert.Contains(("cases", ids[0], "conflict"), TransferClient.Errors(conflicting));
        Assert.Equal(0, conflicting["successCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Overwriting_a_case_keeps_the_files_it_was_given_after_the_export()
    {
        var id = (await app.CreateCase(space)).Id();
        var lines = await app.ExportLines(space, new { objects = new[] { new { type = "cases", id } } });
        var fileId = (await app.UploadRaw(space, id, "later.txt", "text/plain", "later"u8.ToArray()).Uploaded())["id"]!.GetValue<string>();

        Assert.True((await app.ImportOk(space, TransferClient.Ndjson(lines), "?overwrite=true"))["success"]!.GetValue<bool>());

        // The file brought no line of the export, but it is still the case's: reading the case must still show it.
        var comments = (await app.Get(space, $"/cases/{id}"))["comments"]!.AsArray();
        Assert.Equal(fileId, Assert.Single(comments)!["externalReferenceId"]!.GetValue<string>());
        Assert.Equal(1, (await app.Get(space, $"/cases/{id}/files"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task New_copies_get_new_ids_with_their_comments_and_user_actions_following()
    {
        var ids = await Seed(space);
        var lines = await app.ExportLines(space, new { objects = new[] { new { type = "cases", id = ids[0] } } });
        var result = await app.ImportOk(space, TransferClient.Ndjson(lines), "?createNewCopies=true");
        Assert.True(result["success"]!.GetValue<bool>(), result.ToJsonString());
        var newId = result["successResults"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "cases")!["destinationId"]!.GetValue<string>();
        Assert.NotEqual(ids[0], newId);

        var (copy, actions) = await Read(space, newId);
        Assert.Equal(3, copy["comments"]!.AsArray().Count);
        Assert.Equal(2, copy["totalAlerts"]!.GetValue<int>());
        Assert.All(actions["userActions"]!.AsArray(), a => Assert.DoesNotContain(a!["id"]!.GetValue<string>(), lines.Where(l => l["id"] is not null).Select(l => l["id"]!.GetValue<string>())));
        Assert.Equal(4, (await app.Get(space, "/cases/_find"))["total"]!.GetValue<int>());
        Assert.Equal(2, (await app.Get(space, "/cases/alerts/alert-1")).AsArray().Count);
    }

    [Fact]
    public async Task Export_names_connectors_it_cannot_include_as_missing_references_and_leaves_details_out_on_request()
    {
        // A case whose Jira connector no longer exists here (as after a migration): written through import, since a
        // create refuses a connector that does not exist.
        var c = await app.CreateCase(space, new { title = "Pushed case" });
        var written = (await app.ExportLines(space, new { objects = new[] { new { type = "cases", id = c.Id() } }, excludeExportDetails = true })).OfType("cases").Single();
        written["attributes"]!["connector"] = JsonNode.Parse("""{"name":"Jira","type":".jira","fields":[{"key":"issueType","value":"10001"},{"key":"priority","value":"High"},{"key":"parent","value":null}]}""");
        written["references"] = JsonNode.Parse("""[{"id":"jira-1","name":"connectorId","type":"action"}]""");
        Assert.True((await app.ImportOk(space, TransferClient.Ndjson([written]), "?overwrite=true"))["success"]!.GetValue<bool>());

        var lines = await app.ExportLines(space, new { objects = new[] { new { type = "cases", id = c.Id() } }, includeReferencesDeep = true });
        var exported = lines.OfType("cases").Single();
        Assert.Equal("""[{"id":"jira-1","name":"connectorId","type":"action"}]""", exported["references"]!.ToJsonString());
        Assert.Equal("""[{"key":"issueType","value":"10001"},{"key":"priority","value":"High"},{"key":"parent","value":null}]""",
            exported["attributes"]!["connector"]!["fields"]!.ToJsonString());
        Assert.Null(exported["attributes"]!["connector"]!["id"]);
        Assert.Equal(1, lines[^1]["missingRefCount"]!.GetValue<int>());
        Assert.Equal("""[{"id":"jira-1","type":"action"}]""", lines[^1]["missingReferences"]!.ToJsonString());

        var bare = await app.ExportLines(space, new { objects = new[] { new { type = "cases", id = c.Id() } }, excludeExportDetails = true });
        Assert.All(bare, l => Assert.NotNull(l["type"]));

        // And the connector comes back whole.
        var other = CasesAppFixture.NewSpace();
        Assert.True((await app.ImportOk(other, TransferClient.Ndjson(lines)))["success"]!.GetValue<bool>());
        Assert.Equal((await app.Get(space, $"/cases/{c.Id()}"))["connector"]!.ToJsonString(), (await app.Get(other, $"/cases/{c.Id()}"))["connector"]!.ToJsonString());
    }

    [Fact]
    public async Task A_whole_space_export_keeps_each_case_with_its_own_items_when_one_id_is_a_prefix_of_another()
    {
        // Row keys order "item_abc-1_" before "item_abc_" but "case_abc" before "case_abc-1": the export joins both scans.
        var c = await app.CreateCase(space, new { title = "Template" });
        await app.AttachOk(space, c.Id(), AttachmentTestClient.UserComment("Template comment."));
        var template = await app.ExportLines(space, new { objects = new[] { new { type = "cases", id = c.Id() } }, excludeExportDetails = true });
        var target = CasesAppFixture.NewSpace();
        var file = new List<JsonObject>();
        foreach (var id in new[] { "abc", "abc-1", "abc-10", "abd" })
            foreach (var line in template.Select(l => l.DeepClone().AsObject()))
            {
                if (line["type"]!.GetValue<string>() == "cases") line["id"] = id;
                else
                {
                    line["id"] = $"{id}-{file.Count}";
                    line["references"]![0]!["id"] = id;
                    if (line["attributes"]!["comment"] is not null) line["attributes"]!["comment"] = $"About {id}";
                }
                file.Add(line);
            }
        Assert.True((await app.ImportOk(target, TransferClient.Ndjson(file)))["success"]!.GetValue<bool>());

        var lines = await app.ExportLines(target, new { type = "cases", excludeExportDetails = true });
        Assert.Equal(file.Count, lines.Count);
        string? current = null;
        foreach (var line in lines)
        {
            if (line["type"]!.GetValue<string>() == "cases") current = line["id"]!.GetValue<string>();
            else Assert.Equal(current, line["references"]![0]!["id"]!.GetValue<string>());
        }
        Assert.Equal(["abc", "abc-1", "abc-10", "abd"], lines.OfType("cases").Select(l => l["id"]!.GetValue<string>()));
        Assert.Equal(["About abc", "About abc-1", "About abc-10", "About abd"], lines.OfType("cases-comments").Select(l => l["attributes"]!["comment"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Export_requests_that_cannot_be_served_get_400_naming_the_problem()
    {
        await (await app.Export(space, new { type = new[] { "dashboard" } })).Error(HttpStatusCode.BadRequest, "non-exportable type(s): dashboard");
        await (await app.Export(space, new { objects = new[] { new { type = "cases", id = "no-such-case" } } })).Error(HttpStatusCode.BadRequest, "cases:no-such-case not found");
        await (await app.Export(space, new { })).Error(HttpStatusCode.BadRequest, "Either `type` or `objects` are required");
        await (await app.Export(space, new { type = "cases", objects = Array.Empty<object>() })).Error(HttpStatusCode.BadRequest, "both");
    }
}
