using Cases.Domain.Cases;
using Cases.Domain.Users;

namespace Cases.Domain.Find;

/// <summary>A page of case ids chosen by the view; <see cref="Next"/> is the position to continue from.</summary>
public sealed record CaseViewPage(IReadOnlyList<string> Ids, int Total, int CountOpen, int CountInProgress, int CountClosed, CasePosition? Next);

/// <summary>What the listings and status counts read, kept up to date as cases change instead of recounted per request.</summary>
public sealed record CaseTotals(IReadOnlyDictionary<string, int> Tags, IReadOnlyDictionary<string, int> Categories, IReadOnlyDictionary<string, int> Statuses);

/// <summary>
/// A space's cases in compact form (<see cref="CompactCase"/>): answers <c>_find</c>, the listings and the metrics
/// with exactly <see cref="CaseFinder"/>'s semantics, in a fraction of the memory of whole cases. Safe for
/// concurrent readers and writers.
/// </summary>
public sealed partial class CaseView
{
    readonly Dictionary<string, CompactCase> cases = new(StringComparer.Ordinal);
    readonly HashSet<string> deleted = new(StringComparer.Ordinal);
    readonly StringPool strings = new();
    readonly StringPool words = new();
    readonly List<CaseUser> users = [];
    readonly Dictionary<CaseUser, int> userIds = [];
    /// <summary>Per owner: how many cases carry each tag, category and status.</summary>
    readonly Dictionary<int, (Dictionary<int, int> Tags, Dictionary<int, int> Categories, int[] Statuses)> totals = [];
    /// <summary>The cases carrying each tag, so a query filtering by tags looks only at those.</summary>
    readonly Dictionary<int, HashSet<CompactCase>> byTag = [];
    readonly ReaderWriterLockSlim gate = new();

    long caseBytes;

    /// <summary>Roughly what the view holds on the managed heap (for the memory ceiling; measured figures in the README).</summary>
    public long ApproximateBytes => caseBytes + strings.ApproximateBytes + words.ApproximateBytes + users.Count * 200L;

    public int Count
    {
        get { gate.EnterReadLock(); try { return cases.Count; } finally { gate.ExitReadLock(); } }
    }

    /// <summary>Keeps the newest version of each case; a write seen again (or late) never goes backwards unless forced.</summary>
    public void Apply(CaseRecord record, bool force = false)
    {
        gate.EnterWriteLock();
        try
        {
            var id = record.Case.Id;
            if (deleted.Contains(id)) return;
            if (cases.TryGetValue(id, out var old))
            {
                if (!force && record.Version < old.Version) return;
                Tally(old, -1);
                Index(old, -1);
            }
            var compact = Compact(record);
            cases[id] = compact;
            Tally(compact, +1);
            Index(compact, +1);
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    public void Remove(string caseId)
    {
        gate.EnterWriteLock();
        try
        {
            deleted.Add(caseId);
            if (cases.Remove(caseId, out var old))
            {
                Tally(old, -1);
                Index(old, -1);
            }
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    CompactCase Compact(CaseRecord record)
    {
        var c = record.Case;
        var custom = new int[c.CustomFields.Count * 3];
        for (var i = 0; i < c.CustomFields.Count; i++)
        {
            var value = c.CustomFields[i].Value;
            custom[3 * i] = strings.Intern(c.CustomFields[i].Key);
            custom[3 * i + 1] = strings.Intern(value?.ToJsonString() ?? "null");
            custom[3 * i + 2] = value is System.Text.Json.Nodes.JsonValue && value.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? strings.Intern(value.GetValue<string>()) : -1;
        }
        return new CompactCase
        {
            Id = c.Id,
            Version = record.Version,
            Status = (byte)Array.IndexOf(CaseStatus.All, c.Status),
            Severity = (byte)CaseSeverity.Rank(c.Severity),
            Owner = strings.Intern(c.Owner),
            CreatedTicks = c.CreatedAt.UtcTicks,
            UpdatedTicks = c.UpdatedAt?.UtcTicks ?? 0,
            ClosedTicks = c.ClosedAt?.UtcTicks ?? 0,
            Duration = c.Duration ?? -1,
            Title = c.Title,
            Category = c.Category is { } category ? strings.Intern(category) : -1,
            Tags = c.Tags.Select(strings.Intern).ToArray(),
            Assignees = c.Assignees.Select(a => strings.Intern(a.Uid)).ToArray(),
            Reporter = User(c.CreatedBy),
            CustomFields = custom,
            TitleWords = Words(c.Title),
            DescriptionWords = Words(c.Description),
        };
    }

    int[] Words(string text)
    {
        var ids = new List<int>();
        TextAnalyzer.Tokens(text, w => ids.Add(words.Intern(w)));
        return ids.ToArray();
    }

    int User(CaseUser user)
    {
        if (userIds.TryGetValue(user, out var id)) return id;
        userIds[user] = id = users.Count;
        users.Add(user);
        return id;
    }

    void Tally(CompactCase c, int delta)
    {
        caseBytes += delta * (200L + 2L * (c.Id.Length + c.Title.Length) + 40L * c.Tags.Length +
            4L * (c.Tags.Length + c.Assignees.Length + c.CustomFields.Length + c.TitleWords.Length + c.DescriptionWords.Length));
        if (!totals.TryGetValue(c.Owner, out var owner))
            totals[c.Owner] = owner = ([], [], new int[CaseStatus.All.Length]);
        for (var i = 0; i < c.Tags.Length; i++)
            if (Array.IndexOf(c.Tags, c.Tags[i], 0, i) < 0) Add(owner.Tags, c.Tags[i], delta);
        if (c.Category >= 0) Add(owner.Categories, c.Category, delta);
        owner.Statuses[c.Status] += delta;
    }

    void Index(CompactCase c, int delta)
    {
        foreach (var tag in c.Tags)
        {
            if (delta > 0)
            {
                if (!byTag.TryGetValue(tag, out var set)) byTag[tag] = set = [];
                set.Add(c);
            }
            else if (byTag.TryGetValue(tag, out var set) && set.Remove(c) && set.Count == 0)
                byTag.Remove(tag);
        }
    }

    /// <summary>The cases a query can match: those carrying one of its tags, or all.</summary>
    IEnumerable<CompactCase> Candidates(CaseFindQuery query)
    {
        if (query.Tags.Count == 0) return cases.Values;
        var sets = query.Tags.Select(strings.Find).Where(i => i >= 0).Distinct()
            .Select(i => byTag.GetValueOrDefault(i)).OfType<HashSet<CompactCase>>().ToList();
        return sets.Count == 1 ? sets[0] : sets.SelectMany(s => s).Distinct();
    }

    static void Add(Dictionary<int, int> counts, int key, int delta)
    {
        var n = counts.GetValueOrDefault(key) + delta;
        if (n == 0) counts.Remove(key);
        else counts[key] = n;
    }

    /// <summary>The running totals of the cases of the given owners (all owners when empty).</summary>
    public CaseTotals TotalsOf(IReadOnlyCollection<string> owners)
    {
        gate.EnterReadLock();
        try
        {
            var chosen = totals.Where(t => owners.Count == 0 || owners.Contains(strings[t.Key])).Select(t => t.Value).ToList();
            var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var s = 0; s < CaseStatus.All.Length; s++)
                if (chosen.Sum(c => c.Statuses[s]) is var n and > 0) statuses[CaseStatus.All[s]] = n;
            return new CaseTotals(Sum(chosen.Select(c => c.Tags)), Sum(chosen.Select(c => c.Categories)), statuses);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    Dictionary<string, int> Sum(IEnumerable<Dictionary<int, int>> counts)
    {
        var sum = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var count in counts)
            foreach (var (key, n) in count)
                sum[strings[key]] = sum.GetValueOrDefault(strings[key]) + n;
        return sum;
    }

    /// <summary>Who opened the cases of the given owners (all when empty), once each, by username.</summary>
    public List<CaseUser> Reporters(IReadOnlyCollection<string> owners)
    {
        gate.EnterReadLock();
        try
        {
            var ownerIds = owners.Select(strings.Find).ToHashSet();
            var seen = new SortedSet<int>();
            foreach (var c in cases.Values)
                if (owners.Count == 0 || ownerIds.Contains(c.Owner)) seen.Add(c.Reporter);
            return seen.Select(i => users[i]).DistinctBy(u => u.ProfileUid ?? u.Username ?? u.Email).OrderBy(u => u.Username, StringComparer.Ordinal).ToList();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Status counts and the durations of closed cases, over the cases every filter but status accepts.</summary>
    public (int Open, int InProgress, int Closed, List<long> Durations) Metrics(CaseFindQuery query)
    {
        gate.EnterReadLock();
        try
        {
            var filter = new Filter(this, query);
            int open = 0, inProgress = 0, closed = 0;
            var durations = new List<long>();
            foreach (var c in Candidates(query))
            {
                if (!filter.MatchesAllButStatus(c)) continue;
                switch (c.Status) { case 0: open++; break; case 1: inProgress++; break; default: closed++; break; }
                if (c.Duration >= 0) durations.Add(c.Duration);
            }
            return (open, inProgress, closed, durations);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Filters, counts, sorts and pages, as <see cref="CaseFinder.Find"/> does over whole cases.</summary>
    public CaseViewPage Find(CaseFindQuery query)
    {
        gate.EnterReadLock();
        try
        {
            var filter = new Filter(this, query);
            int open = 0, inProgress = 0, closed = 0;
            var statuses = query.Statuses.Select(s => Array.IndexOf(CaseStatus.All, s)).ToHashSet();
            var chosen = new List<Sortable>();
            var descending = query.Descending ? -1 : 1;
            foreach (var c in Candidates(query))
            {
                if (!filter.MatchesAllButStatus(c)) continue;
                switch (c.Status) { case 0: open++; break; case 1: inProgress++; break; default: closed++; break; }
                if (statuses.Count > 0 && !statuses.Contains(c.Status)) continue;
                chosen.Add(SortableOf(c, query.SortField));
            }
            var total = chosen.Count;
            if (query.SearchAfter is { } after)
                chosen.RemoveAll(s => Compare(s, after) * descending <= 0);
            chosen.Sort((a, b) => Compare(a, b) * descending);
            var skip = query.SearchAfter is null ? (query.Page - 1) * query.PerPage : 0;
            var page = chosen.Skip(skip).Take(query.PerPage).ToList();
            var next = chosen.Count > skip + query.PerPage ? PositionOf(page[^1]) : null;
            return new CaseViewPage(page.Select(s => s.Case.Id).ToList(), total, open, inProgress, closed, next);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>A case with its sort value: a number (times, ranks) or a text (title, category).</summary>
    readonly record struct Sortable(CompactCase Case, long Number, string Key);

    Sortable SortableOf(CompactCase c, string sortField) => sortField switch
    {
        "title" => new(c, 0, c.Title),
        "category" => new(c, 0, c.Category >= 0 ? strings[c.Category] : ""),
        "status" => new(c, c.Status, ""),
        "severity" => new(c, c.Severity, ""),
        "updatedAt" => new(c, c.UpdatedTicks, ""),
        "closedAt" => new(c, c.ClosedTicks, ""),
        _ => new(c, c.CreatedTicks, ""),
    };

    static CasePosition PositionOf(Sortable s) => new(s.Number, s.Key, s.Case.CreatedTicks, s.Case.Id);

    static int Compare(Sortable a, Sortable b)
    {
        var byNumber = a.Number.CompareTo(b.Number);
        if (byNumber != 0) return byNumber;
        var byKey = ReferenceEquals(a.Key, b.Key) ? 0 : StringComparer.OrdinalIgnoreCase.Compare(a.Key, b.Key);
        if (byKey != 0) return byKey;
        var byTime = a.Case.CreatedTicks.CompareTo(b.Case.CreatedTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Case.Id, b.Case.Id);
    }

    static int Compare(Sortable a, CasePosition b)
    {
        var byNumber = a.Number.CompareTo(b.Number);
        if (byNumber != 0) return byNumber;
        var byKey = StringComparer.OrdinalIgnoreCase.Compare(a.Key, b.Key);
        if (byKey != 0) return byKey;
        var byTime = a.Case.CreatedTicks.CompareTo(b.CreatedTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Case.Id, b.Id);
    }
}
