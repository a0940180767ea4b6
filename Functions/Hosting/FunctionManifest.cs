using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cases.Functions.Numbering;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Cases.Functions.Hosting;

/// <summary>
/// Writes one <c>function.json</c> folder per HTTP route of the app's own route table, so the functions the host
/// knows can never drift from the routes the app serves.
/// </summary>
public static partial class FunctionManifest
{
    public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods);

    public static IReadOnlyList<HttpFunction> HttpFunctions(IEndpointRouteBuilder app) =>
        app.DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.Trim('/').Length > 0)
            .Where(e => e.Metadata.GetMetadata<NumberingApi.TimerFunctionMetadata>() is null)
            .GroupBy(e => Template(e.RoutePattern))
            .Select(g => new HttpFunction(
                Name(g.Key),
                g.Key,
                g.SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => m.ToLowerInvariant()).Distinct().Order().ToList()))
            .OrderBy(f => f.Route, StringComparer.Ordinal)
            .ToList();

    public static JsonObject HttpFunctionJson(HttpFunction function) => new()
    {
        ["bindings"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "httpTrigger",
                ["direction"] = "in",
                ["name"] = "req",
                ["authLevel"] = "anonymous",
                ["methods"] = new JsonArray(function.Methods.Select(m => (JsonNode?)m).ToArray()),
                ["route"] = function.Route,
            },
            new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
    };

    public static void Write(IEndpointRouteBuilder app, string directory)
    {
        foreach (var function in HttpFunctions(app))
            WriteFunction(directory, function.Name, HttpFunctionJson(function));
        WriteFunction(directory, NumberingApi.TimerFunction, TimerFunctionJson);
    }

    /// <summary>The schedule is an app setting the host resolves, so operators change it without a new package.</summary>
    public static JsonObject TimerFunctionJson => new()
    {
        ["bindings"] = new JsonArray(new JsonObject
        {
            ["type"] = "timerTrigger",
            ["direction"] = "in",
            ["name"] = "timer",
            ["schedule"] = $"%{NumberingOptions.ScheduleSetting}%",
            ["useMonitor"] = true,
        }),
    };

    static void WriteFunction(string directory, string name, JsonObject json)
    {
        var folder = Path.Combine(directory, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "function.json"), json.ToJsonString(new() { WriteIndented = true }) + "\n");
    }

    /// <summary>The route as the host writes it: no leading slash, parameters without constraints.</summary>
    static string Template(RoutePattern pattern) => string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternParameterPart parameter => $"{{{(parameter.IsCatchAll ? "*" : "")}{parameter.Name}}}",
        RoutePatternSeparatorPart separator => separator.Content,
        _ => "",
    }))));

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    static string Name(string route) => NonAlphanumeric().Replace(route, "_").Trim('_');
}
