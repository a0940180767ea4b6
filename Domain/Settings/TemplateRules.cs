using Cases.Domain.Cases;
using Cases.Domain.Errors;

namespace Cases.Domain.Settings;

/// <summary>Applying a template to a new case: it fills what the request left out; whatever the request sent wins.</summary>
public static class TemplateRules
{
    public static NewCase Apply(NewCase input, string owner, CaseConfiguration? settings)
    {
        if (input.Template is not { } reference) return input;
        if (string.IsNullOrEmpty(reference.Key)) throw CasesException.InvalidValue("template,key", reference.Key);
        var template = settings?.Templates.FirstOrDefault(t => t.Key == reference.Key)
            ?? throw CasesException.BadRequest($"The template {reference.Key} is not configured for the owner {owner} in this space.");
        var f = template.CaseFields ?? new TemplateCaseFields();
        bool Sent(string key) => input.Sent.Contains(key);
        return input with
        {
            Title = Sent("title") ? input.Title : f.Title,
            Description = Sent("description") ? input.Description : f.Description,
            Tags = Sent("tags") ? input.Tags : f.Tags?.ToList() ?? [],
            Severity = Sent("severity") ? input.Severity : f.Severity,
            Category = Sent("category") ? input.Category : f.Category,
            Assignees = Sent("assignees") ? input.Assignees : f.Assignees?.ToList(),
            Connector = Sent("connector") ? input.Connector : f.Connector,
            Settings = Sent("settings") ? input.Settings : f.Settings,
            CustomFields = MergeCustomFields(f.CustomFields, input.CustomFields),
        };
    }

    /// <summary>The template's values for the keys the request did not send, then the request's own.</summary>
    static List<CustomFieldValue>? MergeCustomFields(List<CustomFieldValue>? template, List<CustomFieldValue>? requested)
    {
        if (template is null) return requested;
        if (requested is null) return template.Select(v => v with { Value = v.Value?.DeepClone() }).ToList();
        return [.. template.Where(t => requested.All(r => r?.Key != t.Key)).Select(v => v with { Value = v.Value?.DeepClone() }), .. requested];
    }
}
