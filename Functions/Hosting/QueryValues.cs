using System.Globalization;
using System.Text.Json;
using Cases.Domain.Errors;

namespace Cases.Functions.Hosting;

/// <summary>
/// Query parameters in every spelling a Kibana client or the Functions host produces: repeated keys (<c>tags=a&amp;tags=b</c>),
/// bracketed keys (<c>tags[]=a</c>), JSON arrays (<c>ids=["a","b"]</c>), and the comma-joined form the Functions host
/// forwards repeated keys in (<c>tags=a,b</c>). A value containing a comma therefore cannot be filtered on.
/// </summary>
public static class QueryValues
{
    public static List<string> List(IQueryCollection query, string key)
    {
        var values = new List<string>();
        foreach (var raw in query[key].Concat(query[key + "[]"]))
        {
            if (string.IsNullOrEmpty(raw)) continue;
            if (raw.StartsWith('[')) values.AddRange(JsonArray(raw, key));
            else values.AddRange(raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        return values;
    }

    public static List<string> OneOf(IQueryCollection query, string key, string[] allowed, int max = 100)
    {
        var values = List(query, key);
        if (values.Count > max)
            throw CasesException.BadRequest($"The length of the field {key} is too long. Array must be of length <= {max}.");
        foreach (var value in values)
            if (!allowed.Contains(value)) throw CasesException.InvalidValue(key, value);
        return values;
    }

    /// <summary>
    /// Kibana validates query strings exactly: a parameter the route does not know is refused, naming it, rather than
    /// silently ignored (a misspelt filter would otherwise return everything). <c>key[]</c> counts as <c>key</c>.
    /// </summary>
    public static void RejectUnknown(IQueryCollection query, params string[] known)
    {
        var unknown = query.Keys.Where(k => !known.Contains(k.EndsWith("[]", StringComparison.Ordinal) ? k[..^2] : k)).ToArray();
        if (unknown.Length > 0) throw CasesException.BadRequest($"invalid keys \"{string.Join(',', unknown)}\"");
    }

    public static string? Single(IQueryCollection query, string key) =>
        query[key] is [{ } value, ..] && value.Length > 0 ? value : null;

    public static int Int(IQueryCollection query, string key, int fallback, int min = 1)
    {
        var text = Single(query, key);
        if (text is null) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw CasesException.InvalidValue(key, text);
    }

    public static bool Descending(IQueryCollection query, bool fallback) => Single(query, "sortOrder") switch
    {
        null => fallback,
        "desc" => true,
        "asc" => false,
        var other => throw CasesException.InvalidValue("sortOrder", other),
    };

    /// <summary>Kibana's paging rules: perPage at most 100 and no page ending past the 10,000th result.</summary>
    public static (int Page, int PerPage) Paging(IQueryCollection query, int maxPerPage = 100, int window = 10_000)
    {
        var page = Int(query, "page", 1);
        var perPage = Int(query, "perPage", 20, min: 0);
        if (perPage > maxPerPage)
            throw CasesException.BadRequest($"The provided perPage value is too high. The maximum allowed perPage value is {maxPerPage}.");
        if (Math.Max(page, (long)page * perPage) > window)
            throw CasesException.BadRequest($"The number of documents is too high. Paginating through more than {window} documents is not possible.");
        return (page, perPage);
    }

    static IEnumerable<string> JsonArray(string raw, string key)
    {
        try
        {
            return JsonSerializer.Deserialize(raw, CasesJsonContext.Default.ListString) ?? [];
        }
        catch (JsonException)
        {
            throw CasesException.InvalidValue(key, raw);
        }
    }
}
