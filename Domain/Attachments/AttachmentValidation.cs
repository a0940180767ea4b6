using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.Errors;

namespace Cases.Domain.Attachments;

/// <summary>A validated attachment request: its type, owner and the type's fields, ready to store.</summary>
/// <param name="SingleValues">An alert or event sent as one string id and one string index (not arrays): Kibana keeps
/// and returns the shape sent.</param>
public sealed record NewAttachment(string Type, string Owner, JsonObject Fields, bool SingleValues = false);

/// <summary>Checks attachment request bodies with Kibana's messages; keeps what is stored in one normalised shape.</summary>
public static class AttachmentValidation
{
    static readonly Dictionary<string, string[]> KeysByType = new()
    {
        [AttachmentTypes.User] = ["type", "owner", "comment", "quotedCommentId"],
        [AttachmentTypes.Alert] = ["type", "owner", "alertId", "index", "rule", "ecs"],
        [AttachmentTypes.Event] = ["type", "owner", "eventId", "index"],
        [AttachmentTypes.PersistableState] = ["type", "owner", "persistableStateAttachmentTypeId", "persistableStateAttachmentState"],
        [AttachmentTypes.ExternalReference] =
            ["type", "owner", "externalReferenceId", "externalReferenceStorage", "externalReferenceAttachmentTypeId", "externalReferenceMetadata"],
    };

    /// <summary>Validates an add (or, with <paramref name="extraKeys"/> id and version, an update) request body.</summary>
    public static NewAttachment Validate(JsonObject body, params string[] extraKeys)
    {
        var type = Text(body, "type");
        if (type is null || !KeysByType.TryGetValue(type, out var keys)) throw CasesException.InvalidValue("type", type);
        var unknown = body.Select(p => p.Key).Where(k => !keys.Contains(k) && !extraKeys.Contains(k)).ToArray();
        if (unknown.Length > 0) throw CasesException.BadRequest($"invalid keys \"{string.Join(',', unknown)}\"");
        var owner = Text(body, "owner");
        if (owner is null || !CaseOwner.All.Contains(owner)) throw CasesException.InvalidValue("owner", owner);
        var fields = type switch
        {
            AttachmentTypes.User => UserComment(body),
            AttachmentTypes.Alert => Alert(body),
            AttachmentTypes.Event => Event(body),
            AttachmentTypes.PersistableState => PersistableState(body),
            _ => ExternalReference(body),
        };
        var single = type is AttachmentTypes.Alert or AttachmentTypes.Event && body["index"] is JsonValue;
        return new NewAttachment(type, owner, fields, single);
    }

    static JsonObject UserComment(JsonObject body)
    {
        var comment = Text(body, "comment") ?? throw CasesException.InvalidValue("comment", Raw(body["comment"]));
        if (comment.Trim().Length == 0) throw CasesException.BadRequest("The comment field cannot be an empty string.");
        if (comment.Length > AttachmentLimits.CommentMax)
            throw CasesException.BadRequest($"The length of the comment is too long. The maximum length is {AttachmentLimits.CommentMax}.");
        var fields = new JsonObject { ["comment"] = comment };
        if (body.TryGetPropertyValue("quotedCommentId", out var quoted) && quoted is not null)
            fields["quotedCommentId"] = Text(body, "quotedCommentId") is { Length: > 0 } id ? id : throw CasesException.InvalidValue("quotedCommentId", Raw(quoted));
        return fields;
    }

    static JsonObject Alert(JsonObject body)
    {
        var ids = IdList(body, "alertId");
        var indices = IndexList(body, "alertId", ids);
        if (body["rule"] is not JsonObject rule || !NullableText(rule, "id") || !NullableText(rule, "name"))
            throw CasesException.InvalidValue("rule", Raw(body["rule"]));
        var ecs = new JsonArray();
        switch (body["ecs"])
        {
            case null:
                foreach (var _ in ids) ecs.Add(null);
                break;
            case JsonObject one when ids.Length == 1:
                ecs.Add(one.DeepClone());
                break;
            case JsonArray many when many.Count == ids.Length && many.All(e => e is null or JsonObject):
                foreach (var e in many) ecs.Add(e?.DeepClone());
                break;
            default:
                throw CasesException.BadRequest("The ecs field must be an object per alert, in the same positions as alertId.");
        }
        foreach (var doc in ecs) CheckEcs(doc);
        var fields = new JsonObject
        {
            ["alertId"] = CaseJson.Strings(ids),
            ["index"] = CaseJson.Strings(indices),
            ["rule"] = new JsonObject { ["id"] = rule["id"]?.DeepClone(), ["name"] = rule["name"]?.DeepClone() },
        };
        if (ecs.Any(e => e is not null)) fields["ecs"] = ecs;
        return fields;
    }

    static JsonObject Event(JsonObject body)
    {
        var ids = IdList(body, "eventId");
        return new JsonObject { ["eventId"] = CaseJson.Strings(ids), ["index"] = CaseJson.Strings(IndexList(body, "eventId", ids)) };
    }

    static JsonObject PersistableState(JsonObject body)
    {
        var typeId = Text(body, "persistableStateAttachmentTypeId");
        if (string.IsNullOrWhiteSpace(typeId)) throw CasesException.InvalidValue("persistableStateAttachmentTypeId", Raw(body["persistableStateAttachmentTypeId"]));
        if (body["persistableStateAttachmentState"] is not JsonObject state)
            throw CasesException.InvalidValue("persistableStateAttachmentState", Raw(body["persistableStateAttachmentState"]));
        CheckSize(state);
        return new JsonObject { ["persistableStateAttachmentTypeId"] = typeId, ["persistableStateAttachmentState"] = state.DeepClone() };
    }

    static JsonObject ExternalReference(JsonObject body)
    {
        var id = Text(body, "externalReferenceId");
        if (string.IsNullOrWhiteSpace(id)) throw CasesException.InvalidValue("externalReferenceId", Raw(body["externalReferenceId"]));
        var typeId = Text(body, "externalReferenceAttachmentTypeId");
        if (string.IsNullOrWhiteSpace(typeId)) throw CasesException.InvalidValue("externalReferenceAttachmentTypeId", Raw(body["externalReferenceAttachmentTypeId"]));
        if (body["externalReferenceStorage"] is not JsonObject storage || Text(storage, "type") is null)
            throw CasesException.InvalidValue("externalReferenceStorage", Raw(body["externalReferenceStorage"]));
        var metadata = body["externalReferenceMetadata"];
        if (metadata is not null and not JsonObject) throw CasesException.InvalidValue("externalReferenceMetadata", Raw(metadata));
        CheckSize(metadata);
        return new JsonObject
        {
            ["externalReferenceId"] = id,
            ["externalReferenceStorage"] = storage.DeepClone(),
            ["externalReferenceAttachmentTypeId"] = typeId,
            ["externalReferenceMetadata"] = metadata?.DeepClone(),
        };
    }

    /// <summary>A string or an array of strings (Kibana accepts both), at most 1,000, each non-empty.</summary>
    static string[] IdList(JsonObject body, string key)
    {
        var ids = Strings(body[key]) ?? throw CasesException.InvalidValue(key, Raw(body[key]));
        if (ids.Length == 0) throw CasesException.BadRequest($"The length of the field {key} is too short. Array must be of length >= 1.");
        CaseValidation.MaxItems(key, ids.Length, AttachmentLimits.AlertsPerRequest);
        foreach (var id in ids)
            if (id.Trim().Length == 0 || id.Length > AttachmentLimits.IdMax) throw CasesException.InvalidValue(key, id);
        return ids;
    }

    /// <summary>
    /// Indices in the same positions as the ids. As in Kibana, ids and indices have one shape: both strings, or arrays of the
    /// same length (one index for many ids could pair an id with the wrong index, where ids are unique per index only).
    /// </summary>
    static string[] IndexList(JsonObject body, string idKey, string[] ids)
    {
        var indices = Strings(body["index"]) ?? throw CasesException.InvalidValue("index", Raw(body["index"]));
        if ((body[idKey] is JsonArray) != (body["index"] is JsonArray))
            throw CasesException.BadRequest($"The {idKey} and index fields must both be strings or both be arrays of the same length.");
        if (indices.Length != ids.Length)
            throw CasesException.BadRequest($"Received an alert comment with ids and indices arrays of different lengths ids: {Json(ids)} indices: {Json(indices)}");
        if (indices.Any(i => i.Length > AttachmentLimits.IdMax)) throw CasesException.InvalidValue("index", indices.First(i => i.Length > AttachmentLimits.IdMax));
        return indices;
    }

    static string Json(string[] values) => CaseJson.Strings(values).ToJsonString();

    /// <summary>
    /// An alert's ECS fields are stored with the attachment (up to <see cref="AttachmentLimits.AlertsPerTransaction"/> per
    /// row of at most 1 MiB) and scanned for observables: bounded in size and in values per field.
    /// </summary>
    static void CheckEcs(JsonNode? doc)
    {
        if (doc is null) return;
        if (doc.ToJsonString().Length > AttachmentLimits.EcsJsonMax)
            throw CasesException.BadRequest($"The ecs of an alert is too large. The maximum size is {AttachmentLimits.EcsJsonMax} characters of JSON.");
        if (Arrays(doc).FirstOrDefault(a => a.Count > AttachmentLimits.EcsValuesMax) is { } many)
            throw CasesException.BadRequest($"The ecs field {many.GetPath()[doc.GetPath().Length..].TrimStart('.')} has too many values. The maximum is {AttachmentLimits.EcsValuesMax}.");
    }

    static IEnumerable<JsonArray> Arrays(JsonNode? node) => node switch
    {
        JsonArray a => a.SelectMany(Arrays).Prepend(a),
        JsonObject o => o.SelectMany(p => Arrays(p.Value)),
        _ => [],
    };

    static void CheckSize(JsonNode? node)
    {
        if (node is not null && node.ToJsonString().Length > AttachmentLimits.StateJsonMax)
            throw CasesException.BadRequest($"The attachment is too large. The maximum size is {AttachmentLimits.StateJsonMax} characters of JSON.");
    }

    static string[]? Strings(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a when a.All(n => n is JsonValue e && e.GetValueKind() == JsonValueKind.String) => a.Select(n => n!.GetValue<string>()).ToArray(),
        _ => null,
    };

    static string? Text(JsonObject body, string key) =>
        body[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    static bool NullableText(JsonObject body, string key) => body[key] is null || Text(body, key) is not null;

    static string Raw(JsonNode? node) => node switch
    {
        null => "undefined",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
