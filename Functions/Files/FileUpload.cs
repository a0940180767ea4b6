using Cases.Domain.Ids;
using System.Text.Json.Nodes;
using Cases.Domain.Errors;
using Cases.Domain.Files;
using Cases.Domain.UserActions;
using Cases.Domain.Users;
using Cases.Functions.Hosting;
using Cases.Functions.Storage;

namespace Cases.Functions.Files;

/// <summary>
/// One file upload: streams the body into a new blob while hashing it, then commits the file rows, the user action
/// and the case's counter in one transaction (<see cref="FileStore.Attach"/>). Until that commit nothing is visible;
/// if anything fails before it, the blob is taken back. The blob is noted in <see cref="PendingBlobs"/> before it is
/// written, so a crash at any point leaves nothing the timer's sweep cannot find.
/// </summary>
public sealed partial class FileUpload(FileStore store, FileBlobs blobs, PendingBlobs pending, TimeProvider time, ILogger<FileUpload> logger)
{
    /// <summary>What an upload holds while it runs: the blob to take back if it fails, and the blob's sweep note.</summary>
    sealed class InFlight
    {
        public string? Blob;
        public List<PendingBlobs.Entry> Noted = [];
    }

    sealed record Uploaded(string FileId, string BlobName, string FileName, string MimeType, StoredContent Content);

    public async Task<CaseFile> Run(HttpRequest request, string space, string caseId, CaseUser user, string owner, CancellationToken ct)
    {
        var limits = store.Limits;
        var flight = new InFlight();
        try
        {
            var (part, formName) = await UploadSource.Read(request,
                (fileName, declaredType, body, earlyName) => ToBlob(request, space, caseId, fileName, declaredType, body, earlyName, flight, ct), ct);
            var (baseName, ext) = FileRules.Split(part.FileName);
            var file = new CaseFile(part.FileId, caseId, FileRules.Name(string.IsNullOrWhiteSpace(formName) ? baseName : formName, limits), ext,
                part.MimeType, part.Content.Size, part.Content.Md5, part.Content.Sha1, part.Content.Sha256, time.Now(), user, owner, part.BlobName);
            var action = new UserAction(ObjectIds.New(), caseId, UserActionVerbs.Create, UserActionTypes.Comment,
                new JsonObject { ["comment"] = FileAttachment.Of(file) }, file.CreatedAt, user, owner, file.Id);
            // Renewing the note keeps the sweep off this blob for OrphanAge while the row is committed; if the sweep took the
            // upload for dead already (it outlived OrphanAge), the blob is the sweep's and the upload gives up.
            flight.Noted = [await pending.Renew(flight.Noted[0], ct) ?? throw new CasesException(408, "The upload took too long and was given up; try again.")];
            await Commit(space, file, action, limits.OrphanAge / 2, onUnknown: () => flight.Blob = null, ct);
            flight.Blob = null; // committed: the blob is the file's now
            await pending.Settle(flight.Noted);
            return file;
        }
        finally
        {
            // Anything that failed after the blob was written (a refusal, the table, the client going away) takes it back.
            if (flight.Blob is not null) await TakeBack(flight, caseId);
        }
    }

    async Task<Uploaded> ToBlob(HttpRequest request, string space, string caseId, string fileName, string? declaredType, Stream body,
        string? earlyName, InFlight flight, CancellationToken ct)
    {
        var limits = store.Limits;
        var (name, extension) = FileRules.Split(fileName);
        FileRules.Name(earlyName ?? name, limits);
        var mimeType = FileRules.MimeType(declaredType, extension, limits);
        var fileId = ObjectIds.New();
        var blobName = FileBlobs.Name(space, caseId, fileId);
        var blob = await blobs.Block(blobName, ct);
        flight.Noted = await pending.Add(space, caseId, [fileId], PendingBlobs.Upload, ct);
        flight.Blob = blobName;
        var metadata = new Dictionary<string, string> { ["space"] = space, ["caseId"] = caseId, ["fileId"] = fileId };
        // When the blob was written, on the app's clock (the sweep's orphan age is measured on it); a single Put
        // is stamped as it starts, a block upload again when it commits.
        WrittenStamp.Set(metadata, time.GetUtcNow());
        var maxBytes = FileRules.MaxBytes(mimeType, limits);
        // A body of known length goes up in one put; multipart or chunked bodies are staged in blocks, hashed on the way.
        var content = request.HasFormContentType || request.ContentLength is not { } length || length == 0
            ? await HashingUpload.Run(body, blob, mimeType, maxBytes, () => FileRules.TooLarge(mimeType, limits), metadata,
                limits.UploadBlockBytes, limits.UploadBlocksInFlight, ct, time.GetUtcNow)
            : await SinglePutUpload.Run(body, length, blob, mimeType, maxBytes, () => FileRules.TooLarge(mimeType, limits), metadata, ct);
        return new Uploaded(fileId, blobName, fileName, mimeType, content);
    }

    /// <summary>
    /// Commits the file's rows within <paramref name="deadline"/> (well inside the renewed note's protection). If the
    /// commit fails, the row says what happened: there, it was committed after all (a retried transaction failing on
    /// its own first attempt's success); absent, it was not, and the caller takes the blob back. Past the deadline, or
    /// if the row cannot be read, nobody knows: <paramref name="onUnknown"/> leaves the blob to the sweep, which keeps it
    /// if a row holds it.
    /// </summary>
    async Task Commit(string space, CaseFile file, UserAction action, TimeSpan deadline, Action onUnknown, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(deadline);
        try
        {
            await store.Attach(space, file, action, limit.Token);
        }
        catch (Exception)
        {
            var saved = limit.IsCancellationRequested ? null : await Saved(space, file); // a commit still on its way may yet land
            if (saved is true) return;
            if (saved is null) onUnknown();
            throw;
        }
    }

    async Task<bool?> Saved(string space, CaseFile file)
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

    async Task TakeBack(InFlight flight, string caseId)
    {
        try
        {
            await blobs.Delete(flight.Blob!, CancellationToken.None);
            await pending.Settle(flight.Noted);
        }
        catch (Exception ex)
        {
            LogLeftForSweep(logger, ex, caseId); // noted: the timer's run deletes it
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A file blob of case {CaseId} is left to the timer's sweep")]
    static partial void LogLeftForSweep(ILogger logger, Exception ex, string caseId);
}
