using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cases.Tests.Attachments;
using Cases.Tests.Infrastructure;
using CsvHelper;

namespace Cases.Tests.Transfer;

public sealed class CsvTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();

    async Task<List<Dictionary<string, string>>> Csv(string query, bool byHeader = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, CasesAppFixture.Api(space, "/cases/_find" + query));
        if (byHeader) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        using var reader = new CsvReader(new StringReader(await response.Content.ReadAsStringAsync()), CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        await reader.ReadAsync();
        reader.ReadHeader();
        while (await reader.ReadAsync())
            rows.Add(reader.HeaderRecord!.ToDictionary(h => h, h => reader.GetField(h)!));
        return rows;
    }

    [Fact]
    public async Task Csv_lists_every_matching_case_and_titles_with_commas_quotes_and_newlines_survive_a_csv_parser()
    {
        const string tricky = "Breach, \"phase 2\"\nsee runbook; =cmd";
        var config = await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/cases/configure"), new
        {
            owner = "securitySolution",
            connector = new { id = "none", name = "none", type = ".none", fields = (object?)null },
            closure_type = "close-by-user",
            customFields = new[] { new { key = "ticket", label = "Ticket", type = "text", required = false } },
        });
        Assert.True(config.IsSuccessStatusCode, await config.Content.ReadAsStringAsync());
        var first = await app.CreateCase(space, new
        {
            title = tricky,
            tags = new[] { "a,b", "c" },
            severity = "high",
            category = "Intrusion",
            customFields = new[] { new { key = "ticket", type = "text", value = "INC-1" } }
        });
        await app.AttachOk(space, first.Id(), AttachmentTestClient.UserComment("one"));
        await app.AttachOk(space, first.Id(), AttachmentTestClient.Alerts(["x1", "x2"]));
        for (var i = 0; i < 24; i++) await app.CreateCase(space, new { title = $"Case {i}", severity = "low" });
        await app.CreateCase(space, new { title = "Observability case", owner = "observability" });

        var all = await Csv("?format=csv&owner=securitySolution&sortField=createdAt&sortOrder=asc");
        Assert.Equal(25, all.Count); // every match, not a page of 20
        var row = all[0];
        Assert.Equal(tricky, row["title"]);
        Assert.Equal(first.Id(), row["id"]);
        Assert.Equal("a,b; c", row["tags"]);
        Assert.Equal("high", row["severity"]);
        Assert.Equal("Intrusion", row["category"]);
        Assert.Equal("1", row["total_comments"]);
        Assert.Equal("2", row["total_alerts"]);
        Assert.Equal("INC-1", row["custom_field:ticket"]);
        Assert.Equal("local-tester", row["created_by"]);
        Assert.Equal(first["created_at"]!.GetValue<string>(), row["created_at"]);

        var high = await Csv("?severity=high", byHeader: true);
        Assert.Equal([first.Id()], high.Select(r => r["id"]));
    }

    [Fact]
    public async Task An_unknown_format_is_refused()
    {
        var response = await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_find?format=xlsx"));
        await response.Error(HttpStatusCode.BadRequest, "format");
    }
}
