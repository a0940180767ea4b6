using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.Find;
using Cases.Functions.Hosting;

namespace Cases.Functions.Find;

/// <summary>The query string of <c>_find</c>, checked with Kibana's rules and messages.</summary>
public static class FindQueryParser
{
    /// <summary>The parameters of Kibana's <c>_find</c> (plus our <c>searchAfter</c>); any other is refused.</summary>
    public static readonly string[] Keys =
    [
        "tags", "status", "severity", "assignees", "reporters", "defaultSearchOperator", "from", "owner", "page", "perPage",
        "search", "searchFields", "rootSearchFields", "sortField", "sortOrder", "to", "category", "customFields", "searchAfter",
    ];

    public static CaseFindQuery Parse(IQueryCollection q, DateTimeOffset now, SearchAfterKey tokenKey)
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
            SearchAfter = QueryValues.Single(q, "searchAfter") is { } token ? ContinuationToken.Parse(token, sortField, q, tokenKey) : null,
            CustomFields = CustomFieldFilter(q),
        };
    }

    /// <summary><c>customFields={"key":["value", true, 42, null]}</c>: Kibana's custom-field filter, as JSON.</summary>
    static Dictionary<string, IReadOnlyList<string>> CustomFieldFilter(IQueryCollection q)
    {
        var filter = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (QueryValues.Single(q, "customFields") is not { } text) return filter;
        try
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(text) is not System.Text.Json.Nodes.JsonObject fields) throw CasesException.InvalidValue("customFields", text);
            CaseValidation.MaxItems("customFields", fields.Count, CaseLimits.CustomFieldsMax);
            foreach (var (key, values) in fields)
            {
                var list = values is System.Text.Json.Nodes.JsonArray array ? array.ToList() : [values];
                CaseValidation.MaxItems($"customFields.{key}", list.Count, CaseLimits.FilterValuesMax);
                filter[key] = list.Select(v => v?.ToJsonString() ?? "null").ToList();
            }
            return filter;
        }
        catch (System.Text.Json.JsonException)
        {
            throw CasesException.InvalidValue("customFields", text);
        }
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
