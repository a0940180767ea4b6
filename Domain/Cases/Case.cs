using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cases.Domain.Users;

namespace Cases.Domain.Cases;

/// <summary>
/// The fields of a case that a user edits and that its <c>version</c> protects. Counters and the case number live
/// beside it (see <see cref="CaseRecord"/>) so that attaching something or numbering a case never bumps the version.
/// </summary>
public sealed record Case
{
    public required string Id { get; init; }
    public required string Owner { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required string Status { get; init; }
    public required string Severity { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public string? Category { get; init; }
    public required IReadOnlyList<Assignee> Assignees { get; init; }
    public required Connector Connector { get; init; }
    public required CaseSettings Settings { get; init; }
    public required IReadOnlyList<CustomFieldValue> CustomFields { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required CaseUser CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public CaseUser? UpdatedBy { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public CaseUser? ClosedBy { get; init; }
    /// <summary>Seconds from creation to closure; null while not closed.</summary>
    public long? Duration { get; init; }
    public JsonNode? ExternalService { get; init; }
}

/// <summary>A stored case: its editable fields plus what changes without a new version.</summary>
public sealed record CaseRecord(Case Case, int Version, int TotalComment, int TotalAlerts, long? IncrementalId);

public sealed record Assignee([property: JsonPropertyName("uid")] string Uid);

public sealed record Connector(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("fields")] JsonNode? Fields)
{
    public static readonly Connector None = new("none", "none", ConnectorTypes.None, null);
}

public sealed record CaseSettings(
    [property: JsonPropertyName("syncAlerts")] bool SyncAlerts,
    [property: JsonPropertyName("extractObservables"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ExtractObservables = null);

public sealed record CustomFieldValue(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] JsonNode? Value);
