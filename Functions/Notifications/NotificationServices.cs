using Cases.Functions.Profiles;
using Cases.Functions.Webhooks;

namespace Cases.Functions.Notifications;

public static partial class NotificationServices
{
    /// <summary>Case events, email on assignment, the queue and its reader (profiles and webhooks included).</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProfiles();
        services.AddWebhooks();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section)
            .Validate(o => o.IsValid(), NotificationOptions.Rule).ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section)
            .Validate(o => o.IsValid(), EmailOptions.Rule).ValidateOnStart();
        services.AddOptions<PublicBaseUrlCheck>().Validate<IConfiguration>((_, c) => CaseLinks.IsValid(c[CaseLinks.Setting]),
            "Cases:PublicBaseUrl must be an absolute http or https URL.").ValidateOnStart();
        services.AddSingleton<CaseLinks>();
        services.AddSingleton<NotificationQueue>();
        services.AddSingleton<CaseEvents>();
        services.AddSingleton<HeldNotifications>();
        services.AddSingleton<SmtpSender>();
        services.AddSingleton<NotificationProcessor>();
        services.AddSingleton<NotificationRetries>();
        services.AddSingleton<NotificationUpkeep>();
        services.AddHostedService<EmailSetupLog>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ProfilesJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, WebhooksJsonContext.Default);
        });
        return services;
    }

    /// <summary>
    /// The in-process reader: on by default standalone, off by default in the isolated worker (the queue trigger drains
    /// the queue there); <c>Cases__Notifications__RunInProcess</c> decides either way.
    /// </summary>
    public static IServiceCollection AddNotificationReader(this IServiceCollection services, IConfiguration configuration, bool runByDefault)
    {
        if (configuration.GetValue($"{NotificationOptions.Section}:RunInProcess", runByDefault)) services.AddHostedService<NotificationReader>();
        return services;
    }

    /// <summary>Says once at start-up that email is off (no From or SMTP host), whoever drains the queue.</summary>
    sealed partial class EmailSetupLog(Microsoft.Extensions.Options.IOptions<EmailOptions> email, ILogger<EmailSetupLog> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!email.Value.Enabled) LogEmailOff(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Email on assignment is off: set Cases__Email__From and Cases__Email__Smtp__Host to turn it on")]
        static partial void LogEmailOff(ILogger logger);
    }

    internal sealed class PublicBaseUrlCheck;
}
