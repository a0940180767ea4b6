using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Functions.Attachments;
using Cases.Functions.Cases;
using Cases.Functions.Numbering;
using Cases.Functions.Testing;
using Cases.Tests.Attachments;
using Cases.Tests.Files;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Guarantees;

/// <summary>
/// Crashes at every storage step of multi-step work: the real code runs up to a hook point, which throws there (the
/// process dying), and the next request or timer run must finish the work with nothing lost or duplicated.
/// </summary>
public sealed class CrashTests(AlertSyncFixture app) : IClassFixture<AlertSyncFixture>
{
    readonly string space = CasesAppFixture.NewSpace();

    async Task<List<string>> RowKeys() => [.. (await app.CaseTableRows(space)).Select(r => r.RowKey)];

    /// <summary>A case that owns one of everything: comments, alerts (and their index rows), a file (blob, index and hash rows), a number.</summary>
    async Task<(string Id, string FileSha256)> FullCase()
    {
        var id = (await app.CreateCase(space, new { settings = new { syncAlerts = false } })).Id();
        await app.AttachOk(space, id, AttachmentTestClient.UserComment("a comment"));
        await app.AttachOk(space, id, AttachmentTestClient.Alerts(["alert-1", "alert-2"]));
        var file = await app.UploadRaw(space, id, "evidence.txt", "text/plain", Encoding.UTF8.GetBytes("evidence of " + id)).Uploaded();
        await ActivatorUtilities.CreateInstance<CaseNumberer>(app.App.Services).Run(default);
        Assert.Equal(1, (await app.Get(space, $"/cases/{id}"))["incremental_id"]!.GetValue<long>());
        return (id, file["hash"]!["sha256"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(HookPoints.DeleteMarked)]
    [InlineData(HookPoints.PurgedAlertIndex)]
    [InlineData(HookPoints.PurgedFiles)]
    [InlineData(HookPoints.PurgedNumber)]
    [InlineData(HookPoints.PurgedItems)]
    public async Task A_delete_that_dies_after_any_step_is_gone_for_readers_and_the_next_delete_finishes_it(string point)
    {
        var (id, sha256) = await FullCase();
        Assert.True((await RowKeys()).Count > 8);

        using (app.Hooks.CrashOnce(point, space))
            Assert.Equal(HttpStatusCode.InternalServerError, (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases?ids={id}"))).StatusCode);

        // Cut off midway, the case is already gone for every reader.
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{id}"))).Error(HttpStatusCode.NotFound, "not found");
        Assert.Equal(0, (await app.Get(space, "/cases/_find"))["total"]!.GetValue<int>());

        // The client's retry finishes it: only the delete record and the space's counter remain, no blob, no index row.
        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases?ids={id}"))).StatusCode);
        Assert.Equal([CaseRows.DeletedKey(id), CaseRows.NumberingKey], (await RowKeys()).Order(StringComparer.Ordinal));
        Assert.Empty(await app.Blobs(space, id));
        Assert.Empty((await app.Get(space, "/cases/alerts/alert-1")).AsArray());
        Assert.Equal(0, (await app.Get(space, $"/cases/files/_find?hash={sha256}"))["total"]!.GetValue<int>());
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_number/1"))).Error(HttpStatusCode.NotFound, "No case has the number 1.");

        // The number is not handed out again.
        var next = (await app.CreateCase(space)).Id();
        await ActivatorUtilities.CreateInstance<CaseNumberer>(app.App.Services).Run(default);
        Assert.Equal(2, (await app.Get(space, $"/cases/{next}"))["incremental_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_status_change_that_dies_after_its_commit_still_reaches_the_alerts_through_the_timers_run()
    {
        var id = (await app.CreateCase(space)).Id();
        await app.AttachOk(space, id, AttachmentTestClient.Alerts(["synced-1"]));
        var c = await app.Get(space, $"/cases/{id}");

        using (app.Hooks.CrashOnce(HookPoints.CaseCommitted, space))
        {
            var response = await app.Http.PatchAsync(CasesAppFixture.Api(space, "/cases"), System.Net.Http.Json.JsonContent.Create(new
            {
                cases = new[] { new { id, version = c["version"]!.GetValue<string>(), status = "closed" } },
            }));
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }
        Assert.Equal("closed", (await app.Get(space, $"/cases/{id}"))["status"]!.GetValue<string>()); // committed before the crash

        app.Clock.Advance(TimeSpan.FromMinutes(2)); // past RedeliverAfter: the request is surely dead
        await app.App.Services.GetRequiredService<AlertStatusSync>().Redeliver(CancellationToken.None);
        var closed = (await Messages()).Where(m => m["caseId"]!.GetValue<string>() == id && m["status"]!.GetValue<string>() == "closed").ToList();
        Assert.Equal(["synced-1"], Assert.Single(closed)["alerts"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal(0, await app.RowsInSpace(t => t.AlertSync(), space));
    }

    async Task<List<JsonObject>> Messages()
    {
        var queue = app.Queue;
        await queue.CreateIfNotExistsAsync();
        var messages = new List<JsonObject>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
            foreach (var m in batch)
            {
                messages.Add(JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString())))!.AsObject());
                await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            }
        return messages;
    }
}
