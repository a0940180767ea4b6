using Azure.Data.Tables;
using Cases.Functions.Upkeep;
using Cases.Functions.Storage;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Cases.Tests.Notifications.NotificationsFixture;

namespace Cases.Tests.Notifications;

/// <summary>The notification app keeping 3 finished deliveries per webhook (50 by default).</summary>
public sealed class PruningFixture : NotificationsFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Append(KeyValuePair.Create("Cases:Notifications:KeepDeliveries", (string?)"3"));
}

/// <summary>Delivery records stay bounded: a webhook's history is pruned as it is delivered, sent-email records by the timer.</summary>
public sealed class PruningTests(PruningFixture app) : IClassFixture<PruningFixture>, IAsyncLifetime
{
    WebhookReceiver receiver = null!;
    readonly User lead = User.New("Lead");

    public async Task InitializeAsync() => receiver = await WebhookReceiver.Start();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    async Task<List<(string DeliveryId, string Status)>> DeliveryRows(string space, string hookId)
    {
        var table = await app.App.Services.GetRequiredService<CasesTables>().Webhooks();
        var rows = new List<(string, string)>();
        var prefix = $"d_{hookId}_";
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {space} and RowKey ge {prefix} and RowKey lt {prefix + "~"}")))
            rows.Add((row.GetString("DeliveryId"), row.GetString("Status")));
        return rows;
    }

    async Task<List<(string DeliveryId, string Status)>> WaitForRows(string space, string hookId, Func<List<(string DeliveryId, string Status)>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var rows = await DeliveryRows(space, hookId);
            if (done(rows)) return rows;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("delivery rows: " + string.Join(", ", rows.Select(r => r.Status)));
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_webhook_keeps_its_newest_finished_deliveries_and_every_pending_one()
    {
        var space = CasesAppFixture.NewSpace();
        var hookId = (await app.AsJson(lead, HttpMethod.Post, CasesAppFixture.Api(space, "/cases/webhooks"),
            new { url = receiver.Url, secret = receiver.Secret, events = new[] { "case.created", "case.updated" } }))["id"]!.GetValue<string>();
        var created = await app.CreateCase(space);
        var id = created["id"]!.GetValue<string>();
        var version = created["version"]!.GetValue<string>();
        async Task Rename(string title) => version = (await app.AsJson(lead, HttpMethod.Patch, CasesAppFixture.Api(space, "/cases"),
            new { cases = new[] { new { id, version, title } } })).AsArray()[0]!["version"]!.GetValue<string>();
        for (var i = 1; i <= 4; i++) await Rename($"rename {i}");

        var taken = await receiver.WaitForTaken(id, 5);
        var newest = taken.TakeLast(3).Select(d => d.DeliveryId).ToHashSet();
        var rows = await WaitForRows(space, hookId, r => r.Count == 3);
        Assert.Equal(newest, rows.Select(r => r.DeliveryId).ToHashSet());

        // A delivery the receiver refuses stays pending (it is still to be sent) beside the three finished ones.
        receiver.FailAlways(true);
        await Rename("while the receiver fails");
        rows = await WaitForRows(space, hookId, r => r.Count == 4);
        Assert.Single(rows, r => r.Status == "pending");
        var shown = (await app.AsJson(lead, HttpMethod.Get, CasesAppFixture.Api(space, $"/cases/webhooks/{hookId}/deliveries")))["deliveries"]!.AsArray();
        Assert.Equal(4, shown.Count);

        // Once through, it is the newest finished one, and the oldest of the three goes.
        receiver.FailAlways(false);
        var last = (await receiver.WaitForTaken(id, 6))[5];
        rows = await WaitForRows(space, hookId, r => r.Count == 3 && r.All(x => x.Status == "delivered"));
        Assert.Equal(newest.Skip(1).Append(last.DeliveryId).ToHashSet(), rows.Select(r => r.DeliveryId).ToHashSet());
    }

    [Fact]
    public async Task The_timer_deletes_sent_email_records_once_no_retry_can_need_them()
    {
        var jo = User.New("Jo");
        await app.Introduce(jo);
        var space = CasesAppFixture.NewSpace();
        await app.AsJson(lead, HttpMethod.Post, CasesAppFixture.Api(space, "/cases"), new
        {
            title = "records",
            description = "d",
            tags = Array.Empty<string>(),
            severity = "low",
            owner = "securitySolution",
            connector = new { id = "none", name = "none", type = ".none", fields = (object?)null },
            settings = new { syncAlerts = false },
            assignees = new[] { new { uid = jo.Uid } },
        });
        await app.Smtp.WaitFor(jo.Email, 1);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await app.RowsInSpace(t => t.NotifySent(), space) == 0 && DateTime.UtcNow < deadline) await Task.Delay(50); // written just after the send
        Assert.Equal(1, await app.RowsInSpace(t => t.NotifySent(), space));

        var timer = app.App.Services.GetRequiredService<TimerRun>();
        app.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1)); // the default retention, not quite over
        await timer.Run(CancellationToken.None);
        Assert.Equal(1, await app.RowsInSpace(t => t.NotifySent(), space));

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var report = await timer.Run(CancellationToken.None);
        Assert.Contains(report, line => line.StartsWith("Sent-email records: "));
        Assert.Equal(0, await app.RowsInSpace(t => t.NotifySent(), space));
    }
}
