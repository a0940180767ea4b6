using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Domain.Users;
using Cases.Functions.Hosting;

namespace Cases.Functions.Attachments;

/// <summary>Attachments on the wire as Kibana writes them: id, version, type, owner, the type's fields, then who and when.</summary>
public static class AttachmentResponse
{
    public static JsonObject Json(Attachment a)
    {
        var node = new JsonObject
        {
            ["id"] = a.Id,
            ["version"] = CaseVersion.Encode(a.Version),
            ["type"] = a.Type,
            ["owner"] = a.Owner,
        };
        foreach (var (key, value) in a.WireFields()) node[key] = value?.DeepClone();
        node["created_at"] = KibanaDateConverter.Text(a.CreatedAt);
        node["created_by"] = User(a.CreatedBy);
        node["pushed_at"] = null;
        node["pushed_by"] = null;
        node["updated_at"] = a.UpdatedAt is { } updated ? KibanaDateConverter.Text(updated) : null;
        node["updated_by"] = User(a.UpdatedBy);
        return node;
    }

    public static List<JsonNode> List(IEnumerable<Attachment> attachments) => attachments.Select(a => (JsonNode)Json(a)).ToList();

    static JsonNode? User(CaseUser? user) => user is null ? null : JsonSerializer.SerializeToNode(user, CasesJsonContext.Default.CaseUser);
}
