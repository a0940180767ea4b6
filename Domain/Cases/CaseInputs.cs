using System.Text.Json.Serialization;

namespace Cases.Domain.Cases;

/// <summary>Kibana's create request. Fields are nullable so that a missing one gets Kibana's message, not a parser's.</summary>
public sealed record NewCase
{
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; init; }
    [JsonPropertyName("severity")] public string? Severity { get; init; }
    [JsonPropertyName("owner")] public string? Owner { get; init; }
    [JsonPropertyName("connector")] public Connector? Connector { get; init; }
    [JsonPropertyName("settings")] public CaseSettings? Settings { get; init; }
    [JsonPropertyName("assignees")] public List<Assignee>? Assignees { get; init; }
    [JsonPropertyName("category")] public string? Category { get; init; }
    [JsonPropertyName("customFields")] public List<CustomFieldValue>? CustomFields { get; init; }
    /// <summary>Our extension: a template of the owner's settings that pre-fills what the request leaves out.</summary>
    [JsonPropertyName("template")] public TemplateRef? Template { get; init; }

    /// <summary>The keys the request sent, so a template fills only what the client left out (an explicit null wins).</summary>
    [JsonIgnore] public IReadOnlySet<string> Sent { get; init; } = new HashSet<string>();

    public static readonly string[] Keys =
        ["title", "description", "tags", "severity", "owner", "connector", "settings", "assignees", "category", "customFields", "template"];
}

/// <summary>Which template a new case starts from: <c>{"template": {"key": "..."}}</c>.</summary>
public sealed record TemplateRef([property: JsonPropertyName("key")] string? Key)
{
    public static readonly string[] Keys = ["key"];
}

/// <summary>One item of a bulk update: the case, the version the client read, and only the fields it sent.</summary>
public sealed record CasePatch
{
    public required string Id { get; init; }
    public required string Version { get; init; }
    public Optional<string?> Title { get; init; }
    public Optional<string?> Description { get; init; }
    public Optional<string?> Status { get; init; }
    public Optional<string?> Severity { get; init; }
    public Optional<List<string>?> Tags { get; init; }
    public Optional<string?> Category { get; init; }
    public Optional<List<Assignee>?> Assignees { get; init; }
    public Optional<Connector?> Connector { get; init; }
    public Optional<CaseSettings?> Settings { get; init; }
    public Optional<List<CustomFieldValue>?> CustomFields { get; init; }

    public static readonly string[] Keys =
        ["id", "version", "title", "description", "status", "severity", "tags", "category", "assignees", "connector", "settings", "customFields"];
}
