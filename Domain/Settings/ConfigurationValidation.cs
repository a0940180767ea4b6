using System.Text.RegularExpressions;
using Cases.Domain.Cases;
using Cases.Domain.Errors;

namespace Cases.Domain.Settings;

/// <summary>Checks on settings with Kibana's messages (io-ts limited strings and arrays, duplicated keys).</summary>
public static partial class ConfigurationValidation
{
    const string KeyRule = "Key must be lower case, a-z, 0-9, '_', and '-' are allowed";

    /// <summary>Kibana's built-in observable types; custom ones may not take their labels.</summary>
    static readonly string[] BuiltInObservableLabels =
        ["IPv4", "IPv6", "URL", "Hostname", "File hash", "File path", "Email", "Domain", "Agent ID"];

    [GeneratedRegex(@"^[a-z0-9_-]+\z")]
    private static partial Regex KeyShape();

    public static string ClosureType(string? value) => CaseValidation.OneOf("closure_type", value, ClosureTypes.All);

    public static IReadOnlyList<CustomFieldConfig> CustomFields(List<CustomFieldConfig>? fields)
    {
        if (fields is null) return [];
        CaseValidation.MaxItems("customFields", fields.Count, ConfigurationLimits.CustomFieldsMax);
        foreach (var field in fields)
        {
            if (field is null) throw CasesException.InvalidValue("customFields", "null");
            Key(field.Key);
            CaseValidation.LimitedString("label", field.Label, ConfigurationLimits.LabelMax);
            CaseValidation.OneOf("customFields,type", field.Type, CustomFieldTypes.All);
            if (field.Required is null) throw CasesException.InvalidValue("customFields,required", null);
            if (field.DefaultValue is not null)
                CaseValidation.CustomFieldValueOfType(new CustomFieldValue(field.Key, field.Type, field.DefaultValue));
        }
        Unique("custom field", fields.Select(f => f.Key));
        return fields.ToArray();
    }

    /// <summary>A custom field keeps its type for life: cases already store values of it.</summary>
    public static void SameTypes(IReadOnlyList<CustomFieldConfig> next, IReadOnlyList<CustomFieldConfig> current)
    {
        var changed = next.Where(n => current.Any(c => c.Key == n.Key && c.Type != n.Type)).Select(n => $"\"{n.Key}\"").ToArray();
        if (changed.Length > 0)
            throw CasesException.BadRequest($"Invalid custom field types in request for the following keys: {string.Join(", ", changed)}");
    }

    public static IReadOnlyList<CaseTemplate> Templates(List<CaseTemplate>? templates, IReadOnlyList<CustomFieldConfig> customFields)
    {
        if (templates is null) return [];
        CaseValidation.MaxItems("templates", templates.Count, ConfigurationLimits.TemplatesMax);
        foreach (var template in templates)
        {
            if (template is null) throw CasesException.InvalidValue("templates", "null");
            Key(template.Key);
            CaseValidation.LimitedString("name", template.Name, ConfigurationLimits.TemplateNameMax);
            if (template.Description is { Length: > ConfigurationLimits.TemplateDescriptionMax })
                throw CasesException.BadRequest($"The length of the description is too long. The maximum length is {ConfigurationLimits.TemplateDescriptionMax}.");
            if (template.Tags is { } tags)
            {
                CaseValidation.MaxItems("template's tags", tags.Count, ConfigurationLimits.TemplateTagsMax);
                foreach (var tag in tags) CaseValidation.LimitedString("template's tag", tag, ConfigurationLimits.TemplateTagMax);
            }
            if (template.CaseFields is { } fields) TemplateFields(fields, customFields);
        }
        Unique("templates", templates.Select(t => t.Key!));
        return templates.ToArray();
    }

    /// <summary>What a template pre-fills must itself be a valid case value, so applying it can never fail later.</summary>
    static void TemplateFields(TemplateCaseFields f, IReadOnlyList<CustomFieldConfig> customFields)
    {
        if (f.Title is not null) CaseValidation.Title(f.Title);
        if (f.Description is not null) CaseValidation.Description(f.Description);
        if (f.Tags is not null) CaseValidation.Tags(f.Tags);
        if (f.Severity is not null) CaseValidation.Severity(f.Severity);
        if (f.Category is not null) CaseValidation.Category(f.Category);
        if (f.Assignees is not null) CaseValidation.Assignees(f.Assignees);
        if (f.Connector is not null) CaseValidation.Connector(f.Connector);
        if (f.CustomFields is not null) CustomFieldRules.KnownAndTyped(CaseValidation.CustomFields(f.CustomFields), customFields, []);
    }

    public static IReadOnlyList<ObservableTypeConfig> ObservableTypes(List<ObservableTypeConfig>? types)
    {
        if (types is null) return [];
        CaseValidation.MaxItems("observableTypes", types.Count, ConfigurationLimits.ObservableTypesMax);
        foreach (var type in types)
        {
            if (type is null) throw CasesException.InvalidValue("observableTypes", "null");
            CaseValidation.LimitedString("key", type.Key, ConfigurationLimits.KeyMax);
            CaseValidation.LimitedString("label", type.Label, ConfigurationLimits.LabelMax);
        }
        Unique("observable types", types.Select(t => t.Key));
        var labels = types.Select(t => t.Label.Trim().ToLowerInvariant()).Concat(BuiltInObservableLabels.Select(l => l.ToLowerInvariant()));
        var clash = labels.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw CasesException.BadRequest($"Invalid duplicated observable types labels in request: {types.First(t => string.Equals(t.Label.Trim(), clash.Key, StringComparison.OrdinalIgnoreCase)).Label}");
        return types.ToArray();
    }

    static void Key(string? key)
    {
        CaseValidation.LimitedString("key", key, ConfigurationLimits.KeyMax);
        if (!KeyShape().IsMatch(key!)) throw CasesException.BadRequest(KeyRule);
    }

    static void Unique(string what, IEnumerable<string> keys)
    {
        var duplicated = keys.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicated.Length > 0)
            throw CasesException.BadRequest($"Invalid duplicated {what} keys in request: {string.Join(',', duplicated)}");
    }
}
