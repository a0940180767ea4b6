using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Domain.Observables;
using Cases.Domain.UserActions;
using Cases.Domain.Users;
using Cases.Functions.Hosting;

namespace Cases.Functions.Transfer;

/// <summary>
/// Kibana's saved-object names for what cases export: the types, the reference names that tie comments and user actions
/// to their case, and the numbers Kibana stores for status and severity (since 8.7).
/// </summary>
public static class SavedObjectTypes
{
    public const string Case = "cases";
    public const string Comment = "cases-comments";
    public const string UserAction = "cases-user-actions";
    public const string Connector = "action";

    public const string CaseRef = "associated-cases";
    public const string CommentRef = "associated-cases-comments";
    public const string ConnectorRef = "connectorId";
    public const string PushConnectorRef = "pushConnectorId";

    /// <summary>What our exports declare: the attribute shapes of Kibana 8.8+ (numbers for status and severity, connector fields as a list).</summary>
    public const string CoreMigrationVersion = "8.8.0";
    public const string TypeMigrationVersion = "8.10.0";

    /// <summary>The last migration of Kibana's <c>action</c> type (8.3.0): the shape our connectors are exported in.</summary>
    public const string ConnectorMigrationVersion = "8.3.0";

    public static readonly string[] Importable = [Case, Comment, UserAction, Connector];

    static readonly (string Name, int Stored)[] Statuses = [(CaseStatus.Open, 0), (CaseStatus.InProgress, 10), (CaseStatus.Closed, 20)];
    static readonly (string Name, int Stored)[] Severities = [(CaseSeverity.Low, 0), (CaseSeverity.Medium, 10), (CaseSeverity.High, 20), (CaseSeverity.Critical, 30)];

    public static int StoredStatus(string status) => Statuses.First(s => s.Name == status).Stored;
    public static int StoredSeverity(string severity) => Severities.First(s => s.Name == severity).Stored;
    public static string? StatusOf(int stored) => Statuses.FirstOrDefault(s => s.Stored == stored).Name;
    public static string? SeverityOf(int stored) => Severities.FirstOrDefault(s => s.Stored == stored).Name;

    /// <summary>Our versions are Kibana's shape, base64 of <c>[n,1]</c>; a Kibana-written one (another n) reads back as its n, anything else as 1.</summary>
    public static int VersionNumber(string? version)
    {
        if (version is null) return 1;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(version));
            var parts = text.Trim('[', ']').Split(',');
            return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        }
        catch (FormatException)
        {
            return 1;
        }
    }
}

/// <summary>Our cases, attachments and user actions written as Kibana's saved objects (the attributes as Kibana stores them).</summary>
public static class SavedObjectWriter
{
    public static JsonObject Case(CaseRecord record, IReadOnlyList<Observable> observables)
    {
        var c = record.Case;
        var references = new JsonArray();
        if (c.Connector.Id != Connector.None.Id) references.Add((JsonNode)Reference(c.Connector.Id, SavedObjectTypes.ConnectorRef, SavedObjectTypes.Connector));
        JsonNode? external = null;
        if (c.ExternalService is JsonObject service)
        {
            var copy = service.DeepClone().AsObject();
            if (copy["connector_id"]?.GetValue<string>() is { } pushId && pushId != Connector.None.Id)
                references.Add((JsonNode)Reference(pushId, SavedObjectTypes.PushConnectorRef, SavedObjectTypes.Connector));
            copy.Remove("connector_id");
            external = copy;
        }
        var attributes = new JsonObject
        {
            ["assignees"] = CaseJson.Assignees(c.Assignees),
            ["category"] = c.Category,
            ["closed_at"] = Date(c.ClosedAt),
            ["closed_by"] = User(c.ClosedBy),
            // Kibana stores connector fields as a key/value list and the connector id as a reference.
            ["connector"] = new JsonObject { ["name"] = c.Connector.Name, ["type"] = c.Connector.Type, ["fields"] = FieldList(c.Connector.Fields) },
            ["created_at"] = Date(c.CreatedAt),
            ["created_by"] = User(c.CreatedBy),
            ["customFields"] = CaseJson.CustomFields(c.CustomFields),
            ["description"] = c.Description,
            ["duration"] = c.Duration,
            ["external_service"] = external,
            ["incremental_id"] = record.IncrementalId,
            ["observables"] = JsonSerializer.SerializeToNode(observables.ToList(), CasesJsonContext.Default.ListObservable),
            ["owner"] = c.Owner,
            ["settings"] = CaseJson.Settings(c.Settings),
            ["severity"] = SavedObjectTypes.StoredSeverity(c.Severity),
            ["status"] = SavedObjectTypes.StoredStatus(c.Status),
            ["tags"] = CaseJson.Strings(c.Tags),
            ["title"] = c.Title,
            ["total_alerts"] = record.TotalAlerts,
            ["total_comments"] = record.TotalComment,
            ["updated_at"] = Date(c.UpdatedAt),
            ["updated_by"] = User(c.UpdatedBy),
        };
        return Envelope(c.Id, SavedObjectTypes.Case, attributes, references, c.UpdatedAt ?? c.CreatedAt, record.Version);
    }

    public static JsonObject Comment(Attachment a)
    {
        var attributes = new JsonObject();
        foreach (var (key, value) in a.Fields) attributes[key] = value?.DeepClone();
        attributes["type"] = a.Type;
        attributes["owner"] = a.Owner;
        attributes["created_at"] = Date(a.CreatedAt);
        attributes["created_by"] = User(a.CreatedBy);
        attributes["pushed_at"] = null;
        attributes["pushed_by"] = null;
        attributes["updated_at"] = Date(a.UpdatedAt);
        attributes["updated_by"] = User(a.UpdatedBy);
        var references = new JsonArray { (JsonNode)Reference(a.CaseId, SavedObjectTypes.CaseRef, SavedObjectTypes.Case) };
        return Envelope(a.Id, SavedObjectTypes.Comment, attributes, references, a.UpdatedAt ?? a.CreatedAt, a.Version);
    }

    public static JsonObject UserAction(UserAction action)
    {
        var references = new JsonArray { (JsonNode)Reference(action.CaseId, SavedObjectTypes.CaseRef, SavedObjectTypes.Case) };
        if (action.CommentId is { } commentId) references.Add((JsonNode)Reference(commentId, SavedObjectTypes.CommentRef, SavedObjectTypes.Comment));
        var payload = action.Payload.DeepClone().AsObject();
        // As in Kibana, connector ids leave the payload for references (so an import can remap them).
        if (payload["connector"] is JsonObject connector)
        {
            if (connector["id"]?.GetValue<string>() is { } id && id != Connector.None.Id)
                references.Add((JsonNode)Reference(id, SavedObjectTypes.ConnectorRef, SavedObjectTypes.Connector));
            connector.Remove("id");
        }
        if (payload["externalService"] is JsonObject service)
        {
            if (service["connector_id"]?.GetValue<string>() is { } id && id != Connector.None.Id)
                references.Add((JsonNode)Reference(id, SavedObjectTypes.PushConnectorRef, SavedObjectTypes.Connector));
            service.Remove("connector_id");
        }
        var attributes = new JsonObject
        {
            ["action"] = action.Action,
            ["created_at"] = Date(action.CreatedAt),
            ["created_by"] = User(action.CreatedBy),
            ["owner"] = action.Owner,
            ["payload"] = payload,
            ["type"] = action.Type,
        };
        return Envelope(action.Id, SavedObjectTypes.UserAction, attributes, references, action.CreatedAt, 1);
    }

    /// <summary>
    /// A connector as Kibana exports an <c>action</c>: type, name and config, never its secrets (Kibana's encrypted
    /// attribute is left out), and <c>isMissingSecrets</c> set when the type needs secrets, so an import asks for them.
    /// </summary>
    public static JsonObject ConnectorAction(global::Cases.Functions.Connectors.StoredConnector c)
    {
        var attributes = new JsonObject
        {
            ["actionTypeId"] = c.Kind.Id,
            ["config"] = c.Config.DeepClone(),
            ["isMissingSecrets"] = c.Kind.NeedsSecrets(c.Config),
            ["name"] = c.Name,
        };
        var so = Envelope(c.Id, SavedObjectTypes.Connector, attributes, [], c.UpdatedAt ?? DateTimeOffset.UnixEpoch, 1);
        so["typeMigrationVersion"] = SavedObjectTypes.ConnectorMigrationVersion;
        return so;
    }

    /// <summary>Kibana's last export line: counts, the references it could not find, and what it left out.</summary>
    public static JsonObject Details(long exported, IReadOnlyCollection<string> missingConnectors, IReadOnlyList<(string Type, string Id)> excluded) => new()
    {
        ["excludedObjects"] = new JsonArray(excluded.Select(e => (JsonNode?)new JsonObject { ["id"] = e.Id, ["type"] = e.Type, ["reason"] = "excluded" }).ToArray()),
        ["excludedObjectsCount"] = excluded.Count,
        ["exportedCount"] = exported,
        ["missingRefCount"] = missingConnectors.Count,
        ["missingReferences"] = new JsonArray(missingConnectors.Select(id => (JsonNode?)new JsonObject { ["id"] = id, ["type"] = SavedObjectTypes.Connector }).ToArray()),
    };

    static JsonObject Envelope(string id, string type, JsonObject attributes, JsonArray references, DateTimeOffset updatedAt, int version) => new()
    {
        ["attributes"] = attributes,
        ["coreMigrationVersion"] = SavedObjectTypes.CoreMigrationVersion,
        ["id"] = id,
        ["managed"] = false,
        ["references"] = references,
        ["type"] = type,
        ["typeMigrationVersion"] = SavedObjectTypes.TypeMigrationVersion,
        ["updated_at"] = Date(updatedAt),
        ["version"] = CaseVersion.Encode(version),
    };

    public static JsonObject Reference(string id, string name, string type) => new() { ["id"] = id, ["name"] = name, ["type"] = type };

    static JsonArray FieldList(JsonNode? fields) => fields is JsonObject o
        ? new JsonArray(o.Select(p => (JsonNode?)new JsonObject { ["key"] = p.Key, ["value"] = p.Value?.DeepClone() }).ToArray())
        : [];

    static JsonNode? Date(DateTimeOffset? value) => value is { } v ? KibanaDateConverter.Text(v) : null;

    static JsonNode? User(CaseUser? user) => user is null ? null : JsonSerializer.SerializeToNode(user, CasesJsonContext.Default.CaseUser);
}
