using Cases.Functions.Connectors.Systems;
using Cases.Functions.Outbound;

namespace Cases.Functions.Connectors;

public static class ConnectorServiceCollection
{
    /// <summary>Connectors, the case checks and the push, with their outbound client (see <see cref="OutboundServices"/>).</summary>
    public static IServiceCollection AddConnectors(this IServiceCollection services)
    {
        services.AddSingleton<ConnectorStore>();
        services.AddSingleton<ConnectorServices>();
        services.AddSingleton<CaseConnectors>();
        services.AddSingleton<PushRows>();
        services.AddSingleton<ServiceNowOAuth>();
        services.AddSingleton<ExternalSystems>();
        services.AddSingleton<CasePusher>();
        services.AddOutboundClient(OutboundServices.ConnectorsClient);
        return services;
    }
}
