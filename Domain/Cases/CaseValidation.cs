using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Errors;

namespace Cases.Domain.Cases;

/// <summary>Field checks with Kibana's messages, shared by create and update.</summary>
public static class CaseValidation
{
    public static string Title(string? title) => LimitedString("title", title, CaseLimits.TitleMax);

    public static string Description(string? description) => LimitedString("description", description, CaseLimits.DescriptionMax);

    public static string? Category(string? category) =>
        category is null ? null : LimitedString("category", category, CaseLimits.CategoryMax);

    public static string Severity(string? severity) => OneOf("severity", severity, CaseSeverity.All);

    public static string Status(string? status) => OneOf("status", status, CaseStatus.All);

    public static string Owner(string? owner) => OneOf("owner", owner, CaseOwner.All);

    public static IReadOnlyList<string> Tags(List<string>? tags)
    {
        if (tags is null) throw CasesException.InvalidValue("tags", null);
        MaxItems("tags", tags.Count, CaseLimits.TagsMax);
        foreach (var tag in tags)
            LimitedString("tag", tag, CaseLimits.TagMax);
        return tags.ToArray();
    }

    public static IReadOnlyList<Assignee> Assignees(List<Assignee>? assignees)
    {
        if (assignees is null) return [];
        MaxItems("assignees", assignees.Count, CaseLimits.AssigneesMax);
        foreach (var assignee in assignees)
            if (string.IsNullOrWhiteSpace(assignee?.Uid)) throw CasesException.InvalidValue("assignees.uid", assignee?.Uid);
        return assignees.DistinctBy(a => a.Uid).ToArray();
    }

    public static Connector Connector(Connector? connector)
    {
        if (connector is null) throw CasesException.InvalidValue("connector", null);
        OneOf("connector.type", connector.Type, ConnectorTypes.All);
        if (connector.Id is null) throw CasesException.InvalidValue("connector.id", null);
        if (connector.Name is null) throw CasesException.InvalidValue("connector.name", null);
        if (connector.Fields is not null and not JsonObject)
            throw CasesException.InvalidValue("connector.fields", connector.Fields.ToJsonString());
        if (connector.Type == ConnectorTypes.None && connector.Fields is JsonObject { Count: > 0 })
            throw CasesException.BadRequest("The fields of a .none connector must be null.");
        return connector;
    }

    public static CaseSettings Settings(CaseSettings? settings) =>
        settings ?? throw CasesException.InvalidValue("settings", null);

    public static IReadOnlyList<CustomFieldValue> CustomFields(List<CustomFieldValue>? fields)
    {
        if (fields is null) return [];
        MaxItems("customFields", fields.Count, CaseLimits.CustomFieldsMax);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (string.IsNullOrEmpty(field?.Key)) throw CasesException.InvalidValue("customFields.key", field?.Key);
            if (!seen.Add(field.Key)) throw CasesException.BadRequest($"Invalid duplicated customFields keys in request: {field.Key}");
            OneOf("customFields.type", field.Type, CustomFieldTypes.All);
            CustomFieldValueOfType(field);
        }
        return fields.ToArray();
    }

    internal static void CustomFieldValueOfType(CustomFieldValue field)
    {
        if (field.Value is null) return;
        var kind = field.Value.GetValueKind();
        var ok = field.Type switch
        {
            "text" => kind == JsonValueKind.String,
            "toggle" => kind is JsonValueKind.True or JsonValueKind.False,
            _ => kind == JsonValueKind.Number && IsSafeInteger(field.Value),
        };
        if (!ok) throw CasesException.BadRequest($"The value of custom field {field.Key} is not a valid {field.Type}.");
        if (field.Type == "text")
        {
            var text = field.Value.GetValue<string>();
            if (text.Trim().Length == 0) throw CasesException.BadRequest($"The value of custom field {field.Key} cannot be an empty string.");
            if (text.Length > CaseLimits.CustomFieldTextMax)
                throw CasesException.BadRequest($"The length of the value of custom field {field.Key} is too long. The maximum length is {CaseLimits.CustomFieldTextMax}.");
        }
    }

    static bool IsSafeInteger(JsonNode value) =>
        value.AsValue().TryGetValue(out long number) && Math.Abs(number) <= 9_007_199_254_740_991;

    public static void MaxItems(string field, int count, int max)
    {
        if (count > max)
            throw CasesException.BadRequest($"The length of the field {field} is too long. Array must be of length <= {max}.");
    }

    internal static string LimitedString(string field, string? value, int max)
    {
        if (value is null) throw CasesException.InvalidValue(field, null);
        if (value.Trim().Length == 0) throw CasesException.BadRequest($"The {field} field cannot be an empty string.");
        if (value.Length > max) throw CasesException.BadRequest($"The length of the {field} is too long. The maximum length is {max}.");
        return value;
    }

    internal static string OneOf(string field, string? value, string[] allowed) =>
        value is not null && allowed.Contains(value) ? value : throw CasesException.InvalidValue(field, value);
}
