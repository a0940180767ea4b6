using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Functions.Cases;

namespace Cases.Functions.Attachments;

/// <summary>
/// Optimistic commits of attachment changes: read the case, plan the change against what is stored now, commit it
/// conditional on the case row's ETag; if anything moved meanwhile, read and plan again. A counter race therefore never
/// reaches the client; only a stale attachment <c>version</c> does (as 409, from the plan).
/// </summary>
public static class AttachmentCommits
{
    const int Attempts = 10;

    /// <summary>Returns the committed case, or the case as read when the plan found nothing to change (null).</summary>
    public static async Task<CaseRecord> Commit(CaseStore cases, AttachmentStore store, string space, string caseId,
        Func<StoredCase, Task<AttachmentChange?>> plan, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await CasesApi.Load(cases, space, caseId, ct);
            var change = await plan(current);
            if (change is null) return current.Record;
            CaseLimits.CheckActions(caseId, current.ActionCount, change.Actions.Count);
            if (await store.TryCommit(space, current, change, ct)) return change.Next;
            if (attempt == Attempts)
                throw new CasesException(503, "The case is being changed by many requests at once; try again shortly.");
            await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
        }
    }
}
