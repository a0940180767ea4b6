using System.Text.Json;
using Cases.Domain.Cases;
using Cases.Functions.Hosting;

namespace Cases.Functions.Notifications;

/// <summary>Which user-editable fields an update changed (Kibana's field names), and which assignees it added.</summary>
public static class CaseChanges
{
    public static List<string> Fields(Case before, Case after)
    {
        var changed = new List<string>();
        void Check(string name, bool same) { if (!same) changed.Add(name); }
        Check("title", before.Title == after.Title);
        Check("description", before.Description == after.Description);
        Check("status", before.Status == after.Status);
        Check("severity", before.Severity == after.Severity);
        Check("tags", before.Tags.SequenceEqual(after.Tags));
        Check("category", before.Category == after.Category);
        Check("assignees", before.Assignees.Select(a => a.Uid).Order().SequenceEqual(after.Assignees.Select(a => a.Uid).Order()));
        Check("connector", Json(before.Connector) == Json(after.Connector));
        Check("settings", before.Settings == after.Settings);
        Check("customFields", Json(before.CustomFields) == Json(after.CustomFields));
        return changed;
    }

    public static List<string> AddedAssignees(Case? before, Case after)
    {
        var old = (before?.Assignees ?? []).Select(a => a.Uid).ToHashSet(StringComparer.Ordinal);
        return after.Assignees.Select(a => a.Uid).Where(uid => !old.Contains(uid)).ToList();
    }

    static string Json(Connector c) => JsonSerializer.Serialize(c, CasesJsonContext.Default.Connector);

    static string Json(IReadOnlyList<CustomFieldValue> fields) =>
        JsonSerializer.Serialize(fields.ToList(), CasesJsonContext.Default.ListCustomFieldValue);
}
