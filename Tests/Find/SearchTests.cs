using System.Net;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Find;

/// <summary>
/// <c>search</c> answers as Kibana's <c>simple_query_string</c> over the standard analyzer does: whole lower-cased
/// words, <c>*</c> for a prefix, phrases, <c>-</c> for "without", and Elasticsearch's reading of the default operator.
/// </summary>
public sealed class SearchTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    readonly string space = CasesAppFixture.NewSpace();

    async Task<List<string>> Titles(string query)
    {
        var found = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/_find?sortField=title&sortOrder=asc&{query}"))).Json();
        return found["cases"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()).ToList();
    }

    async Task Seed()
    {
        await app.CreateCase(space, new { title = "Issue with login", description = "Credential dumping seen on host-42" });
        await app.CreateCase(space, new { title = "Issues everywhere", description = "Lateral movement detected" });
        await app.CreateCase(space, new { title = "Phishing mail", description = "movement lateral, in reverse order" });
        await app.CreateCase(space, new { title = "Outage", description = "Disk full on db.example.com" });
    }

    [Fact]
    public async Task Search_matches_whole_words_prefixes_phrases_and_exclusions_as_Kibana_does()
    {
        await Seed();
        Assert.Empty(await Titles("search=Iss"));                                                   // whole terms only
        Assert.Equal(["Issue with login", "Issues everywhere"], await Titles("search=Iss*"));        // trailing wildcard
        Assert.Equal(["Issue with login"], await Titles("search=ISSUE"));                           // case-insensitive, no stemming
        Assert.Equal(["Issues everywhere"], await Titles("search=%22lateral%20movement%22"));       // a phrase keeps its order
        Assert.Equal(["Issues everywhere", "Phishing mail"], await Titles("search=lateral%20movement"));
        Assert.Equal(["Issue with login", "Issues everywhere", "Outage"], await Titles("search=-phishing"));
        // Elasticsearch reads "movement -phishing" with OR as "movement, or anything without phishing".
        Assert.Equal(["Issue with login", "Issues everywhere", "Outage", "Phishing mail"], await Titles("search=movement%20-phishing"));
        Assert.Equal(["Issues everywhere"], await Titles("search=movement%20-phishing&defaultSearchOperator=AND"));
        Assert.Equal(["Outage"], await Titles("search=db.example.com"));                            // one token, as the analyzer keeps it
        Assert.Equal(["Issue with login"], await Titles("search=42"));                              // host-42 is two words
        Assert.Empty(await Titles("search=movement&searchFields=title"));
        Assert.Equal(["Issue with login", "Phishing mail"], await Titles("search=login%20%7C%20mail"));
    }

    [Fact]
    public async Task A_search_past_its_limits_is_refused_and_repeated_terms_count_once()
    {
        var many = string.Join("%20", Enumerable.Range(0, 101).Select(i => $"w{i}"));
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/_find?search={many}")))
            .Error(HttpStatusCode.BadRequest, "The search has 101 distinct terms; at most 100 are allowed.");
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/_find?search={new string('a', 300)}")))
            .Error(HttpStatusCode.BadRequest, "A search term is 300 characters long; at most 256 are allowed.");

        // 1,000 terms, 50 distinct (a URL stays under Kestrel's 8 KB request line): accepted and answered quickly.
        var repeated = string.Join("+", Enumerable.Range(0, 1000).Select(i => $"w{i % 50}"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var found = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/_find?search={repeated}"))).Json();
        Assert.Equal(0, found["total"]!.GetValue<int>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }
}
