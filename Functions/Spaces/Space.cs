using System.Text.RegularExpressions;
using Cases.Domain.Errors;

namespace Cases.Functions.Spaces;

/// <summary>
/// The space a request works in: <c>/api/...</c> is the <c>default</c> space, <c>/s/{spaceId}/api/...</c> any other.
/// The space is the partition key of every row, so nothing of one space can be read through another.
/// </summary>
public static partial class Space
{
    public const string Default = "default";

    [GeneratedRegex(@"^[a-z0-9_-]{1,64}\z")]
    private static partial Regex ValidId();

    public static string Of(HttpContext context)
    {
        if (context.GetRouteValue("spaceId") is not string id) return Default;
        return ValidId().IsMatch(id)
            ? id
            : throw CasesException.BadRequest($"Invalid space id \"{id}\": use 1 to 64 lower-case letters, digits, '_' or '-'.");
    }
}
