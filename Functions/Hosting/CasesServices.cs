using Cases.Functions.Upkeep;
using Cases.Functions.Access;
using Cases.Functions.Attachments;
using Cases.Functions.Files;
using Cases.Functions.Find;
using Cases.Functions.Identity;
using Cases.Functions.Numbering;
using Cases.Functions.Settings;
using Cases.Functions.Storage;
using Cases.Functions.Transfer;
using Cases.Functions.UserActions;
using Cases.Functions.Cases;
using Cases.Functions.Connectors;
using Cases.Functions.Notifications;
using Cases.Functions.Outbound;

namespace Cases.Functions.Hosting;

/// <summary>The app's services, the same under the isolated worker and standalone.</summary>
public static class CasesServices
{
    public static IServiceCollection AddCases(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o => CasesJsonContext.Configure(o.SerializerOptions));

        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => StorageOptions.IsValidPrefix(o.TablePrefix), StorageOptions.PrefixRule)
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Cases:Storage:RequestTimeout must be a positive time span (e.g. 00:01:00).").ValidateOnStart();
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section)
            .Validate(o => o.LocalUser is null || !string.IsNullOrWhiteSpace(o.LocalUser.Username), "Cases:Identity:LocalUser:Username must not be empty.")
            .ValidateOnStart();
        services.AddSingleton(sp => StorageAccount.CreateTableService(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<CasesTables>();
        services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.Section)
            .Validate(o => o.IsValid(), FilesOptions.Rule).Validate(o => o.IsValidUpload(), FilesOptions.UploadRule).ValidateOnStart();
        services.AddSingleton(sp => StorageAccount.CreateBlobService(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<FileBlobs>();
        services.AddSingleton<DownloadLinks>();
        services.AddSingleton<PendingBlobs>();
        services.AddSingleton<FileStore>();
        services.AddSingleton<FileUpload>();
        services.AddSingleton<CaseStore>();
        services.AddSingleton<Deletion.CaseDeletion>();
        services.AddOptions<FindOptions>().BindConfiguration(FindOptions.Section)
            .Validate(o => o.ViewMemoryLimitMegabytes > 0 && o.IdleViewLifetime > TimeSpan.Zero && o.CatchUpWait >= TimeSpan.Zero,
                "Cases:Find: ViewMemoryLimitMegabytes and IdleViewLifetime must be positive, CatchUpWait not negative.").ValidateOnStart();
        services.AddSingleton<CaseIndex>();
        services.AddSearchAfterKey();
        services.AddBodyLimits();
        services.AddSingleton<ChangeLog>();
        services.AddSingleton<ViewSnapshots>();
        services.AddSingleton<UserActionStore>();
        services.AddSingleton<ConfigurationStore>();
        services.AddSingleton<CallerIdentity>();
        services.AddCasesAccess();
        services.AddOptions<AlertSyncOptions>().BindConfiguration(AlertSyncOptions.Section)
            .Validate(o => AlertSyncOptions.IsValidQueueName(o.StatusQueue), "Cases:Alerts:StatusQueue must be a queue name: 3-63 of a-z 0-9 '-'.")
            .Validate(o => o.RedeliverAfter >= TimeSpan.FromSeconds(10), "Cases:Alerts:RedeliverAfter must be at least 10 seconds (longer than a request).")
            .ValidateOnStart();
        services.AddSingleton(sp => QueueAccount.CreateQueueService(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<AttachmentStore>();
        services.AddSingleton<AlertSyncOutbox>();
        services.AddSingleton<AlertStatusSync>();
        services.AddSingleton(TimeProvider.System);
        services.AddOutbound();
        services.AddConnectors();
        services.AddSingleton<Testing.TestHooks>(); // inert unless Cases:Testing:Hooks=true (tests only)
        services.AddNumbering(configuration);
        services.AddUpkeep();
        services.AddNotifications(configuration);
        services.AddTransfer();
        services.AddOpenApi();
        services.AddCasesTelemetry(configuration);
        return services;
    }
}
