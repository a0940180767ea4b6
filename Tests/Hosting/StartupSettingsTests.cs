using Cases.Functions.Hosting;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Cases.Tests.Hosting;

/// <summary>
/// Every start-up check of the options classes (the <c>.Validate(...)</c> of each <c>AddOptions</c>, and
/// <c>AccessOptionsValidation</c>) refuses its bad value, one setting at a time, naming the setting or its section:
/// bad configuration stops the app at start-up rather than failing later.
/// </summary>
public class StartupSettingsTests
{
    [Theory]
    // Cases:Storage, Cases:Identity
    [InlineData("Cases:Storage:TablePrefix", "not a prefix!", "TablePrefix")]
    [InlineData("Cases:Storage:RequestTimeout", "00:00:00", "Cases:Storage:RequestTimeout must be a positive time span")]
    [InlineData("Cases:Identity:LocalUser:Username", " ", "Cases:Identity:LocalUser:Username must not be empty.")]
    // Cases:Files: limits (FileLimits.IsValid), then uploads and links (FilesOptions.IsValidUpload)
    [InlineData("Cases:Files:MaxFileBytes", "0", "Cases:Files limits must be positive")]
    [InlineData("Cases:Files:MaxImageBytes", "0", "Cases:Files limits must be positive")]
    [InlineData("Cases:Files:MaxImageBytes", "209715200", "MaxImageBytes")]
    [InlineData("Cases:Files:MaxFilesPerCase", "0", "Cases:Files limits must be positive")]
    [InlineData("Cases:Files:MaxNameLength", "0", "Cases:Files limits must be positive")]
    [InlineData("Cases:Files:MaxDeletePerCall", "0", "Cases:Files limits must be positive")]
    [InlineData("Cases:Files:UploadBlockBytes", "65535", "UploadBlockBytes must be 64 KiB to 100 MiB")]
    [InlineData("Cases:Files:UploadBlockBytes", "104857601", "UploadBlockBytes must be 64 KiB to 100 MiB")]
    [InlineData("Cases:Files:UploadBlocksInFlight", "0", "UploadBlocksInFlight 1 to 16")]
    [InlineData("Cases:Files:UploadBlocksInFlight", "17", "UploadBlocksInFlight 1 to 16")]
    [InlineData("Cases:Files:OrphanAge", "00:00:00.999", "OrphanAge at least 1 second")]
    [InlineData("Cases:Files:DownloadLinkLifetime", "00:00:59", "DownloadLinkLifetime 1 to 60 minutes")]
    [InlineData("Cases:Files:DownloadLinkLifetime", "01:00:01", "DownloadLinkLifetime 1 to 60 minutes")]
    // Cases:Find, its token key, Cases:Requests
    [InlineData("Cases:Find:ViewMemoryLimitMegabytes", "0", "Cases:Find: ViewMemoryLimitMegabytes and IdleViewLifetime must be positive")]
    [InlineData("Cases:Find:IdleViewLifetime", "00:00:00", "Cases:Find: ViewMemoryLimitMegabytes and IdleViewLifetime must be positive")]
    [InlineData("Cases:Find:CatchUpWait", "-00:00:00.001", "CatchUpWait not negative")]
    [InlineData("Cases:Find:TokenKey", "0123456789012345678901234567890", "Cases:Find:TokenKey must be set (at least 32 characters")]
    [InlineData("Cases:Requests:MaxJsonBodyBytes", "65535", "Cases:Requests:MaxJsonBodyBytes must be 65536 to 104857600.")]
    [InlineData("Cases:Requests:MaxJsonBodyBytes", "104857601", "Cases:Requests:MaxJsonBodyBytes must be 65536 to 104857600.")]
    // Cases:Alerts, Cases:Numbering, Cases:Transfer
    [InlineData("Cases:Alerts:RedeliverAfter", "00:00:09.999", "Cases:Alerts:RedeliverAfter must be at least 10 seconds")]
    [InlineData("Cases:Alerts:StatusQueue", "ab", "Cases:Alerts:StatusQueue must be a queue name")]
    [InlineData("Cases:Numbering:MaxPerRun", "0", "Cases:Numbering:MaxPerRun must be positive.")]
    [InlineData("NUMBERING_SCHEDULE", "*/5 * * * *", "NUMBERING_SCHEDULE is not a valid 6-field NCRONTAB expression.")]
    [InlineData("Cases:Transfer:ImportMaxBytes", "0", "Cases:Transfer:ImportMaxBytes and ExportMaxObjects must be positive.")]
    [InlineData("Cases:Transfer:ExportMaxObjects", "0", "Cases:Transfer:ImportMaxBytes and ExportMaxObjects must be positive.")]
    // Cases:Notifications
    [InlineData("Cases:Notifications:FirstRetry", "00:00:00.999", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:MaxRetryDelay", "00:00:01", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:MaxRetryDelay", "7.00:00:01", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:MaxAttempts", "0", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:MaxAttempts", "101", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:PollInterval", "00:00:00", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:Lease", "00:00:00.999", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:Lease", "7.00:00:01", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:Queue", "Bad_Queue", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:KeepDeliveries", "0", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:KeepDeliveries", "1001", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:SentEmailRetention", "00:10:00", "Cases:Notifications: FirstRetry at least 1 s")]
    [InlineData("Cases:Notifications:SentEmailRetention", "365.00:00:01", "Cases:Notifications: FirstRetry at least 1 s")]
    // Cases:Email, Cases:PublicBaseUrl
    [InlineData("Cases:Email:Smtp:Security", "ssl", "Cases:Email: Smtp:Security must be none, starttls or tls")]
    [InlineData("Cases:Email:Smtp:Port", "65536", "Cases:Email: Smtp:Security must be none, starttls or tls")]
    [InlineData("Cases:Email:Smtp:Port", "-1", "Cases:Email: Smtp:Security must be none, starttls or tls")]
    [InlineData("Cases:Email:From", "not an address <", "Cases:Email: Smtp:Security must be none, starttls or tls")]
    [InlineData("Cases:PublicBaseUrl", "ftp://cases.contoso.com", "Cases:PublicBaseUrl must be an absolute http or https URL.")]
    [InlineData("Cases:PublicBaseUrl", "cases.contoso.com/app", "Cases:PublicBaseUrl must be an absolute http or https URL.")]
    // Cases:Connectors (outbound calls)
    [InlineData("Cases:Connectors:AttemptTimeout", "00:00:00.999", "Cases:Connectors: AttemptTimeout must be 1 s to 5 min")]
    [InlineData("Cases:Connectors:AttemptTimeout", "00:05:01", "Cases:Connectors: AttemptTimeout must be 1 s to 5 min")]
    [InlineData("Cases:Connectors:TotalTimeout", "00:00:09", "Cases:Connectors: AttemptTimeout must be 1 s to 5 min")]
    [InlineData("Cases:Connectors:RetryDelay", "-00:00:01", "Cases:Connectors: AttemptTimeout must be 1 s to 5 min")]
    [InlineData("Cases:Connectors:RetryDelay", "00:01:01", "Cases:Connectors: AttemptTimeout must be 1 s to 5 min")]
    [InlineData("Cases:Connectors:MaxRetries", "-1", "Cases:Connectors: AttemptTimeout must be 1 s to 5 min")]
    [InlineData("Cases:Connectors:MaxRetries", "6", "Cases:Connectors: AttemptTimeout must be 1 s to 5 min")]
    // Cases:Access
    [InlineData("Cases:Access:AdminRole", " ", "Cases:Access:AdminRole must not be blank.")]
    [InlineData("Cases:Access:Roles:soc-analyst:0", "soc/securitySolution:write", "soc/securitySolution:write")]
    [InlineData("Cases:Access:Roles:soc-analyst:0", "soc/securitySolution:read-delete", "soc-analyst")]
    [InlineData("Cases:Access:Roles:soc-analyst:0", "soc/siem:all", "soc/siem:all")]
    [InlineData("Cases:Cors:AllowedOrigins:0", "*", "AllowedOrigins")]
    [InlineData("Cases:Cors:AllowedOrigins:0", "https://cases.contoso.com/app", "AllowedOrigins")]
    public async Task Each_start_up_check_refuses_its_bad_value(string key, string value, string message)
    {
        await using var app = CasesApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Azurite.ConnectionString, ["Cases:Numbering:RunInProcess"] = "false", [key] = value }));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task The_defaults_start()
    {
        await using var app = CasesApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Azurite.ConnectionString, ["Cases:Numbering:RunInProcess"] = "false" }));
        await app.StartAsync();
        await app.StopAsync();
    }
}
