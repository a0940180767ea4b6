using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Cases.Functions.Hosting;

/// <summary>
/// Under the isolated worker: the route table of <see cref="CasesRoutes"/>, built once, so that each <c>[Function]</c>
/// runs the very endpoint (binding, filters, handler) the standalone app serves on the same route. A function's name
/// is its endpoint's name (<c>CreateCase</c> runs <c>createCase</c>); the drift test holds the two route tables equal.
/// </summary>
public sealed class EndpointCatalog
{
    readonly FrozenDictionary<string, RouteEndpoint> byName;
    readonly ILogger errors;

    public EndpointCatalog(IServiceProvider services, ILoggerFactory logs)
    {
        var table = new RouteTable(services);
        table.MapCases();
        byName = table.Endpoints().Where(e => RouteTable.NameOf(e) is not null)
            .ToFrozenDictionary(e => RouteTable.NameOf(e)!, StringComparer.OrdinalIgnoreCase);
        errors = logs.CreateLogger(ErrorHandling.LoggerName);
    }

    /// <summary>The calling function's endpoint, as a result the worker executes on the request's HttpContext.</summary>
    public IResult Run([CallerMemberName] string function = "") =>
        byName.TryGetValue(function, out var endpoint)
            ? new EndpointResult(endpoint, errors)
            : throw new InvalidOperationException($"The function {function} has no endpoint of that name in the route table.");

    sealed class EndpointResult(RouteEndpoint endpoint, ILogger errors) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.SetEndpoint(endpoint); // metadata-driven code sees the same endpoint as standalone
            return ErrorHandling.Run(context, endpoint.RequestDelegate!, errors);
        }
    }
}
