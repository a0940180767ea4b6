using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Functions.Hosting;

namespace Cases.Functions.Cases;

/// <summary>
/// The keys Kibana's request schema requires inside a case's objects, checked on the raw JSON before binding (binding
/// alone would turn a missing key into a default): <c>connector</c> needs <c>id, name, type, fields</c> with the fields
/// of its type, <c>settings</c> needs <c>syncAlerts</c>, each custom field needs <c>key, type, value</c>. A required
/// key may be null where Kibana allows null, never absent.
/// </summary>
public static class CaseRequestShape
{
    /// <summary>The keys of each connector type's <c>fields</c> (all required, each nullable); null: the fields must be null.</summary>
    static readonly Dictionary<string, string[]?> FieldsByType = new()
    {
        [ConnectorTypes.None] = null,
        [".cases-webhook"] = null,
        [".jira"] = ["issueType", "priority", "parent"],
        [".servicenow"] = ["impact", "severity", "urgency", "category", "subcategory"],
        [".servicenow-sir"] = ["category", "destIp", "malwareHash", "malwareUrl", "priority", "sourceIp", "subcategory"],
        [".resilient"] = ["incidentTypes", "severityCode"],
        [".swimlane"] = ["caseId"],
        [".thehive"] = ["tlp"],
    };

    /// <summary>Keys a type's fields may have but need not (Kibana added them later as optional).</summary>
    static readonly Dictionary<string, string[]> OptionalFieldsByType = new()
    {
        [".servicenow"] = ["additionalFields"],
        [".servicenow-sir"] = ["additionalFields"],
    };

    static readonly string[] ConnectorKeys = ["id", "name", "type", "fields"];
    static readonly string[] SettingsKeys = ["syncAlerts", "extractObservables"];
    static readonly string[] CustomFieldKeys = ["key", "type", "value"];

    /// <param name="path">Where the object sits, in Kibana's comma-joined path form: "" for a new case, "cases," for an update item.</param>
    public static void Check(JsonObject body, string path)
    {
        if (body["connector"] is JsonObject connector) Connector(connector, path + "connector");
        if (body["settings"] is JsonObject settings)
        {
            RequestJson.RejectUnknownKeys(settings, SettingsKeys);
            if (!settings.ContainsKey("syncAlerts")) throw CasesException.InvalidValue(path + "settings,syncAlerts", null);
        }
        if (body["customFields"] is JsonArray fields)
            foreach (var field in fields.OfType<JsonObject>())
            {
                RequestJson.RejectUnknownKeys(field, CustomFieldKeys);
                foreach (var key in CustomFieldKeys)
                    if (!field.ContainsKey(key)) throw CasesException.InvalidValue($"{path}customFields,{key}", null);
            }
    }

    static void Connector(JsonObject connector, string path)
    {
        RequestJson.RejectUnknownKeys(connector, ConnectorKeys);
        foreach (var key in ConnectorKeys)
            if (!connector.ContainsKey(key)) throw CasesException.InvalidValue($"{path},{key}", null);
        var type = connector["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        if (type is null || !FieldsByType.TryGetValue(type, out var keys)) return; // the type itself is refused by CaseValidation
        var fields = connector["fields"];
        if (keys is null)
        {
            if (fields is not null) throw CasesException.InvalidValue($"{path},fields", fields.ToJsonString());
            return;
        }
        if (fields is null) return; // Kibana allows null fields for every connector type
        if (fields is not JsonObject given) throw CasesException.InvalidValue($"{path},fields", fields.ToJsonString());
        var optional = OptionalFieldsByType.GetValueOrDefault(type, []);
        var unknown = given.Select(p => p.Key).Where(k => !keys.Contains(k) && !optional.Contains(k)).ToArray();
        if (unknown.Length > 0) throw CasesException.BadRequest($"invalid keys \"{string.Join(',', unknown)}\"");
        foreach (var key in keys)
            if (!given.ContainsKey(key)) throw CasesException.InvalidValue($"{path},fields,{key}", null);
    }
}
