using Cases.Functions.Attachments;
using Cases.Functions.Cases;
using Cases.Functions.Files;
using Cases.Functions.Find;
using Cases.Functions.Health;
using Cases.Functions.Identity;
using Cases.Functions.Metrics;
using Cases.Functions.Numbering;
using Cases.Functions.Settings;
using Cases.Functions.Spaces;
using Cases.Functions.Storage;
using Cases.Functions.Transfer;
using Cases.Functions.UserActions;

namespace Cases.Functions.Hosting;

/// <summary>Builds the web app: the same one under the Functions host, standalone, in tests and in benchmarks.</summary>
public static class CasesApp
{
    /// <summary>Kestrel's 30 MB default would refuse bodies the Functions host accepts (100 MB).</summary>
    public const long MaxRequestBodyBytes = 104_857_600;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        FunctionsHost.ConfigureUrls(builder);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(o => CasesJsonContext.Configure(o.SerializerOptions));

        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => StorageOptions.IsValidPrefix(o.TablePrefix), StorageOptions.PrefixRule).ValidateOnStart();
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section)
            .Validate(o => o.LocalUser is null || !string.IsNullOrWhiteSpace(o.LocalUser.Username), "Cases:Identity:LocalUser:Username must not be empty.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => StorageAccount.CreateTableService(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<CasesTables>();
        builder.Services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.Section)
            .Validate(o => o.IsValid(), FilesOptions.Rule).Validate(o => o.IsValidUpload(), FilesOptions.UploadRule).ValidateOnStart();
        builder.Services.AddSingleton(sp => StorageAccount.CreateBlobService(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<FileBlobs>();
        builder.Services.AddSingleton<DownloadLinks>();
        builder.Services.AddSingleton<PendingBlobs>();
        builder.Services.AddSingleton<FileStore>();
        builder.Services.AddSingleton<CaseStore>();
        builder.Services.AddSingleton<CaseIndex>();
        builder.Services.AddSingleton<ChangeLog>();
        builder.Services.AddSingleton<ViewSnapshots>();
        builder.Services.AddSingleton<UserActionStore>();
        builder.Services.AddSingleton<ConfigurationStore>();
        builder.Services.AddSingleton<CallerIdentity>();
        builder.Services.AddOptions<AlertSyncOptions>().BindConfiguration(AlertSyncOptions.Section)
            .Validate(o => AlertSyncOptions.IsValidQueueName(o.StatusQueue), "Cases:Alerts:StatusQueue must be a queue name: 3-63 of a-z 0-9 '-'.")
            .Validate(o => o.RedeliverAfter >= TimeSpan.FromSeconds(10), "Cases:Alerts:RedeliverAfter must be at least 10 seconds (longer than a request).")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => QueueAccount.CreateQueueService(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<AttachmentStore>();
        builder.Services.AddSingleton<AlertSyncOutbox>();
        builder.Services.AddSingleton<AlertStatusSync>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTransfer();
        NumberingSchedule.Register(builder);
        builder.Services.AddOpenApi();
        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseKibanaErrors();
        // The Functions host waits for any answer on GET / before forwarding traffic; it is also the liveness probe.
        app.MapGet("/", () => TypedResults.Ok("Cases is running")).ExcludeFromDescription();
        app.MapOpenApi("/api/openapi.json");
        if (FunctionsHost.IsActive(app.Configuration)) app.MapNumberingTimer();
        app.MapHealthApi();
        app.MapInEverySpace(api =>
        {
            api.MapCasesApi();
            api.MapUserActionsApi();
            api.MapAttachmentsApi();
            api.MapObservablesApi();
            api.MapMetricsApi();
            api.MapNumberingApi();
            api.MapFindApi();
            api.MapConfigurationApi();
            api.MapFilesApi();
            api.MapTransferApi();
        });
        return app;
    }
}
