using System.Text.Json.Serialization;

namespace Cases.Functions.Webhooks;

/// <summary>A registered endpoint of a space. The secret is kept encrypted and never leaves the app.</summary>
public sealed record Webhook(string Id, string Url, IReadOnlyList<string> Events, string ProtectedSecret, DateTimeOffset CreatedAt, string? CreatedBy)
{
    public bool Wants(string eventName) => Events.Contains("*") || Events.Contains(eventName);
}

public sealed record WebhookResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("events")] IReadOnlyList<string> Events,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("created_by")] string? CreatedBy)
{
    public static WebhookResponse From(Webhook w) => new(w.Id, w.Url, w.Events, w.CreatedAt, w.CreatedBy);
}

/// <summary><c>events</c> is a list of event names or <c>"*"</c>.</summary>
public sealed record NewWebhook(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("secret")] string? Secret,
    [property: JsonPropertyName("events")] System.Text.Json.Nodes.JsonNode? Events);

/// <summary>One delivery of one event to one webhook, and how it went.</summary>
public sealed record WebhookDelivery(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("caseId")] string CaseId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("lastStatusCode")] int? LastStatusCode,
    [property: JsonPropertyName("lastError")] string? LastError,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("lastAttemptAt")] DateTimeOffset? LastAttemptAt,
    [property: JsonPropertyName("deliveredAt")] DateTimeOffset? DeliveredAt)
{
    public const string Pending = "pending", Delivered = "delivered";
}

public sealed record DeliveriesResponse([property: JsonPropertyName("deliveries")] List<WebhookDelivery> Deliveries);

public sealed record WebhooksResponse([property: JsonPropertyName("webhooks")] List<WebhookResponse> Webhooks);

[JsonSourceGenerationOptions(Converters = [typeof(Hosting.KibanaDateConverter)])]
[JsonSerializable(typeof(WebhookResponse))]
[JsonSerializable(typeof(WebhooksResponse))]
[JsonSerializable(typeof(NewWebhook))]
[JsonSerializable(typeof(DeliveriesResponse))]
internal sealed partial class WebhooksJsonContext : JsonSerializerContext;
