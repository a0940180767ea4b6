using Microsoft.AspNetCore.Mvc;
using Cases.Domain.Ids;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.Observables;
using Cases.Domain.UserActions;
using Cases.Domain.Users;
using Cases.Functions.Access;
using Cases.Functions.Cases;
using Cases.Functions.Files;
using Cases.Functions.Hosting;
using Cases.Functions.Identity;
using Cases.Functions.Notifications;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Attachments;

/// <summary>Kibana's attachment routes (<c>/cases/{caseId}/comments...</c>, alerts), plus events and attachment search.</summary>
public static partial class AttachmentsApi
{
    public static void MapAttachmentsApi(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup("/cases").WithTags("comments");
        cases.MapPost("/{caseId}/comments", Add).WithName("addCaseComment").RequiresCases(CasePrivilege.Comment, "comment").ReadsJson().ProducesErrors(404);
        cases.MapPatch("/{caseId}/comments", Update).WithName("updateCaseComment").RequiresCases(CasePrivilege.Update, "comment").ReadsJson().ProducesErrors(404, 409);
        cases.MapDelete("/{caseId}/comments", DeleteAll).WithName("deleteCaseComments").RequiresCases(CasePrivilege.Delete, "comments").ProducesErrors(400, 404);
        cases.MapGet("/{caseId}/comments", GetAll).WithName("getAllCaseComments").RequiresCases(CasePrivilege.Read, "comments").ProducesErrors(404);
        cases.MapGet("/{caseId}/comments/_find", Find).WithName("findCaseComments").RequiresCases(CasePrivilege.Read, "comments").ProducesErrors(400, 404);
        cases.MapGet("/{caseId}/comments/{commentId}", GetOne).WithName("getCaseComment").RequiresCases(CasePrivilege.Read, "comment").ProducesErrors(404);
        cases.MapDelete("/{caseId}/comments/{commentId}", DeleteOne).WithName("deleteCaseComment").RequiresCases(CasePrivilege.Delete, "comment").ProducesErrors(400, 404);
        cases.MapGet("/{caseId}/alerts", AttachmentQueryApi.CaseAlerts).WithTags("alerts").WithName("getCaseAlerts").RequiresCases(CasePrivilege.Read, "comments").ProducesErrors(404);
        cases.MapGet("/alerts/{alertId}", AttachmentQueryApi.CasesByAlert).WithTags("alerts").WithName("getCasesByAlert").RequiresCases(CasePrivilege.Read).ProducesErrors(400);
        cases.MapGet("/{caseId}/events", AttachmentQueryApi.CaseEvents).WithName("getCaseEvents").RequiresCases(CasePrivilege.Read, "comments").ProducesErrors(404);
        cases.MapGet("/{caseId}/attachments/_search", AttachmentQueryApi.Search).WithName("searchCaseAttachments").RequiresCases(CasePrivilege.Read, "comments").ProducesErrors(400, 404);
    }

    static async Task<Ok<CaseResponse>> Add(string caseId, HttpContext http, [AsParameters] AttachmentServices s, CancellationToken ct)
    {
        var space = Space.Of(http);
        var input = AttachmentValidation.Validate(await RequestJson.ReadObject(http.Request, ct));
        AttachmentRows.CheckAlertIds(input);
        var user = s.Identity.Of(http);
        var now = s.Time.Now();
        CaseRecord record;
        if (input.Type != AttachmentTypes.Alert)
        {
            record = await AttachmentCommits.Commit(s.Cases, s.Store, space, caseId, async current =>
            {
                CasesAccess.Of(http).Require(CasePrivilege.Comment, "comment", current.Record.Case.Owner);
                CheckOwner(current, input);
                await CheckQuote(s.Store, space, caseId, input, ct);
                await CheckReferenceRoom(s.Store, space, caseId, input, ct);
                return await PlanAdd(s.Store, space, current, input, user, now, ct);
            }, ct);
            await s.Events.CommentAddedTo(space, record, input.Type, user, now);
            return TypedResults.Ok(await WithComments(s.Store, space, record, ct));
        }

        // Alerts not yet on the case, in transaction-sized parts: each part is committed with its index rows and counters.
        // A syncing case publishes its status for them: noted before the first part commits, from the case that part reads,
        // so that it cannot be lost (see AlertStatusSync).
        AlertSyncOutbox.Note? note = null;
        var more = true;
        var added = new List<(string, string)>();
        do
        {
            NewAttachment? part = null;
            record = await AttachmentCommits.Commit(s.Cases, s.Store, space, caseId, async current =>
            {
                CasesAccess.Of(http).Require(CasePrivilege.Comment, "comment", current.Record.Case.Owner);
                CheckOwner(current, input);
                if (current.Record.Case.Status == CaseStatus.Closed) throw CasesException.BadRequest("Alert cannot be attached to a closed case");
                var attached = (await s.Store.List(space, caseId, ct, AttachmentTypes.Alert)).SelectMany(a => a.Attachment.AlertIds).ToHashSet(StringComparer.Ordinal);
                var parts = AttachmentRules.Split(input, attached, current.Record.TotalAlerts);
                more = parts.Count > 1;
                part = parts.FirstOrDefault();
                if (part is null) return null;
                note ??= await s.AlertSync.Expect(space, caseId, current.Record.Case.Settings.SyncAlerts, ct);
                return await PlanAdd(s.Store, space, current, part, user, now, ct);
            }, ct);
            if (part is not null)
                added.AddRange(part.Fields["alertId"]!.AsArray().Zip(part.Fields["index"]!.AsArray(), (a, i) => (a!.GetValue<string>(), i!.GetValue<string>())));
        } while (more);
        await s.AlertSync.AlertsAttached(space, record.Case, added, note);
        await s.Events.AlertsAttachedTo(space, record, added.Count, user, now);
        return TypedResults.Ok(await WithComments(s.Store, space, record, ct));
    }

    static async Task<AttachmentChange> PlanAdd(AttachmentStore store, string space, StoredCase current, NewAttachment input, CaseUser user, DateTimeOffset now, CancellationToken ct)
    {
        var c = current.Record.Case;
        var (attachment, action) = AttachmentRules.Add(input, c.Id, ObjectIds.New(), user, now, ObjectIds.New);
        attachment = attachment with { Sequence = current.ActionCount, Indexed = true };
        var rows = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, AttachmentRows.ToEntity(space, attachment)),
            new(TableTransactionActionType.Add, AttachmentRows.CaseIndexEntity(space, attachment)),
        };
        rows.AddRange(AttachmentRows.AlertIndexEntities(space, attachment).Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        var actions = new List<UserAction> { action };
        if (attachment.Type == AttachmentTypes.Alert && c.Settings.ExtractObservables == true)
        {
            var observables = await store.Observables(space, c.Id, ct);
            var extracted = ObservableRules.Extract(observables, attachment.AlertEcs, now, ObjectIds.New);
            if (extracted.Count > 0)
            {
                rows.Add(new(TableTransactionActionType.UpsertReplace, AttachmentRows.ObservablesEntity(space, c.Id, [.. observables, .. extracted])));
                actions.Add(ObservablesApi.Action(c, UserActionVerbs.Add, extracted.Count, user, now));
            }
        }
        var next = current.Record with
        {
            Case = Touch(c, user, now),
            TotalComment = current.Record.TotalComment + (attachment.Type == AttachmentTypes.User ? 1 : 0),
            TotalAlerts = current.Record.TotalAlerts + attachment.AlertIds.Count,
        };
        return new AttachmentChange(next, actions, rows);
    }

    static async Task<Ok<CaseResponse>> Update(string caseId, HttpContext http, CaseStore cases, AttachmentStore store, CallerIdentity identity, TimeProvider time, CancellationToken ct)
    {
        var space = Space.Of(http);
        var body = await RequestJson.ReadObject(http.Request, ct);
        var input = AttachmentValidation.Validate(body, "id", "version");
        AttachmentRows.CheckAlertIds(input);
        var id = RequiredText(body, "id");
        var version = RequiredText(body, "version");
        var user = identity.Of(http);
        var now = time.Now();
        var record = await AttachmentCommits.Commit(cases, store, space, caseId, async current =>
        {
            CasesAccess.Of(http).Require(CasePrivilege.Update, "comment", current.Record.Case.Owner);
            var stored = (ObjectIds.IsWellFormed(id) ? await store.Get(space, caseId, id, ct) : null)
                ?? throw await CommentNotFound(store, space, caseId, id, ct);
            if (AttachmentRules.Update(stored.Attachment, input, version, user, now, ObjectIds.New) is not { } edit) return null;
            var (next, action) = edit;
            var rows = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, AttachmentRows.ToEntity(space, next), stored.ETag) };
            var before = stored.Attachment.AlertIds;
            var added = next.AlertIds.Except(before).ToArray();
            var removed = before.Except(next.AlertIds).ToArray();
            if (next.Type == AttachmentTypes.Alert)
            {
                if (next.AlertIds.Count + removed.Length > AttachmentLimits.AlertsPerTransaction)
                    throw CasesException.BadRequest($"An alert attachment can be edited with at most {AttachmentLimits.AlertsPerTransaction} alerts; attach more alerts as a new attachment.");
                if (added.Length > 0)
                {
                    var elsewhere = (await store.List(space, caseId, ct, AttachmentTypes.Alert)).Where(a => a.Attachment.Id != id).SelectMany(a => a.Attachment.AlertIds).ToHashSet();
                    if (added.FirstOrDefault(elsewhere.Contains) is { } dup)
                        throw CasesException.BadRequest($"The alert {dup} is already attached to the case.");
                    if (current.Record.TotalAlerts + added.Length - removed.Length > AttachmentLimits.AlertsPerCase)
                        throw CasesException.BadRequest($"Case has reached the maximum allowed number ({AttachmentLimits.AlertsPerCase}) of attached alerts.");
                }
                rows.AddRange(removed.Select(a => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(space, AttachmentRows.AlertIndexKey(a, caseId)), ETag.All)));
                rows.AddRange(AttachmentRows.AlertIndexEntities(space, next).Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)));
            }
            var c = current.Record.Case;
            return new AttachmentChange(
                current.Record with { Case = Touch(c, user, now), TotalAlerts = current.Record.TotalAlerts + added.Length - removed.Length },
                [action], rows);
        }, ct);
        return TypedResults.Ok(await WithComments(store, space, record, ct));
    }

    static async Task<NoContent> DeleteOne(string caseId, string commentId, HttpContext http, CaseStore cases, AttachmentStore store, CallerIdentity identity, TimeProvider time, CancellationToken ct)
    {
        var space = Space.Of(http);
        var user = identity.Of(http);
        var now = time.Now();
        CaseFile? file = null;
        await AttachmentCommits.Commit(cases, store, space, caseId, async current =>
        {
            CasesAccess.Of(http).Require(CasePrivilege.Delete, "comment", current.Record.Case.Owner);
            var stored = ObjectIds.IsWellFormed(commentId) ? await store.Get(space, caseId, commentId, ct) : null;
            if (stored is null)
            {
                // A file is deleted as an attachment too, with its blob (the files' own transaction, below).
                file = await File(store, space, caseId, commentId, ct) ?? throw await CommentNotFound(store, space, caseId, commentId, ct);
                return null;
            }
            return PlanDelete(space, current, [stored], user, now);
        }, ct);
        if (file is not null) await DeleteFiles(store, space, caseId, [file], user, now, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Removes files with their rows, blobs and one user action each (the whole deleted attachment, as for any other).</summary>
    static Task DeleteFiles(AttachmentStore store, string space, string caseId, IReadOnlyList<CaseFile> files, CaseUser user, DateTimeOffset now, CancellationToken ct)
    {
        var actions = files.Select(f =>
        {
            var attachment = FileAttachment.AsAttachment(f);
            return AttachmentRules.Delete(attachment, AttachmentResponse.Json(attachment), user, now, ObjectIds.New);
        }).ToList();
        return store.Files.Detach(space, caseId, files, actions, ct);
    }

    static async Task<CaseFile?> File(AttachmentStore store, string space, string caseId, string id, CancellationToken ct) =>
        Guid.TryParse(id, out _) ? await store.Files.Get(space, caseId, id, ct) : null;

    /// <summary>Deletes every attachment, as many per transaction as fit (each with its index rows and user action).</summary>
    static async Task<NoContent> DeleteAll(string caseId, HttpContext http, CaseStore cases, AttachmentStore store, CallerIdentity identity, TimeProvider time, CancellationToken ct)
    {
        var space = Space.Of(http);
        var user = identity.Of(http);
        var now = time.Now();
        var done = false;
        var first = true;
        while (!done)
        {
            await AttachmentCommits.Commit(cases, store, space, caseId, async current =>
            {
                CasesAccess.Of(http).Require(CasePrivilege.Delete, "comments", current.Record.Case.Owner);
                var all = await store.List(space, caseId, ct);
                if (all.Count == 0 && first && (await store.Files.ListCase(space, caseId, ct)).Count == 0)
                    throw CasesException.NotFound($"No comments found for {caseId}.");
                first = false;
                var batch = new List<StoredAttachment>();
                var operations = 2; // the case row and its change note
                foreach (var a in all)
                {
                    var cost = 2 + a.Attachment.AlertIds.Count + (a.Attachment.Indexed ? 1 : 0);
                    if (operations + cost > 100) break;
                    batch.Add(a);
                    operations += cost;
                }
                done = batch.Count == all.Count;
                return batch.Count == 0 ? null : PlanDelete(space, current, batch, user, now);
            }, ct);
        }
        // Then the files, each transaction within the 100 operations an entity-group transaction allows.
        foreach (var part in (await store.Files.ListCase(space, caseId, ct)).Chunk(FileStore.DetachPerTransaction))
            await DeleteFiles(store, space, caseId, part, user, now, ct);
        return TypedResults.NoContent();
    }

    static AttachmentChange PlanDelete(string space, StoredCase current, IReadOnlyList<StoredAttachment> doomed, CaseUser user, DateTimeOffset now)
    {
        var rows = new List<TableTransactionAction>();
        var actions = new List<UserAction>();
        foreach (var (a, etag) in doomed)
        {
            rows.Add(new(TableTransactionActionType.Delete, new TableEntity(space, AttachmentRows.AttachmentKey(a.CaseId, a.Id)), etag));
            if (a.Indexed) rows.Add(new(TableTransactionActionType.Delete, new TableEntity(space, AttachmentRows.CaseIndexKey(a.Id)), ETag.All));
            rows.AddRange(a.AlertIds.Select(id => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(space, AttachmentRows.AlertIndexKey(id, a.CaseId)), ETag.All)));
            actions.Add(AttachmentRules.Delete(a, AttachmentResponse.Json(a), user, now, ObjectIds.New));
        }
        var next = current.Record with
        {
            Case = Touch(current.Record.Case, user, now),
            TotalComment = Math.Max(0, current.Record.TotalComment - doomed.Count(d => d.Attachment.Type == AttachmentTypes.User)),
            TotalAlerts = Math.Max(0, current.Record.TotalAlerts - doomed.Sum(d => d.Attachment.AlertIds.Count)),
        };
        return new AttachmentChange(next, actions, rows);
    }

    static async Task<Ok<JsonObject>> GetOne(string caseId, string commentId, HttpContext http, CaseStore cases, AttachmentStore store, CancellationToken ct)
    {
        var space = Space.Of(http);
        await LoadReadable(http, cases, space, caseId, "comment", ct);
        var stored = (ObjectIds.IsWellFormed(commentId) ? await store.Get(space, caseId, commentId, ct) : null)?.Attachment
            ?? (await File(store, space, caseId, commentId, ct) is { } file ? FileAttachment.AsAttachment(file) : null)
            ?? throw await CommentNotFound(store, space, caseId, commentId, ct);
        return TypedResults.Ok(AttachmentResponse.Json(stored));
    }

    static async Task<Ok<List<JsonNode>>> GetAll(string caseId, HttpContext http, CaseStore cases, AttachmentStore store, CancellationToken ct)
    {
        var space = Space.Of(http);
        await LoadReadable(http, cases, space, caseId, "comments", ct);
        return TypedResults.Ok(AttachmentResponse.List(await store.ListAll(space, caseId, ct)));
    }

    /// <summary>
    /// Kibana's <c>comments/_find</c>: the user comments only (other attachment types are not "comments" there), oldest
    /// first unless sortOrder=desc, in the order of the case's <c>comments</c>, paged.
    /// </summary>
    static async Task<Ok<JsonObject>> Find(string caseId, HttpContext http, CaseStore cases, AttachmentStore store, CancellationToken ct)
    {
        var space = Space.Of(http);
        var query = http.Request.Query;
        QueryValues.RejectUnknown(query, "page", "perPage", "sortOrder");
        var descending = QueryValues.Descending(query, fallback: false);
        var (page, perPage) = QueryValues.Paging(query, CaseLimits.PerPageMax);
        await LoadReadable(http, cases, space, caseId, "comments", ct);
        var all = (await store.List(space, caseId, ct, AttachmentTypes.User)).Select(a => a.Attachment).ToList();
        if (descending) all.Reverse();
        return TypedResults.Ok(new JsonObject
        {
            ["comments"] = new JsonArray(all.Skip((page - 1) * perPage).Take(perPage).Select(a => (JsonNode?)AttachmentResponse.Json(a)).ToArray()),
            ["page"] = page,
            ["per_page"] = perPage,
            ["total"] = all.Count,
        });
    }

    /// <summary>The case, once the caller may read its owner's cases (Kibana's 403 otherwise).</summary>
    internal static async Task<StoredCase> LoadReadable(HttpContext http, CaseStore cases, string space, string caseId, string docType, CancellationToken ct)
    {
        var stored = await CasesApi.Load(cases, space, caseId, ct);
        CasesAccess.Of(http).Require(CasePrivilege.Read, docType, stored.Record.Case.Owner);
        return stored;
    }

    internal static async Task<CaseResponse> WithComments(AttachmentStore store, string space, CaseRecord record, CancellationToken ct) =>
        CaseResponse.From(record, AttachmentResponse.List(await store.ListAll(space, record.Case.Id, ct)));

    /// <summary>Attachment changes show on the case's updated_at/updated_by, as in Kibana, without a new version.</summary>
    internal static Case Touch(Case c, CaseUser user, DateTimeOffset now) => c with { UpdatedAt = now, UpdatedBy = user };

    static void CheckOwner(StoredCase current, NewAttachment input)
    {
        if (input.Owner != current.Record.Case.Owner)
            throw CasesException.BadRequest($"The owner \"{input.Owner}\" of the attachment does not match the owner \"{current.Record.Case.Owner}\" of the case.");
    }

    /// <summary>A quote keeps a reference to the comment it quotes, which must be on the same case when quoted.</summary>
    static async Task CheckQuote(AttachmentStore store, string space, string caseId, NewAttachment input, CancellationToken ct)
    {
        if (input.Fields["quotedCommentId"]?.GetValue<string>() is not { } quoted) return;
        if (!ObjectIds.IsWellFormed(quoted) || await store.Get(space, caseId, quoted, ct) is null)
            throw CasesException.BadRequest($"The quoted comment {quoted} does not exist on this case.");
    }

    /// <summary>
    /// Kibana's limit: at most 100 persistable-state and external-reference attachments together on a case; files
    /// (<c>.files</c> references) have their own limit and do not count.
    /// </summary>
    static async Task CheckReferenceRoom(AttachmentStore store, string space, string caseId, NewAttachment input, CancellationToken ct)
    {
        if (!AttachmentRules.CountsAsReference(input.Type, input.Fields)) return;
        var held = (await store.List(space, caseId, ct)).Count(a => AttachmentRules.CountsAsReference(a.Attachment.Type, a.Attachment.Fields));
        if (held + 1 > AttachmentLimits.ReferencesPerCase)
            throw CasesException.BadRequest(
                $"Case has reached the maximum allowed number ({AttachmentLimits.ReferencesPerCase}) of attached persistable state and external reference attachments.");
    }

    static string RequiredText(JsonObject body, string key) =>
        body[key] is JsonValue v && v.TryGetValue(out string? text) && text.Length > 0 ? text : throw CasesException.InvalidValue(key, body[key]?.ToJsonString());

    /// <summary>Kibana's 404s: an attachment of another case is named as such; one that does not exist at all as a saved object.</summary>
    static async Task<CasesException> CommentNotFound(AttachmentStore store, string space, string caseId, string id, CancellationToken ct) =>
        ObjectIds.IsWellFormed(id) && await store.OtherCaseHolding(space, caseId, id, ct) is not null
            ? CasesException.NotFound($"This comment {id} does not exist in {caseId}.")
            : CasesException.NotFound($"Saved object [cases-comments/{id}] not found");

}

/// <summary>What the handlers that change a case's attachments or observables use, bound per request with <c>[AsParameters]</c>.
/// <c>[FromServices]</c> is explicit: the request delegate generator cannot tell a service from a body at compile time.</summary>
public sealed class AttachmentServices(
    [FromServices] CaseStore cases,
    [FromServices] AttachmentStore store,
    [FromServices] CallerIdentity identity,
    [FromServices] TimeProvider time,
    [FromServices] AlertStatusSync alertSync,
    [FromServices] CaseEvents events)
{
    public CaseStore Cases { get; } = cases;
    public AttachmentStore Store { get; } = store;
    public CallerIdentity Identity { get; } = identity;
    public TimeProvider Time { get; } = time;
    public AlertStatusSync AlertSync { get; } = alertSync;
    public CaseEvents Events { get; } = events;
}
