using System.Diagnostics;
using System.Net;
using Cases.Tests.Infrastructure;
using MimeKit;
using static Cases.Tests.Notifications.NotificationsFixture;

namespace Cases.Tests.Notifications;

public sealed class EmailTests(NotificationsFixture app) : IClassFixture<NotificationsFixture>
{
    static object NewCase(string title, params User[] assignees) => new
    {
        title,
        description = "Credential stuffing against the VPN.",
        tags = new[] { "vpn" },
        severity = "high",
        owner = "securitySolution",
        connector = new { id = "none", name = "none", type = ".none", fields = (object?)null },
        settings = new { syncAlerts = false },
        assignees = assignees.Select(a => new { uid = a.Uid }).ToArray(),
    };

    static string Text(MimeMessage m) => m.TextBody ?? "";

    [Fact]
    public async Task Each_new_assignee_gets_one_email_with_a_link_and_never_the_assigner_or_an_unknown_uid()
    {
        User lead = User.New("Lead"), bob = User.New("Bob"), cat = User.New("Cat");
        foreach (var u in new[] { lead, bob, cat }) await app.Introduce(u);
        var space = CasesAppFixture.NewSpace();
        var title = "VPN brute force " + Guid.NewGuid().ToString("N")[..6];

        // Created with the lead (self), Bob and a uid nobody knows.
        var created = await app.AsJson(lead, HttpMethod.Post, CasesAppFixture.Api(space, "/cases"),
            NewCase(title, lead, bob, new User("unknown-" + Guid.NewGuid(), "x", "x", "x@example.test")));
        var id = created["id"]!.GetValue<string>();
        var toBob = (await app.Smtp.WaitFor(bob.Email, 1)).Single();
        Assert.Contains(title, toBob.Subject);
        Assert.Equal("cases@example.test", toBob.From.Mailboxes.Single().Address);
        var link = $"{PublicBaseUrl}/s/{space}/app/security/cases/{id}";
        Assert.Contains(link, Text(toBob));
        Assert.Contains("Severity: high", Text(toBob));
        Assert.Contains(lead.FullName, Text(toBob));
        Assert.Contains($"href=\"{link}\"", toBob.HtmlBody);

        // An edit that adds nobody sends nothing; then one that adds Cat (Bob stays) emails Cat only.
        var version = created["version"]!.GetValue<string>();
        var edited = (await app.AsJson(lead, HttpMethod.Patch, CasesAppFixture.Api(space, "/cases"),
            new { cases = new[] { new { id, version, title = title + " (edited)" } } })).AsArray()[0]!;
        await app.AsJson(lead, HttpMethod.Patch, CasesAppFixture.Api(space, "/cases"), new
        {
            cases = new[] { new { id, version = edited["version"]!.GetValue<string>(), assignees = new[] { new { uid = bob.Uid }, new { uid = cat.Uid } } } },
        });
        await app.Smtp.WaitFor(cat.Email, 1);
        // Messages are worked through in order, so anything the earlier changes sent has arrived by now.
        Assert.Single(app.Smtp.To(bob.Email));
        Assert.Single(app.Smtp.To(cat.Email));
        Assert.Empty(app.Smtp.To(lead.Email));
    }

    [Fact]
    public async Task A_bulk_update_emails_the_assignee_once_per_case_assigned()
    {
        User lead = User.New("Lead"), dan = User.New("Dan");
        await app.Introduce(dan);
        var space = CasesAppFixture.NewSpace();
        var one = await app.AsJson(lead, HttpMethod.Post, CasesAppFixture.Api(space, "/cases"), NewCase("first"));
        var two = await app.AsJson(lead, HttpMethod.Post, CasesAppFixture.Api(space, "/cases"), NewCase("second"));
        await app.AsJson(lead, HttpMethod.Patch, CasesAppFixture.Api(space, "/cases"), new
        {
            cases = new[] { one, two }.Select(c => new { id = c["id"]!.GetValue<string>(), version = c["version"]!.GetValue<string>(), assignees = new[] { new { uid = dan.Uid } } }).ToArray(),
        });
        var emails = await app.Smtp.WaitFor(dan.Email, 2);
        Assert.Equal(["first", "second"], emails.Select(m => m.Subject!.Split(": ")[1]).Order());
        // The default space's link has no /s/ part.
        var inDefault = await app.AsJson(lead, HttpMethod.Post, "/api/cases", NewCase("default space", dan));
        var third = (await app.Smtp.WaitFor(dan.Email, 3))[2];
        Assert.Contains($"{PublicBaseUrl}/app/security/cases/{inDefault["id"]!.GetValue<string>()}", Text(third));
    }

    // Both tests below were flaky: the fixture asked for retries after 0.2-0.5 s, which a queue (whole seconds, the SDK
    // drops the fraction) turned into retries with no delay at all; the reader then spun through all 100 attempts within
    // the outage, sometimes before it ended, and the email went to the poison queue. Retries are now whole seconds.
    [Fact]
    public async Task An_email_the_server_cannot_take_is_sent_once_it_is_back_and_the_request_does_not_wait()
    {
        User lead = User.New("Lead"), eve = User.New("Eve");
        await app.Introduce(eve);
        await app.Smtp.GoDown();
        try
        {
            var clock = Stopwatch.StartNew();
            using var response = await app.As(lead, HttpMethod.Post, "/api/cases", NewCase("during the outage", eve));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the request took {clock.Elapsed}");
            await app.Smtp.WaitForRefused(2, TimeSpan.FromSeconds(20)); // the first attempt and a retry failed
            Assert.Empty(app.Smtp.To(eve.Email));
        }
        finally
        {
            await app.Smtp.ComeBack();
        }
        var email = (await WaitForEmail(eve.Email, 1, TimeSpan.FromSeconds(15))).Single();
        Assert.Contains("during the outage", email.Subject);
        Assert.Equal(0, await app.PoisonedCount());
        Assert.Single(app.Smtp.To(eve.Email));
    }

    [Fact]
    public async Task Queued_emails_survive_the_app_being_killed()
    {
        User lead = User.New("Lead"), fay = User.New("Fay");
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var environment = app.AppSettings(prefix).ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value);
        environment["AzureWebJobsStorage"] = Azurite.ConnectionString;
        environment["Cases__Identity__TrustClientPrincipal"] = "true";
        environment["Cases__Numbering__RunInProcess"] = "false";
        environment["Cases__Access__AdminRole"] = "Cases.Admin"; // the role the fixture's principals carry
        var port = AppProcess.FreePort();
        var queues = new Azure.Storage.Queues.QueueServiceClient(Azurite.ConnectionString);
        await app.Smtp.GoDown();
        try
        {
            environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await using (var first = AppProcess.Start(environment))
            {
                await first.WaitUntilReady(http, TimeSpan.FromSeconds(30));
                foreach (var (user, body) in new[] { (fay, (object?)null), (lead, NewCase("before the restart", fay)) })
                {
                    using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, body is null ? "/api/cases/_find" : "/api/cases");
                    request.Headers.Add("X-MS-CLIENT-PRINCIPAL", user.Header);
                    if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body);
                    (await http.SendAsync(request)).EnsureSuccessStatusCode();
                }
                await app.Smtp.WaitForRefused(2, TimeSpan.FromSeconds(30)); // the email is being retried when the process dies
            } // killed
            await app.Smtp.ComeBack();
            Assert.Empty(app.Smtp.To(fay.Email));
            await using var second = AppProcess.Start(environment);
            await second.WaitUntilReady(http, TimeSpan.FromSeconds(30));
            // At worst the message was taken just before the kill: it comes back after its lease (5 s here).
            MimeMessage email;
            try { email = (await app.Smtp.WaitFor(fay.Email, 1, TimeSpan.FromSeconds(25))).Single(); }
            catch (TimeoutException ex)
            {
                var poisoned = (await queues.GetQueueClient(prefix + "case-notifications-poison").PeekMessagesAsync(32)).Value.Length;
                throw new TimeoutException($"{ex.Message} ({poisoned} in the poison queue)\n{second.Output}", ex);
            }
            Assert.Contains("before the restart", email.Subject);
        }
        finally
        {
            await app.Smtp.ComeBack();
            await Azurite.DeleteAppStorage(prefix);
            await queues.DeleteQueueAsync(prefix + "case-notifications");
            await queues.DeleteQueueAsync(prefix + "case-notifications-poison");
        }
    }

    /// <summary>Waits for the emails; on a timeout says whether the message went to the poison queue instead.</summary>
    async Task<IReadOnlyList<MimeMessage>> WaitForEmail(string address, int count, TimeSpan timeout)
    {
        try { return await app.Smtp.WaitFor(address, count, timeout); }
        catch (TimeoutException ex) { throw new TimeoutException($"{ex.Message} ({await app.PoisonedCount()} in the poison queue)", ex); }
    }
}
