using System.Text.Json.Nodes;
using Cases.Domain.Errors;
using Cases.Domain.Settings;
using Cases.Domain.UserActions;
using Cases.Domain.Users;

namespace Cases.Domain.Cases;

/// <summary>Creating and changing cases: validation, status side effects and the user actions that record each change.</summary>
public static class CaseRules
{
    /// <param name="customFields">The owner's configured custom fields in the case's space; null when it has no settings.</param>
    public static (Case Case, UserAction Created) Create(NewCase input, string id, CaseUser user, DateTimeOffset now, Func<string> newId,
        IReadOnlyList<CustomFieldConfig>? customFields = null)
    {
        var owner = CaseValidation.Owner(input.Owner);
        var created = new Case
        {
            Id = id,
            Owner = owner,
            Title = CaseValidation.Title(input.Title),
            Description = CaseValidation.Description(input.Description),
            Tags = CaseValidation.Tags(input.Tags),
            Severity = input.Severity is null ? CaseSeverity.Low : CaseValidation.Severity(input.Severity),
            Status = CaseStatus.Open,
            Category = CaseValidation.Category(input.Category),
            Assignees = CaseValidation.Assignees(input.Assignees),
            Connector = CaseValidation.Connector(input.Connector),
            Settings = CaseValidation.Settings(input.Settings),
            CustomFields = CustomFieldRules.ForNewCase(CaseValidation.CustomFields(input.CustomFields), customFields),
            CreatedAt = now,
            CreatedBy = user,
        };
        var payload = new JsonObject
        {
            ["title"] = created.Title,
            ["description"] = created.Description,
            ["tags"] = CaseJson.Strings(created.Tags),
            ["connector"] = CaseJson.Connector(created.Connector),
            ["settings"] = CaseJson.Settings(created.Settings),
            ["owner"] = owner,
            ["severity"] = created.Severity,
            ["assignees"] = CaseJson.Assignees(created.Assignees),
            ["category"] = created.Category,
            ["customFields"] = CaseJson.CustomFields(created.CustomFields),
            ["status"] = CaseStatus.Open,
        };
        return (created, new UserAction(newId(), id, UserActionVerbs.Create, UserActionTypes.CreateCase, payload, now, user, owner));
    }

    /// <summary>
    /// Applies a validated patch. Returns null when nothing would change (Kibana answers 406 when that is true of every case).
    /// </summary>
    public static (Case Case, List<UserAction> Actions)? Apply(Case current, CasePatch patch, CaseUser user, DateTimeOffset now, Func<string> newId,
        IReadOnlyList<CustomFieldConfig>? customFields = null)
    {
        var actions = new List<UserAction>();
        var next = current;
        void Record(string action, string type, JsonObject payload) =>
            actions.Add(new UserAction(newId(), current.Id, action, type, payload, now, user, current.Owner));

        if (patch.Title is { IsSet: true, Value: var title } && CaseValidation.Title(title) != current.Title)
        {
            next = next with { Title = title! };
            Record(UserActionVerbs.Update, UserActionTypes.Title, new() { ["title"] = title });
        }
        if (patch.Description is { IsSet: true, Value: var description } && CaseValidation.Description(description) != current.Description)
        {
            next = next with { Description = description! };
            Record(UserActionVerbs.Update, UserActionTypes.Description, new() { ["description"] = description });
        }
        if (patch.Severity is { IsSet: true, Value: var severity } && CaseValidation.Severity(severity) != current.Severity)
        {
            next = next with { Severity = severity! };
            Record(UserActionVerbs.Update, UserActionTypes.Severity, new() { ["severity"] = severity });
        }
        if (patch.Category.IsSet && CaseValidation.Category(patch.Category.Value) != current.Category)
        {
            next = next with { Category = patch.Category.Value };
            Record(UserActionVerbs.Update, UserActionTypes.Category, new() { ["category"] = patch.Category.Value });
        }
        if (patch.Tags.IsSet)
        {
            var tags = CaseValidation.Tags(patch.Tags.Value);
            var added = tags.Except(current.Tags).ToArray();
            var removed = current.Tags.Except(tags).ToArray();
            if (added.Length > 0) Record(UserActionVerbs.Add, UserActionTypes.Tags, new() { ["tags"] = CaseJson.Strings(added) });
            if (removed.Length > 0) Record(UserActionVerbs.Delete, UserActionTypes.Tags, new() { ["tags"] = CaseJson.Strings(removed) });
            if (!tags.SequenceEqual(current.Tags)) next = next with { Tags = tags };
        }
        if (patch.Assignees.IsSet)
        {
            var assignees = CaseValidation.Assignees(patch.Assignees.Value ?? throw CasesException.InvalidValue("assignees", "null"));
            var added = assignees.ExceptBy(current.Assignees.Select(a => a.Uid), a => a.Uid).ToArray();
            var removed = current.Assignees.ExceptBy(assignees.Select(a => a.Uid), a => a.Uid).ToArray();
            if (added.Length > 0) Record(UserActionVerbs.Add, UserActionTypes.Assignees, new() { ["assignees"] = CaseJson.Assignees(added) });
            if (removed.Length > 0) Record(UserActionVerbs.Delete, UserActionTypes.Assignees, new() { ["assignees"] = CaseJson.Assignees(removed) });
            if (added.Length + removed.Length > 0) next = next with { Assignees = assignees };
        }
        if (patch.Connector.IsSet)
        {
            var connector = CaseValidation.Connector(patch.Connector.Value);
            if (!SameConnector(connector, current.Connector))
            {
                next = next with { Connector = connector };
                Record(UserActionVerbs.Update, UserActionTypes.Connector, new() { ["connector"] = CaseJson.Connector(connector) });
            }
        }
        if (patch.Settings.IsSet)
        {
            var settings = CaseValidation.Settings(patch.Settings.Value);
            if (settings != current.Settings)
            {
                next = next with { Settings = settings };
                Record(UserActionVerbs.Update, UserActionTypes.Settings, new() { ["settings"] = CaseJson.Settings(settings) });
            }
        }
        if (patch.CustomFields.IsSet)
        {
            var fields = CustomFieldRules.ForUpdate(CaseValidation.CustomFields(patch.CustomFields.Value), customFields, current.CustomFields);
            foreach (var field in fields)
            {
                var old = current.CustomFields.FirstOrDefault(f => f.Key == field.Key);
                if (old is null || old.Type != field.Type || !JsonNode.DeepEquals(old.Value, field.Value))
                    Record(UserActionVerbs.Update, UserActionTypes.CustomFields, new() { ["customFields"] = new JsonArray(CaseJson.CustomField(field)) });
            }
            if (!SameCustomFields(fields, current.CustomFields)) next = next with { CustomFields = fields };
        }
        if (patch.Status is { IsSet: true, Value: var status } && CaseValidation.Status(status) != current.Status)
        {
            next = WithStatus(next, status!, user, now);
            Record(UserActionVerbs.Update, UserActionTypes.Status, new() { ["status"] = status });
        }

        if (actions.Count == 0 && next == current) return null;
        return (next with { UpdatedAt = now, UpdatedBy = user }, actions);
    }

    /// <summary>Closing stamps who, when and the duration in whole seconds; leaving closed clears all three.</summary>
    public static Case WithStatus(Case c, string status, CaseUser user, DateTimeOffset now) => status == CaseStatus.Closed
        ? c with
        {
            Status = status,
            ClosedAt = now,
            ClosedBy = user,
            Duration = now >= c.CreatedAt ? (long)Math.Floor((now - c.CreatedAt).TotalSeconds) : null,
        }
        : c with { Status = status, ClosedAt = null, ClosedBy = null, Duration = null };

    static bool SameConnector(Connector a, Connector b) =>
        a.Id == b.Id && a.Name == b.Name && a.Type == b.Type && JsonNode.DeepEquals(a.Fields, b.Fields);

    static bool SameCustomFields(IReadOnlyList<CustomFieldValue> a, IReadOnlyList<CustomFieldValue> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && p.First.Type == p.Second.Type && JsonNode.DeepEquals(p.First.Value, p.Second.Value));
}
