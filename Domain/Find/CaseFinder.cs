using Cases.Domain.Cases;

namespace Cases.Domain.Find;

public sealed record CaseFindResult(IReadOnlyList<CaseRecord> Cases, int Total, int CountOpen, int CountInProgress, int CountClosed);

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
        var page = Sort(filtered, query).Skip((query.Page - 1) * query.PerPage).Take(query.PerPage).ToList();
        return new CaseFindResult(page, filtered.Count, open, inProgress, closed);
    }

    public static bool MatchesAllButStatus(CaseRecord record, CaseFindQuery q)
    {
        var c = record.Case;
        if (q.Severities.Count > 0 && !q.Severities.Contains(c.Severity)) return false;
        if (q.Owners.Count > 0 && !q.Owners.Contains(c.Owner)) return false;
        if (q.Tags.Count > 0 && !c.Tags.Any(q.Tags.Contains)) return false;
        if (q.Categories.Count > 0 && (c.Category is null || !q.Categories.Contains(c.Category))) return false;
        if (q.Assignees.Count > 0 && !MatchesAssignees(c, q.Assignees)) return false;
        if (q.Reporters.Count > 0 && !q.Reporters.Any(r => r == c.CreatedBy.Username || r == c.CreatedBy.ProfileUid || r == c.CreatedBy.Email)) return false;
        if (q.From is { } from && c.CreatedAt < from) return false;
        if (q.To is { } to && c.CreatedAt > to) return false;
        if (!string.IsNullOrWhiteSpace(q.Search) && !MatchesSearch(record, q)) return false;
        return true;
    }

    static bool MatchesAssignees(Case c, IReadOnlyList<string> wanted) =>
        (wanted.Contains("none") && c.Assignees.Count == 0) || c.Assignees.Any(a => wanted.Contains(a.Uid));

    static bool MatchesSearch(CaseRecord record, CaseFindQuery q)
    {
        var search = q.Search!.Trim();
        if (search == record.Case.Id) return true;
        var number = search.StartsWith('#') ? search[1..] : search;
        if (record.IncrementalId is { } id && long.TryParse(number, out var wanted) && wanted == id) return true;

        var terms = search.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Contains(string term) =>
            (q.SearchFields.Contains("title") && record.Case.Title.Contains(term, StringComparison.OrdinalIgnoreCase)) ||
            (q.SearchFields.Contains("description") && record.Case.Description.Contains(term, StringComparison.OrdinalIgnoreCase));
        return q.SearchAllTerms ? terms.All(Contains) : terms.Any(Contains);
    }

    static IEnumerable<CaseRecord> Sort(IEnumerable<CaseRecord> cases, CaseFindQuery q)
    {
        // Ties are broken by creation time then id, so pages never overlap or skip a case.
        IOrderedEnumerable<CaseRecord> sorted = q.SortField switch
        {
            "title" => By(cases, r => r.Case.Title, StringComparer.OrdinalIgnoreCase, q.Descending),
            "category" => By(cases, r => r.Case.Category ?? "", StringComparer.OrdinalIgnoreCase, q.Descending),
            "status" => By(cases, r => Array.IndexOf(CaseStatus.All, r.Case.Status), Comparer<int>.Default, q.Descending),
            "severity" => By(cases, r => CaseSeverity.Rank(r.Case.Severity), Comparer<int>.Default, q.Descending),
            "updatedAt" => By(cases, r => r.Case.UpdatedAt ?? DateTimeOffset.MinValue, Comparer<DateTimeOffset>.Default, q.Descending),
            "closedAt" => By(cases, r => r.Case.ClosedAt ?? DateTimeOffset.MinValue, Comparer<DateTimeOffset>.Default, q.Descending),
            _ => By(cases, r => r.Case.CreatedAt, Comparer<DateTimeOffset>.Default, q.Descending),
        };
        return q.Descending
            ? sorted.ThenByDescending(r => r.Case.CreatedAt).ThenByDescending(r => r.Case.Id, StringComparer.Ordinal)
            : sorted.ThenBy(r => r.Case.CreatedAt).ThenBy(r => r.Case.Id, StringComparer.Ordinal);
    }

    static IOrderedEnumerable<CaseRecord> By<TKey>(IEnumerable<CaseRecord> cases, Func<CaseRecord, TKey> key, IComparer<TKey> comparer, bool descending) =>
        descending ? cases.OrderByDescending(key, comparer) : cases.OrderBy(key, comparer);
}
