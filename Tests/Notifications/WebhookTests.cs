using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Cases.Tests.Notifications.NotificationsFixture;

namespace Cases.Tests.Notifications;

public sealed class WebhookTests(NotificationsFixture app) : IClassFixture<NotificationsFixture>, IAsyncLifetime
{
    WebhookReceiver receiver = null!;
    readonly User lead = User.New("Lead");

    public async Task InitializeAsync() => receiver = await WebhookReceiver.Start();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    async Task<string> Register(string space, object events)
    {
        var hook = await app.AsJson(lead, HttpMethod.Post, CasesAppFixture.Api(space, "/cases/webhooks"),
            new { url = receiver.Url, secret = receiver.Secret, events });
        return hook["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_webhook_receives_each_case_event_signed_in_order_with_a_unique_delivery_id()
    {
        var space = CasesAppFixture.NewSpace();
        await Register(space, "*");
        var created = await app.CreateCase(space, new { assignees = new[] { new { uid = "u-analyst" } } });
        var id = created["id"]!.GetValue<string>();
        await app.AsJson(lead, HttpMethod.Post, CasesAppFixture.Api(space, $"/cases/{id}/comments"),
            new { type = "user", comment = "Contained.", owner = "securitySolution" });
        await app.AsJson(lead, HttpMethod.Post, CasesAppFixture.Api(space, $"/cases/{id}/comments"),
            new { type = "alert", owner = "securitySolution", alertId = new[] { "a1", "a2" }, index = new[] { "i", "i" }, rule = new { id = "r", name = "R" } });
        var closed = (await app.AsJson(lead, HttpMethod.Patch, CasesAppFixture.Api(space, "/cases"),
            new { cases = new[] { new { id, version = created["version"]!.GetValue<string>(), status = "closed", severity = "critical" } } })).AsArray()[0]!;
        (await app.As(lead, HttpMethod.Delete, CasesAppFixture.Api(space, $"/cases?ids={id}"))).EnsureSuccessStatusCode();

        var taken = await receiver.WaitForTaken(id, 8);
        Assert.Equal(["case.created", "case.assigned", "case.comment_added", "case.alert_attached", "case.updated", "case.status_changed",
            "case.closed", "case.deleted"], taken.Select(d => d.Event));
        Assert.All(taken, d =>
        {
            Assert.True(d.SignatureValid);
            Assert.Equal(d.Event, d.Body["event"]!.GetValue<string>());
            Assert.Equal(d.DeliveryId, d.Body["id"]!.GetValue<string>());
            Assert.Equal(space, d.Body["spaceId"]!.GetValue<string>());
            Assert.NotNull(d.Body["sentAt"]);
            Assert.NotNull(d.Body["occurredAt"]);
        });
        Assert.Equal(taken.Count, taken.Select(d => d.DeliveryId).Distinct().Count());
        Assert.Equal(["u-analyst"], taken[1].Body["assignees"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["status", "severity"], taken[4].Body["changedFields"]!.AsArray().Select(a => a!.GetValue<string>()).Order().Reverse());
        Assert.Equal(closed["version"]!.GetValue<string>(), taken[4].Body["case"]!["version"]!.GetValue<string>());
        Assert.Equal(lead.Username, taken[4].Body["actor"]!["username"]!.GetValue<string>());
        Assert.Equal("user", taken[2].Body["commentType"]!.GetValue<string>());
        Assert.Equal(2, taken[3].Body["alertsAttached"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_event_the_queue_does_not_take_is_held_and_queued_by_the_timers_run()
    {
        var space = CasesAppFixture.NewSpace();
        await Register(space, "*");
        await app.App.Services.GetRequiredService<Functions.Notifications.NotificationQueue>().Queue.DeleteAsync(); // behind the app's back
        var id = (await app.CreateCase(space))["id"]!.GetValue<string>(); // its event's send fails: the queue is gone
        Assert.Equal(1, await app.RowsInSpace(t => t.NotifyHeld(), space));

        var report = await app.App.Services.GetRequiredService<Functions.Upkeep.TimerRun>().Run(default);
        Assert.Contains("Notifications held back by a queue failure: 1 queued", report);
        Assert.Equal(["case.created"], (await receiver.WaitForTaken(id, 1)).Select(d => d.Event));
        Assert.Equal(0, await app.RowsInSpace(t => t.NotifyHeld(), space));
    }

    [Fact]
    public async Task A_failing_receiver_gets_the_delivery_again_with_the_same_id_and_later_events_wait_for_it()
    {
        var space = CasesAppFixture.NewSpace();
        var hookId = await Register(space, new[] { "case.created", "case.updated" });
        receiver.FailNext(3);
        var created = await app.CreateCase(space);
        var id = created["id"]!.GetValue<string>();
        await app.AsJson(lead, HttpMethod.Patch, CasesAppFixture.Api(space, "/cases"),
            new { cases = new[] { new { id, version = created["version"]!.GetValue<string>(), title = "Renamed" } } });

        var taken = await receiver.WaitForTaken(id, 2);
        Assert.Equal(["case.created", "case.updated"], taken.Select(d => d.Event));
        var attempts = receiver.All.Where(d => d.Body["case"]!["id"]!.GetValue<string>() == id).ToList();
        // The three failures were the creation's, each with the id it was finally taken with; the update came after.
        Assert.Equal(["case.created", "case.created", "case.created", "case.created", "case.updated"], attempts.Select(d => d.Event));
        Assert.Single(attempts.Take(4).Select(d => d.DeliveryId).Distinct());
        Assert.Equal(taken[0].DeliveryId, attempts[0].DeliveryId);

        var deliveries = (await app.AsJson(lead, HttpMethod.Get, CasesAppFixture.Api(space, $"/cases/webhooks/{hookId}/deliveries")))["deliveries"]!.AsArray();
        var first = deliveries.Single(d => d!["id"]!.GetValue<string>() == taken[0].DeliveryId)!;
        Assert.Equal("delivered", first["status"]!.GetValue<string>());
        Assert.Equal(4, first["attempts"]!.GetValue<int>());
        Assert.Equal(200, first["lastStatusCode"]!.GetValue<int>());
        Assert.Equal(2, deliveries.Count);
    }

    [Fact]
    public async Task Registration_checks_the_allow_list_and_input_and_never_shows_or_stores_the_secret_in_clear()
    {
        var space = CasesAppFixture.NewSpace();
        async Task Refused(object body, string message) =>
            await (await app.As(lead, HttpMethod.Post, CasesAppFixture.Api(space, "/cases/webhooks"), body)).Error(HttpStatusCode.BadRequest, message);
        await Refused(new { url = "http://example.org/hook", secret = receiver.Secret, events = "*" }, "Cases__Connectors__AllowedHosts");
        await Refused(new { url = "ftp://127.0.0.1/hook", secret = receiver.Secret, events = "*" }, "http or https");
        await Refused(new { url = receiver.Url, secret = "short", events = "*" }, "secret");
        await Refused(new { url = receiver.Url, secret = receiver.Secret, events = new[] { "case.exploded" } }, "case.exploded");
        await Refused(new { url = receiver.Url, secret = receiver.Secret, events = "*", extra = 1 }, "invalid keys");

        var id = await Register(space, new[] { "case.closed" });
        var listed = await app.AsJson(lead, HttpMethod.Get, CasesAppFixture.Api(space, "/cases/webhooks"));
        Assert.DoesNotContain(receiver.Secret, listed.ToJsonString());
        Assert.DoesNotContain("secret", listed.ToJsonString());
        Assert.Equal(["case.closed"], listed["webhooks"]![0]!["events"]!.AsArray().Select(e => e!.GetValue<string>()));

        var table = await app.App.Services.GetRequiredService<global::Cases.Functions.Storage.CasesTables>().Webhooks();
        var row = (await table.GetEntityAsync<TableEntity>(space, "h_" + id)).Value;
        Assert.DoesNotContain(receiver.Secret, string.Join("|", row.Select(kv => kv.Value?.ToString())));

        // Spaces are separate; a deleted webhook is gone.
        Assert.Empty((await app.AsJson(lead, HttpMethod.Get, CasesAppFixture.Api(CasesAppFixture.NewSpace(), "/cases/webhooks")))["webhooks"]!.AsArray());
        await (await app.As(lead, HttpMethod.Get, CasesAppFixture.Api(CasesAppFixture.NewSpace(), $"/cases/webhooks/{id}"))).Error(HttpStatusCode.NotFound, id);
        Assert.Equal(HttpStatusCode.NoContent, (await app.As(lead, HttpMethod.Delete, CasesAppFixture.Api(space, $"/cases/webhooks/{id}"))).StatusCode);
        await (await app.As(lead, HttpMethod.Get, CasesAppFixture.Api(space, $"/cases/webhooks/{id}"))).Error(HttpStatusCode.NotFound, id);
    }
    [Fact]
    public async Task The_webhook_routes_are_in_the_OpenAPI_document()
    {
        var paths = (await app.AsJson(lead, HttpMethod.Get, "/api/openapi.json"))["paths"]!.AsObject();
        Assert.Equal("createWebhookDefaultSpace", paths["/api/cases/webhooks"]!["post"]!["operationId"]!.GetValue<string>());
        Assert.NotNull(paths["/s/{spaceId}/api/cases/webhooks/{webhookId}/deliveries"]!["get"]);
        Assert.NotNull(paths["/internal/cases/_suggest_user_profiles"]!["post"]);
    }
}

public sealed class PoisonTests(PoisonFixture app) : IClassFixture<PoisonFixture>
{
    [Fact]
    public async Task A_delivery_that_keeps_failing_is_set_aside_in_the_poison_queue()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.FailAlways(true);
        var space = CasesAppFixture.NewSpace();
        var lead = User.New("Lead");
        var hook = await app.AsJson(lead, HttpMethod.Post, CasesAppFixture.Api(space, "/cases/webhooks"),
            new { url = receiver.Url, secret = receiver.Secret, events = new[] { "case.created" } });
        await app.CreateCase(space);

        var poison = app.App.Services.GetRequiredService<global::Cases.Functions.Notifications.NotificationQueue>().Poison;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        Azure.Storage.Queues.Models.PeekedMessage[] set = [];
        while (DateTime.UtcNow < deadline && set.Length == 0)
        {
            set = (await poison.PeekMessagesAsync(10)).Value;
            await Task.Delay(100);
        }
        var message = JsonNode.Parse(Assert.Single(set).Body.ToString())!;
        Assert.Equal("webhook", message["kind"]!.GetValue<string>());
        Assert.Equal(2, receiver.All.Count);
        var deliveries = (await app.AsJson(lead, HttpMethod.Get, CasesAppFixture.Api(space, $"/cases/webhooks/{hook["id"]}/deliveries")))["deliveries"]!.AsArray();
        Assert.Equal("pending", deliveries.Single()!["status"]!.GetValue<string>());
        Assert.Equal(500, deliveries.Single()!["lastStatusCode"]!.GetValue<int>());
    }
}
