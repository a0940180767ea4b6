using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cases.Domain.Cases;
using Cases.Domain.Users;

namespace Cases.Domain.Settings;

/// <summary>
/// The case settings of one owner in one space (Kibana's "case configuration"): how cases close, the default connector,
/// the custom fields every case carries, templates that pre-fill new cases, and custom observable types.
/// </summary>
public sealed record CaseConfiguration
{
    public required string Id { get; init; }
    public required string Owner { get; init; }
    public required string ClosureType { get; init; }
    public required Connector Connector { get; init; }
    public required IReadOnlyList<CustomFieldConfig> CustomFields { get; init; }
    public required IReadOnlyList<CaseTemplate> Templates { get; init; }
    public required IReadOnlyList<ObservableTypeConfig> ObservableTypes { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required CaseUser CreatedBy { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public CaseUser? UpdatedBy { get; init; }
}

/// <summary>A custom field every case of the owner shows. <c>Required</c> is nullable only so a missing one gets Kibana's message.</summary>
public sealed record CustomFieldConfig(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("required")] bool? Required,
    [property: JsonPropertyName("defaultValue"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? DefaultValue = null)
{
    public static readonly string[] Keys = ["key", "label", "type", "required", "defaultValue"];
}

public sealed record CaseTemplate
{
    [JsonPropertyName("key")] public string? Key { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Description { get; init; }
    [JsonPropertyName("tags"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? Tags { get; init; }
    [JsonPropertyName("caseFields")] public TemplateCaseFields? CaseFields { get; init; }

    public static readonly string[] Keys = ["key", "name", "description", "tags", "caseFields"];
}

/// <summary>What a template pre-fills on a new case; every field is optional.</summary>
public sealed record TemplateCaseFields
{
    [JsonPropertyName("title"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Title { get; init; }
    [JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Description { get; init; }
    [JsonPropertyName("tags"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? Tags { get; init; }
    [JsonPropertyName("severity"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Severity { get; init; }
    [JsonPropertyName("category"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Category { get; init; }
    [JsonPropertyName("assignees"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<Assignee>? Assignees { get; init; }
    [JsonPropertyName("connector"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Connector? Connector { get; init; }
    [JsonPropertyName("customFields"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<CustomFieldValue>? CustomFields { get; init; }
    [JsonPropertyName("settings"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public CaseSettings? Settings { get; init; }

    public static readonly string[] Keys =
        ["title", "description", "tags", "severity", "category", "assignees", "connector", "customFields", "settings"];
}

public sealed record ObservableTypeConfig(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("label")] string Label)
{
    public static readonly string[] Keys = ["key", "label"];
}

/// <summary>Kibana's create-settings request.</summary>
public sealed record NewConfiguration
{
    [JsonPropertyName("closure_type")] public string? ClosureType { get; init; }
    [JsonPropertyName("connector")] public Connector? Connector { get; init; }
    [JsonPropertyName("owner")] public string? Owner { get; init; }
    [JsonPropertyName("customFields")] public List<CustomFieldConfig>? CustomFields { get; init; }
    [JsonPropertyName("templates")] public List<CaseTemplate>? Templates { get; init; }
    [JsonPropertyName("observableTypes")] public List<ObservableTypeConfig>? ObservableTypes { get; init; }

    public static readonly string[] Keys = ["closure_type", "connector", "owner", "customFields", "templates", "observableTypes"];
}

/// <summary>Kibana's update-settings request: the version read, and only what changes (absent = unchanged).</summary>
public sealed record ConfigurationPatch
{
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("closure_type")] public string? ClosureType { get; init; }
    [JsonPropertyName("connector")] public Connector? Connector { get; init; }
    [JsonPropertyName("customFields")] public List<CustomFieldConfig>? CustomFields { get; init; }
    [JsonPropertyName("templates")] public List<CaseTemplate>? Templates { get; init; }
    [JsonPropertyName("observableTypes")] public List<ObservableTypeConfig>? ObservableTypes { get; init; }

    public static readonly string[] Keys = ["version", "closure_type", "connector", "customFields", "templates", "observableTypes"];
}

public static class ClosureTypes
{
    public static readonly string[] All = ["close-by-user", "close-by-pushing"];
}

/// <summary>Kibana's limits on settings (shared/reference/kibana-limits.md).</summary>
public static class ConfigurationLimits
{
    public const int CustomFieldsMax = 10;
    public const int KeyMax = 36;
    public const int LabelMax = 50;
    public const int TemplatesMax = 10;
    public const int TemplateNameMax = 50;
    public const int TemplateDescriptionMax = 1_000;
    public const int TemplateTagsMax = 10;
    public const int TemplateTagMax = 50;
    public const int ObservableTypesMax = 10;
}
