using Cases.Functions.Access;

namespace Cases.Functions.Hosting;

/// <summary>Mounts a feature's routes in every space.</summary>
public static class SpaceRoutes
{
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
