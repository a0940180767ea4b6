namespace Cases.Domain.Find;

/// <summary>The parameters of <c>GET /api/cases/_find</c>, already parsed and checked.</summary>
public sealed record CaseFindQuery
{
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public IReadOnlyList<string> Severities { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Owners { get; init; } = [];
    /// <summary>Assignee uids; the value <c>none</c> matches unassigned cases.</summary>
    public IReadOnlyList<string> Assignees { get; init; } = [];
    public IReadOnlyList<string> Reporters { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public string? Search { get; init; }
    public IReadOnlyList<string> SearchFields { get; init; } = ["title", "description"];
    public bool SearchAllTerms { get; init; }

    /// <summary><see cref="Search"/> parsed (null when there is no search); parsing checks its limits.</summary>
    public SearchExpression? SearchExpression => parsedSearch ??= string.IsNullOrWhiteSpace(Search) ? null : SearchExpression.Parse(Search, SearchAllTerms);
    SearchExpression? parsedSearch;
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string SortField { get; init; } = "createdAt";
    public bool Descending { get; init; } = true;
    public int Page { get; init; } = 1;
    public int PerPage { get; init; } = 20;
    /// <summary>Keyset paging: only cases after this position in the sort order (walks past Kibana's 10,000 limit).</summary>
    public CasePosition? SearchAfter { get; init; }
    /// <summary>Cases the search matches whatever their text: the case a number in the search refers to.</summary>
    public IReadOnlySet<string> SearchIds { get; init; } = new HashSet<string>();
    /// <summary>Custom field filter: key → accepted values (as JSON text: "\"x\"", "true", "42", "null").</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> CustomFields { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>True when nothing but owners (and status) narrows the cases, so per-owner running totals answer counts.</summary>
    public bool FiltersOnlyByOwner =>
        Severities.Count == 0 && Tags.Count == 0 && Assignees.Count == 0 && Reporters.Count == 0 && Categories.Count == 0 &&
        string.IsNullOrWhiteSpace(Search) && From is null && To is null && CustomFields.Count == 0;

    public static readonly string[] SortFields = ["createdAt", "updatedAt", "closedAt", "title", "category", "status", "severity"];
}
