using Cases.Functions.Profiles;
using Cases.Functions.Webhooks;

namespace Cases.Functions.Notifications;

public static class NotificationServices
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
        services.AddSingleton<SmtpSender>();
        services.AddSingleton<NotificationProcessor>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ProfilesJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, WebhooksJsonContext.Default);
        });
        if (configuration.GetValue("Cases:Notifications:RunInProcess", true)) services.AddHostedService<NotificationReader>();
        return services;
    }

    internal sealed class PublicBaseUrlCheck;
}
