using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cases.Functions.Hosting;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Hosting;

/// <summary>
/// The functions the built worker declares (the Worker SDK writes them to <c>functions.metadata</c> from the
/// <c>[Function]</c> methods) and the standalone route table are the same operations: name, route and methods, both ways.
/// </summary>
public sealed class FunctionDriftTests
{
    static readonly IReadOnlyList<RouteTable.Operation> Routes = RouteTable.Operations(CasesApp.Build([]));

    /// <summary>The metadata of the worker built beside the tests (same configuration), as the host reads it.</summary>
    public static JsonArray Metadata()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/{Release|Debug}/net10.0
        var path = Path.Combine(RepoFiles.Root, "Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build the Functions project");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }

    static JsonNode Trigger(JsonNode function) => function["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger"))!;

    static IReadOnlyList<RouteTable.Operation> HttpFunctions() =>
        Metadata().Where(f => Trigger(f!)["type"]!.GetValue<string>() == "httpTrigger")
            .Select(f => new RouteTable.Operation(f!["name"]!.GetValue<string>(), Trigger(f)["route"]!.GetValue<string>(),
                Trigger(f)["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToLowerInvariant()).Order().ToList()))
            .ToList();

    static string Key(RouteTable.Operation o) => $"{o.Name.ToLowerInvariant()} {string.Join(',', o.Methods)} {o.Route}";

    [Fact]
    public void Every_route_of_the_standalone_app_is_a_function_of_the_same_name_route_and_methods()
    {
        var functions = HttpFunctions().Select(Key).ToHashSet();
        Assert.True(Routes.Count > 80, $"only {Routes.Count} routes");
        var missing = Routes.Select(Key).Where(k => !functions.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "routes without a [Function]: " + string.Join("; ", missing));
    }

    [Fact]
    public void Every_function_is_a_route_of_the_standalone_app()
    {
        var routes = Routes.Select(Key).ToHashSet();
        var extra = HttpFunctions().Select(Key).Where(k => !routes.Contains(k)).ToList();
        Assert.True(extra.Count == 0, "[Function]s without a route: " + string.Join("; ", extra));
    }

    [Fact]
    public void Every_case_operation_is_served_in_the_default_space_and_under_a_named_space()
    {
        foreach (var op in Routes.Where(r => r.Route.StartsWith("api/cases")))
            Assert.Contains(Routes, o => o.Route == "s/{spaceId}/" + op.Route && o.Methods.SequenceEqual(op.Methods));
        Assert.Contains(Routes, o => o.Route == "api/cases" && o.Methods.SequenceEqual(["post"]) && o.Name == "createCaseDefaultSpace");
        Assert.Contains(Routes, o => o.Route == "s/{spaceId}/api/cases/{caseId}" && o.Methods.SequenceEqual(["get"]) && o.Name == "getCase");
    }

    [Fact]
    public void Function_names_are_unique_valid_and_routes_avoid_the_hosts_reserved_prefixes()
    {
        var functions = Metadata().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(functions.Count, functions.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var name in functions) Assert.Matches(new Regex("^[A-Za-z][A-Za-z0-9_]{0,126}$"), name);
        foreach (var f in HttpFunctions())
        {
            Assert.False(f.Route.StartsWith("admin") || f.Route.StartsWith("runtime"), f.Route);
            Assert.NotEmpty(f.Methods);
        }
        // Every HTTP function is anonymous at the function level: the platform's authentication and the app decide.
        Assert.All(Metadata().Where(f => Trigger(f!)["type"]!.GetValue<string>() == "httpTrigger"),
            f => Assert.Equal("anonymous", Trigger(f!)["authLevel"]!.GetValue<string>(), ignoreCase: true));
    }

    [Fact]
    public void AssignCaseNumbers_is_a_timer_function_on_the_NUMBERING_SCHEDULE_setting()
    {
        var timer = Metadata().Single(f => f!["name"]!.GetValue<string>() == "AssignCaseNumbers")!;
        Assert.Equal("timerTrigger", Trigger(timer)["type"]!.GetValue<string>());
        Assert.Equal("%NUMBERING_SCHEDULE%", Trigger(timer)["schedule"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", timer["language"]!.GetValue<string>());
    }

    [Fact]
    public void DrainNotifications_is_a_queue_trigger_on_the_notification_queue_setting_and_host_json_sets_its_retries()
    {
        var drain = Metadata().Single(f => f!["name"]!.GetValue<string>() == "DrainNotifications")!;
        Assert.Equal("queueTrigger", Trigger(drain)["type"]!.GetValue<string>());
        Assert.Equal("%Cases:Notifications:Queue%", Trigger(drain)["queueName"]!.GetValue<string>());
        Assert.Null(Trigger(drain)["connection"]); // AzureWebJobsStorage, as the app's own queue client
        // The host's retry is only the fallback (when the function cannot re-queue its copy): a few, not at once, base64.
        var queues = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoFiles.Root, "Functions", "host.json")))!["extensions"]!["queues"]!;
        Assert.Equal("base64", queues["messageEncoding"]!.GetValue<string>());
        Assert.Equal(5, queues["maxDequeueCount"]!.GetValue<int>());
        Assert.Equal("00:00:10", queues["visibilityTimeout"]!.GetValue<string>());
        // One message at a time per instance, as the standalone reader works: a case's webhook deliveries stay in order.
        Assert.Equal(1, queues["batchSize"]!.GetValue<int>());
        Assert.Equal(0, queues["newBatchThreshold"]!.GetValue<int>());
    }

    [Fact]
    public void Host_json_and_the_sample_settings_describe_the_isolated_worker_without_a_route_prefix()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoFiles.Root, "Functions", "host.json")))!.AsObject();
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.False(host.ContainsKey("customHandler"));
        // Kibana's space routes (/s/{spaceId}/api/...) cannot live under a fixed "api" prefix, so routes carry their own.
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Equal("OpenTelemetry", host["telemetryMode"]!.GetValue<string>());
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoFiles.Root, "Functions", "local.settings.sample.json")))!["Values"]!;
        Assert.Equal("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("0 */10 * * * *", settings["NUMBERING_SCHEDULE"]!.GetValue<string>());
        // DrainNotifications' %Cases:Notifications:Queue%: the default name for the sample's empty table prefix.
        Assert.Equal("case-notifications", settings["Cases__Notifications__Queue"]!.GetValue<string>());
    }
}
