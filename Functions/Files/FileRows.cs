using System.Text.Json;
using Azure.Data.Tables;
using Cases.Domain.Users;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;

namespace Cases.Functions.Files;

/// <summary>A case file as stored: its metadata and hashes; the bytes are the blob <see cref="BlobName"/>.</summary>
public sealed record CaseFile(
    string Id, string CaseId, string Name, string Extension, string MimeType, long Size,
    string Md5, string Sha1, string Sha256, DateTimeOffset CreatedAt, CaseUser CreatedBy, string Owner, string BlobName);

/// <summary>
/// How files sit in the cases table (partition = space), all written in the one transaction that attaches the file:
/// <list type="bullet">
/// <item><c>item_{caseId}_file_{fileId}</c>: the file; under the case's item prefix, so deleting the case purges it;</item>
/// <item><c>file_{fileId}</c>: a copy for listing every file of the space without scanning every case's items;</item>
/// <item><c>fhash_{hex}_{fileId}</c>: one per hash (MD5, SHA-1, SHA-256), so finding a hash is one key-range read.</item>
/// </list>
/// The case row carries the <c>TotalFiles</c> counter (merged with the row's ETag; the case's version does not change).
/// </summary>
public static class FileRows
{
    public const string SpacePrefix = "file_";
    public const string HashPrefix = "fhash_";

    public static string ItemPrefix(string caseId) => CaseRows.ItemsPrefix(caseId) + "file_";
    public static string ItemKey(string caseId, string fileId) => ItemPrefix(caseId) + fileId;
    public static string SpaceKey(string fileId) => SpacePrefix + fileId;
    public static string HashRangePrefix(string hex) => $"{HashPrefix}{hex.ToLowerInvariant()}_";
    public static string HashKey(string hex, string fileId) => HashRangePrefix(hex) + fileId;

    /// <summary>Whether the file's row is there: a point read of its key alone.</summary>
    public static async Task<bool> Exists(TableClient cases, string space, string caseId, string fileId, CancellationToken ct) =>
        (await cases.GetEntityIfExistsAsync<TableEntity>(space, ItemKey(caseId, fileId), ["PartitionKey"], ct)).HasValue;

    public static IEnumerable<string> HashKeys(CaseFile file) =>
        [HashKey(file.Md5, file.Id), HashKey(file.Sha1, file.Id), HashKey(file.Sha256, file.Id)];

    public static TableEntity ToEntity(string space, string rowKey, CaseFile f) => new(space, rowKey)
    {
        ["FileId"] = f.Id,
        ["CaseId"] = f.CaseId,
        ["Name"] = f.Name,
        ["Extension"] = f.Extension,
        ["MimeType"] = f.MimeType,
        ["Size"] = f.Size,
        ["Md5"] = f.Md5,
        ["Sha1"] = f.Sha1,
        ["Sha256"] = f.Sha256,
        ["CreatedAt"] = f.CreatedAt,
        ["CreatedBy"] = JsonSerializer.Serialize(f.CreatedBy, CasesJsonContext.Default.CaseUser),
        ["Owner"] = f.Owner,
        ["BlobName"] = f.BlobName,
    };

    public static TableEntity HashEntity(string space, string rowKey, CaseFile f) =>
        new(space, rowKey) { ["FileId"] = f.Id, ["CaseId"] = f.CaseId };

    public static CaseFile FromEntity(TableEntity e) => new(
        e.GetString("FileId"), e.GetString("CaseId"), e.GetString("Name"), e.GetString("Extension") ?? "", e.GetString("MimeType"),
        e.GetInt64("Size") ?? 0, e.GetString("Md5"), e.GetString("Sha1"), e.GetString("Sha256"), e.GetDateTimeOffset("CreatedAt")!.Value,
        JsonSerializer.Deserialize(e.GetString("CreatedBy"), CasesJsonContext.Default.CaseUser)!, e.GetString("Owner"), e.GetString("BlobName"));
}
