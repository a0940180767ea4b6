using System.Text.Json.Nodes;
using Cases.Domain.Errors;
using Cases.Domain.UserActions;
using Cases.Domain.Users;

namespace Cases.Domain.Attachments;

/// <summary>Adding, editing and removing attachments, and the user actions (type <c>comment</c>) that record each.</summary>
public static class AttachmentRules
{
    public const string StaleMessage = "This case has been updated. Please refresh before saving additional updates.";

    /// <summary>
    /// The attachments an add request becomes. Alerts already on the case (or repeated in the request) are dropped,
    /// so attaching an alert twice never counts it twice; what is left is split into transaction-sized attachments.
    /// Nothing is returned when every alert was already attached.
    /// </summary>
    public static List<NewAttachment> Split(NewAttachment input, IReadOnlySet<string> attachedAlerts, int alertsOnCase)
    {
        if (input.Type != AttachmentTypes.Alert) return [input];
        var ids = input.Fields["alertId"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        var indices = input.Fields["index"]!.AsArray();
        var ecs = input.Fields["ecs"] as JsonArray;
        var seen = new HashSet<string>(attachedAlerts, StringComparer.Ordinal);
        var keep = Enumerable.Range(0, ids.Length).Where(i => seen.Add(ids[i])).ToArray();
        if (alertsOnCase + keep.Length > AttachmentLimits.AlertsPerCase)
            throw CasesException.BadRequest($"Case has reached the maximum allowed number ({AttachmentLimits.AlertsPerCase}) of attached alerts.");
        return keep.Chunk(AttachmentLimits.AlertsPerTransaction).Select(chunk =>
        {
            var fields = new JsonObject
            {
                ["alertId"] = new JsonArray(chunk.Select(i => (JsonNode?)ids[i]).ToArray()),
                ["index"] = new JsonArray(chunk.Select(i => indices[i]?.DeepClone()).ToArray()),
                ["rule"] = input.Fields["rule"]!.DeepClone(),
            };
            if (ecs is not null && chunk.Any(i => ecs[i] is not null)) fields["ecs"] = new JsonArray(chunk.Select(i => ecs[i]?.DeepClone()).ToArray());
            return input with { Fields = fields };
        }).ToList();
    }

    /// <summary>Whether an attachment counts towards <see cref="AttachmentLimits.ReferencesPerCase"/> (files do not).</summary>
    public static bool CountsAsReference(string type, JsonObject fields) =>
        type == AttachmentTypes.PersistableState
        || (type == AttachmentTypes.ExternalReference && fields["externalReferenceAttachmentTypeId"]?.GetValue<string>() != FileReference.TypeId);

    public static (Attachment Attachment, UserAction Action) Add(NewAttachment input, string caseId, string id, CaseUser user, DateTimeOffset now, Func<string> newId)
    {
        var attachment = new Attachment
        {
            Id = id,
            CaseId = caseId,
            Version = 1,
            Type = input.Type,
            Owner = input.Owner,
            Fields = input.Fields,
            SingleValues = input.SingleValues,
            CreatedAt = now,
            CreatedBy = user,
        };
        return (attachment, Record(attachment, UserActionVerbs.Create, user, now, newId));
    }

    /// <summary>An edit: same type and owner, the version the client read; null when nothing changes.</summary>
    public static (Attachment Attachment, UserAction Action)? Update(Attachment current, NewAttachment input, string version, CaseUser user, DateTimeOffset now, Func<string> newId)
    {
        if (version != Cases.CaseVersion.Encode(current.Version)) throw CasesException.Conflict(StaleMessage);
        if (input.Type != current.Type) throw CasesException.BadRequest("You cannot change the type of the comment.");
        if (input.Owner != current.Owner) throw CasesException.BadRequest("You cannot change the owner of the comment.");
        if (JsonNode.DeepEquals(input.Fields, current.Fields) && input.SingleValues == current.SingleValues) return null;
        var next = current with { Fields = input.Fields, SingleValues = input.SingleValues, Version = current.Version + 1, UpdatedAt = now, UpdatedBy = user };
        return (next, Record(next, UserActionVerbs.Update, user, now, newId));
    }

    /// <summary>
    /// Kibana records a deletion with the whole deleted attachment as it was (<paramref name="attributes"/>: everything
    /// its JSON has but <c>id</c> and <c>version</c>), so the activity log still shows what was removed and by whom.
    /// </summary>
    public static UserAction Delete(Attachment current, JsonObject attributes, CaseUser user, DateTimeOffset now, Func<string> newId)
    {
        var comment = attributes.DeepClone().AsObject();
        comment.Remove("id");
        comment.Remove("version");
        comment.Remove("ecs"); // the alerts' ECS documents are ours, not Kibana's, and may be large
        return new(newId(), current.CaseId, UserActionVerbs.Delete, UserActionTypes.Comment, new JsonObject { ["comment"] = comment }, now, user, current.Owner, current.Id);
    }

    /// <summary>Kibana's payload: the attachment's own attributes (type, owner and the type's fields) under <c>comment</c>.</summary>
    public static JsonObject Payload(Attachment a)
    {
        var comment = new JsonObject();
        foreach (var (key, value) in a.WireFields())
            if (key != "ecs") comment[key] = value?.DeepClone();
        comment["type"] = a.Type;
        comment["owner"] = a.Owner;
        return new JsonObject { ["comment"] = comment };
    }

    static UserAction Record(Attachment a, string action, CaseUser user, DateTimeOffset now, Func<string> newId) =>
        new(newId(), a.CaseId, action, UserActionTypes.Comment, Payload(a), now, user, a.Owner, a.Id);
}
