using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cases.Domain.Cases;
using Cases.Domain.Users;

namespace Cases.Functions.Cases;

/// <summary>A case on the wire, field for field as Kibana writes it (snake_case beside totalComment and customFields).</summary>
public sealed record CaseResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("incremental_id")] long? IncrementalId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("assignees")] IReadOnlyList<Assignee> Assignees,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("connector")] Connector Connector,
    [property: JsonPropertyName("settings")] CaseSettings Settings,
    [property: JsonPropertyName("customFields")] IReadOnlyList<CustomFieldValue> CustomFields,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("created_by")] CaseUser CreatedBy,
    [property: JsonPropertyName("updated_at")] DateTimeOffset? UpdatedAt,
    [property: JsonPropertyName("updated_by")] CaseUser? UpdatedBy,
    [property: JsonPropertyName("closed_at")] DateTimeOffset? ClosedAt,
    [property: JsonPropertyName("closed_by")] CaseUser? ClosedBy,
    [property: JsonPropertyName("duration")] long? Duration,
    [property: JsonPropertyName("external_service")] JsonNode? ExternalService,
    [property: JsonPropertyName("totalComment")] int TotalComment,
    [property: JsonPropertyName("totalAlerts")] int TotalAlerts,
    [property: JsonPropertyName("comments")] IReadOnlyList<JsonNode> Comments)
{
    public static CaseResponse From(CaseRecord record, IReadOnlyList<JsonNode>? comments = null)
    {
        var c = record.Case;
        return new(c.Id, CaseVersion.Encode(record.Version), record.IncrementalId, c.Title, c.Description, c.Status, c.Severity,
            c.Tags, c.Category, c.Assignees, c.Owner, c.Connector, c.Settings, c.CustomFields, c.CreatedAt, c.CreatedBy,
            c.UpdatedAt, c.UpdatedBy, c.ClosedAt, c.ClosedBy, c.Duration, c.ExternalService, record.TotalComment,
            record.TotalAlerts, comments ?? []);
    }
}

public sealed record FindCasesResponse(
    [property: JsonPropertyName("cases")] IReadOnlyList<CaseResponse> Cases,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("per_page")] int PerPage,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("count_open_cases")] int CountOpenCases,
    [property: JsonPropertyName("count_in_progress_cases")] int CountInProgressCases,
    [property: JsonPropertyName("count_closed_cases")] int CountClosedCases,
    [property: JsonPropertyName("searchAfter"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SearchAfter = null);

public sealed record BulkGetResponse(
    [property: JsonPropertyName("cases")] IReadOnlyList<CaseResponse> Cases,
    [property: JsonPropertyName("errors")] IReadOnlyList<BulkGetError> Errors);

public sealed record BulkGetError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("caseId")] string CaseId);
