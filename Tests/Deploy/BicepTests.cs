using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Deploy;

/// <summary>
/// infra/main.bicep compiles offline and lints clean with the Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64),
/// its parameters file matches it, and the security settings the README promises are in the compiled template.
/// </summary>
public sealed class BicepTests
{
    static readonly string Infra = Path.Combine(RepoFiles.Root, "infra");
    static readonly string MainBicep = Path.Combine(Infra, "main.bicep");

    static string BicepExecutable
    {
        get
        {
            var configured = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value;
            Assert.False(string.IsNullOrEmpty(configured), "BicepPath is not set: is Azure.Bicep.CommandLine.linux-x64 restored?");
            return Path.GetFullPath(configured!.Replace('\\', '/'));
        }
    }

    static async Task<(int Exit, string Output)> Bicep(params string[] args)
    {
        var start = new ProcessStartInfo(BicepExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Infra,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }

    [Fact]
    public async Task Lint_reports_nothing()
    {
        var (exit, output) = await Bicep("lint", MainBicep);
        Assert.True(exit == 0 && output.Length == 0, $"bicep lint ({exit}):\n{output}");
    }

    [Fact]
    public async Task Build_compiles_offline_without_warnings_into_the_promised_template()
    {
        var outFile = Path.Combine(Directory.CreateTempSubdirectory("cases-bicep-").FullName, "main.json");
        var (exit, output) = await Bicep("build", MainBicep, "--no-restore", "--outfile", outFile);
        Assert.True(exit == 0 && output.Length == 0, $"bicep build ({exit}):\n{output}");
        var template = JsonNode.Parse(File.ReadAllText(outFile))!;
        Directory.Delete(Path.GetDirectoryName(outFile)!, recursive: true);

        // Every parameter is described; the parameters file sets only parameters that exist.
        var parameters = template["parameters"]!.AsObject();
        foreach (var (name, definition) in parameters)
            Assert.False(string.IsNullOrWhiteSpace(definition!["metadata"]?["description"]?.GetValue<string>()), $"parameter {name} has no description");
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(Infra, "main.parameters.json")))!["parameters"]!.AsObject();
        foreach (var (name, _) in file)
            Assert.True(parameters.ContainsKey(name), $"main.parameters.json sets unknown parameter {name}");

        // Plain resources only: no modules (nested deployments) that would need a registry.
        var resources = template["resources"]!.AsArray().Select(r => r!).ToList();
        Assert.DoesNotContain(resources, r => r["type"]!.GetValue<string>() == "Microsoft.Resources/deployments");
        JsonNode Resource(string type) => resources.Single(r => r["type"]!.GetValue<string>() == type);

        var storage = Resource("Microsoft.Storage/storageAccounts")["properties"]!;
        Assert.False(storage["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["minimumTlsVersion"]!.GetValue<string>());
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.True(Resource("Microsoft.Storage/storageAccounts/blobServices")["properties"]!["deleteRetentionPolicy"]!["enabled"]!.GetValue<bool>());
        // The queue and the container the app uses (names are variables in the compiled template).
        Assert.Single(resources, r => r["type"]!.GetValue<string>() == "Microsoft.Storage/storageAccounts/queueServices/queues");
        Assert.Equal(2, resources.Count(r => r["type"]!.GetValue<string>() == "Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Equal("alert-status-updates", template["variables"]!["alertStatusQueueName"]!.GetValue<string>());
        Assert.Equal("case-files", template["variables"]!["caseFilesContainerName"]!.GetValue<string>());

        var plan = Resource("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        var site = Resource("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site["kind"]!.GetValue<string>());
        Assert.Equal("UserAssigned", site["identity"]!["type"]!.GetValue<string>());
        // The isolated worker's stack, .NET 10: what ./scripts/package builds for.
        var runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtime["version"]!.GetValue<string>());
        var settings = site["properties"]!["siteConfig"]!["appSettings"]!.ToJsonString();
        foreach (var setting in new[] { "AzureWebJobsStorage__tableServiceUri", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__credential", "Cases__Identity__TrustClientPrincipal" })
            Assert.Contains(setting, settings);
        Assert.DoesNotContain("AccountKey", template.ToJsonString());
        Assert.DoesNotContain("listKeys", template.ToJsonString());

        // Role assignments only on resources of this deployment (the storage account, Application Insights).
        foreach (var assignment in resources.Where(r => r["type"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments"))
            Assert.NotNull(assignment["scope"]);
        Assert.NotNull(template["outputs"]!["functionAppName"]);
    }
}
