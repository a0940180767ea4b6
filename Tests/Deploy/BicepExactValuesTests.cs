using System.Text.Json.Nodes;

namespace Cases.Tests.Deploy;

/// <summary>
/// The compiled template's exact values where "contains" would let a wrong one through: each role assignment's role
/// definition, scope and principal, each app setting's value, HTTPS only, and soft delete.
/// </summary>
public sealed class BicepExactValuesTests
{
    const string Identity = "resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('id-{0}-{1}', variables('baseName'), variables('suffix')))";
    const string Container = "resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', variables('storageAccountName'), 'default', ";
    const string Queue = "resourceId('Microsoft.Storage/storageAccounts/queueServices/queues', variables('storageAccountName'), 'default', ";
    const string Storage = "resourceId('Microsoft.Storage/storageAccounts', variables('storageAccountName'))";
    const string Table = "resourceId('Microsoft.Storage/storageAccounts/tableServices/tables', variables('storageAccountName'), 'default', ";

    static async Task<JsonNode> Site() => (await BicepTests.Resources("Microsoft.Web/sites")).Single();

    [Fact]
    public async Task Built_in_role_ids_are_the_documented_ones()
    {
        var roles = (await BicepTests.Template())["variables"]!["roles"]!;
        var expected = new Dictionary<string, string>
        {
            ["storageBlobDataOwner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
            ["storageQueueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            ["storageTableDataContributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0565c8e0cf1d",
            ["storageBlobDelegator"] = "db58b8e5-c6ad-4a2a-8342-4190687cbf4a",
            ["monitoringMetricsPublisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
            ["keyVaultSecretsUser"] = "4633458b-17de-408a-b874-0445c86b69e6",
        };
        Assert.Equal(expected.OrderBy(p => p.Key), roles.AsObject().Select(p => KeyValuePair.Create(p.Key, p.Value!.GetValue<string>())).OrderBy(p => p.Key));
    }

    [Fact]
    public async Task Each_role_assignment_gives_the_apps_identity_one_role_on_one_scope()
    {
        var expected = new (string Scope, string Role, bool Loop)[]
        {
            ($"[{Container}variables('deploymentContainerName'))]", "storageBlobDataOwner", false),
            ($"[{Container}variables('caseFilesContainerName'))]", "storageBlobDataOwner", false),
            ($"[{Container}variables('viewSnapshotsContainerName'))]", "storageBlobDataOwner", false),
            ($"[{Container}variables('hostContainerNames')[copyIndex()])]", "storageBlobDataOwner", true),
            ("[resourceId('Microsoft.Storage/storageAccounts', variables('storageAccountName'))]", "storageBlobDelegator", false),
            ($"[{Queue}variables('alertStatusQueueName'))]", "storageQueueDataContributor", false),
            ($"[{Queue}variables('notificationQueueNames')[copyIndex()])]", "storageQueueDataContributor", true),
            ($"[{Table}variables('casesTableName'))]", "storageTableDataContributor", false),
            ($"[{Table}format('{{0}}{{1}}', parameters('tablePrefix'), variables('helperTableNames')[copyIndex()]))]", "storageTableDataContributor", true),
            ("[resourceId('Microsoft.KeyVault/vaults', variables('keyVaultName'))]", "keyVaultSecretsUser", false),
            ("[resourceId('Microsoft.Insights/components', format('appi-{0}-{1}', variables('baseName'), variables('suffix')))]", "monitoringMetricsPublisher", false),
        };
        var assignments = await BicepTests.Resources("Microsoft.Authorization/roleAssignments");
        Assert.Equal(
            expected.Select(e => $"{e.Scope} | [subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roles').{e.Role})] | {e.Loop}").Order(),
            assignments.Select(a => $"{a["scope"]} | {a["properties"]!["roleDefinitionId"]} | {a["copy"] is not null}").Order());
        Assert.All(assignments, a =>
        {
            Assert.Equal($"[reference({Identity}, '2023-01-31').principalId]", a["properties"]!["principalId"]!.GetValue<string>());
            Assert.Equal("ServicePrincipal", a["properties"]!["principalType"]!.GetValue<string>());
        });
        // The loops cover exactly the host's containers, the notification queues and the helper tables.
        Assert.Equal(
            ["[length(variables('helperTableNames'))]", "[length(variables('hostContainerNames'))]", "[length(variables('notificationQueueNames'))]"],
            assignments.Where(a => a["copy"] is not null).Select(a => a["copy"]!["count"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task App_settings_are_exactly_these_with_these_values()
    {
        var settings = (await Site())["properties"]!["siteConfig"]!["appSettings"]!.GetValue<string>();
        var expected = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage__credential"] = "'managedidentity'",
            ["AzureWebJobsStorage__clientId"] = $"reference({Identity}, '2023-01-31').clientId",
            ["AzureWebJobsStorage__blobServiceUri"] = $"reference({Storage}, '2023-05-01').primaryEndpoints.blob",
            ["AzureWebJobsStorage__queueServiceUri"] = $"reference({Storage}, '2023-05-01').primaryEndpoints.queue",
            ["AzureWebJobsStorage__tableServiceUri"] = $"reference({Storage}, '2023-05-01').primaryEndpoints.table",
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "reference(resourceId('Microsoft.Insights/components', format('appi-{0}-{1}', variables('baseName'), variables('suffix'))), '2020-02-02').ConnectionString",
            ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = $"format('ClientId={{0}};Authorization=AAD', reference({Identity}, '2023-01-31').clientId)",
            ["Cases__Storage__TablePrefix"] = "parameters('tablePrefix')",
            ["Cases__Identity__TrustClientPrincipal"] = "string(parameters('trustClientPrincipal'))",
            ["Cases__Find__TokenKey"] = "parameters('searchAfterTokenKey')",
            ["Cases__Connectors__AllowedHosts"] = "parameters('connectorAllowedHosts')",
            ["Cases__Secrets__KeyVaultUri"] = "reference(resourceId('Microsoft.KeyVault/vaults', variables('keyVaultName')), '2023-07-01').vaultUri",
            ["Cases__Secrets__KeyName"] = "variables('secretsKeyName')",
            ["Cases__Secrets__ClientId"] = $"reference({Identity}, '2023-01-31').clientId",
            ["Cases__Notifications__Queue"] = "variables('notificationQueueNames')[0]",
            ["Cases__Notifications__RunInProcess"] = "'false'",
            ["NUMBERING_SCHEDULE"] = "parameters('numberingSchedule')",
            ["AzureFunctionsWebHost__hostid"] = "take(variables('functionAppName'), 32)",
            ["Cases__Access__AdminRole"] = "parameters('accessAdminRole')",
        };
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), Settings(settings).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Contains("variables('localUserSettings')", settings);
        // The local user: off when no name is given, else that name.
        Assert.Equal("[if(empty(parameters('anonymousUserName')), createArray(createObject('name', 'Cases__Identity__LocalUserEnabled', 'value', 'false')), " +
            "createArray(createObject('name', 'Cases__Identity__LocalUser__Username', 'value', parameters('anonymousUserName'))))]",
            (await BicepTests.Template())["variables"]!["localUserSettings"]!.GetValue<string>());
        Assert.DoesNotContain("AccountKey", settings);
    }

    /// <summary>The <c>createObject('name', N, 'value', V)</c> pairs of the compiled settings expression.</summary>
    static Dictionary<string, string> Settings(string expression)
    {
        var found = new Dictionary<string, string>();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(expression, @"createObject\('name', '([^']+)', 'value', "))
        {
            int depth = 0, i = m.Index + m.Length;
            var quoted = false;
            for (; depth > 0 || quoted || expression[i] != ')'; i++)
            {
                if (expression[i] == '\'') quoted = !quoted;
                else if (!quoted && expression[i] == '(') depth++;
                else if (!quoted && expression[i] == ')') depth--;
            }
            found.Add(m.Groups[1].Value, expression[(m.Index + m.Length)..i]);
        }
        return found;
    }

    [Fact]
    public async Task HTTPS_only_and_TLS_1_2_everywhere()
    {
        var site = (await Site())["properties"]!;
        Assert.True(site["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("1.2", site["siteConfig"]!["minTlsVersion"]!.GetValue<string>());
        var storage = (await BicepTests.Resources("Microsoft.Storage/storageAccounts")).Single()["properties"]!;
        Assert.True(storage["supportsHttpsTrafficOnly"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["minimumTlsVersion"]!.GetValue<string>());
        Assert.True(storage["defaultToOAuthAuthentication"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Deleted_blobs_containers_and_secrets_can_be_restored()
    {
        var blobs = (await BicepTests.Resources("Microsoft.Storage/storageAccounts/blobServices")).Single()["properties"]!;
        foreach (var policy in new[] { "deleteRetentionPolicy", "containerDeleteRetentionPolicy" })
        {
            Assert.True(blobs[policy]!["enabled"]!.GetValue<bool>());
            Assert.Equal("[parameters('blobSoftDeleteDays')]", blobs[policy]!["days"]!.GetValue<string>());
        }
        var days = (await BicepTests.Template())["parameters"]!["blobSoftDeleteDays"]!;
        Assert.Equal((7, 1, 365), (days["defaultValue"]!.GetValue<int>(), days["minValue"]!.GetValue<int>(), days["maxValue"]!.GetValue<int>()));
        var vault = (await BicepTests.Resources("Microsoft.KeyVault/vaults")).Single()["properties"]!;
        Assert.True(vault["enableSoftDelete"]!.GetValue<bool>());
        Assert.Equal(90, vault["softDeleteRetentionInDays"]!.GetValue<int>());
        Assert.True(vault["enablePurgeProtection"]!.GetValue<bool>());
    }
}
