using Cases.Domain.UserActions;
using Cases.Functions.Attachments;
using Cases.Functions.Cases;
using Cases.Functions.Files;
using Cases.Functions.Storage;

namespace Cases.Functions.Deletion;

/// <summary>
/// Deletes a case in two steps that survive a crash between them: first the case is marked deleted together with the
/// delete_case record (from then on it is gone for every reader), then everything it owns is removed. A delete cut off
/// after the mark is finished by deleting the same id again.
/// </summary>
public sealed class CaseDeletion(CaseStore cases, FileStore files, CasesTables tables, Testing.TestHooks hooks)
{
    public async Task Delete(string space, StoredCase current, UserAction deleted, CancellationToken ct)
    {
        var caseId = current.Record.Case.Id;
        if (!current.Deleted) await cases.MarkDeleted(space, current, deleted, ct);
        // Index rows live outside the case's prefix and are found through its attachments, so they go first.
        await AlertIndex.Purge(await tables.Cases(ct), space, caseId, ct);
        await hooks.At(Testing.HookPoints.PurgedAlertIndex, space, ct);
        // Blobs and file index rows likewise, while the case's file rows still list them.
        await files.PurgeCase(space, caseId, ct);
        await hooks.At(Testing.HookPoints.PurgedFiles, space, ct);
        await cases.PurgeRows(space, caseId, ct);
    }
}
