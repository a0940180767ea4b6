using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cases.Domain.Users;

namespace Cases.Functions.Files;

/// <summary>
/// A file on the wire, in the shape of Kibana's file JSON (<c>id, name, extension, mimeType, size, created, status,
/// fileKind, hash</c>), plus the case it belongs to and who uploaded it.
/// </summary>
public sealed record FileResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("caseId")] string CaseId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("extension")] string Extension,
    [property: JsonPropertyName("mimeType")] string MimeType,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("created_by")] CaseUser CreatedBy,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("fileKind")] string FileKind,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("hash")] FileHashes Hash)
{
    public static FileResponse From(CaseFile f) =>
        new(f.Id, f.CaseId, f.Name, f.Extension, f.MimeType, f.Size, f.CreatedAt, f.CreatedBy, "READY", f.Owner, f.Owner,
            new FileHashes(f.Md5, f.Sha1, f.Sha256));
}

public sealed record FileHashes(
    [property: JsonPropertyName("md5")] string Md5,
    [property: JsonPropertyName("sha1")] string Sha1,
    [property: JsonPropertyName("sha256")] string Sha256);

public sealed record FilesPage(
    [property: JsonPropertyName("files")] IReadOnlyList<FileResponse> Files,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("perPage")] int PerPage,
    [property: JsonPropertyName("total")] int Total);

public sealed record CasesByHash(
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("cases")] IReadOnlyList<Cases.CaseResponse> Cases,
    [property: JsonPropertyName("files")] IReadOnlyList<FileResponse> Files);

/// <summary>
/// A file as a case attachment, as Kibana records it: an <c>externalReference</c> attachment of type <c>.files</c> whose
/// metadata lists the file (here with its size and hashes too). It is the <c>comment</c> of the upload's and the
/// deletion's user actions, and what the upload response lists under <c>comments</c>.
/// </summary>
public static class FileAttachment
{
    /// <summary>
    /// The file as one of the case's attachments: an external reference whose id is the file's (as the user actions'
    /// <c>comment_id</c> has always been), at its first version, as it never changes.
    /// </summary>
    public static Domain.Attachments.Attachment AsAttachment(CaseFile f)
    {
        var fields = Of(f);
        fields.Remove("type");
        fields.Remove("owner");
        return new Domain.Attachments.Attachment
        {
            Id = f.Id,
            CaseId = f.CaseId,
            Version = 1,
            Type = Domain.Attachments.AttachmentTypes.ExternalReference,
            Owner = f.Owner,
            Fields = fields,
            CreatedAt = f.CreatedAt,
            CreatedBy = f.CreatedBy,
        };
    }

    public static JsonObject Of(CaseFile f) => new()
    {
        ["type"] = "externalReference",
        ["externalReferenceId"] = f.Id,
        ["externalReferenceStorage"] = new JsonObject { ["type"] = "savedObject", ["soType"] = "file" },
        ["externalReferenceAttachmentTypeId"] = Domain.Attachments.FileReference.TypeId,
        ["externalReferenceMetadata"] = new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject
            {
                ["name"] = f.Name,
                ["extension"] = f.Extension,
                ["mimeType"] = f.MimeType,
                ["created"] = f.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["size"] = f.Size,
                ["hash"] = new JsonObject { ["md5"] = f.Md5, ["sha1"] = f.Sha1, ["sha256"] = f.Sha256 },
            }),
        },
        ["owner"] = f.Owner,
    };
}
