using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Files;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Attachments;

/// <summary>Attachments answered as Kibana answers them: statuses, messages, shapes and order.</summary>
public sealed class AttachmentFidelityTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    string Api(string path) => CasesAppFixture.Api(space, path);

    [Fact]
    public async Task Comments_find_lists_user_comments_only_oldest_first_like_the_case_and_refuses_unknown_parameters()
    {
        var caseId = (await app.CreateCase(space)).Id();
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await app.AttachOk(space, caseId, UserComment("first"));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await app.AttachOk(space, caseId, Alerts(["a1"]));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await app.AttachOk(space, caseId, UserComment("second"));

        var found = await app.Get(space, $"/cases/{caseId}/comments/_find");
        Assert.Equal(["first", "second"], found["comments"]!.AsArray().Select(c => c!["comment"]!.GetValue<string>()).ToArray());
        Assert.Equal(2, found["total"]!.GetValue<int>());
        var userComments = (await app.Get(space, $"/cases/{caseId}"))["comments"]!.AsArray().Where(c => c!["type"]!.GetValue<string>() == "user");
        Assert.Equal(userComments.Select(c => c!.Id()), found["comments"]!.AsArray().Select(c => c!.Id()));

        await (await app.Http.GetAsync(Api($"/cases/{caseId}/comments/_find?foo=bar"))).Error(HttpStatusCode.BadRequest, "invalid keys \"foo\"");
    }

    [Fact]
    public async Task A_comment_of_another_case_and_a_case_without_comments_get_Kibanas_404s()
    {
        var mine = (await app.CreateCase(space)).Id();
        var other = (await app.CreateCase(space)).Id();
        var comment = (await app.AttachOk(space, other, UserComment("elsewhere")))["comments"]![0]!;
        var expected = $"This comment {comment.Id()} does not exist in {mine}.";

        await (await app.Http.GetAsync(Api($"/cases/{mine}/comments/{comment.Id()}"))).Error(HttpStatusCode.NotFound, expected);
        await (await app.Http.DeleteAsync(Api($"/cases/{mine}/comments/{comment.Id()}"))).Error(HttpStatusCode.NotFound, expected);
        await (await app.Http.PatchAsJsonAsync(Api($"/cases/{mine}/comments"), new JsonObject
        {
            ["id"] = comment.Id(),
            ["version"] = comment["version"]!.DeepClone(),
            ["type"] = "user",
            ["comment"] = "x",
            ["owner"] = "securitySolution",
        })).Error(HttpStatusCode.NotFound, expected);
        // Still there, untouched, on its own case.
        Assert.Equal("elsewhere", (await app.Get(space, $"/cases/{other}/comments/{comment.Id()}"))["comment"]!.GetValue<string>());

        await (await app.Http.DeleteAsync(Api($"/cases/{mine}/comments"))).Error(HttpStatusCode.NotFound, $"No comments found for {mine}.");
        await (await app.Http.DeleteAsync(Api($"/cases/{mine}/comments/{Guid.NewGuid()}"))).Error(HttpStatusCode.NotFound, "Saved object [cases-comments/");
    }

    [Fact]
    public async Task A_deleted_comments_user_action_holds_the_whole_deleted_attachment()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var comment = (await app.AttachOk(space, caseId, UserComment("to be removed")))["comments"]![0]!.AsObject();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(Api($"/cases/{caseId}/comments/{comment.Id()}"))).StatusCode);

        var deleted = (await app.Get(space, $"/cases/{caseId}/user_actions/_find?types=user&sortOrder=desc"))["userActions"]![0]!;
        Assert.Equal("delete", deleted["action"]!.GetValue<string>());
        var expected = comment.DeepClone().AsObject();
        expected.Remove("id");
        expected.Remove("version");
        Assert.Equal(new JsonObject { ["comment"] = expected }.ToJsonString(), deleted["payload"]!.ToJsonString());
    }

    [Fact]
    public async Task Alerts_are_refused_on_a_closed_case_and_must_pair_ids_with_indices_in_one_shape()
    {
        var caseId = (await app.CreateCase(space)).Id();
        var mixed = Alerts(["a1", "a2"]);
        mixed["index"] = ".alerts-security.alerts-default";
        await (await app.Attach(space, caseId, mixed)).Error(HttpStatusCode.BadRequest, "must both be strings or both be arrays");
        var shortIndex = Alerts(["a1", "a2"]);
        shortIndex["index"] = new JsonArray("i1");
        await (await app.Attach(space, caseId, shortIndex)).Error(HttpStatusCode.BadRequest,
            """Received an alert comment with ids and indices arrays of different lengths ids: ["a1","a2"] indices: ["i1"]""");

        // Sent as strings, answered as strings (on add and on edit); sent as arrays, answered as arrays.
        var single = new JsonObject
        {
            ["type"] = "alert",
            ["alertId"] = "s1",
            ["index"] = "idx",
            ["owner"] = "securitySolution",
            ["rule"] = new JsonObject { ["id"] = "r", ["name"] = "n" },
        };
        var added = (await app.AttachOk(space, caseId, single))["comments"]![0]!;
        Assert.Equal("s1", added["alertId"]!.GetValue<string>());
        Assert.Equal("idx", added["index"]!.GetValue<string>());
        var edit = single.DeepClone().AsObject();
        edit["id"] = added.Id();
        edit["version"] = added["version"]!.DeepClone();
        edit["alertId"] = new JsonArray("s1");
        edit["index"] = new JsonArray("idx");
        var edited = (await (await app.Http.PatchAsJsonAsync(Api($"/cases/{caseId}/comments"), edit)).Json())["comments"]![0]!;
        Assert.Equal("""["s1"]""", edited["alertId"]!.ToJsonString());
        Assert.Equal("""["idx"]""", edited["index"]!.ToJsonString());
        edit["version"] = edited["version"]!.DeepClone();
        edit["alertId"] = "s1";
        edit["index"] = "idx";
        var back = (await (await app.Http.PatchAsJsonAsync(Api($"/cases/{caseId}/comments"), edit)).Json())["comments"]![0]!;
        Assert.Equal("\"s1\"", back["alertId"]!.ToJsonString());

        await app.Patch(space, caseId, new { status = "closed" });
        await (await app.Attach(space, caseId, Alerts(["late"]))).Error(HttpStatusCode.BadRequest, "Alert cannot be attached to a closed case");
        // Other attachments still may be.
        await app.AttachOk(space, caseId, UserComment("closing note"));
    }

    [Fact]
    public async Task At_most_100_persistable_state_and_external_reference_attachments_per_case_files_aside()
    {
        var caseId = (await app.CreateCase(space)).Id();
        JsonObject Lens(int i) => new()
        {
            ["type"] = "persistableState",
            ["persistableStateAttachmentTypeId"] = ".lens",
            ["persistableStateAttachmentState"] = new JsonObject { ["n"] = i },
            ["owner"] = "securitySolution",
        };
        JsonObject Reference(int i) => new()
        {
            ["type"] = "externalReference",
            ["externalReferenceId"] = $"ref-{i}",
            ["externalReferenceAttachmentTypeId"] = ".test",
            ["externalReferenceStorage"] = new JsonObject { ["type"] = "elasticSearchDoc" },
            ["externalReferenceMetadata"] = null,
            ["owner"] = "securitySolution",
        };
        for (var i = 0; i < 100; i++)
            Assert.Equal(HttpStatusCode.OK, (await app.Attach(space, caseId, i % 2 == 0 ? Lens(i) : Reference(i))).StatusCode);
        const string full = "Case has reached the maximum allowed number (100) of attached persistable state and external reference attachments.";
        await (await app.Attach(space, caseId, Lens(100))).Error(HttpStatusCode.BadRequest, full);
        await (await app.Attach(space, caseId, Reference(101))).Error(HttpStatusCode.BadRequest, full);
        // Files have a limit of their own, and comments none of this kind.
        Assert.Equal(HttpStatusCode.OK, (await app.UploadRaw(space, caseId, "notes.txt", "text/plain", "x"u8.ToArray())).StatusCode);
        await app.AttachOk(space, caseId, UserComment("still fine"));
    }

    [Fact]
    public async Task A_file_is_an_external_reference_attachment_listed_complete_and_deleted_through_the_attachments_api()
    {
        var caseId = (await app.CreateCase(space)).Id();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var uploaded = await (await app.UploadRaw(space, caseId, "report.txt", "text/plain", "report"u8.ToArray())).Json();
        var file = uploaded["file"]!;
        var attachment = uploaded["comments"]!.AsArray().Single()!;
        Assert.Equal(file.Id(), attachment.Id());
        Assert.Equal(file.Id(), attachment["externalReferenceId"]!.GetValue<string>());
        Assert.Equal("externalReference", attachment["type"]!.GetValue<string>());
        Assert.Equal(".files", attachment["externalReferenceAttachmentTypeId"]!.GetValue<string>());
        Assert.Equal("""{"type":"savedObject","soType":"file"}""", attachment["externalReferenceStorage"]!.ToJsonString());
        Assert.Equal("report", attachment["externalReferenceMetadata"]!["files"]![0]!["name"]!.GetValue<string>());
        foreach (var key in new[] { "id", "version", "created_at", "created_by", "pushed_at", "pushed_by", "updated_at", "updated_by", "owner" })
            Assert.True(attachment.AsObject().ContainsKey(key), $"{key} missing from {attachment.ToJsonString()}");
        Assert.Equal("WzEsMV0=", attachment["version"]!.GetValue<string>());
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), attachment["created_at"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.AttachOk(space, caseId, UserComment("after the file"));
        var c = await app.Get(space, $"/cases/{caseId}");
        Assert.Equal([file.Id(), "user"], c["comments"]!.AsArray().Select(a => a!["type"]!.GetValue<string>() == "user" ? "user" : a.Id()).ToArray());
        Assert.Equal(1, c["totalComment"]!.GetValue<int>()); // Kibana counts user comments only
        Assert.Equal(attachment.ToJsonString(), (await app.Get(space, $"/cases/{caseId}/comments/{file.Id()}")).ToJsonString());
        Assert.Equal(2, (await app.Get(space, $"/cases/{caseId}/comments")).AsArray().Count);
        Assert.Equal(1, (await app.Get(space, $"/cases/{caseId}/comments/_find"))["total"]!.GetValue<int>());

        // Another case's file is named as such.
        var other = (await app.CreateCase(space)).Id();
        await (await app.Http.DeleteAsync(Api($"/cases/{other}/comments/{file.Id()}"))).Error(HttpStatusCode.NotFound, $"This comment {file.Id()} does not exist in {other}.");

        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(Api($"/cases/{caseId}/comments/{file.Id()}"))).StatusCode);
        Assert.Empty((await app.Get(space, $"/cases/{caseId}/files"))["files"]!.AsArray());
        Assert.Empty(await app.Blobs(space, caseId));
        Assert.Single((await app.Get(space, $"/cases/{caseId}"))["comments"]!.AsArray());
        var deleted = (await app.Get(space, $"/cases/{caseId}/user_actions/_find?types=attachment&sortOrder=desc"))["userActions"]![0]!;
        Assert.Equal("delete", deleted["action"]!.GetValue<string>());
        Assert.Equal(file.Id(), deleted["comment_id"]!.GetValue<string>());
        Assert.Equal(".files", deleted["payload"]!["comment"]!["externalReferenceAttachmentTypeId"]!.GetValue<string>());

        // Deleting all comments takes the files too.
        await app.UploadRaw(space, caseId, "a.txt", "text/plain", "a"u8.ToArray());
        await app.UploadRaw(space, caseId, "b.txt", "text/plain", "b"u8.ToArray());
        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(Api($"/cases/{caseId}/comments"))).StatusCode);
        Assert.Empty((await app.Get(space, $"/cases/{caseId}"))["comments"]!.AsArray());
        Assert.Empty((await app.Get(space, $"/cases/{caseId}/files"))["files"]!.AsArray());
        Assert.Empty(await app.Blobs(space, caseId));
    }
}
