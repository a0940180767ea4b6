using Cases.Domain.Cases;
using Cases.Domain.Find;
using static Cases.Tests.Domain.FindCases;

namespace Cases.Tests.Domain;

/// <summary>What the view keeps besides _find (which <see cref="CaseFinderTests"/> checks against it): totals, reporters, versions, snapshots.</summary>
public sealed class CaseViewTests
{
    static string Show(IReadOnlyDictionary<string, int> counts) =>
        string.Join(",", counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    static CaseRecord Record(string id) => All.Single(r => r.Case.Id == id);

    [Fact]
    public void Totals_per_owner_count_each_case_once_per_tag()
    {
        foreach (var view in new[] { View(), Restored(View()) })
        {
            var all = view.TotalsOf([]);
            Assert.Equal("email=2,malware=1,misc=1,phishing=2", Show(all.Tags));
            Assert.Equal("Fraud=1,fraud=2,ops=1", Show(all.Categories));
            Assert.Equal("closed=2,in-progress=2,open=2", Show(all.Statuses));

            var cases = view.TotalsOf(["cases"]);
            Assert.Equal("email=2,misc=1,phishing=2", Show(cases.Tags));
            Assert.Equal("Fraud=1,fraud=2", Show(cases.Categories));
            Assert.Equal("closed=2,in-progress=1,open=1", Show(cases.Statuses));

            var observability = view.TotalsOf(["observability", "unknown"]);
            Assert.Equal("", Show(observability.Tags));
            Assert.Equal("ops=1", Show(observability.Categories));
            Assert.Equal("open=1", Show(observability.Statuses));
        }
    }

    [Fact]
    public void Totals_follow_changes_and_removals()
    {
        var view = View();
        var c1 = Record("c1");
        view.Apply(c1 with { Version = 2, Case = c1.Case with { Tags = ["email"], Category = null, Status = "closed" } });
        var totals = view.TotalsOf([]);
        Assert.Equal("email=2,malware=1,misc=1,phishing=1", Show(totals.Tags));
        Assert.Equal("Fraud=1,fraud=1,ops=1", Show(totals.Categories));
        Assert.Equal("closed=3,in-progress=2,open=1", Show(totals.Statuses));

        view.Remove("c3");
        view.Remove("c2");
        totals = view.TotalsOf([]);
        Assert.Equal("email=2,misc=1", Show(totals.Tags));
        Assert.Equal("Fraud=1,ops=1", Show(totals.Categories));
        Assert.Equal("closed=2,in-progress=1,open=1", Show(totals.Statuses));
        Assert.Equal(4, view.Count);
        Assert.Equal(["c6", "c1"], view.Find(new CaseFindQuery { Tags = ["email"] }).Ids);
        Assert.Empty(view.Find(new CaseFindQuery { Tags = ["phishing"] }).Ids);
    }

    [Fact]
    public void An_older_version_never_replaces_a_newer_one_unless_forced_and_a_removed_case_stays_removed()
    {
        var view = View();
        var c2 = Record("c2");
        view.Apply(c2 with { Version = 1, Case = c2.Case with { Title = "Old title" } });
        Assert.Equal(["c2"], view.Find(new CaseFindQuery { Search = "malware" }).Ids);
        Assert.Empty(view.Find(new CaseFindQuery { Search = "old" }).Ids);

        view.Apply(c2 with { Case = c2.Case with { Title = "Same version wins" } });
        Assert.Equal(["c2"], view.Find(new CaseFindQuery { Search = "wins" }).Ids);

        view.Apply(c2 with { Version = 1, Case = c2.Case with { Title = "Forced" } }, force: true);
        Assert.Equal(["c2"], view.Find(new CaseFindQuery { Search = "forced" }).Ids);
        Assert.Empty(view.Find(new CaseFindQuery { Search = "wins" }).Ids);

        view.Remove("c2");
        view.Apply(c2 with { Version = 9 });
        Assert.Equal(5, view.Count);
        Assert.DoesNotContain("c2", view.Find(new CaseFindQuery()).Ids);
        view.Remove("c404");
        Assert.Equal(5, view.Count);
    }

    [Fact]
    public void Reporters_once_each_sorted_by_username_for_the_owners_asked()
    {
        var view = View();
        Assert.Equal([Alice, Bob, Carol], view.Reporters([]));
        Assert.Equal([Alice, Bob], view.Reporters(["cases"]));
        Assert.Equal([Carol], view.Reporters(["observability"]));
        Assert.Empty(view.Reporters(["nobody"]));

        var renamed = Alice with { FullName = "Alice Renamed" };
        view.Apply(new CaseRecord(Record("c6").Case with { Id = "c7", CreatedBy = renamed }, 1, 0, 0, null));
        Assert.Equal(["alice", "bob", "carol"], view.Reporters([]).Select(u => u.Username));
        Assert.Equal([Alice, Bob, Carol], Restored(view).Reporters([]));
    }

    [Fact]
    public void Metrics_give_status_counts_and_durations_of_closed_cases()
    {
        var (open, inProgress, closed, durations) = View().Metrics(new CaseFindQuery());
        Assert.Equal((2, 2, 2), (open, inProgress, closed));
        Assert.Equal([17 * 60L, 25 * 60L], durations.Order());

        var owned = View().Metrics(new CaseFindQuery { Tags = ["misc"] });
        Assert.Equal((0, 0, 1), (owned.Open, owned.InProgress, owned.Closed));
        Assert.Equal([25 * 60L], owned.Durations);
    }

    [Fact]
    public void Size_grows_with_the_cases_and_shrinks_when_they_go()
    {
        var empty = new CaseView();
        Assert.Equal(0, empty.ApproximateBytes);
        var one = View(All.Take(1));
        var all = View();
        Assert.True(one.ApproximateBytes > 500, one.ApproximateBytes.ToString());
        Assert.True(all.ApproximateBytes > one.ApproximateBytes);
        var before = all.ApproximateBytes;
        all.Remove("c1");
        Assert.True(all.ApproximateBytes < before);
        Assert.Equal(all.ApproximateBytes, Restored(all).ApproximateBytes);
    }

    [Fact]
    public void A_snapshot_of_another_format_is_not_read()
    {
        using var stream = new MemoryStream();
        View().WriteTo(stream);
        var bytes = stream.ToArray();
        Assert.Equal(3, BitConverter.ToInt32(bytes, 0));
        bytes[0] = 2; // the form before 7-bit numbers
        Assert.Null(CaseView.ReadFrom(new MemoryStream(bytes)));
        Assert.Equal(6, CaseView.ReadFrom(new MemoryStream(stream.ToArray()))!.Count);
        Assert.Equal(0, Restored(new CaseView()).Count);
    }

    [Fact]
    public void The_string_pool_interns_once()
    {
        var pool = new StringPool();
        Assert.Equal(0, pool.Intern("a"));
        Assert.Equal(1, pool.Intern("b"));
        Assert.Equal(0, pool.Intern("a"));
        Assert.Equal(2, pool.Count);
        Assert.Equal("b", pool[1]);
        Assert.Equal(1, pool.Find("b"));
        Assert.Equal(-1, pool.Find("c"));
        Assert.Equal(["a", "b"], pool.Values);
        Assert.Equal(2 * (2 + 70), pool.ApproximateBytes);
    }
}
