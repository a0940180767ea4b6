using Cases.Functions.Hosting;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Cases.Tests.Hosting;

/// <summary>Bad configuration stops the app at start-up with a message naming the setting, rather than failing later.</summary>
public class StartupRefusalTests
{
    [Theory]
    [InlineData("Cases:Storage:TablePrefix", "not a prefix!", "TablePrefix")]
    [InlineData("Cases:Files:MaxImageBytes", "209715200", "MaxImageBytes")]
    [InlineData("Cases:Files:DownloadLinkLifetime", "02:00:00", "DownloadLinkLifetime")]
    [InlineData("Cases:Files:OrphanAge", "00:00:00", "OrphanAge")]
    [InlineData("Cases:Alerts:StatusQueue", "Not_A_Queue", "StatusQueue")]
    [InlineData("Cases:Alerts:RedeliverAfter", "-00:01:00", "RedeliverAfter")]
    [InlineData("Cases:Access:Roles:soc-analyst:0", "soc/securitySolution:write", "soc/securitySolution:write")]
    [InlineData("Cases:Access:Roles:soc-analyst:0", "soc/securitySolution:read-delete", "soc-analyst")]
    [InlineData("Cases:Access:Roles:soc-analyst:0", "soc/siem:all", "soc/siem:all")]
    [InlineData("Cases:Cors:AllowedOrigins:0", "*", "AllowedOrigins")]
    [InlineData("Cases:Cors:AllowedOrigins:0", "https://cases.contoso.com/app", "AllowedOrigins")]
    [InlineData("Cases:Notifications:FirstRetry", "00:00:00.5", "FirstRetry")] // a queue would make it no delay at all
    [InlineData("Cases:Notifications:KeepDeliveries", "0", "KeepDeliveries")]
    [InlineData("Cases:Notifications:SentEmailRetention", "00:10:00", "SentEmailRetention")] // shorter than the retries
    public async Task A_bad_setting_stops_the_app_at_start_up_naming_it(string key, string value, string named)
    {
        await using var app = CasesApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Azurite.ConnectionString, ["Cases:Numbering:RunInProcess"] = "false", [key] = value }));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(named, error.Message);
    }
}
