using System.Text.Json.Nodes;
using Cases.Domain.Attachments;
using Cases.Domain.Users;

namespace Cases.Tests.Domain;

static class TestAttachments
{
    public static Attachment Alert(params JsonObject?[] ecs) => new()
    {
        Id = Guid.NewGuid().ToString(),
        CaseId = "c",
        Version = 1,
        Type = AttachmentTypes.Alert,
        Owner = "cases",
        Fields = new JsonObject
        {
            ["alertId"] = new JsonArray(ecs.Select((_, i) => (JsonNode?)$"a{i}").ToArray()),
            ["index"] = new JsonArray(ecs.Select(_ => (JsonNode?)"idx").ToArray()),
            ["ecs"] = new JsonArray(ecs.Select(e => (JsonNode?)e?.DeepClone()).ToArray()),
        },
        CreatedAt = DateTimeOffset.UnixEpoch,
        CreatedBy = new CaseUser(null, null, "u"),
    };
}
