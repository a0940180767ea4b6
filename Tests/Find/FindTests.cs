using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Find;

public sealed class FindTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();
    string Api(string path) => CasesAppFixture.Api(space, path);

    async Task<List<JsonObject>> Seed()
    {
        var specs = new (string Title, string Severity, string[] Tags, string Owner, string Status)[]
        {
            ("Alpha ransomware", "critical", ["malware", "ransomware"], "securitySolution", "open"),
            ("Bravo phishing", "low", ["phishing"], "securitySolution", "in-progress"),
            ("Charlie outage", "high", ["infra"], "observability", "closed"),
            ("Delta malware", "medium", ["malware"], "securitySolution", "closed"),
            ("Echo disk full", "low", [], "observability", "open"),
        };
        var created = new List<JsonObject>();
        foreach (var spec in specs)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            var c = await app.CreateCase(space, new { title = spec.Title, severity = spec.Severity, tags = spec.Tags, owner = spec.Owner });
            if (spec.Status != "open")
            {
                var response = await app.Http.PatchAsJsonAsync(Api("/cases"), new { cases = new[] { new { id = c["id"]!.GetValue<string>(), version = c["version"]!.GetValue<string>(), status = spec.Status } } });
                c = (await response.Json()).AsArray()[0]!.AsObject();
            }
            created.Add(c);
        }
        return created;
    }

    async Task<JsonNode> Find(string query) => await (await app.Http.GetAsync(Api($"/cases/_find?{query}"))).Json();

    static string[] Titles(JsonNode result) => result["cases"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Filters_sorting_paging_and_status_counts()
    {
        await Seed();

        var all = await Find("");
        Assert.Equal(5, all["total"]!.GetValue<int>());
        Assert.Equal(1, all["page"]!.GetValue<int>());
        Assert.Equal(20, all["per_page"]!.GetValue<int>());
        Assert.Equal(["Echo disk full", "Delta malware", "Charlie outage", "Bravo phishing", "Alpha ransomware"], Titles(all));
        Assert.Equal((2, 1, 2), Counts(all));

        var open = await Find("status=open");
        Assert.Equal(["Echo disk full", "Alpha ransomware"], Titles(open));
        Assert.Equal((2, 1, 2), Counts(open)); // counts ignore the status filter, as Kibana's do

        Assert.Equal(["Delta malware", "Alpha ransomware"], Titles(await Find("tags=malware")));
        Assert.Equal(["Delta malware", "Bravo phishing", "Alpha ransomware"], Titles(await Find("tags=malware&tags=phishing")));
        Assert.Equal(["Delta malware", "Bravo phishing", "Alpha ransomware"], Titles(await Find("tags=malware,phishing")));
        Assert.Equal(["Delta malware", "Bravo phishing", "Alpha ransomware"], Titles(await Find("tags[]=malware&tags[]=phishing")));
        Assert.Equal(["Echo disk full", "Bravo phishing"], Titles(await Find("severity=low")));
        Assert.Equal(["Echo disk full", "Charlie outage"], Titles(await Find("owner=observability")));
        Assert.Equal((1, 0, 1), Counts(await Find("owner=observability")));
        Assert.Equal(["Delta malware"], Titles(await Find("status=closed&owner=securitySolution")));
        Assert.Empty(Titles(await Find("tags=nothing-has-this")));
        Assert.Equal(0, (await Find("tags=nothing-has-this"))["total"]!.GetValue<int>());

        Assert.Equal(["Alpha ransomware", "Bravo phishing", "Charlie outage", "Delta malware", "Echo disk full"], Titles(await Find("sortField=title&sortOrder=asc")));
        Assert.Equal(["Alpha ransomware", "Charlie outage", "Delta malware", "Echo disk full", "Bravo phishing"], Titles(await Find("sortField=severity&sortOrder=desc")));
        Assert.Equal(["Alpha ransomware", "Bravo phishing", "Charlie outage", "Delta malware", "Echo disk full"], Titles(await Find("sortField=createdAt&sortOrder=asc")));

        var page2 = await Find("sortField=title&sortOrder=asc&perPage=2&page=2");
        Assert.Equal(["Charlie outage", "Delta malware"], Titles(page2));
        Assert.Equal(5, page2["total"]!.GetValue<int>());
        Assert.Empty(Titles(await Find("perPage=2&page=4")));

        Assert.Equal(["Delta malware"], Titles(await Find("search=malware")));
        Assert.Equal(["Delta malware", "Charlie outage"], Titles(await Find("search=malware%20outage")));
        Assert.Empty(Titles(await Find("search=malware%20outage&defaultSearchOperator=AND")));
        Assert.Equal(["Delta malware"], Titles(await Find("search=delta%20MALWARE&defaultSearchOperator=AND&searchFields=title")));
    }

    [Theory]
    [InlineData("perPage=101", "The provided perPage value is too high. The maximum allowed perPage value is 100.")]
    [InlineData("page=101&perPage=100", "Paginating through more than 10000 documents is not possible.")]
    [InlineData("page=0", "Invalid value \"0\" supplied to \"page\"")]
    [InlineData("perPage=abc", "Invalid value \"abc\" supplied to \"perPage\"")]
    [InlineData("status=done", "Invalid value \"done\" supplied to \"status\"")]
    [InlineData("severity=urgent", "Invalid value \"urgent\" supplied to \"severity\"")]
    [InlineData("owner=nobody", "Invalid value \"nobody\" supplied to \"owner\"")]
    [InlineData("sortField=color", "Invalid value \"color\" supplied to \"sortField\"")]
    [InlineData("sortOrder=up", "Invalid value \"up\" supplied to \"sortOrder\"")]
    [InlineData("from=yesterday-ish", "Invalid value \"yesterday-ish\" supplied to \"from\"")]
    public async Task Invalid_parameters_get_400(string query, string message)
    {
        await (await app.Http.GetAsync(Api($"/cases/_find?{query}"))).Error(HttpStatusCode.BadRequest, message);
    }

    static (int Open, int InProgress, int Closed) Counts(JsonNode r) => (
        r["count_open_cases"]!.GetValue<int>(), r["count_in_progress_cases"]!.GetValue<int>(), r["count_closed_cases"]!.GetValue<int>());
}
