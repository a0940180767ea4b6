using System.Text.Json.Nodes;
using Cases.Domain.Users;

namespace Cases.Domain.UserActions;

/// <summary>One entry of a case's activity log, in Kibana's terms (action: create/update/add/delete; type: the field).</summary>
public sealed record UserAction(
    string Id,
    string CaseId,
    string Action,
    string Type,
    JsonObject Payload,
    DateTimeOffset CreatedAt,
    CaseUser CreatedBy,
    string Owner,
    string? CommentId = null);

public static class UserActionTypes
{
    public static readonly string[] All =
    [
        "assignees", "comment", "connector", "description", "pushed", "tags", "title", "status", "settings",
        "severity", "create_case", "delete_case", "category", "customFields", "observables",
    ];

    /// <summary>Filters the find route accepts besides the types themselves.</summary>
    public static readonly string[] Filters = [.. All, "action", "alert", "user", "attachment"];
}
