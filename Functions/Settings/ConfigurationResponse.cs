using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cases.Domain.Cases;
using Cases.Domain.Settings;
using Cases.Domain.Users;

namespace Cases.Functions.Settings;

/// <summary>Settings on the wire, as Kibana writes them (no connector mappings exist yet: always empty).</summary>
public sealed record ConfigurationResponse(
    [property: JsonPropertyName("closure_type")] string ClosureType,
    [property: JsonPropertyName("customFields")] IReadOnlyList<CustomFieldConfig> CustomFields,
    [property: JsonPropertyName("templates")] IReadOnlyList<CaseTemplate> Templates,
    [property: JsonPropertyName("observableTypes")] IReadOnlyList<ObservableTypeConfig> ObservableTypes,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("created_by")] CaseUser CreatedBy,
    [property: JsonPropertyName("updated_at")] DateTimeOffset? UpdatedAt,
    [property: JsonPropertyName("updated_by")] CaseUser? UpdatedBy,
    [property: JsonPropertyName("connector")] Connector Connector,
    [property: JsonPropertyName("mappings")] IReadOnlyList<JsonObject> Mappings,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("id")] string Id)
{
    public static ConfigurationResponse From(StoredConfiguration stored)
    {
        var c = stored.Configuration;
        return new(c.ClosureType, c.CustomFields, c.Templates, c.ObservableTypes, c.Owner, c.CreatedAt, c.CreatedBy,
            c.UpdatedAt, c.UpdatedBy, c.Connector, [], CaseVersion.Encode(stored.Version), null, c.Id);
    }
}
