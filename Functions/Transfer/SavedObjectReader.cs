using Cases.Domain.Ids;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.Observables;
using Cases.Domain.UserActions;
using Cases.Domain.Users;
using Cases.Functions.Hosting;

namespace Cases.Functions.Transfer;

/// <summary>
/// Reads the saved objects Kibana 7.x, 8.x and 9.x write (and ours) into our model, bringing old shapes up to date as
/// Kibana's own migrations do: status and severity as words or numbers, connector fields as a list or an object, connector
/// ids in the attributes (before 7.16) or in references, and 7.x user actions (<c>action_field</c>, <c>new_value</c>
/// strings) as today's <c>type</c> and <c>payload</c>. Anything it cannot accept throws a 400 <see cref="CasesException"/>
/// naming the field.
/// </summary>
public static partial class SavedObjectReader
{
    /// <summary>The id a reference of the given name (or, for the case, type) points at, or null.</summary>
    public static string? ReferenceId(JsonObject so, string name, string? type = null)
    {
        if (so["references"] is not JsonArray references) return null;
        foreach (var r in references.OfType<JsonObject>())
            if (Text(r["name"]) == name || (type is not null && Text(r["type"]) == type))
                return Text(r["id"]);
        return null;
    }

    /// <summary>The case a comment or user action belongs to (Kibana's <c>associated-cases</c> reference).</summary>
    public static string? CaseIdOf(JsonObject so) => ReferenceId(so, SavedObjectTypes.CaseRef, SavedObjectTypes.Case);

    public static JsonObject Attributes(JsonObject so) =>
        so["attributes"] as JsonObject ?? throw CasesException.BadRequest("attributes must be an object.");

    public static string? Title(JsonObject so) => so["attributes"] is JsonObject a ? Text(a["title"]) : null;

    public static CaseRecord Case(JsonObject so, string id)
    {
        var a = Attributes(so);
        var connector = ReadConnector(a["connector"] as JsonObject, ReferenceId(so, SavedObjectTypes.ConnectorRef));
        var created = new Case
        {
            Id = id,
            // 7.13 and earlier had no owner; Kibana's migration gave them securitySolution.
            Owner = CaseValidation.Owner(Text(a["owner"]) ?? "securitySolution"),
            Title = CaseValidation.Title(Text(a["title"]) ?? throw CasesException.BadRequest("title is required.")),
            Description = CaseValidation.Description(Text(a["description"]) ?? ""),
            Status = Word(a["status"], "status", CaseStatus.Open, SavedObjectTypes.StatusOf, CaseValidation.Status),
            Severity = Word(a["severity"], "severity", CaseSeverity.Low, SavedObjectTypes.SeverityOf, CaseValidation.Severity),
            Tags = CaseValidation.Tags(Bind(a["tags"], CasesJsonContext.Default.ListString, "tags")),
            Category = CaseValidation.Category(Text(a["category"])),
            Assignees = CaseValidation.Assignees(Bind(a["assignees"], CasesJsonContext.Default.ListAssignee, "assignees")),
            Connector = CaseValidation.Connector(connector),
            Settings = Bind(a["settings"], CasesJsonContext.Default.CaseSettings, "settings") ?? new CaseSettings(SyncAlerts: true),
            CustomFields = CaseValidation.CustomFields(Bind(a["customFields"], CasesJsonContext.Default.ListCustomFieldValue, "customFields")),
            CreatedAt = Date(a["created_at"], "created_at") ?? throw CasesException.BadRequest("created_at is required."),
            CreatedBy = User(a["created_by"], "created_by") ?? throw CasesException.BadRequest("created_by is required."),
            UpdatedAt = Date(a["updated_at"], "updated_at"),
            UpdatedBy = User(a["updated_by"], "updated_by"),
            ClosedAt = Date(a["closed_at"], "closed_at"),
            ClosedBy = User(a["closed_by"], "closed_by"),
            Duration = a["duration"] is JsonValue d && d.TryGetValue<long>(out var seconds) ? seconds : null,
            ExternalService = ReadExternalService(a["external_service"], ReferenceId(so, SavedObjectTypes.PushConnectorRef)),
        };
        return new CaseRecord(created, SavedObjectTypes.VersionNumber(Text(so["version"])), 0, 0, null);
    }

    public static List<Observable> Observables(JsonObject so) =>
        Bind(Attributes(so)["observables"], CasesJsonContext.Default.ListObservable, "observables") ?? [];

    static readonly string[] CommonCommentKeys =
        ["type", "owner", "created_at", "created_by", "pushed_at", "pushed_by", "updated_at", "updated_by", "associationType"];

    public static Attachment Comment(JsonObject so, string id, string caseId, int sequence)
    {
        var a = Attributes(so);
        var type = Text(a["type"]) ?? throw CasesException.BadRequest("type is required.");
        if (!AttachmentTypes.All.Contains(type))
            throw CasesException.BadRequest($"Attachments of type {type} are not supported; supported: {string.Join(", ", AttachmentTypes.All)}.");
        var fields = new JsonObject();
        foreach (var (key, value) in a)
            if (!CommonCommentKeys.Contains(key)) fields[key] = value?.DeepClone();
        if (type == AttachmentTypes.User && Text(fields["comment"]) is not { Length: > 0 })
            throw CasesException.BadRequest("comment is required for a user comment.");
        if (type == AttachmentTypes.Alert) RequireIds(fields, "alertId");
        if (type == AttachmentTypes.Event) RequireIds(fields, "eventId");
        if (type is AttachmentTypes.Alert or AttachmentTypes.Event) RequireIds(fields, "index");
        return new Attachment
        {
            Id = id,
            CaseId = caseId,
            Version = SavedObjectTypes.VersionNumber(Text(so["version"])),
            Type = type,
            Owner = CaseValidation.Owner(Text(a["owner"]) ?? "securitySolution"),
            Fields = fields,
            CreatedAt = Date(a["created_at"], "created_at") ?? throw CasesException.BadRequest("created_at is required."),
            CreatedBy = User(a["created_by"], "created_by") ?? throw CasesException.BadRequest("created_by is required."),
            Sequence = sequence,
            UpdatedAt = Date(a["updated_at"], "updated_at"),
            UpdatedBy = User(a["updated_by"], "updated_by"),
        };
    }

    /// <param name="commentId">The comment the action is about, already mapped to its id here (new copies get new ids).</param>
    public static UserAction UserAction(JsonObject so, string id, string caseId, string? commentId)
    {
        var a = Attributes(so);
        var action = Text(a["action"]) ?? throw CasesException.BadRequest("action is required.");
        string type;
        JsonObject payload;
        DateTimeOffset? createdAt;
        CaseUser? createdBy;
        if (a["action_field"] is JsonArray fields)
        {
            // Before 8.1: the changed fields, and their new value as a string (JSON for objects).
            var names = fields.Select(f => Text(f) ?? "").ToArray();
            type = LegacyUserActions.Type(names, action) ?? throw CasesException.BadRequest($"Unknown user action field(s): {string.Join(", ", names)}.");
            payload = LegacyUserActions.Payload(type, names, Text(a["new_value"]) ?? Text(a["old_value"]), Text(a["owner"]) ?? "securitySolution");
            createdAt = Date(a["action_at"], "action_at");
            createdBy = User(a["action_by"], "action_by");
            if (action == "push-to-service") action = UserActionVerbs.PushToService;
        }
        else
        {
            type = Text(a["type"]) ?? throw CasesException.BadRequest("type is required.");
            payload = a["payload"] as JsonObject is { } p ? p.DeepClone().AsObject() : [];
            createdAt = Date(a["created_at"], "created_at");
            createdBy = User(a["created_by"], "created_by");
        }
        if (!UserActionTypes.All.Contains(type))
            throw CasesException.BadRequest($"User actions of type {type} are not supported; supported: {string.Join(", ", UserActionTypes.All)}.");
        if (payload["connector"] is null && type is UserActionTypes.CreateCase or UserActionTypes.Connector)
            payload["connector"] = CaseJson.Connector(Connector.None);
        // The connector ids Kibana keeps in references go back into the payload, where our API shows them.
        if (payload["connector"] is JsonObject connector && connector["id"] is null)
            payload["connector"] = WithFirst(connector, "id", ReferenceId(so, SavedObjectTypes.ConnectorRef) ?? Connector.None.Id);
        if (payload["externalService"] is JsonObject service && service["connector_id"] is null)
            payload["externalService"] = WithFirst(service, "connector_id", ReferenceId(so, SavedObjectTypes.PushConnectorRef) ?? Connector.None.Id);
        return new UserAction(id, caseId, action, type, payload,
            createdAt ?? throw CasesException.BadRequest("created_at is required."),
            createdBy ?? throw CasesException.BadRequest("created_by is required."),
            CaseValidation.Owner(Text(a["owner"]) ?? "securitySolution"), commentId);
    }

    /// <summary>Kibana's connector: fields as a key/value list (stored) or an object (API), its id in the attributes or a reference.</summary>
    static Connector ReadConnector(JsonObject? c, string? referencedId)
    {
        if (c is null) return Connector.None;
        var type = Text(c["type"]) ?? ConnectorTypes.None;
        var id = Text(c["id"]) ?? referencedId ?? (type == ConnectorTypes.None ? Connector.None.Id : throw CasesException.BadRequest("connector.id is missing (no connectorId reference)."));
        JsonNode? fields = c["fields"] switch
        {
            JsonArray list => ListToObject(list),
            JsonObject o => o.DeepClone(),
            _ => null,
        };
        if (type == ConnectorTypes.None || fields is JsonObject { Count: 0 }) fields = null;
        return new Connector(id, Text(c["name"]) ?? (type == ConnectorTypes.None ? "none" : id), type, fields);
    }

    static JsonObject ListToObject(JsonArray list)
    {
        var result = new JsonObject();
        foreach (var item in list.OfType<JsonObject>())
            if (Text(item["key"]) is { } key) result[key] = item["value"]?.DeepClone();
        return result;
    }

    static JsonNode? ReadExternalService(JsonNode? node, string? pushConnectorId)
    {
        if (node is not JsonObject service) return null;
        return service["connector_id"] is null
            ? WithFirst(service, "connector_id", pushConnectorId ?? Connector.None.Id)
            : service.DeepClone();
    }

    /// <summary>A copy with the key put back first, where our API (and Kibana's) writes the id.</summary>
    static JsonObject WithFirst(JsonObject o, string key, string value)
    {
        var copy = new JsonObject { [key] = value };
        foreach (var (k, v) in o) if (k != key) copy[k] = v?.DeepClone();
        return copy;
    }

    static void RequireIds(JsonObject fields, string name)
    {
        fields[name] = fields[name] switch
        {
            JsonArray list when list.Count > 0 && list.All(v => Text(v) is not null) => list,
            JsonValue v when Text(v) is { } one => new JsonArray(one),
            _ => throw CasesException.BadRequest($"{name} is required (a string or a list of strings)."),
        };
    }

    static string Word(JsonNode? node, string field, string fallback, Func<int, string?> fromNumber, Func<string?, string> validate)
    {
        if (node is null) return fallback;
        if (node is JsonValue v && v.TryGetValue<int>(out var n)) return fromNumber(n) ?? throw CasesException.InvalidValue(field, n.ToString(CultureInfo.InvariantCulture));
        return validate(Text(node));
    }

    static T? Bind<T>(JsonNode? node, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string field) =>
        RequestJson.Bind(node, type, field);

    static CaseUser? User(JsonNode? node, string field) => Bind(node, CasesJsonContext.Default.CaseUser, field);

    static DateTimeOffset? Date(JsonNode? node, string field)
    {
        if (node is null) return null;
        return Text(node) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : throw CasesException.InvalidValue(field, node.ToJsonString());
    }

    internal static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>Kibana's 8.1 migration of 7.x user actions (one or more changed fields, values as strings) to type and payload.</summary>
static class LegacyUserActions
{
    public static string? Type(string[] fields, string action)
    {
        if (fields.Length > 1 && action == UserActionVerbs.Create) return UserActionTypes.CreateCase;
        if (fields.Length > 1 && action == UserActionVerbs.Delete) return UserActionTypes.DeleteCase;
        return fields.Length == 1 && UserActionTypes.All.Contains(fields[0]) ? fields[0] : null;
    }

    public static JsonObject Payload(string type, string[] fields, string? value, string owner)
    {
        if (fields.Length == 1) return Single(fields[0], value, owner);
        var payload = new JsonObject();
        if (value is null || Parse(value) is not JsonObject decoded) return payload;
        foreach (var field in fields)
        {
            var fieldValue = decoded[field] switch
            {
                null => null,
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                var other => other.ToJsonString(),
            };
            foreach (var (key, node) in Single(field, fieldValue, owner)) payload[key] = node?.DeepClone();
        }
        return payload;
    }

    static JsonObject Single(string field, string? value, string owner) => field switch
    {
        "title" or "status" or "description" => new() { [field] = value ?? "" },
        "tags" => new()
        {
            ["tags"] = CaseJson.Strings(value is null ? [] : Parse(value) is JsonArray list
            ? list.Select(t => SavedObjectReader.Text(t) ?? "") : value.Split(',').Select(t => t.Trim()))
        },
        // Until 7.10 a comment's value was its text; from 7.11 a JSON object.
        "comment" => new() { ["comment"] = Parse(value) is JsonObject o ? o : new JsonObject { ["comment"] = value ?? "", ["type"] = "user", ["owner"] = owner } },
        "connector" => new() { ["connector"] = Parse(value) },
        "pushed" => new() { ["externalService"] = Parse(value) },
        "settings" => new() { ["settings"] = Parse(value) },
        _ => [],
    };

    static JsonNode? Parse(string? value)
    {
        if (value is null) return null;
        try
        {
            return JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }
}

/// <summary>A connector (<c>action</c>) read from a file: a type cases push to, its name and its config; any secrets in the file are ignored.</summary>
public sealed record ImportedConnector(global::Cases.Functions.Connectors.ConnectorKind Kind, string Name, JsonObject Config)
{
    /// <summary>Config keys of 7.x case connectors that Kibana's 7.11+ migrations removed.</summary>
    static readonly string[] LegacyConfigKeys = ["incidentConfiguration", "isCaseOwned"];

    /// <summary>The connector, or a 400 naming what is wrong; an unsupported connector type gives null.</summary>
    public static ImportedConnector? Read(JsonObject so)
    {
        var a = SavedObjectReader.Attributes(so);
        if (global::Cases.Functions.Connectors.ConnectorKind.Find(SavedObjectReader.Text(a["actionTypeId"])) is not { } kind) return null;
        var name = SavedObjectReader.Text(a["name"]);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255) throw CasesException.BadRequest("name is required (at most 255 characters).");
        var config = a["config"] is JsonObject c ? c.DeepClone().AsObject() : [];
        foreach (var key in LegacyConfigKeys) config.Remove(key);
        return new ImportedConnector(kind, name, kind.ValidConfig(config));
    }
}
