using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cases.Functions.Hosting;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace Cases.Tests.Hosting;

/// <summary>The function.json folders come from the app's route table, and host.json points the host at the app.</summary>
public sealed class FunctionManifestTests
{
    static readonly IReadOnlyList<FunctionManifest.HttpFunction> Functions = FunctionManifest.HttpFunctions(CasesApp.Build([]));

    [Fact]
    public void Every_route_of_the_app_is_a_function_in_both_the_default_and_the_named_space_form()
    {
        var app = CasesApp.Build([]);
        var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!.Trim('/')).Where(r => r.Length > 0).ToHashSet();
        Assert.NotEmpty(routes);
        foreach (var route in routes)
            Assert.Contains(Functions, f => f.Route == route);

        foreach (var function in Functions.Where(f => f.Route.StartsWith("api/cases")))
            Assert.Contains(Functions, f => f.Route == "s/{spaceId}/" + function.Route && f.Methods.SequenceEqual(function.Methods));
        Assert.Contains(Functions, f => f.Route == "api/cases" && f.Methods.SequenceEqual(["delete", "patch", "post"]));
        Assert.Contains(Functions, f => f.Route == "api/cases/{caseId}" && f.Methods.SequenceEqual(["get"]));
    }

    [Fact]
    public void Function_names_are_unique_valid_and_routes_avoid_the_hosts_reserved_prefixes()
    {
        Assert.Equal(Functions.Count, Functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var f in Functions)
        {
            Assert.Matches(new Regex("^[A-Za-z][A-Za-z0-9_]{0,126}$"), f.Name);
            Assert.False(f.Route.StartsWith("admin") || f.Route.StartsWith("runtime"), f.Route);
            Assert.NotEmpty(f.Methods);
        }
    }

    [Fact]
    public async Task The_emit_command_writes_one_function_json_per_function()
    {
        var directory = Directory.CreateTempSubdirectory().FullName;
        await using (var app = AppProcess.Start(new Dictionary<string, string>(), "--emit-functions", directory))
            Assert.Equal(0, await app.WaitForExit(TimeSpan.FromSeconds(60)));

        var written = Directory.GetDirectories(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Functions.Select(f => f.Name).Append("AssignCaseNumbers").Order(StringComparer.Ordinal), written);
        var timer = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "AssignCaseNumbers", "function.json")))!["bindings"]![0]!;
        Assert.Equal("timerTrigger", timer["type"]!.GetValue<string>());
        Assert.Equal("%NUMBERING_SCHEDULE%", timer["schedule"]!.GetValue<string>());
        foreach (var function in Functions)
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, function.Name, "function.json")))!;
            var trigger = json["bindings"]![0]!;
            Assert.Equal("httpTrigger", trigger["type"]!.GetValue<string>());
            Assert.Equal(function.Route, trigger["route"]!.GetValue<string>());
            Assert.Equal(function.Methods, trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Equal("http", json["bindings"]![1]!["type"]!.GetValue<string>());
        }
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Host_json_forwards_requests_to_the_custom_handler_without_a_route_prefix()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoFiles.Root, "host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("Cases.Functions", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        // Kibana's space routes (/s/{spaceId}/api/...) cannot live under a fixed "api" prefix, so routes carry their own.
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoFiles.Root, "local.settings.sample.json")))!;
        Assert.Equal("custom", settings["Values"]!["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
    }
}
