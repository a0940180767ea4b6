using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Errors;
using Cases.Domain.Find;

namespace Cases.Functions.Find;

/// <summary>
/// <c>searchAfter</c>: an opaque token for the position after the last case of a page, so a client can walk every
/// case of a space (Kibana stops at 10,000). It remembers the sort it belongs to; a token used with another sort is refused.
/// </summary>
public static class ContinuationToken
{
    public static string Create(CasePosition position, string sortField, bool descending) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["s"] = sortField,
            ["d"] = descending,
            ["n"] = position.Number,
            ["k"] = position.Key,
            ["t"] = position.CreatedTicks,
            ["i"] = position.Id,
        }.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static CasePosition Parse(string token, string sortField, IQueryCollection q)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)))!.AsObject();
            var descending = Hosting.QueryValues.Descending(q, fallback: true);
            if (json["s"]!.GetValue<string>() != sortField || json["d"]!.GetValue<bool>() != descending)
                throw CasesException.BadRequest("The searchAfter token belongs to another sortField or sortOrder: use the same sort as the request that returned it.");
            return new CasePosition(json["n"]!.GetValue<long>(), json["k"]!.GetValue<string>(), json["t"]!.GetValue<long>(), json["i"]!.GetValue<string>());
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
            throw CasesException.InvalidValue("searchAfter", token);
        }
    }
}
