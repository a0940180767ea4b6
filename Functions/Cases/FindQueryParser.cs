using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.Find;
using Cases.Functions.Hosting;

namespace Cases.Functions.Cases;

/// <summary>The query string of <c>_find</c>, checked with Kibana's rules and messages.</summary>
public static class FindQueryParser
{
    public static CaseFindQuery Parse(IQueryCollection q, DateTimeOffset now)
    {
        var (page, perPage) = QueryValues.Paging(q);
        var sortField = QueryValues.Single(q, "sortField") ?? "createdAt";
        if (!CaseFindQuery.SortFields.Contains(sortField)) throw CasesException.InvalidValue("sortField", sortField);
        var operatorText = QueryValues.Single(q, "defaultSearchOperator") ?? "OR";
        if (operatorText is not ("OR" or "AND")) throw CasesException.InvalidValue("defaultSearchOperator", operatorText);
        var searchFields = QueryValues.OneOf(q, "searchFields", ["title", "description"]);
        return new CaseFindQuery
        {
            Statuses = QueryValues.OneOf(q, "status", CaseStatus.All),
            Severities = QueryValues.OneOf(q, "severity", CaseSeverity.All),
            Owners = QueryValues.OneOf(q, "owner", CaseOwner.All),
            Tags = Limited(q, "tags"),
            Assignees = Limited(q, "assignees"),
            Reporters = Limited(q, "reporters"),
            Categories = Limited(q, "category"),
            Search = QueryValues.Single(q, "search"),
            SearchFields = searchFields.Count > 0 ? searchFields : ["title", "description"],
            SearchAllTerms = operatorText == "AND",
            From = Date(q, "from", now),
            To = Date(q, "to", now),
            SortField = sortField,
            Descending = QueryValues.Descending(q, fallback: true),
            Page = page,
            PerPage = perPage,
        };
    }

    static List<string> Limited(IQueryCollection q, string key)
    {
        var values = QueryValues.List(q, key);
        CaseValidation.MaxItems(key, values.Count, CaseLimits.FilterValuesMax);
        return values;
    }

    static DateTimeOffset? Date(IQueryCollection q, string key, DateTimeOffset now) => QueryValues.Single(q, key) is { } text
        ? DateMath.Parse(text, now) ?? throw CasesException.InvalidValue(key, text)
        : null;
}
