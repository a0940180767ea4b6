using Microsoft.AspNetCore.Routing.Patterns;

namespace Cases.Functions.Hosting;

/// <summary>An endpoint route builder outside a web app: what <see cref="EndpointCatalog"/> maps the routes into.</summary>
public sealed class RouteTable(IServiceProvider services) : IEndpointRouteBuilder
{
    public IServiceProvider ServiceProvider => services;

    public ICollection<EndpointDataSource> DataSources { get; } = [];

    public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);

    public IEnumerable<RouteEndpoint> Endpoints() => DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>();

    /// <summary>One public operation as the Functions host sees it: name, route and HTTP methods.</summary>
    public sealed record Operation(string Name, string Route, IReadOnlyList<string> Methods);

    /// <summary>The operations of a route table that are functions (not standalone-only), in the host's spelling.</summary>
    public static IReadOnlyList<Operation> Operations(IEndpointRouteBuilder routes) =>
        routes.DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StandaloneOnly>() is null)
            .Select(e => new Operation(NameOf(e) ?? "", Template(e.RoutePattern),
                (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => m.ToLowerInvariant()).Order().ToList()))
            .OrderBy(o => o.Route, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal)
            .ToList();

    public static string? NameOf(Endpoint endpoint) => endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;

    /// <summary>The route as the host writes it: no leading slash, parameters without constraints.</summary>
    public static string Template(RoutePattern pattern) => string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternParameterPart parameter => $"{{{(parameter.IsCatchAll ? "*" : "")}{parameter.Name}}}",
        RoutePatternSeparatorPart separator => separator.Content,
        _ => "",
    }))));
}
