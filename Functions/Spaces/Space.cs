using System.Text.RegularExpressions;
using Cases.Domain.Errors;
using Cases.Functions.Access;
using Cases.Functions.Hosting;

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

    /// <summary>
    /// Maps the same routes under <c>/api</c> and <c>/s/{spaceId}/api</c>. Endpoint names must be unique, so the
    /// default-space copies get Kibana's operation ids (<c>createCaseDefaultSpace</c>) and the others keep the plain name.
    /// </summary>
    public static void MapInEverySpace(this IEndpointRouteBuilder app, Action<IEndpointRouteBuilder> map)
    {
        // Every route of a space needs a caller and declares what it needs (see Access/AccessEndpoints).
        var defaultSpace = app.MapGroup("/api").RequireCasesAccess();
        ((IEndpointConventionBuilder)defaultSpace).Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<EndpointNameMetadata>().LastOrDefault() is not { } name) return;
            foreach (var old in endpoint.Metadata.Where(m => m is EndpointNameMetadata or RouteNameMetadata).ToList())
                endpoint.Metadata.Remove(old);
            endpoint.Metadata.Add(new EndpointNameMetadata(name.EndpointName + "DefaultSpace"));
        });
        map(defaultSpace);
        // A space id that is not one answers 400 on every route of a named space.
        map(app.MapGroup("/s/{spaceId}/api").RequireCasesAccess().ProducesErrors(StatusCodes.Status400BadRequest));
    }
}
