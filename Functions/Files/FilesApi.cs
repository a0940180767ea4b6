using Cases.Domain.Ids;
using Azure;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Models;
using Cases.Domain.Errors;
using Cases.Domain.Files;
using Cases.Domain.UserActions;
using Cases.Functions.Access;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Identity;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Cases.Functions.Files;

/// <summary>
/// Case files: upload (Kibana's <c>POST /api/cases/{caseId}/files</c>, multipart or raw), list, metadata, download with
/// ranges, delete (at most 10 per call); every file of a space; the cases holding a hash.
/// </summary>
public static class FilesApi
{
    /// <summary>Room for the multipart framing around a file of the maximum size.</summary>
    const long MultipartOverhead = 64 * 1024;

    public static void MapFilesApi(this IEndpointRouteBuilder routes)
    {
        var files = routes.MapGroup("/cases").WithTags("files");
        files.MapPost("/{caseId}/files", Upload).WithName("addCaseFile").DisableAntiforgery().DisableRequestTimeout().RequiresCases(CasePrivilege.Files, "file")
            // 400 also for a file over its limit (Kibana's wording); 413 for a body over the server's; 408 for an upload that outlived its note.
            .ProducesErrors(400, 404, 408, 409, 413);
        files.MapGet("/{caseId}/files", ListCase).WithName("findCaseFiles").RequiresCases(CasePrivilege.Read, "files").ProducesErrors(400, 404);
        files.MapDelete("/{caseId}/files", Delete).WithName("deleteCaseFiles").RequiresCases(CasePrivilege.Files | CasePrivilege.Delete, "files")
            .ProducesErrors(400, 404, 409);
        files.MapGet("/{caseId}/files/{fileId}", Get).WithName("getCaseFile").RequiresCases(CasePrivilege.Read, "file").ProducesErrors(404);
        files.MapGet("/{caseId}/files/{fileId}/download", Download).WithName("downloadCaseFile")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status304NotModified)
            .Produces(StatusCodes.Status416RangeNotSatisfiable)
            .DisableRequestTimeout().RequiresCases(CasePrivilege.Read, "file").ProducesErrors(404);
        files.MapGet("/files/_find", FindInSpace).WithName("findFiles").RequiresCases(CasePrivilege.Read, "files").ProducesErrors(400);
        files.MapGet("/files/_cases", CasesWithHash).WithName("findCasesByFileHash").RequiresCases(CasePrivilege.Read).ProducesErrors(400);
    }

    /// <summary>
    /// Checks the case has room and the caller may add files, then runs the upload (<see cref="FileUpload"/>) and answers
    /// with the case, its attachments and the new file.
    /// </summary>
    static async Task<Ok<JsonObject>> Upload(string caseId, HttpContext http, [AsParameters] UploadServices s, CancellationToken ct)
    {
        var (store, upload, cases, attachments, identity) = (s.Store, s.Upload, s.Cases, s.Attachments, s.Identity);
        var space = Space.Of(http);
        var limits = store.Limits;
        if (!ObjectIds.IsWellFormed(caseId)) throw CasesException.CaseNotFound(caseId);
        var owner = await store.CheckRoom(space, caseId, ct);
        CasesAccess.Of(http).Require(CasePrivilege.Files, "file", owner);
        if (http.Request.ContentLength > limits.MaxFileBytes + MultipartOverhead) throw FileRules.TooLarge("", limits);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = limits.MaxFileBytes + MultipartOverhead;

        var file = await upload.Run(http.Request, space, caseId, identity.Of(http), owner, ct);
        var stored = await CasesApi.Load(cases, space, caseId, ct);
        // The case with all its attachments, the new file among them, as after adding any attachment.
        var withComments = await Attachments.AttachmentsApi.WithComments(attachments, space, stored.Record, ct);
        var response = JsonSerializer.SerializeToNode(withComments, CasesJsonContext.Default.CaseResponse)!.AsObject();
        response["file"] = JsonSerializer.SerializeToNode(FileResponse.From(file), CasesJsonContext.Default.FileResponse);
        return TypedResults.Ok(response);
    }

    static async Task<Ok<FilesPage>> ListCase(string caseId, HttpContext http, FileStore store, CaseStore cases, CancellationToken ct)
    {
        var space = Space.Of(http);
        var owner = (await CasesApi.Load(cases, space, caseId, ct)).Record.Case.Owner;
        CasesAccess.Of(http).Require(CasePrivilege.Read, "files", owner);
        return TypedResults.Ok(Page(http.Request.Query, await store.ListCase(space, caseId, ct), descendingByDefault: false));
    }

    static async Task<Ok<FilesPage>> FindInSpace(HttpContext http, FileStore store, CancellationToken ct)
    {
        var space = Space.Of(http);
        var hash = QueryValues.Single(http.Request.Query, "hash");
        var files = hash is null ? await store.ListSpace(space, ct) : await store.FindByHash(space, Hash(hash), ct);
        return TypedResults.Ok(Page(http.Request.Query, Readable(http, files), descendingByDefault: true));
    }

    /// <summary>Paging (Kibana's rules), sort by name, size or createdAt, filters by MIME type and by words in the name.</summary>
    static FilesPage Page(IQueryCollection query, List<CaseFile> files, bool descendingByDefault)
    {
        var (page, perPage) = QueryValues.Paging(query);
        var sortField = QueryValues.Single(query, "sortField") ?? "createdAt";
        var descending = QueryValues.Descending(query, descendingByDefault);
        var mimeTypes = QueryValues.List(query, "mimeType");
        var search = QueryValues.Single(query, "search");
        IEnumerable<CaseFile> selected = files;
        if (mimeTypes.Count > 0) selected = selected.Where(f => mimeTypes.Contains(f.MimeType, StringComparer.OrdinalIgnoreCase));
        if (search is not null) selected = selected.Where(f => $"{f.Name}.{f.Extension}".Contains(search, StringComparison.OrdinalIgnoreCase));
        selected = sortField switch
        {
            "name" => Order(selected, f => f.Name, descending, StringComparer.OrdinalIgnoreCase),
            "size" => Order(selected, f => f.Size, descending, Comparer<long>.Default),
            "createdAt" => Order(selected, f => f.CreatedAt, descending, Comparer<DateTimeOffset>.Default),
            _ => throw CasesException.InvalidValue("sortField", sortField),
        };
        var list = selected.ToList();
        return new FilesPage(list.Skip((page - 1) * perPage).Take(perPage).Select(FileResponse.From).ToList(), page, perPage, list.Count);
    }

    static IEnumerable<CaseFile> Order<TKey>(IEnumerable<CaseFile> files, Func<CaseFile, TKey> key, bool descending, IComparer<TKey> comparer) =>
        (descending ? files.OrderByDescending(key, comparer) : files.OrderBy(key, comparer)).ThenBy(f => f.Id, StringComparer.Ordinal);

    static async Task<Ok<CasesByHash>> CasesWithHash(HttpContext http, FileStore store, CaseStore cases, CancellationToken ct)
    {
        var space = Space.Of(http);
        var hash = Hash(QueryValues.Single(http.Request.Query, "hash") ?? throw CasesException.InvalidValue("hash", null));
        var files = Readable(http, await store.FindByHash(space, hash, ct));
        var found = new List<CaseResponse>();
        foreach (var caseId in files.Select(f => f.CaseId).Distinct())
            if (await cases.Get(space, caseId, ct) is { } c)
                found.Add(CaseResponse.From(c.Record));
        return TypedResults.Ok(new CasesByHash(hash, found, files.Select(FileResponse.From).ToList()));
    }

    /// <summary>Only files of cases whose owner the caller may read (a file has its case's owner).</summary>
    static List<CaseFile> Readable(HttpContext http, List<CaseFile> files)
    {
        var access = CasesAccess.Of(http);
        return files.Where(f => access.Can(f.Owner, CasePrivilege.Read)).ToList();
    }

    /// <summary>An MD5, SHA-1 or SHA-256 in hex (32, 40 or 64 digits), lower-cased as stored.</summary>
    static string Hash(string value) =>
        value.Length is 32 or 40 or 64 && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant() : throw CasesException.InvalidValue("hash", value);

    static async Task<Ok<FileResponse>> Get(string caseId, string fileId, HttpContext http, FileStore store, CancellationToken ct) =>
        TypedResults.Ok(FileResponse.From(await LoadReadable(http, store, caseId, fileId, ct)));

    /// <summary>
    /// Streams the blob with its type, a download name, Content-MD5 and an ETag (the MD5), honouring Range and
    /// If-None-Match/If-Range. Under the Functions host (which buffers responses) it redirects to a short-lived link of
    /// the blob instead (see <see cref="DownloadLinks"/>), once the file is found in the caller's space.
    /// </summary>
    static async Task<Results<FileStreamHttpResult, RedirectHttpResult>> Download(string caseId, string fileId, HttpContext http, FileStore store, FileBlobs blobs, DownloadLinks links,
        CancellationToken ct)
    {
        var file = await LoadReadable(http, store, caseId, fileId, ct);
        var blob = await blobs.Block(file.BlobName, ct);
        if (links.Redirect)
        {
            http.Response.Headers.CacheControl = "no-store"; // the link expires; ask again
            return TypedResults.Redirect((await links.For(blob, file, ct)).AbsoluteUri);
        }
        var stream = new BlobRangeStream(blob, file.Size, BlobRangeStream.Requested(http.Request, file.Size));
        var headers = http.Response.Headers;
        if (!http.Request.Headers.ContainsKey(HeaderNames.Range))
            headers["Content-MD5"] = Convert.ToBase64String(Convert.FromHexString(file.Md5));
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(file.Sha256))}:, md5=:{Convert.ToBase64String(Convert.FromHexString(file.Md5))}:";
        var downloadName = file.Extension.Length > 0 ? $"{file.Name}.{file.Extension}" : file.Name;
        return TypedResults.Stream(stream, file.MimeType, downloadName, file.CreatedAt, new EntityTagHeaderValue($"\"{file.Md5}\""), enableRangeProcessing: true);
    }

    static async Task<NoContent> Delete(string caseId, HttpContext http, FileStore store, CallerIdentity identity, TimeProvider time, CancellationToken ct)
    {
        var space = Space.Of(http);
        var ids = QueryValues.List(http.Request.Query, "ids").Distinct().ToList();
        if (ids.Count == 0) throw CasesException.BadRequest("The length of the field ids is too short. Array must be of length >= 1.");
        if (ids.Count > store.Limits.MaxDeletePerCall)
            throw CasesException.BadRequest($"The length of the field ids is too long. Array must be of length <= {store.Limits.MaxDeletePerCall}.");
        var files = new List<CaseFile>();
        foreach (var id in ids) files.Add(await Load(store, space, caseId, id, ct));
        CasesAccess.Of(http).Require(CasePrivilege.Files | CasePrivilege.Delete, "files", files.Select(f => f.Owner));
        var user = identity.Of(http);
        var now = time.Now();
        var actions = files.Select(f =>
        {
            var attachment = FileAttachment.AsAttachment(f);
            return Domain.Attachments.AttachmentRules.Delete(attachment, Attachments.AttachmentResponse.Json(attachment), user, now, ObjectIds.New);
        }).ToList();
        await store.Detach(space, caseId, files, actions, ct);
        return TypedResults.NoContent();
    }

    static async Task<CaseFile> LoadReadable(HttpContext http, FileStore store, string caseId, string fileId, CancellationToken ct)
    {
        var file = await Load(store, Space.Of(http), caseId, fileId, ct);
        CasesAccess.Of(http).Require(CasePrivilege.Read, "file", file.Owner);
        return file;
    }

    static async Task<CaseFile> Load(FileStore store, string space, string caseId, string fileId, CancellationToken ct) =>
        (ObjectIds.IsWellFormed(caseId) && fileId.Length == 36 && Guid.TryParse(fileId, out _) ? await store.Get(space, caseId, fileId, ct) : null) // Guid.TryParse trims
        ?? throw CasesException.NotFound($"Saved object [file/{fileId}] not found");
}

/// <summary>The services an upload uses, bundled (see <c>FilesApi.Upload</c>).</summary>
public sealed class UploadServices(
    [FromServices] FileStore store,
    [FromServices] FileUpload upload,
    [FromServices] CaseStore cases,
    [FromServices] global::Cases.Functions.Attachments.AttachmentStore attachments,
    [FromServices] CallerIdentity identity)
{
    public FileStore Store { get; } = store;
    public FileUpload Upload { get; } = upload;
    public CaseStore Cases { get; } = cases;
    public global::Cases.Functions.Attachments.AttachmentStore Attachments { get; } = attachments;
    public CallerIdentity Identity { get; } = identity;
}
