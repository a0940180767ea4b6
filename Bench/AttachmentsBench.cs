using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Cases.Bench;

/// <summary>Attaching 1,000 alerts 100 at a time, then reading the case with 1,000 alerts and 500 comments.</summary>
public static class AttachmentsBench
{
    public static async Task Run()
    {
        await using var bench = await BenchApp.Start();
        var http = bench.Http;
        const string owner = "securitySolution";
        var created = await BenchApp.Ok(await http.PostAsJsonAsync("/api/cases", new JsonObject
        {
            ["title"] = "Attachment benchmark",
            ["description"] = "Many alerts and comments",
            ["tags"] = new JsonArray(),
            ["owner"] = owner,
            ["settings"] = new JsonObject { ["syncAlerts"] = false },
            ["connector"] = new JsonObject { ["id"] = "none", ["name"] = "none", ["type"] = ".none", ["fields"] = null },
        }));
        var comments = $"/api/cases/{created["id"]}/comments";

        var attach = new Samples("attach 100 alerts (POST .../comments)");
        for (var batch = 0; batch < 10; batch++)
        {
            var body = new JsonObject
            {
                ["type"] = "alert",
                ["owner"] = owner,
                ["index"] = new JsonArray(Enumerable.Range(0, 100).Select(_ => (JsonNode?)".alerts-security.alerts-default").ToArray()),
                ["alertId"] = new JsonArray(Enumerable.Range(batch * 100, 100).Select(i => (JsonNode?)$"alert-{i}").ToArray()),
                ["rule"] = new JsonObject { ["id"] = "rule-1", ["name"] = "Brute force" },
            };
            await attach.Time(async () => await BenchApp.Ok(await http.PostAsJsonAsync(comments, body)));
        }
        for (var i = 0; i < 500; i++)
            await BenchApp.Ok(await http.PostAsJsonAsync(comments, new JsonObject { ["type"] = "user", ["owner"] = owner, ["comment"] = $"Comment {i}: " + new string('x', 200) }));

        var read = new Samples("get case with 1,000 alerts + 500 comments");
        for (var i = 0; i < 20; i++) await read.Time(async () => await BenchApp.Ok(await http.GetAsync($"/api/cases/{created["id"]}")));

        Console.WriteLine();
        Console.WriteLine("Attachments on Azurite:");
        Samples.Print([attach, read], new Dictionary<string, double> { [attach.Name] = 300, [read.Name] = 200 });
    }
}
