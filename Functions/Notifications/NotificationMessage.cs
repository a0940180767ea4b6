using System.Text.Json.Serialization;
using Cases.Domain.Users;

namespace Cases.Functions.Notifications;

/// <summary>
/// One unit of queued work. <c>event</c>: a case changed (fanned out into the others); <c>email</c>: tell one new assignee;
/// <c>webhook</c>: send a webhook's pending deliveries for one case, in order. Small on purpose: a queue message holds 64 KiB.
/// </summary>
public sealed record NotificationMessage(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("space")] string Space,
    [property: JsonPropertyName("event")] CaseEvent? Event = null,
    [property: JsonPropertyName("uid")] string? Uid = null,
    [property: JsonPropertyName("webhookId")] string? WebhookId = null,
    [property: JsonPropertyName("caseId")] string? CaseId = null)
{
    public const string EventKind = "event", EmailKind = "email", WebhookKind = "webhook";

    /// <summary>Failed attempts before this copy was queued (the queue trigger's backoff re-queues a message as a copy).</summary>
    [JsonPropertyName("attempts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Attempts { get; init; }
}

/// <summary>What happened to a case, as webhooks receive it (plus the actor's uid, which decides self-assignment).</summary>
public sealed record CaseEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("occurredAt")] DateTimeOffset OccurredAt,
    [property: JsonPropertyName("events")] IReadOnlyList<string> Events,
    [property: JsonPropertyName("actor")] CaseUser Actor,
    [property: JsonPropertyName("case")] CaseSummary Case,
    [property: JsonPropertyName("changedFields"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? ChangedFields = null,
    [property: JsonPropertyName("addedAssignees"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AddedAssignees = null,
    [property: JsonPropertyName("commentType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CommentType = null,
    [property: JsonPropertyName("alertsAttached"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? AlertsAttached = null)
{
    /// <summary>Orders a case's deliveries: set when the event is queued (after its commit), strictly increasing.</summary>
    [JsonPropertyName("sequence")] public long Sequence { get; init; }
}

/// <summary>The case as it is after the event (no description or tags: they can be large; read the case for them).</summary>
public sealed record CaseSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("incremental_id")] long? IncrementalId,
    [property: JsonPropertyName("assignees")] IReadOnlyList<string> Assignees,
    [property: JsonPropertyName("version")] string Version);

[JsonSourceGenerationOptions(Converters = [typeof(Hosting.KibanaDateConverter)])]
[JsonSerializable(typeof(NotificationMessage))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;
