using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.Find;
using Cases.Domain.Users;

namespace Cases.Tests.Domain;

/// <summary>
/// Six cases that differ in every field _find filters or sorts on, and a check that runs a query through
/// <see cref="CaseFinder"/>, a <see cref="CaseView"/> and a view restored from its snapshot: all three must give the
/// expected page, total, status counts and next position.
/// </summary>
static class FindCases
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly CaseUser Alice = new("alice@x", "Alice", "alice", "p-alice");
    public static readonly CaseUser Bob = new("bob@x", null, "bob");
    public static readonly CaseUser Carol = new("carol@x", null, "carol");

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    static Case Make(string id, string title, string description, string status, string severity, string owner, string[] tags,
        string? category, string[] assignees, CaseUser reporter, int created, CustomFieldValue[]? custom = null,
        int? updated = null, int? closed = null) => new()
        {
            Id = id,
            Title = title,
            Description = description,
            Status = status,
            Severity = severity,
            Owner = owner,
            Tags = tags,
            Category = category,
            Assignees = assignees.Select(a => new Assignee(a)).ToArray(),
            Connector = Connector.None,
            Settings = new CaseSettings(true),
            CustomFields = custom ?? [],
            CreatedAt = At(created),
            CreatedBy = reporter,
            UpdatedAt = updated is { } u ? At(u) : null,
            UpdatedBy = updated is null ? null : reporter,
            ClosedAt = closed is { } c ? At(c) : null,
            ClosedBy = closed is null ? null : reporter,
            Duration = closed is { } d ? (d - created) * 60 : null,
        };

    public static readonly CaseRecord[] All =
    [
        new(Make("c1", "Phishing email from bank", "User clicked the link", "open", "low", "cases", ["phishing", "email"], "fraud", ["u1"], Alice, 1,
            [new("t", "text", "alpha"), new("b", "toggle", true)]), 1, 0, 0, 1),
        new(Make("c2", "Malware on host-42", "Trojan found on 10.0.0.1", "in-progress", "high", "securitySolution", ["malware"], null, [], Bob, 2,
            [new("n", "number", JsonNode.Parse("5"))], updated: 10), 2, 0, 0, 2),
        new(Make("c3", "Phishing again", "Second phishing wave, don't click", "closed", "critical", "cases", ["phishing", "phishing"], "fraud", ["u2", "u1"], Alice, 3,
            [new("t", "text", null)], closed: 20), 3, 0, 0, 3),
        new(Make("c4", "Disk full", "Host ran out of space", "open", "medium", "observability", [], "ops", ["u3"], Carol, 3), 1, 0, 0, null),
        new(Make("c5", "Zebra ticket", "Nothing to see", "closed", "low", "cases", ["misc"], "Fraud", [], Bob, 5, updated: 30, closed: 30), 4, 0, 0, 5),
        new(Make("c6", "apple bug", "phishing-like behavior", "in-progress", "medium", "cases", ["email"], null, ["u1"], Alice, 6), 1, 0, 0, 6),
    ];

    public static CaseView View(IEnumerable<CaseRecord>? records = null)
    {
        var view = new CaseView();
        foreach (var r in records ?? All) view.Apply(r);
        return view;
    }

    public static CaseView Restored(CaseView view)
    {
        using var stream = new MemoryStream();
        view.WriteTo(stream);
        stream.Position = 0;
        return CaseView.ReadFrom(stream)!;
    }

    static readonly Lazy<CaseView> SharedView = new(() => View());
    static readonly Lazy<CaseView> SharedRestored = new(() => Restored(View()));

    public static CasePosition PositionOf(string id, string sortField = "createdAt") =>
        CaseFinder.PositionOf(All.Single(r => r.Case.Id == id), sortField);

    /// <summary>The expected page (ids in order), status counts (over every filter but status) and, when more follow, the id the next page starts after.</summary>
    public static void Check(CaseFindQuery query, string[] ids, (int Open, int InProgress, int Closed) counts, int? total = null, string? nextAfter = null)
    {
        var expectedNext = nextAfter is null ? null : PositionOf(nextAfter, query.SortField);
        var expectedTotal = total ?? ids.Length;

        var found = CaseFinder.Find(All, query);
        Assert.Equal(ids, found.Cases.Select(c => c.Case.Id));
        Assert.Equal((expectedTotal, counts.Open, counts.InProgress, counts.Closed), (found.Total, found.CountOpen, found.CountInProgress, found.CountClosed));
        Assert.Equal(expectedNext, found.Next);

        foreach (var view in new[] { SharedView.Value, SharedRestored.Value })
        {
            var page = view.Find(query);
            Assert.Equal(ids, page.Ids);
            Assert.Equal((expectedTotal, counts.Open, counts.InProgress, counts.Closed), (page.Total, page.CountOpen, page.CountInProgress, page.CountClosed));
            Assert.Equal(expectedNext, page.Next);
            var metrics = view.Metrics(query);
            Assert.Equal(counts, (metrics.Open, metrics.InProgress, metrics.Closed));
        }
    }
}
