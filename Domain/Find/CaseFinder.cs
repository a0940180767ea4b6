using Cases.Domain.Cases;

namespace Cases.Domain.Find;

/// <summary>
/// Where a case stands in a sort order: the sort field's value (a number for times and ranks, text otherwise), then
/// creation time and id to break ties.
/// </summary>
public sealed record CasePosition(long Number, string Key, long CreatedTicks, string Id);

/// <summary>A page of cases; <see cref="Next"/> is the position to continue from, when more cases follow.</summary>
public sealed record CaseFindResult(IReadOnlyList<CaseRecord> Cases, int Total, int CountOpen, int CountInProgress, int CountClosed, CasePosition? Next);

/// <summary>Filters, counts, sorts and pages cases in memory, with Kibana's semantics.</summary>
public static class CaseFinder
{
    public static CaseFindResult Find(IEnumerable<CaseRecord> cases, CaseFindQuery query)
    {
        // Kibana's status counts ignore the status filter but honour every other one.
        var matching = cases.Where(r => MatchesAllButStatus(r, query)).ToList();
        int open = 0, inProgress = 0, closed = 0;
        foreach (var r in matching)
        {
            switch (r.Case.Status)
            {
                case CaseStatus.Open: open++; break;
                case CaseStatus.InProgress: inProgress++; break;
                default: closed++; break;
            }
        }
        var filtered = query.Statuses.Count == 0 ? matching : matching.Where(r => query.Statuses.Contains(r.Case.Status)).ToList();
        var positioned = filtered.Select(r => (Record: r, Position: PositionOf(r, query.SortField)));
        if (query.SearchAfter is { } after)
            positioned = positioned.Where(p => Compare(p.Position, after) * (query.Descending ? -1 : 1) > 0);
        var sorted = query.Descending ? positioned.OrderDescending(PositionComparer.Instance) : positioned.Order(PositionComparer.Instance);
        var window = (query.SearchAfter is null ? sorted.Skip((query.Page - 1) * query.PerPage) : sorted).Take(query.PerPage + 1).ToList();
        var page = window.Take(query.PerPage).ToList();
        var next = window.Count > query.PerPage ? page[^1].Position : null;
        return new CaseFindResult(page.Select(p => p.Record).ToList(), filtered.Count, open, inProgress, closed, next);
    }

    /// <summary>The sort field's value: ranks for status and severity (Kibana sorts by rank, not alphabetically), ticks for times.</summary>
    public static CasePosition PositionOf(CaseRecord record, string sortField)
    {
        var c = record.Case;
        return sortField switch
        {
            "title" => new(0, c.Title, c.CreatedAt.UtcTicks, c.Id),
            "category" => new(0, c.Category ?? "", c.CreatedAt.UtcTicks, c.Id),
            "status" => new(Array.IndexOf(CaseStatus.All, c.Status), "", c.CreatedAt.UtcTicks, c.Id),
            "severity" => new(CaseSeverity.Rank(c.Severity), "", c.CreatedAt.UtcTicks, c.Id),
            "updatedAt" => new(c.UpdatedAt?.UtcTicks ?? 0, "", c.CreatedAt.UtcTicks, c.Id),
            "closedAt" => new(c.ClosedAt?.UtcTicks ?? 0, "", c.CreatedAt.UtcTicks, c.Id),
            _ => new(c.CreatedAt.UtcTicks, "", c.CreatedAt.UtcTicks, c.Id),
        };
    }

    static int Compare(CasePosition a, CasePosition b)
    {
        var byNumber = a.Number.CompareTo(b.Number);
        if (byNumber != 0) return byNumber;
        var byKey = StringComparer.OrdinalIgnoreCase.Compare(a.Key, b.Key);
        if (byKey != 0) return byKey;
        var byTime = a.CreatedTicks.CompareTo(b.CreatedTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
    }

    sealed class PositionComparer : IComparer<(CaseRecord Record, CasePosition Position)>
    {
        public static readonly PositionComparer Instance = new();
        public int Compare((CaseRecord Record, CasePosition Position) x, (CaseRecord Record, CasePosition Position) y) =>
            CaseFinder.Compare(x.Position, y.Position);
    }

    public static bool MatchesAllButStatus(CaseRecord record, CaseFindQuery q)
    {
        var c = record.Case;
        if (q.Severities.Count > 0 && !q.Severities.Contains(c.Severity)) return false;
        if (q.Owners.Count > 0 && !q.Owners.Contains(c.Owner)) return false;
        if (q.Tags.Count > 0 && !HasAnyTag(c.Tags, q.Tags)) return false;
        if (q.Categories.Count > 0 && (c.Category is null || !q.Categories.Contains(c.Category))) return false;
        if (q.Assignees.Count > 0 && !MatchesAssignees(c, q.Assignees)) return false;
        if (q.Reporters.Count > 0 && !q.Reporters.Any(r => r == c.CreatedBy.Username || r == c.CreatedBy.ProfileUid || r == c.CreatedBy.Email)) return false;
        if (q.From is { } from && c.CreatedAt < from) return false;
        if (q.To is { } to && c.CreatedAt > to) return false;
        if (!string.IsNullOrWhiteSpace(q.Search) && !MatchesSearch(record, q)) return false;
        if (q.CustomFields.Count > 0 && !MatchesCustomFields(c, q.CustomFields)) return false;
        return true;
    }

    /// <summary>Every filtered key must hold one of its accepted values; null matches a missing or empty field.</summary>
    static bool MatchesCustomFields(Case c, IReadOnlyDictionary<string, IReadOnlyList<string>> wanted) => wanted.All(filter =>
    {
        var value = c.CustomFields.FirstOrDefault(f => f.Key == filter.Key)?.Value;
        var text = value?.ToJsonString() ?? "null";
        return filter.Value.Any(v => v == text || (value is System.Text.Json.Nodes.JsonValue && value.GetValueKind() == System.Text.Json.JsonValueKind.String && v == value.GetValue<string>()));
    });

    static bool HasAnyTag(IReadOnlyList<string> tags, IReadOnlyList<string> wanted)
    {
        for (var i = 0; i < tags.Count; i++)
            for (var j = 0; j < wanted.Count; j++)
                if (string.Equals(tags[i], wanted[j], StringComparison.Ordinal)) return true;
        return false;
    }

    static bool MatchesAssignees(Case c, IReadOnlyList<string> wanted) =>
        (wanted.Contains("none") && c.Assignees.Count == 0) || c.Assignees.Any(a => wanted.Contains(a.Uid));

    /// <summary>The case itself (by id or number), or its text by Kibana's simple_query_string rules.</summary>
    static bool MatchesSearch(CaseRecord record, CaseFindQuery q)
    {
        var search = q.Search!.Trim();
        if (search == record.Case.Id || q.SearchIds.Contains(record.Case.Id)) return true;
        var fields = new List<List<string>>(2);
        if (q.SearchFields.Contains("title")) fields.Add(TextAnalyzer.Tokens(record.Case.Title));
        if (q.SearchFields.Contains("description")) fields.Add(TextAnalyzer.Tokens(record.Case.Description));
        return q.SearchExpression!.Matches(leaf => fields.Any(words => Occurs(leaf, words)));
    }

    /// <summary>Whether a term or phrase occurs in one field's words: the plain evaluation the compact view must agree with.</summary>
    public static bool Occurs(SearchExpression leaf, IReadOnlyList<string> words) => leaf switch
    {
        SearchExpression.Term { Prefix: false } t => words.Contains(t.Text),
        SearchExpression.Term t => words.Any(w => w.StartsWith(t.Text, StringComparison.Ordinal)),
        SearchExpression.Phrase p => Enumerable.Range(0, Math.Max(0, words.Count - p.Words.Count + 1))
            .Any(i => p.Words.Select((w, j) => words[i + j] == w).All(same => same)),
        _ => false,
    };
}
