using System.Text.Json.Nodes;

namespace Cases.Domain.Cases;

/// <summary>JSON nodes of case values for user-action payloads, built by hand so they need no reflection.</summary>
public static class CaseJson
{
    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static JsonArray Assignees(IEnumerable<Assignee> assignees) =>
        new(assignees.Select(a => (JsonNode?)new JsonObject { ["uid"] = a.Uid }).ToArray());

    public static JsonObject Connector(Connector c) =>
        new() { ["id"] = c.Id, ["name"] = c.Name, ["type"] = c.Type, ["fields"] = c.Fields?.DeepClone() };

    public static JsonObject Settings(CaseSettings s)
    {
        var node = new JsonObject { ["syncAlerts"] = s.SyncAlerts };
        if (s.ExtractObservables is { } extract) node["extractObservables"] = extract;
        return node;
    }

    public static JsonObject CustomField(CustomFieldValue f) =>
        new() { ["key"] = f.Key, ["type"] = f.Type, ["value"] = f.Value?.DeepClone() };

    public static JsonArray CustomFields(IEnumerable<CustomFieldValue> fields) =>
        new(fields.Select(f => (JsonNode?)CustomField(f)).ToArray());
}
