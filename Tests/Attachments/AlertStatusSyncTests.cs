using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Cases.Functions.Attachments;
using Cases.Functions.Storage;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Attachments;

/// <summary>The app with a queue of its own, so parallel test classes never read each other's messages.</summary>
public sealed class AlertSyncFixture : CasesAppFixture
{
    public string QueueName { get; } = "t" + Guid.NewGuid().ToString("N")[..12] + "-alert-status";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Alerts:StatusQueue", QueueName)];

    public QueueClient Queue => new(Azurite.ConnectionString, QueueName);

    public override async Task DisposeAsync()
    {
        await Queue.DeleteIfExistsAsync();
        await base.DisposeAsync();
    }
}

public sealed class AlertStatusSyncTests(AlertSyncFixture app) : IClassFixture<AlertSyncFixture>, IAsyncLifetime
{
    readonly string space = CasesAppFixture.NewSpace();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Messages(); // drained, so the next test of the class starts from an empty queue

    async Task<List<JsonObject>> Messages()
    {
        var queue = app.Queue;
        await queue.CreateIfNotExistsAsync();
        var messages = new List<JsonObject>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32)).Value;
            if (batch.Length == 0) return messages;
            foreach (var m in batch)
            {
                // Base64, as a Functions queue trigger expects by default.
                messages.Add(JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString())))!.AsObject());
                await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            }
        }
    }

    [Fact]
    public async Task Status_changes_of_a_syncing_case_are_published_for_its_alerts()
    {
        var syncing = (await app.CreateCase(space)).Id();
        var quiet = (await app.CreateCase(space, new { settings = new { syncAlerts = false } })).Id();
        await app.AttachOk(space, syncing, Alerts(Enumerable.Range(0, 250).Select(i => $"s{i}")));
        await app.AttachOk(space, quiet, Alerts(["q1"]));
        // Attaching to a syncing case publishes the case's status for the new alerts.
        var attached = await Messages();
        Assert.Equal(2, attached.Count);
        Assert.All(attached, m => Assert.Equal("open", m["alertStatus"]!.GetValue<string>()));
        Assert.Equal(250, attached.Sum(m => m["alerts"]!.AsArray().Count));

        await app.Patch(space, syncing, new { status = "in-progress" });
        await app.Patch(space, quiet, new { status = "closed" });
        await app.Patch(space, syncing, new { title = "No status change" });

        var messages = await Messages();
        Assert.Equal(2, messages.Count); // 250 alerts: 200 + 50
        Assert.All(messages, m =>
        {
            Assert.Equal(space, m["spaceId"]!.GetValue<string>());
            Assert.Equal(syncing, m["caseId"]!.GetValue<string>());
            Assert.Equal("in-progress", m["status"]!.GetValue<string>());
            Assert.Equal("acknowledged", m["alertStatus"]!.GetValue<string>());
            Assert.Equal("securitySolution", m["owner"]!.GetValue<string>());
        });
        var alerts = messages.SelectMany(m => m["alerts"]!.AsArray()).ToList();
        Assert.Equal(250, alerts.Select(a => a!["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(".alerts-security.alerts-default", alerts[0]!["index"]!.GetValue<string>());

        // Turning sync on publishes the current status, as Kibana syncs on enabling.
        await app.Patch(space, quiet, new { settings = new { syncAlerts = true } });
        var enabled = Assert.Single(await Messages());
        Assert.Equal("closed", enabled["alertStatus"]!.GetValue<string>());
        Assert.Equal("q1", enabled["alerts"]![0]!["id"]!.GetValue<string>());
    }

    Task<int> PendingNotes() => app.RowsInSpace(t => t.AlertSync(), space);

    [Fact]
    public async Task A_status_change_the_queue_could_not_take_is_sent_by_the_timers_run()
    {
        var sync = app.App.Services.GetRequiredService<AlertStatusSync>();
        var id = (await app.CreateCase(space)).Id();
        await app.AttachOk(space, id, Alerts(["x1", "x2"]));
        Assert.Single(await Messages());
        Assert.Equal(0, await PendingNotes()); // sent, so nothing is left noted

        // The queue goes away after the app has used it: the change is saved all the same (200), and noted.
        await app.Queue.DeleteAsync();
        await app.Patch(space, id, new { status = "closed" });
        Assert.Equal(1, await PendingNotes());
        Assert.Equal("closed", (await app.Get(space, $"/cases/{id}"))["status"]!.GetValue<string>());

        // A note younger than RedeliverAfter may belong to a request still sending: left alone.
        Assert.Empty(await sync.Redeliver(CancellationToken.None));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var report = Assert.Single(await sync.Redeliver(CancellationToken.None));
        Assert.Contains("1 case(s) sent", report);
        var message = Assert.Single(await Messages());
        Assert.Equal(id, message["caseId"]!.GetValue<string>());
        Assert.Equal("closed", message["alertStatus"]!.GetValue<string>());
        Assert.Equal(["x1", "x2"], message["alerts"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Order());

        // Sent once: the note is gone, and the next run sends nothing.
        Assert.Equal(0, await PendingNotes());
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await sync.Redeliver(CancellationToken.None));
        Assert.Empty(await Messages());
    }

    [Fact]
    public async Task Concurrent_changes_of_a_case_keep_their_own_notes()
    {
        var outbox = app.App.Services.GetRequiredService<AlertSyncOutbox>();
        var id = (await app.CreateCase(space)).Id();
        var first = await outbox.Add(space, id, CancellationToken.None);
        var second = await outbox.Add(space, id, CancellationToken.None);
        // The second change sent its messages; the first one's may yet fail, so its note must survive.
        await outbox.Remove(second, CancellationToken.None);
        Assert.Equal(1, await PendingNotes());
        await outbox.Remove(first, CancellationToken.None);
        Assert.Equal(0, await PendingNotes());
    }
}

/// <summary>The app with a queue endpoint nothing listens on: the queue is unreachable (not merely missing).</summary>
public sealed class UnreachableQueueFixture : CasesAppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("AzureWebJobsStorage", System.Text.RegularExpressions.Regex.Replace(Azurite.ConnectionString, "QueueEndpoint=[^;]+",
            $"QueueEndpoint=http://127.0.0.1:{AppProcess.FreePort()}/devstoreaccount1") is var s && s != Azurite.ConnectionString
            ? s : throw new InvalidOperationException("The tests' connection string names no QueueEndpoint; run them with ./scripts/test.")),
    ];
}

public sealed class UnreachableQueueTests(UnreachableQueueFixture app) : IClassFixture<UnreachableQueueFixture>
{
    [Fact]
    public async Task A_status_change_is_saved_and_noted_when_the_queue_cannot_be_reached()
    {
        var space = CasesAppFixture.NewSpace();
        var id = (await app.CreateCase(space)).Id();
        await app.AttachOk(space, id, Alerts(["u1"])); // answers 200 although nothing could be sent
        var patched = await app.Patch(space, id, new { status = "in-progress" });
        Assert.Equal("in-progress", patched["status"]!.GetValue<string>());

        Assert.Equal(2, await app.RowsInSpace(t => t.AlertSync(), space)); // one note per change, for the timer's run
    }
}
