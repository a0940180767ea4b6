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

/// <summary>Kibana's user action verbs (<c>action</c>).</summary>
public static class UserActionVerbs
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Add = "add";
    public const string Delete = "delete";
    public const string PushToService = "push_to_service";
}

/// <summary>Kibana's user action types (<c>type</c>): the field or object an action changed.</summary>
public static class UserActionTypes
{
    public const string Assignees = "assignees";
    public const string Comment = "comment";
    public const string Connector = "connector";
    public const string Description = "description";
    public const string Pushed = "pushed";
    public const string Tags = "tags";
    public const string Title = "title";
    public const string Status = "status";
    public const string Settings = "settings";
    public const string Severity = "severity";
    public const string CreateCase = "create_case";
    public const string DeleteCase = "delete_case";
    public const string Category = "category";
    public const string CustomFields = "customFields";
    public const string Observables = "observables";

    public static readonly string[] All =
    [
        Assignees, Comment, Connector, Description, Pushed, Tags, Title, Status, Settings,
        Severity, CreateCase, DeleteCase, Category, CustomFields, Observables,
    ];

    /// <summary>Filters the find route accepts besides the types themselves.</summary>
    public static readonly string[] Filters = [.. All, "action", "alert", "user", "attachment"];
}
