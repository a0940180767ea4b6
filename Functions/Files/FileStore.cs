using Azure;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.UserActions;
using Cases.Functions.Cases;
using Cases.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Files;

/// <summary>
/// The table side of case files. Attaching or deleting files is one entity-group transaction: the file rows, their
/// index rows, the user actions, and the case row's file counter merged under its ETag (so a concurrent change is
/// retried, never lost, and the case's version does not move).
/// </summary>
public sealed partial class FileStore(CasesTables tables, FileBlobs blobs, PendingBlobs pending, IOptions<FilesOptions> options, Testing.TestHooks hooks, ILogger<FileStore> logger)
{
    const int Attempts = 10;

    sealed record CaseCounters(ETag ETag, int TotalFiles, int Actions, string Owner);

    public FilesOptions Limits => options.Value;

    async Task<CaseCounters?> ReadCase(TableClient table, string space, string caseId, CancellationToken ct)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(space, CaseRows.CaseKey(caseId), [CaseColumns.Deleted, CaseColumns.TotalFiles, CaseColumns.Actions, CaseColumns.Owner], ct);
        if (!row.HasValue || CaseRows.IsDeleted(row.Value!)) return null;
        var e = row.Value!;
        return new CaseCounters(e.ETag, e.GetInt32(CaseColumns.TotalFiles) ?? 0, e.GetInt32(CaseColumns.Actions) ?? 0, e.GetString(CaseColumns.Owner) ?? "");
    }

    /// <summary>The owner of a live case (files and their actions take it), or 404; also checks there is room for one more file.</summary>
    public async Task<string> CheckRoom(string space, string caseId, CancellationToken ct)
    {
        var counters = await ReadCase(await tables.Cases(ct), space, caseId, ct) ?? throw NotFound(caseId);
        if (counters.TotalFiles >= Limits.MaxFilesPerCase) throw Domain.Files.FileRules.TooMany(Limits);
        return counters.Owner;
    }

    public async Task Attach(string space, CaseFile file, UserAction action, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        for (var attempt = 1; ; attempt++)
        {
            var counters = await ReadCase(table, space, file.CaseId, ct) ?? throw NotFound(file.CaseId);
            if (counters.TotalFiles >= Limits.MaxFilesPerCase) throw Domain.Files.FileRules.TooMany(Limits);
            CaseLimits.CheckActions(file.CaseId, counters.Actions, 1);
            var batch = new List<TableTransactionAction>
            {
                Counters(space, file.CaseId, counters, counters.TotalFiles + 1, 1),
                new(TableTransactionActionType.Add, FileRows.ToEntity(space, FileRows.ItemKey(file.CaseId, file.Id), file)),
                new(TableTransactionActionType.Add, FileRows.ToEntity(space, FileRows.SpaceKey(file.Id), file)),
                new(TableTransactionActionType.Add, CaseRows.ToEntity(space, action, CaseRows.UserActionKey(action, 0))),
            };
            batch.AddRange(FileRows.HashKeys(file).Select(k => new TableTransactionAction(TableTransactionActionType.Add, FileRows.HashEntity(space, k, file))));
            await hooks.At(Testing.HookPoints.FileCommit, space, ct);
            if (await TrySubmit(table, batch, attempt, ct)) return;
        }
    }

    /// <summary>Files one <see cref="Detach"/> can remove: each costs six operations (two rows, three hash rows, its action) of 100.</summary>
    public const int DetachPerTransaction = 16;

    /// <summary>Removes files of one case and records one action each, all or nothing; the blobs go after the commit.</summary>
    public async Task Detach(string space, string caseId, IReadOnlyList<CaseFile> files, IReadOnlyList<UserAction> actions, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var noted = await pending.Add(space, caseId, files.Select(f => f.Id).ToList(), PendingBlobs.Deletion, ct);
        try
        {
            await RemoveRows(table, space, caseId, files, actions, ct);
        }
        catch (CasesException)
        {
            await pending.Settle(noted); // refused (a limit, the case gone, endless conflicts): nothing was committed
            throw;
        }
        await hooks.At(Testing.HookPoints.FileDetached, space, ct);
        // Committed: the files are gone, whatever follows. Blobs this does not delete (a crash, storage down) are invisible
        // and still noted, so the timer's sweep deletes them.
        try
        {
            foreach (var f in files) await blobs.Delete(f.BlobName, CancellationToken.None);
            await pending.Remove(noted, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogLeftForSweep(logger, ex, caseId);
        }
    }

    /// <summary>The table side of <see cref="Detach"/>: one transaction, sent again while the case row moves under it.</summary>
    async Task RemoveRows(TableClient table, string space, string caseId, IReadOnlyList<CaseFile> files, IReadOnlyList<UserAction> actions, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A transaction the storage client retried may have committed on its first try (its retry then fails).
            if (attempt > 1 && await NoneLeft(table, space, caseId, files, ct)) return;
            var counters = await ReadCase(table, space, caseId, ct) ?? throw NotFound(caseId);
            CaseLimits.CheckActions(caseId, counters.Actions, actions.Count);
            var batch = new List<TableTransactionAction> { Counters(space, caseId, counters, Math.Max(0, counters.TotalFiles - files.Count), actions.Count) };
            foreach (var f in files)
            {
                batch.Add(new(TableTransactionActionType.Delete, new TableEntity(space, FileRows.ItemKey(caseId, f.Id)), ETag.All));
                batch.Add(new(TableTransactionActionType.Delete, new TableEntity(space, FileRows.SpaceKey(f.Id)), ETag.All));
                batch.AddRange(FileRows.HashKeys(f).Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(space, k), ETag.All)));
            }
            batch.AddRange(actions.Select((a, i) => new TableTransactionAction(TableTransactionActionType.Add, CaseRows.ToEntity(space, a, CaseRows.UserActionKey(a, i)))));
            await hooks.At(Testing.HookPoints.FileDetach, space, ct);
            try
            {
                if (await TrySubmit(table, batch, attempt, ct)) return;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                if (await NoneLeft(table, space, caseId, files, ct)) return;
                throw;
            }
        }
    }

    static async Task<bool> NoneLeft(TableClient table, string space, string caseId, IReadOnlyList<CaseFile> files, CancellationToken ct)
    {
        foreach (var f in files)
            if (await FileRows.Exists(table, space, caseId, f.Id, ct)) return false;
        return true;
    }

    public async Task<bool> Exists(string space, string caseId, string fileId, CancellationToken ct) =>
        await FileRows.Exists(await tables.Cases(ct), space, caseId, fileId, ct);

    static TableTransactionAction Counters(string space, string caseId, CaseCounters counters, int totalFiles, int newActions) =>
        new(TableTransactionActionType.UpdateMerge,
            new TableEntity(space, CaseRows.CaseKey(caseId))
            {
                [CaseColumns.TotalFiles] = totalFiles,
                [CaseColumns.Actions] = counters.Actions + newActions,
                // A file is one of the case's attachments: reading the case must look for them.
                [CaseColumns.HasAttachments] = true,
            },
            counters.ETag);

    static async Task<bool> TrySubmit(TableClient table, List<TableTransactionAction> batch, int attempt, CancellationToken ct)
    {
        try
        {
            await table.SubmitTransactionAsync(batch, ct);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 412 && attempt < Attempts)
        {
            return false; // the case row moved (an edit, a counter, a number): read it again and retry
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 412)
        {
            throw CasesException.Conflict("The case kept changing while the files were being recorded; try again.");
        }
    }

    /// <summary>The case holding a file of the space (from its space-level row), if the file exists.</summary>
    public async Task<string?> CaseOf(string space, string fileId, CancellationToken ct)
    {
        if (!Guid.TryParse(fileId, out _)) return null;
        var table = await tables.Cases(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(space, FileRows.SpaceKey(fileId), ["CaseId"], ct);
        return row.HasValue ? row.Value!.GetString("CaseId") : null;
    }

    public async Task<CaseFile?> Get(string space, string caseId, string fileId, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(space, FileRows.ItemKey(caseId, fileId), cancellationToken: ct);
        return row.HasValue ? FileRows.FromEntity(row.Value!) : null;
    }

    public Task<List<CaseFile>> ListCase(string space, string caseId, CancellationToken ct) => Range(space, FileRows.ItemPrefix(caseId), ct);

    public Task<List<CaseFile>> ListSpace(string space, CancellationToken ct) => Range(space, FileRows.SpacePrefix, ct);

    /// <summary>The files of a space whose MD5, SHA-1 or SHA-256 is <paramref name="hex"/>.</summary>
    public async Task<List<CaseFile>> FindByHash(string space, string hex, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var prefix = FileRows.HashRangePrefix(hex);
        var filter = CaseRows.RangeFilter(space, prefix);
        var files = new List<CaseFile>();
        await foreach (var hit in table.QueryAsync<TableEntity>(filter, select: ["FileId", "CaseId"], cancellationToken: ct))
            if (await Get(space, hit.GetString("CaseId"), hit.GetString("FileId"), ct) is { } file)
                files.Add(file);
        return files;
    }

    async Task<List<CaseFile>> Range(string space, string prefix, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var filter = CaseRows.RangeFilter(space, prefix);
        var files = new List<CaseFile>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            files.Add(FileRows.FromEntity(row));
        return files;
    }

    /// <summary>
    /// Part of deleting a case (CaseStore.Purge, which then removes the case's item rows): the blobs first, then the
    /// space-level index rows. Safe to repeat, so a purge cut off midway finishes on the next delete.
    /// </summary>
    public async Task PurgeCase(string space, string caseId, CancellationToken ct)
    {
        await blobs.DeleteCase(space, caseId, ct);
        var table = await tables.Cases(ct);
        foreach (var f in await ListCase(space, caseId, ct))
        {
            foreach (var key in FileRows.HashKeys(f).Prepend(FileRows.SpaceKey(f.Id)))
                await table.DeleteEntityAsync(space, key, ETag.All, ct);
        }
    }


    static CasesException NotFound(string caseId) => CasesException.CaseNotFound(caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blobs of deleted files of case {CaseId} are left to the timer's sweep")]
    static partial void LogLeftForSweep(ILogger logger, Exception ex, string caseId);
}
