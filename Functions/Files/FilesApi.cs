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
using Microsoft.Net.Http.Headers;

namespace Cases.Functions.Files;

/// <summary>
/// Case files: upload (Kibana's <c>POST /api/cases/{caseId}/files</c>, multipart or raw), list, metadata, download with
/// ranges, delete (at most 10 per call); every file of a space; the cases holding a hash.
/// </summary>
public static partial class FilesApi
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

    sealed record Uploaded(string FileId, string BlobName, string FileName, string MimeType, StoredContent Content);

    /// <summary>
    /// Streams the file into a blob, then commits the file rows, the user action and the case's counter in one
    /// transaction. Until that commit nothing is visible; if it fails the blob is deleted; a crash between the two leaves
    /// a blob without a row, which no read can reach and the timer's run deletes (<see cref="PendingBlobs"/>).
    /// </summary>
    static async Task<Ok<JsonObject>> Upload(string caseId, HttpContext http, FileStore store, CaseStore cases, Attachments.AttachmentStore attachments, FileBlobs blobs,
        PendingBlobs pending, CallerIdentity identity, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var space = Space.Of(http);
        var limits = store.Limits;
        var user = identity.Of(http);
        if (!ObjectIds.IsWellFormed(caseId)) throw CasesException.CaseNotFound(caseId);
        var owner = await store.CheckRoom(space, caseId, ct);
        CasesAccess.Of(http).Require(CasePrivilege.Files, "file", owner);
        if (http.Request.ContentLength > limits.MaxFileBytes + MultipartOverhead) throw FileRules.TooLarge("", limits);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = limits.MaxFileBytes + MultipartOverhead;

        string? discard = null; // the blob to take back if anything fails before the table commit
        List<PendingBlobs.Entry> noted = []; // the blob's note for the timer's sweep, forgotten once it is settled
        try
        {
            var (part, formName) = await UploadSource.Read(http.Request, async (fileName, declaredType, body, earlyName) =>
            {
                var (name, extension) = FileRules.Split(fileName);
                FileRules.Name(earlyName ?? name, limits);
                var mimeType = FileRules.MimeType(declaredType, extension, limits);
                var fileId = ObjectIds.New();
                var blobName = FileBlobs.Name(space, caseId, fileId);
                var blob = await blobs.Block(blobName, ct);
                noted = await pending.Add(space, caseId, [fileId], PendingBlobs.Upload, ct);
                discard = blobName;
                var metadata = new Dictionary<string, string> { ["space"] = space, ["caseId"] = caseId, ["fileId"] = fileId };
                var maxBytes = FileRules.MaxBytes(mimeType, limits);
                var content = http.Request.HasFormContentType || http.Request.ContentLength is not { } length || length == 0
                    ? await HashingUpload.Run(body, blob, mimeType, maxBytes, () => FileRules.TooLarge(mimeType, limits), metadata,
                        limits.UploadBlockBytes, limits.UploadBlocksInFlight, ct)
                    : await SinglePutUpload.Run(body, length, blob, mimeType, maxBytes, () => FileRules.TooLarge(mimeType, limits), metadata, ct);
                return new Uploaded(fileId, blobName, fileName, mimeType, content);
            }, ct);

            var (baseName, ext) = FileRules.Split(part.FileName);
            var file = new CaseFile(part.FileId, caseId, FileRules.Name(string.IsNullOrWhiteSpace(formName) ? baseName : formName, limits), ext,
                part.MimeType, part.Content.Size, part.Content.Md5, part.Content.Sha1, part.Content.Sha256, time.Now(), user, owner, part.BlobName);
            var action = new UserAction(ObjectIds.New(), caseId, UserActionVerbs.Create, UserActionTypes.Comment,
                new JsonObject { ["comment"] = FileAttachment.Of(file) }, file.CreatedAt, user, owner, file.Id);
            // Renewing the note keeps the sweep off this blob for OrphanAge while the row is committed; if the sweep took the
            // upload for dead already (it outlived OrphanAge), the blob is the sweep's and the upload gives up.
            noted = [await pending.Renew(noted[0], ct) ?? throw new CasesException(408, "The upload took too long and was given up; try again.")];
            await Commit(store, space, file, action, limits.OrphanAge / 2, ct, onUnknown: () => discard = null);
            discard = null; // committed: the blob is the file's now
            await Settle(pending, noted, logs);
            var stored = await CasesApi.Load(cases, space, caseId, ct);
            // The case with all its attachments, the new file among them, as after adding any attachment.
            var withComments = await Attachments.AttachmentsApi.WithComments(attachments, space, stored.Record, ct);
            var response = JsonSerializer.SerializeToNode(withComments, CasesJsonContext.Default.CaseResponse)!.AsObject();
            response["file"] = JsonSerializer.SerializeToNode(FileResponse.From(file), CasesJsonContext.Default.FileResponse);
            return TypedResults.Ok(response);
        }
        finally
        {
            // Anything that failed after the blob was committed (a refusal, the table, the client going away) takes it back.
            if (discard is not null)
            {
                try
                {
                    await blobs.Delete(discard, CancellationToken.None);
                    await Settle(pending, noted, logs);
                }
                catch (Exception ex) { LogLeftForSweep(logs.CreateLogger("Cases.Files"), ex, caseId); } // noted: the timer's run deletes it
            }
        }
    }

    /// <summary>
    /// Commits the file's rows within <paramref name="deadline"/> (well inside the renewed note's protection). If the
    /// commit fails, the row says what happened: there, it was committed after all (a retried transaction failing on
    /// its own first attempt's success); absent, it was not, and the caller takes the blob back. Past the deadline, or
    /// if the row cannot be read, nobody knows: <paramref name="onUnknown"/> leaves the blob to the sweep, which keeps it
    /// if a row holds it.
    /// </summary>
    static async Task Commit(FileStore store, string space, CaseFile file, UserAction action, TimeSpan deadline, CancellationToken ct, Action onUnknown)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(deadline);
        try
        {
            await store.Attach(space, file, action, limit.Token);
        }
        catch (Exception)
        {
            var saved = limit.IsCancellationRequested ? null : await Saved(store, space, file); // a commit still on its way may yet land
            if (saved is true) return;
            if (saved is null) onUnknown();
            throw;
        }
    }

    static async Task<bool?> Saved(FileStore store, string space, CaseFile file)
    {
        try
        {
            return await store.Exists(space, file.CaseId, file.Id, CancellationToken.None);
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>Best effort: a note left behind only costs the timer's sweep a look.</summary>
    static async Task Settle(PendingBlobs pending, List<PendingBlobs.Entry> noted, ILoggerFactory logs)
    {
        try
        {
            await pending.Remove(noted, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogLeftForSweep(logs.CreateLogger("Cases.Files"), ex, noted.FirstOrDefault()?.CaseId ?? "");
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A file blob of case {CaseId} is left to the timer's sweep")]
    static partial void LogLeftForSweep(ILogger logger, Exception ex, string caseId);
}
