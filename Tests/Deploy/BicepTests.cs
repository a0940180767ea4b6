using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Cases.Functions.Hosting;
using Cases.Functions.Storage;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

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
        var (exit, output, template) = await Compiled.Value;
        Assert.True(exit == 0 && output.Length == 0, $"bicep build ({exit}):\n{output}");

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
        Assert.Equal(2, resources.Count(r => r["type"]!.GetValue<string>() == "Microsoft.Storage/storageAccounts/queueServices/queues")); // alert status; notifications (a copy loop)
        Assert.Equal(4, resources.Count(r => r["type"]!.GetValue<string>() == "Microsoft.Storage/storageAccounts/blobServices/containers")); // package, files, view snapshots, the host's (a loop)
        Assert.Equal("alert-status-updates", template["variables"]!["alertStatusQueueName"]!.GetValue<string>());
        // The app's containers carry the table prefix, lower-cased, as the app names them (StorageOptions.TablePrefix).
        Assert.Equal("[format('{0}case-files', toLower(parameters('tablePrefix')))]", template["variables"]!["caseFilesContainerName"]!.GetValue<string>());
        Assert.Equal("[format('{0}view-snapshots', toLower(parameters('tablePrefix')))]", template["variables"]!["viewSnapshotsContainerName"]!.GetValue<string>());

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
        // Browser front ends: the platform's CORS from one parameter (exact origins, credentials only when some are listed).
        var cors = site["properties"]!["siteConfig"]!["cors"]!;
        Assert.Equal("[parameters('corsAllowedOrigins')]", cors["allowedOrigins"]!.GetValue<string>());
        Assert.Contains("corsAllowedOrigins", cors["supportCredentials"]!.GetValue<string>());
        Assert.Equal("array", parameters["corsAllowedOrigins"]!["type"]!.GetValue<string>());
        Assert.Empty(parameters["corsAllowedOrigins"]!["defaultValue"]!.AsArray());
        Assert.Contains("Cases__Access__AdminRole", site["properties"]!["siteConfig"]!["appSettings"]!.ToJsonString());
        Assert.DoesNotContain("AccountKey", template.ToJsonString());
        Assert.DoesNotContain("listKeys", template.ToJsonString());

        // Connector secrets: a Key Vault with RBAC and purge protection; the app may only read its secrets; the settings point at it.
        var vault = Resource("Microsoft.KeyVault/vaults")["properties"]!;
        Assert.True(vault["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.True(vault["enablePurgeProtection"]!.GetValue<bool>());
        Assert.Null(vault["accessPolicies"]);
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", template["variables"]!["roles"]!["keyVaultSecretsUser"]!.GetValue<string>()); // Key Vault Secrets User
        var secretsUser = Assert.Single(resources, r => r["type"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments"
            && r["properties"]!["roleDefinitionId"]!.GetValue<string>().Contains("keyVaultSecretsUser"));
        Assert.Contains("Microsoft.KeyVault/vaults", secretsUser["scope"]!.GetValue<string>());
        Assert.Equal("securestring", parameters["connectorSecretsKey"]!["type"]!.GetValue<string>());
        foreach (var setting in new[] { "Cases__Secrets__KeyVaultUri", "Cases__Secrets__KeyName", "Cases__Secrets__ClientId", "Cases__Connectors__AllowedHosts" })
            Assert.Contains(setting, settings);
        Assert.Equal("", parameters["connectorAllowedHosts"]!["defaultValue"]!.GetValue<string>());
        Assert.DoesNotContain(template["outputs"]!.AsObject(), o => o.Key.Contains("Key", StringComparison.Ordinal) && o.Key != "keyVaultName");

        // Role assignments only on resources of this deployment (the storage account, Application Insights, the vault).
        foreach (var assignment in resources.Where(r => r["type"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments"))
            Assert.NotNull(assignment["scope"]);
        Assert.NotNull(template["outputs"]!["functionAppName"]);
    }

    // ---- Secure by default (issue 20): one test per deployment item, over one compiled template.

    /// <summary>main.bicep compiled once for every test of the class (a build takes seconds).</summary>
    static readonly Lazy<Task<(int Exit, string Output, JsonNode Template)>> Compiled = new(async () =>
    {
        var outFile = Path.Combine(Directory.CreateTempSubdirectory("cases-bicep-").FullName, "main.json");
        var (exit, output) = await Bicep("build", MainBicep, "--no-restore", "--outfile", outFile);
        Assert.True(exit == 0, $"bicep build ({exit}):\n{output}");
        var template = JsonNode.Parse(File.ReadAllText(outFile))!;
        Directory.Delete(Path.GetDirectoryName(outFile)!, recursive: true);
        return (exit, output, template);
    });

    internal static async Task<JsonNode> Template() => (await Compiled.Value).Template;

    internal static async Task<List<JsonNode>> Resources(string type) =>
        (await Template())["resources"]!.AsArray().Select(r => r!).Where(r => r["type"]!.GetValue<string>() == type).ToList();

    [Fact]
    public async Task Storage_is_behind_a_firewall_that_admits_only_the_app_subnet_and_listed_client_ranges()
    {
        var acls = (await Resources("Microsoft.Storage/storageAccounts")).Single()["properties"]!["networkAcls"]!;
        Assert.Equal("Deny", acls["defaultAction"]!.GetValue<string>());
        Assert.Equal("None", acls["bypass"]!.GetValue<string>());
        Assert.Contains("Microsoft.Network/virtualNetworks/subnets", Assert.Single(acls["virtualNetworkRules"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Contains("storageClientIpRanges", acls.ToJsonString()); // the signed-link clients, a parameter (empty by default)
        var template = await Template();
        Assert.Empty(template["parameters"]!["storageClientIpRanges"]!["defaultValue"]!.AsArray());

        // The app reaches storage from that subnet: delegated to Flex Consumption, with a storage service endpoint.
        var subnet = (await Resources("Microsoft.Network/virtualNetworks")).Single()["properties"]!["subnets"]![0]!["properties"]!;
        Assert.Equal("Microsoft.App/environments", subnet["delegations"]![0]!["properties"]!["serviceName"]!.GetValue<string>());
        Assert.Equal("Microsoft.Storage", subnet["serviceEndpoints"]![0]!["service"]!.GetValue<string>());
        Assert.Contains("Microsoft.Network/virtualNetworks/subnets", (await Resources("Microsoft.Web/sites")).Single()["properties"]!["virtualNetworkSubnetId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Basic_auth_publishing_is_off_for_ftp_and_scm()
    {
        var policies = await Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal(["ftp", "scm"], policies.Select(p => p["name"]!.GetValue<string>().Split('\'')[^2]).Order());
        Assert.All(policies, p => Assert.False(p["properties"]!["allow"]!.GetValue<bool>()));
        Assert.Equal("Disabled", (await Resources("Microsoft.Web/sites")).Single()["properties"]!["siteConfig"]!["ftpsState"]!.GetValue<string>());
    }

    [Fact]
    public async Task Diagnostic_settings_send_the_app_logs_and_storage_access_to_the_workspace()
    {
        var settings = await Resources("Microsoft.Insights/diagnosticSettings");
        var scopes = settings.Select(d => d["scope"]!.GetValue<string>()).ToList();
        foreach (var type in new[] { "Microsoft.Web/sites'", "blobServices'", "tableServices'", "queueServices'" })
            Assert.Contains(scopes, s => s.Contains(type));
        Assert.All(settings, d => Assert.Contains("Microsoft.OperationalInsights/workspaces", d["properties"]!["workspaceId"]!.GetValue<string>()));
        Assert.Contains(settings, d => d["properties"]!.ToJsonString().Contains("FunctionAppLogs"));
        Assert.Equal(3, settings.Count(d => d["properties"]!.ToJsonString().Contains("StorageWrite")));
    }

    [Fact]
    public async Task Every_table_and_queue_the_app_uses_is_declared_so_the_app_gets_a_role_on_it()
    {
        var variables = (await Template())["variables"]!;
        var declared = variables["helperTableNames"]!.AsArray().Select(n => n!.GetValue<string>()).Append("cases").ToHashSet();
        await using var app = CasesApp.Build([]);
        var used = app.Services.GetRequiredService<CasesTables>().TableNames.ToList();
        Assert.True(used.Count >= 9, string.Join(", ", used));
        Assert.All(used, name => Assert.Contains(name, declared));
        // The queue names are format() expressions over the table prefix: {0}case-notifications, {0}case-notifications-poison.
        var queues = variables["notificationQueueNames"]!.AsArray().Select(q => q!.GetValue<string>()).ToList();
        Assert.Equal(2, queues.Count);
        Assert.Contains("{0}case-notifications'", queues[0]);
        Assert.Contains("{0}case-notifications-poison'", queues[1]);
        Assert.Equal("alert-status-updates", variables["alertStatusQueueName"]!.GetValue<string>());
        // The DrainNotifications trigger reads %Cases:Notifications:Queue%: set to the declared queue; the in-process reader off.
        var settings = (await Resources("Microsoft.Web/sites")).Single()["properties"]!["siteConfig"]!["appSettings"]!.ToString();
        Assert.Contains("'Cases__Notifications__Queue', 'value', variables('notificationQueueNames')[0]", settings);
        Assert.Contains("'Cases__Notifications__RunInProcess', 'value', 'false'", settings);
    }

    [Fact]
    public async Task Data_roles_are_scoped_to_the_containers_tables_and_queue_the_app_uses()
    {
        var assignments = await Resources("Microsoft.Authorization/roleAssignments");
        string Role(JsonNode a) => a["properties"]!["roleDefinitionId"]!.GetValue<string>();
        string Scope(JsonNode a) => a["scope"]!.GetValue<string>();
        Assert.All(assignments.Where(a => Role(a).Contains("storageBlobDataOwner")), a => Assert.Contains("blobServices/containers'", Scope(a)));
        Assert.All(assignments.Where(a => Role(a).Contains("storageTableDataContributor")), a => Assert.Contains("tableServices/tables'", Scope(a)));
        Assert.All(assignments.Where(a => Role(a).Contains("storageQueueDataContributor")), a => Assert.Contains("queueServices/queues'", Scope(a)));
        Assert.Equal(5, assignments.Where(a => Role(a).Contains("storageBlobDataOwner")).Sum(a => a["copy"]?["count"]?.ToString() is { } n ? 2 : 1));
        // Only the delegator (signing download links) sits on the account itself.
        var accountWide = assignments.Where(a => Scope(a).StartsWith("[resourceId('Microsoft.Storage/storageAccounts',")).ToList();
        Assert.Contains("storageBlobDelegator", Role(Assert.Single(accountWide)));
    }

    [Fact]
    public async Task App_Service_Authentication_is_declared_with_a_parameter_for_the_Entra_app_and_answers_401()
    {
        var auth = (await Resources("Microsoft.Web/sites/config")).Single(c => c["name"]!.GetValue<string>().Contains("authsettingsV2"))["properties"]!;
        Assert.True(auth["platform"]!["enabled"]!.GetValue<bool>());
        Assert.True(auth["globalValidation"]!["requireAuthentication"]!.GetValue<bool>());
        Assert.Equal("Return401", auth["globalValidation"]!["unauthenticatedClientAction"]!.GetValue<string>());
        Assert.Contains("parameters('authClientId')", auth["identityProviders"]!["azureActiveDirectory"]!["registration"]!["clientId"]!.GetValue<string>());
        var template = await Template();
        // The principal header is trusted exactly when the platform sets it.
        Assert.Contains("authClientId", template["parameters"]!["trustClientPrincipal"]!["defaultValue"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_searchAfter_signing_key_is_a_secure_parameter_shared_by_every_instance()
    {
        var template = await Template();
        Assert.Equal("securestring", template["parameters"]!["searchAfterTokenKey"]!["type"]!.GetValue<string>());
        var settings = (await Resources("Microsoft.Web/sites")).Single()["properties"]!["siteConfig"]!["appSettings"]!.ToString();
        Assert.Contains("'Cases__Find__TokenKey', 'value', parameters('searchAfterTokenKey')", settings);
    }
}
