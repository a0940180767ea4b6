using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.Find;
using Cases.Domain.Users;

namespace Cases.Tests.Find;

/// <summary>
/// The compact view must answer every query exactly as the plain evaluation over whole cases (<see cref="CaseFinder"/>):
/// a few hundred random queries over random cases, before and after a round trip through the snapshot form.
/// </summary>
public sealed class CaseViewEquivalenceTests
{
    static readonly string[] Words = ["Issue", "issue-42", "malware", "Phishing", "host.example.com", "lateral", "movement", "don't", "10.0.0.1", "x_y", "Ünïcode", "beacon"];
    static readonly string[] Tags = ["t1", "t2", "t3", "T1", "shared"];
    static readonly string[] Categories = ["Malware", "Phishing", "Insider"];
    static readonly CaseUser[] Users =
    [
        new("a@example.com", "A", "alice"), new(null, null, "bob", "u_bob"), new("c@example.com", null, null), new("d@example.com", "D", "dora", "u_dora"),
    ];

    [Fact]
    public void The_compact_view_answers_random_queries_as_the_plain_evaluation_does()
    {
        var random = new Random(19);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var records = new Dictionary<string, CaseRecord>();
        var view = new CaseView();
        for (var i = 0; i < 400; i++)
        {
            var record = RandomCase(random, i, start);
            records[record.Case.Id] = record;
            view.Apply(record);
        }
        // Edits (a newer version replaces the old one), stale writes (ignored) and deletions.
        foreach (var id in records.Keys.Take(60).ToList())
        {
            var edited = RandomCase(random, int.Parse(id[5..]), start) with { Version = 2 };
            records[id] = edited;
            view.Apply(edited);
            view.Apply(RandomCase(random, int.Parse(id[5..]), start));
        }
        foreach (var id in records.Keys.Skip(60).Take(20).ToList())
        {
            records.Remove(id);
            view.Remove(id);
        }

        using var stream = new MemoryStream();
        view.WriteTo(stream);
        stream.Position = 0;
        var reloaded = CaseView.ReadFrom(stream)!;

        for (var q = 0; q < 300; q++)
        {
            var query = RandomQuery(random, start, records.Keys.ToList());
            var expected = CaseFinder.Find(records.Values, query);
            foreach (var compact in new[] { view, reloaded })
            {
                var actual = compact.Find(query);
                var context = $"query {q}: {Describe(query)}";
                Assert.True(expected.Cases.Select(c => c.Case.Id).SequenceEqual(actual.Ids), context);
                Assert.Equal((expected.Total, expected.CountOpen, expected.CountInProgress, expected.CountClosed),
                    (actual.Total, actual.CountOpen, actual.CountInProgress, actual.CountClosed));
                Assert.Equal(expected.Next, actual.Next);

                var matching = records.Values.Where(r => CaseFinder.MatchesAllButStatus(r, query)).ToList();
                var metrics = compact.Metrics(query);
                Assert.Equal(matching.Where(r => r.Case.Duration is not null).Select(r => r.Case.Duration!.Value).Order(), metrics.Durations.Order());
                Assert.Equal(matching.Count(r => r.Case.Status == CaseStatus.Open), metrics.Open);
            }
            // Keyset paging from the page's last position gives what the plain evaluation gives.
            if (expected.Next is { } next)
            {
                var after = query with { SearchAfter = next };
                Assert.Equal(CaseFinder.Find(records.Values, after).Cases.Select(c => c.Case.Id), reloaded.Find(after).Ids);
            }
        }

        foreach (var owners in new[] { Array.Empty<string>(), ["securitySolution"], ["observability", "cases"] })
        {
            var chosen = records.Values.Where(r => owners.Length == 0 || owners.Contains(r.Case.Owner)).ToList();
            var totals = reloaded.TotalsOf(owners);
            Assert.Equal(chosen.SelectMany(r => r.Case.Tags.Distinct()).CountBy(t => t).ToDictionary(), totals.Tags);
            Assert.Equal(chosen.Where(r => r.Case.Category is not null).CountBy(r => r.Case.Category!).ToDictionary(), totals.Categories);
            Assert.Equal(chosen.CountBy(r => r.Case.Status).ToDictionary(), totals.Statuses);
            Assert.Equal(chosen.Select(r => r.Case.CreatedBy).Distinct().OrderBy(u => u.Username, StringComparer.Ordinal).ToList(), reloaded.Reporters(owners));
        }
    }

    static CaseRecord RandomCase(Random r, int i, DateTimeOffset start)
    {
        string Text(int words) => string.Join(r.Next(4) == 0 ? ", " : " ", Enumerable.Range(0, words).Select(_ => Words[r.Next(Words.Length)]));
        var created = start.AddMinutes(r.Next(0, 5000));
        var status = CaseStatus.All[r.Next(3)];
        var closed = status == CaseStatus.Closed ? created.AddMinutes(r.Next(1, 500)) : (DateTimeOffset?)null;
        var custom = new List<CustomFieldValue>();
        if (r.Next(2) == 0) custom.Add(new("ticket", "text", r.Next(3) switch { 0 => null, 1 => JsonValue.Create("INC-1"), _ => JsonValue.Create("INC-2") }));
        if (r.Next(2) == 0) custom.Add(new("escalated", "toggle", JsonValue.Create(r.Next(2) == 0)));
        return new CaseRecord(new Case
        {
            Id = $"case-{i:D4}",
            Owner = CaseOwner.All[r.Next(3)],
            Title = Text(r.Next(1, 5)),
            Description = Text(r.Next(0, 12)),
            Status = status,
            Severity = CaseSeverity.All[r.Next(4)],
            Tags = Enumerable.Range(0, r.Next(4)).Select(_ => Tags[r.Next(Tags.Length)]).ToList(),
            Category = r.Next(3) == 0 ? null : Categories[r.Next(Categories.Length)],
            Assignees = Enumerable.Range(0, r.Next(3)).Select(_ => new Assignee($"u_{r.Next(4)}")).Distinct().ToList(),
            Connector = Connector.None,
            Settings = new CaseSettings(true),
            CustomFields = custom,
            CreatedAt = created,
            CreatedBy = Users[r.Next(Users.Length)],
            UpdatedAt = r.Next(2) == 0 ? created.AddMinutes(r.Next(1, 100)) : null,
            ClosedAt = closed,
            Duration = closed is { } c ? (long)(c - created).TotalSeconds : null,
        }, 1, 0, 0, null);
    }

    static CaseFindQuery RandomQuery(Random r, DateTimeOffset start, List<string> ids)
    {
        IReadOnlyList<string> Some(string[] values, int chance) => r.Next(chance) != 0 ? [] : Enumerable.Range(0, r.Next(1, 3)).Select(_ => values[r.Next(values.Length)]).Distinct().ToList();
        string[] searches =
        [
            "issue", "Iss", "Iss*", "ISSUE 42", "\"lateral movement\"", "-malware", "malware -phishing", "host.example.com", "host*",
            "don't", "10.0.0.1", "x_y", "ünïcode", "beacon | malware", "beacon + lateral", "(beacon | phishing) -issue", "mal*", "\"movement lateral\"",
            "issue-42", "42", "---", "missing", "lateral~2", ids[r.Next(ids.Count)],
        ];
        return new CaseFindQuery
        {
            Statuses = Some(CaseStatus.All, 3),
            Severities = Some(CaseSeverity.All, 3),
            Owners = Some(CaseOwner.All, 3),
            Tags = Some([.. Tags, "nope"], 3),
            Assignees = Some(["u_0", "u_1", "u_2", "none", "u_nope"], 4),
            Reporters = Some(["alice", "u_bob", "c@example.com", "nobody"], 4),
            Categories = Some([.. Categories, "none"], 4),
            Search = r.Next(2) == 0 ? searches[r.Next(searches.Length)] : null,
            SearchFields = r.Next(3) switch { 0 => ["title"], 1 => ["description"], _ => ["title", "description"] },
            SearchAllTerms = r.Next(2) == 0,
            From = r.Next(4) == 0 ? start.AddMinutes(r.Next(5000)) : null,
            To = r.Next(4) == 0 ? start.AddMinutes(r.Next(5000)) : null,
            SortField = CaseFindQuery.SortFields[r.Next(CaseFindQuery.SortFields.Length)],
            Descending = r.Next(2) == 0,
            Page = r.Next(1, 4),
            PerPage = r.Next(1, 30),
            CustomFields = r.Next(5) != 0 ? new Dictionary<string, IReadOnlyList<string>>() : new Dictionary<string, IReadOnlyList<string>>
            {
                ["ticket"] = r.Next(2) == 0 ? ["INC-1", "null"] : ["\"INC-2\""],
            },
        };
    }

    static string Describe(CaseFindQuery q) =>
        $"search={q.Search} fields={string.Join(",", q.SearchFields)} and={q.SearchAllTerms} sort={q.SortField} desc={q.Descending} page={q.Page}/{q.PerPage}";
}
