using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cases.Domain.UserActions;
using Cases.Domain.Users;

namespace Cases.Functions.UserActions;

/// <summary>A user action as Kibana's <c>user_actions/_find</c> returns it.</summary>
public sealed record UserActionResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("payload")] JsonObject Payload,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("created_by")] CaseUser CreatedBy,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("comment_id")] string? CommentId)
{
    /// <summary>User actions never change once written, so every one is at its first version.</summary>
    static readonly string FirstVersion = Domain.Cases.CaseVersion.Encode(1);

    public static UserActionResponse From(UserAction a) =>
        new(a.Id, FirstVersion, a.Action, a.Type, a.Payload, a.CreatedAt, a.CreatedBy, a.Owner, a.CommentId);
}

public sealed record FindUserActionsResponse(
    [property: JsonPropertyName("userActions")] IReadOnlyList<UserActionResponse> UserActions,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("perPage")] int PerPage,
    [property: JsonPropertyName("total")] int Total);

/// <summary>A user action as Kibana's deprecated <c>GET /api/cases/{caseId}/user_actions</c> returns it.</summary>
public sealed record DeprecatedUserActionResponse(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("action_id")] string ActionId,
    [property: JsonPropertyName("case_id")] string CaseId,
    [property: JsonPropertyName("comment_id")] string? CommentId,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("created_by")] CaseUser CreatedBy,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("payload")] JsonObject Payload,
    [property: JsonPropertyName("type")] string Type)
{
    public static DeprecatedUserActionResponse From(UserAction a) =>
        new(a.Action, a.Id, a.CaseId, a.CommentId, a.CreatedAt, a.CreatedBy, a.Owner, a.Payload, a.Type);
}
