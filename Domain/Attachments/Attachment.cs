using System.Text.Json.Nodes;
using Cases.Domain.Users;

namespace Cases.Domain.Attachments;

/// <summary>
/// Something attached to a case (Kibana calls every kind a "comment"): a user comment, alerts, events, a visualization
/// (persistable state) or an external reference. <see cref="Fields"/> holds the type's own fields in Kibana's names
/// (<c>comment</c>; <c>alertId</c>/<c>index</c>/<c>rule</c>; ...), validated, alert and event ids always as arrays.
/// </summary>
public sealed record Attachment
{
    public required string Id { get; init; }
    public required string CaseId { get; init; }
    /// <summary>What a client's <c>version</c> of this attachment protects; only edits of the attachment move it.</summary>
    public required int Version { get; init; }
    public required string Type { get; init; }
    public required string Owner { get; init; }
    public required JsonObject Fields { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required CaseUser CreatedBy { get; init; }
    /// <summary>Creation order within the case (the case's activity count when it was added): breaks ties of created_at.</summary>
    public int Sequence { get; init; }
    /// <summary>Whether storage holds a row saying which case holds this attachment (every one added since it exists).</summary>
    public bool Indexed { get; init; }
    /// <summary>An alert or event sent as one string id and index: shown in that shape, as Kibana stores what it was sent.</summary>
    public bool SingleValues { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public CaseUser? UpdatedBy { get; init; }

    public IReadOnlyList<string> AlertIds => Type == AttachmentTypes.Alert ? Strings(Fields["alertId"]) : [];
    public IReadOnlyList<string> EventIds => Type == AttachmentTypes.Event ? Strings(Fields["eventId"]) : [];
    public IReadOnlyList<string> Indices => Strings(Fields["index"]);

    /// <summary>The ECS fields sent with each alert (positions match <see cref="AlertIds"/>; null where none were sent).</summary>
    public IReadOnlyList<JsonObject?> AlertEcs =>
        Fields["ecs"] is JsonArray a ? a.Select(n => n as JsonObject).ToArray() : AlertIds.Select(_ => (JsonObject?)null).ToArray();

    /// <summary>The type's fields as the client sent them: ids and index as strings where they were sent as strings.</summary>
    public JsonObject WireFields()
    {
        var fields = Fields.DeepClone().AsObject();
        if (!SingleValues) return fields;
        foreach (var key in new[] { "alertId", "eventId", "index" })
            if (fields[key] is JsonArray { Count: 1 } one) fields[key] = one[0]?.DeepClone();
        return fields;
    }

    static string[] Strings(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(n => n!.GetValue<string>()).ToArray(),
        JsonValue v => [v.GetValue<string>()],
        _ => [],
    };
}

public static class AttachmentTypes
{
    public const string User = "user";
    public const string Alert = "alert";
    public const string Event = "event";
    public const string PersistableState = "persistableState";
    public const string ExternalReference = "externalReference";
    public static readonly string[] All = [User, Alert, Event, PersistableState, ExternalReference];
}

/// <summary>Kibana's limits for attachments (shared/reference/kibana-limits.md) and ours for what Kibana leaves open.</summary>
public static class AttachmentLimits
{
    public const int CommentMax = 30_000;
    public const int AlertsPerCase = 1_000;
    public const int AlertsPerRequest = 1_000;
    /// <summary>A persistable state or external reference is stored as given, up to this many characters of JSON.</summary>
    public const int StateJsonMax = 200_000;
    /// <summary>
    /// Alerts written in one entity-group transaction (at most 100 operations): each alert has an index row, plus the
    /// attachment and its case index row, the case row, its change note, up to two user actions and the observables row. Larger requests
    /// become several attachments.
    /// </summary>
    public const int AlertsPerTransaction = 90;
    public const int IdMax = 512;
    /// <summary>Kibana's MAX_PERSISTABLE_STATE_AND_EXTERNAL_REFERENCES: persistable-state and external-reference attachments (not files) per case.</summary>
    public const int ReferencesPerCase = 100;
    /// <summary>One alert's <c>ecs</c> as JSON (default escaping, the most it can take to store): 90 of them fit a 1 MiB row.</summary>
    public const int EcsJsonMax = 4_096;
    /// <summary>Values of one <c>ecs</c> field (an array): more than a case's 50 observables is never useful.</summary>
    public const int EcsValuesMax = 50;
}

/// <summary>How Kibana refers to a case file from its attachment: an external reference of this type to a <c>file</c> saved object.</summary>
public static class FileReference
{
    public const string TypeId = ".files";
}
