using System.Reflection;
using Azure.Storage.Queues.Models;
using Cases.Functions.Hosting;
using Cases.Functions.Notifications;
using Cases.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using static Cases.Tests.Notifications.NotificationsFixture;

namespace Cases.Tests.Notifications;

/// <summary>The app without its in-process reader, as under the Functions host: the queue waits for the trigger.</summary>
public sealed class TriggerFixture : NotificationsFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Append(KeyValuePair.Create("Cases:Notifications:RunInProcess", (string?)"false"));
}

/// <summary>
/// The <c>DrainNotifications</c> function called as the host calls it: with a real message taken from the real queue,
/// which the host deletes when the function returns (here the test does).
/// </summary>
public sealed class QueueTriggerTests(TriggerFixture app) : IClassFixture<TriggerFixture>
{
    NotificationQueue Queue => app.App.Services.GetRequiredService<NotificationQueue>();

    async Task Trigger(QueueMessage message)
    {
        var method = typeof(CasesApp).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == NotificationFunctions.Name);
        var function = ActivatorUtilities.CreateInstance(app.App.Services, method.DeclaringType!);
        await (Task)method.Invoke(function, [message, CancellationToken.None])!;
        await Queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt); // the host, once the function returned
    }

    /// <summary>Takes the next message as the host's listener does (hidden while the function runs), waiting for one to be visible.</summary>
    async Task<QueueMessage> Next(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await Queue.Queue.ReceiveMessageAsync(TimeSpan.FromMinutes(1))).Value is { } message) return message;
            await Task.Delay(50);
        }
        throw new TimeoutException("No notification message became visible in time.");
    }

    static object NewCase(string title, User assignee) => new
    {
        title,
        description = "Beaconing to a known C2.",
        tags = new[] { "c2" },
        severity = "critical",
        owner = "securitySolution",
        connector = new { id = "none", name = "none", type = ".none", fields = (object?)null },
        settings = new { syncAlerts = false },
        assignees = new[] { new { uid = assignee.Uid } },
    };

    // One test, run in order: the three share the fixture's one queue, and each takes "the next message" from it.
    [Fact]
    public async Task The_queue_trigger_delivers_a_real_queued_message_retries_with_backoff_and_sets_aside_poison()
    {
        User lead = User.New("Lead"), gus = User.New("Gus"), hal = User.New("Hal"), ivy = User.New("Ivy");
        foreach (var user in new[] { gus, hal, ivy }) await app.Introduce(user);

        // Delivery: the case's event message fans out into an email message; the trigger sends that one.
        await app.AsJson(lead, HttpMethod.Post, "/api/cases", NewCase("drained by the trigger", gus));
        var queued = await Next(TimeSpan.FromSeconds(10));
        Assert.Equal(NotificationMessage.EventKind, NotificationQueue.Parse(queued.MessageText).Kind); // nobody else drains the queue
        await Trigger(queued);
        var email = await Next(TimeSpan.FromSeconds(10));
        Assert.Equal(NotificationMessage.EmailKind, NotificationQueue.Parse(email.MessageText).Kind);
        await Trigger(email);
        Assert.Contains("drained by the trigger", (await app.Smtp.WaitFor(gus.Email, 1, TimeSpan.FromSeconds(5))).Single().Subject);

        // Retry: a failed send comes back as a copy that counts its attempt and stays hidden for the backoff (1 s here).
        await app.AsJson(lead, HttpMethod.Post, "/api/cases", NewCase("after a retry", hal));
        await Trigger(await Next(TimeSpan.FromSeconds(10)));
        var first = await Next(TimeSpan.FromSeconds(10));
        await app.Smtp.GoDown();
        try
        {
            var failed = DateTime.UtcNow;
            await Trigger(first); // returns normally: the host deletes the original, the copy carries on
            await app.Smtp.WaitForRefused(1, TimeSpan.FromSeconds(5));
            var retry = await Next(TimeSpan.FromSeconds(10));
            Assert.True(DateTime.UtcNow - failed >= TimeSpan.FromSeconds(0.9), "the retry was not held back");
            Assert.Equal(1, NotificationQueue.Parse(retry.MessageText).Attempts);
            Assert.Equal(1, retry.DequeueCount); // a new message: the host's own count starts again
            await app.Smtp.ComeBack();
            await Trigger(retry);
        }
        finally
        {
            await app.Smtp.ComeBack();
        }
        Assert.Contains("after a retry", (await app.Smtp.WaitFor(hal.Email, 1, TimeSpan.FromSeconds(5))).Single().Subject);

        // Poison: a message on its last attempt that fails again is set aside in {queue}-poison, not re-queued.
        await app.AsJson(lead, HttpMethod.Post, "/api/cases", NewCase("never sent", ivy));
        await Trigger(await Next(TimeSpan.FromSeconds(10)));
        var toIvy = await Next(TimeSpan.FromSeconds(10));
        await Queue.Queue.DeleteMessageAsync(toIvy.MessageId, toIvy.PopReceipt);
        await Queue.Send(NotificationQueue.Parse(toIvy.MessageText) with { Attempts = 99 }, CancellationToken.None); // the fixture allows 100
        await app.Smtp.GoDown();
        try
        {
            await Trigger(await Next(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await app.Smtp.ComeBack();
        }
        Assert.Equal(1, await app.PoisonedCount());
        Assert.Null((await Queue.Queue.PeekMessageAsync()).Value);
        Assert.Empty(app.Smtp.To(ivy.Email));
    }
}
