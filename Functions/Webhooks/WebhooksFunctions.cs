using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Webhooks;

/// <summary>The isolated worker's entry points for <see cref="WebhooksApi"/>: each runs the endpoint of its own name.</summary>
public sealed class WebhooksFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(CreateWebhookDefaultSpace))]
    public IResult CreateWebhookDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/webhooks")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(CreateWebhook))]
    public IResult CreateWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/api/cases/webhooks")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(ListWebhooksDefaultSpace))]
    public IResult ListWebhooksDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/webhooks")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(ListWebhooks))]
    public IResult ListWebhooks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/webhooks")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetWebhookDefaultSpace))]
    public IResult GetWebhookDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/webhooks/{webhookId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetWebhook))]
    public IResult GetWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/webhooks/{webhookId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteWebhookDefaultSpace))]
    public IResult DeleteWebhookDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/cases/webhooks/{webhookId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(DeleteWebhook))]
    public IResult DeleteWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "s/{spaceId}/api/cases/webhooks/{webhookId}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetWebhookDeliveriesDefaultSpace))]
    public IResult GetWebhookDeliveriesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/webhooks/{webhookId}/deliveries")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetWebhookDeliveries))]
    public IResult GetWebhookDeliveries([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/webhooks/{webhookId}/deliveries")] HttpRequest request) =>
        endpoints.Run();
}
