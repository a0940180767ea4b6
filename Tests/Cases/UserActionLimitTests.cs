using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Functions.Cases;
using Cases.Tests.Attachments;
using Cases.Tests.Files;
using Cases.Tests.Infrastructure;
using Cases.Tests.Settings;

namespace Cases.Tests.Cases;

/// <summary>
/// Kibana's 10,000 user actions per case, on every write that records actions. Writing 10,000 actions through the API
/// would take minutes, so each test sets the case's action counter (the number every write checks and moves) just
/// below the limit, then writes through the API: the counter must move by exactly what was recorded, and a write past
/// the limit must be refused whole.
/// </summary>
public sealed class UserActionLimitTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    const string Refusal = "has reached the limit of 10000 user actions";

    async Task<TableEntity> CaseRow(string caseId) =>
        (await (await app.CasesTable()).GetEntityAsync<TableEntity>(space, CaseRows.CaseKey(caseId))).Value;

    async Task SetActions(string caseId, int count) =>
        await (await app.CasesTable()).UpdateEntityAsync(new TableEntity(space, CaseRows.CaseKey(caseId)) { [CaseColumns.Actions] = count },
            ETag.All, TableUpdateMode.Merge);

    async Task<int> Actions(string caseId) => (await CaseRow(caseId)).GetInt32(CaseColumns.Actions)!.Value;

    async Task<int> ListedActions(string caseId) =>
        (await app.Get(space, $"/cases/{caseId}/user_actions/_find?perPage=100"))["total"]!.GetValue<int>();

    [Fact]
    public async Task Files_count_their_actions_and_are_refused_at_the_limit_upload_and_deletion_alike()
    {
        var caseId = (await app.CreateCase(space)).Id();
        await SetActions(caseId, CaseLimits.UserActionsPerCaseMax - 2);

        var file = await app.UploadRaw(space, caseId, "a.txt", "text/plain", "a"u8.ToArray()).Uploaded();
        Assert.Equal(CaseLimits.UserActionsPerCaseMax - 1, await Actions(caseId));
        await app.UploadRaw(space, caseId, "b.txt", "text/plain", "b"u8.ToArray()).Uploaded();
        Assert.Equal(CaseLimits.UserActionsPerCaseMax, await Actions(caseId));
        var listed = await ListedActions(caseId);

        await (await app.UploadRaw(space, caseId, "c.txt", "text/plain", "c"u8.ToArray())).Error(HttpStatusCode.BadRequest, Refusal);
        await (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files?ids={file["id"]}"))).Error(HttpStatusCode.BadRequest, Refusal);

        Assert.Equal(2, (await app.Get(space, $"/cases/{caseId}/files"))["total"]!.GetValue<int>());
        Assert.Equal(2, (await app.Blobs(space, caseId)).Count); // the refused upload's blob was taken back
        Assert.Equal(0, await app.PendingBlobNotes(space));
        Assert.Equal(listed, await ListedActions(caseId));
        Assert.Equal(CaseLimits.UserActionsPerCaseMax, await Actions(caseId));
    }

    [Fact]
    public async Task A_case_at_the_limit_refuses_edits_and_comments_and_keeps_its_version()
    {
        var created = await app.CreateCase(space);
        var caseId = created.Id();
        await SetActions(caseId, CaseLimits.UserActionsPerCaseMax - 1);

        await app.AttachOk(space, caseId, AttachmentTestClient.UserComment("the last one"));
        Assert.Equal(CaseLimits.UserActionsPerCaseMax, await Actions(caseId));
        var before = await app.Get(space, $"/cases/{caseId}");

        await (await app.PatchCase(space, before.AsObject(), new JsonObject { ["title"] = "one too many" })).Error(HttpStatusCode.BadRequest, Refusal);
        await (await app.Attach(space, caseId, AttachmentTestClient.UserComment("one too many"))).Error(HttpStatusCode.BadRequest, Refusal);

        var after = await app.Get(space, $"/cases/{caseId}");
        Assert.Equal(before["version"]!.GetValue<string>(), after["version"]!.GetValue<string>());
        Assert.Equal(before["title"]!.GetValue<string>(), after["title"]!.GetValue<string>());
        Assert.Equal(1, after["totalComment"]!.GetValue<int>());
        Assert.Equal(CaseLimits.UserActionsPerCaseMax, await Actions(caseId));
    }

    [Fact]
    public async Task An_edit_below_the_limit_counts_each_action_it_records()
    {
        var caseId = (await app.CreateCase(space)).Id();
        await SetActions(caseId, CaseLimits.UserActionsPerCaseMax - 2);

        // Two fields changed: two actions, exactly what is left.
        await app.Patch(space, caseId, new { title = "renamed", severity = "high" });
        Assert.Equal(CaseLimits.UserActionsPerCaseMax, await Actions(caseId));
        await (await app.PatchCase(space, (await app.Get(space, $"/cases/{caseId}")).AsObject(), new JsonObject { ["status"] = "closed" }))
            .Error(HttpStatusCode.BadRequest, Refusal);
    }
}
