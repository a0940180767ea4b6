using Microsoft.AspNetCore.Mvc;
using Cases.Functions.Connectors;
using Cases.Domain.Ids;
using Cases.Domain.Cases;
using Cases.Functions.Access;
using Cases.Domain.Errors;
using Cases.Domain.Settings;
using Cases.Domain.UserActions;
using Cases.Functions.Attachments;
using Cases.Functions.Hosting;
using Cases.Functions.Identity;
using Cases.Functions.Notifications;
using Cases.Functions.Settings;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Cases;

/// <summary>Kibana's case routes: create, get, bulk update, bulk delete and find.</summary>
public static class CasesApi
{
    public static void MapCasesApi(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup("/cases").WithTags("cases");
        cases.MapPost("/", Create).WithName("createCase").RequiresCases(CasePrivilege.Create, "case").ReadsJson();
        cases.MapPatch("/", Update).WithName("updateCases").RequiresCases(CasePrivilege.Update, "case").ReadsJson()
            .ProducesErrors(404, 406, 409);
        cases.MapDelete("/", Delete).WithName("deleteCases").RequiresCases(CasePrivilege.Delete, "case")
            .ProducesErrors(400, 404);
        cases.MapGet("/{caseId}", Get).WithName("getCase").RequiresCases(CasePrivilege.Read, "case").ProducesErrors(404);
    }

    static async Task<Ok<CaseResponse>> Create(HttpContext http, [AsParameters] CaseServices s, CancellationToken ct)
    {
        var space = Space.Of(http);
        var input = await CaseRequests.ReadNewCase(http.Request, ct);
        // The owner's settings in this space decide the custom fields and may supply a template.
        var owner = CaseValidation.Owner(input.Owner);
        CasesAccess.Of(http).Require(CasePrivilege.Create, "case", owner);
        var (id, now) = (ObjectIds.New(), s.Time.Now());
        // The numbering queue row goes beside the settings read (one round trip for both), the case then in one transaction.
        var reading = s.Settings.Get(space, owner, ct);
        await Task.WhenAll(reading, s.Store.QueueForNumber(space, id, now, ct));
        var settings = (await reading)?.Configuration;
        input = TemplateRules.Apply(input, owner, settings);
        // The connector must exist in this space, with its type's fields.
        if (input.Connector is { } connector) input = input with { Connector = await s.Connectors.Check(space, CaseValidation.Connector(connector), ct) };
        var (created, action) = CaseRules.Create(input, id, s.Identity.Of(http), now, ObjectIds.New, settings?.CustomFields);
        var record = new CaseRecord(created, Version: 1, TotalComment: 0, TotalAlerts: 0, IncrementalId: null);
        await s.Store.Create(space, record, action, ct);
        await s.Events.CaseCreated(space, record, created.CreatedBy, created.CreatedAt);
        return TypedResults.Ok(CaseResponse.From(record));
    }

    static async Task<Ok<CaseResponse>> Get(string caseId, HttpContext http, CaseStore store, AttachmentStore attachments, CancellationToken ct)
    {
        var space = Space.Of(http);
        var stored = await Load(store, space, caseId, ct);
        CasesAccess.Of(http).Require(CasePrivilege.Read, "case", stored.Record.Case.Owner);
        // includeComments (deprecated in Kibana, default true) leaves the attachments out when false.
        if (QueryValues.Single(http.Request.Query, "includeComments") == "false" || !stored.HasAttachments)
            return TypedResults.Ok(CaseResponse.From(stored.Record));
        return TypedResults.Ok(await AttachmentsApi.WithComments(attachments, space, stored.Record, ct));
    }

    /// <summary>
    /// Every case of the request is checked (exists, version current, fields valid, something changes) before any
    /// is written; each case is then committed with its user actions in one transaction.
    /// </summary>
    static async Task<Ok<List<CaseResponse>>> Update(HttpContext http, [AsParameters] CaseServices s, CancellationToken ct)
    {
        var space = Space.Of(http);
        var patches = await CaseRequests.ReadPatches(http.Request, ct);
        for (var i = 0; i < patches.Count; i++)
            if (patches[i].Connector is { IsSet: true, Value: { } connector })
                patches[i] = patches[i] with { Connector = await s.Connectors.Check(space, CaseValidation.Connector(connector), ct) };
        var user = s.Identity.Of(http);
        var now = s.Time.Now();

        var stored = await Task.WhenAll(patches.Select(p => ObjectIds.IsWellFormed(p.Id) ? s.Store.Get(space, p.Id, ct) : Task.FromResult<StoredCase?>(null)));
        var missing = patches.Where((p, i) => stored[i] is null).Select(p => p.Id).ToArray();
        if (missing.Length > 0)
            throw CasesException.NotFound($"These cases {string.Join(", ", missing)} do not exist. Please check you have the correct ids.");
        RequireUpdate(CasesAccess.Of(http), patches, stored!);
        var stale = patches.Where((p, i) => p.Version != CaseVersion.Encode(stored[i]!.Record.Version)).Select(p => p.Id).ToArray();
        if (stale.Length > 0) throw StaleCases(stale);

        // Custom fields are checked against the settings of each case's owner, read once per owner.
        var customFields = await CustomFieldsByOwner(s.Settings, space,
            patches.Select((p, i) => (p, i)).Where(x => x.p.CustomFields.IsSet).Select(x => stored[x.i]!.Record.Case.Owner), ct);
        var changes = patches.Select((p, i) => CaseRules.Apply(stored[i]!.Record.Case, p, user, now, ObjectIds.New,
            customFields.GetValueOrDefault(stored[i]!.Record.Case.Owner))).ToArray();
        if (changes.All(c => c is null)) throw CasesException.NotAcceptable("All update fields are identical to current version.");
        for (var i = 0; i < patches.Count; i++)
            if (changes[i] is { } change) CaseLimits.CheckActions(patches[i].Id, stored[i]!.ActionCount, change.Actions.Count);

        var results = new List<CaseResponse>(patches.Count);
        var queueAnswers = true;
        for (var i = 0; i < patches.Count; i++)
        {
            var current = stored[i]!;
            if (changes[i] is not { } change)
            {
                results.Add(CaseResponse.From(current.Record));
                continue;
            }
            // syncAlerts: a status change is published for the case's alerts, noted first so that it cannot be lost.
            var note = await s.AlertSync.Expect(space, current.Record.Case.Id, AlertStatusSync.Publishes(current.Record.Case, change.Case), ct);
            var committed = await Commit(s.Store, space, current, patches[i], change, user, now,
                customFields.GetValueOrDefault(current.Record.Case.Owner), ct);
            // After a queue failure, the rest of the batch leaves its messages to the timer's run rather than wait again.
            queueAnswers = await s.AlertSync.CaseChanged(space, current.Record.Case, committed.Case, note, send: queueAnswers);
            await s.Events.CaseUpdated(space, current.Record, committed, user, now);
            results.Add(CaseResponse.From(committed));
        }
        return TypedResults.Ok(results);
    }

    /// <summary>
    /// Writes one case. If the row changed since it was read but the version did not (a counter or the case number
    /// moved), the change is applied again to the fresh row; if the version moved, the client's edit is stale.
    /// </summary>
    static async Task<CaseRecord> Commit(CaseStore store, string space, StoredCase current, CasePatch patch,
        (Case Case, List<UserAction> Actions) change, Domain.Users.CaseUser user, DateTimeOffset now,
        IReadOnlyList<CustomFieldConfig>? customFields, CancellationToken ct)
    {
        var readVersion = current.Record.Version;
        for (var attempt = 1; ; attempt++)
        {
            var next = current.Record with { Case = change.Case, Version = readVersion + 1 };
            if (await store.TryUpdate(space, current, next, change.Actions, ct)) return next;
            current = await store.Get(space, patch.Id, ct) ?? throw CasesException.NotFound($"These cases {patch.Id} do not exist. Please check you have the correct ids.");
            if (current.Record.Version != readVersion || attempt == 5) throw StaleCases([patch.Id]);
            change = CaseRules.Apply(current.Record.Case, patch, user, now, ObjectIds.New, customFields) ?? throw StaleCases([patch.Id]);
        }
    }

    static async Task<NoContent> Delete(HttpContext http, CaseStore store, Deletion.CaseDeletion deletion, CallerIdentity identity, TimeProvider time, CaseEvents events, CancellationToken ct)
    {
        var space = Space.Of(http);
        var ids = QueryValues.List(http.Request.Query, "ids").Distinct().ToList();
        if (ids.Count == 0) throw CasesException.BadRequest("The length of the field ids is too short. Array must be of length >= 1.");
        CaseValidation.MaxItems("ids", ids.Count, CaseLimits.BulkDeleteMax);
        var stored = await Task.WhenAll(ids.Select(async id => (ObjectIds.IsWellFormed(id) ? await store.Get(space, id, ct, includeDeleted: true) : null)
            ?? throw CasesException.CaseNotFound(id)));
        CasesAccess.Of(http).Require(CasePrivilege.Delete, "case", stored.Select(s => s.Record.Case.Owner));
        var user = identity.Of(http);
        var now = time.Now();
        foreach (var current in stored)
        {
            var c = current.Record.Case;
            var deleted = new UserAction(ObjectIds.New(), c.Id, UserActionVerbs.Delete, UserActionTypes.DeleteCase, [], now, user, c.Owner);
            await deletion.Delete(space, current, deleted, ct);
            await events.CaseDeleted(space, current.Record, user, now);
        }
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Every case of a bulk update is allowed before any is written: update on its owner, plus the sub-features a patch
    /// uses (reopening a closed case, changing assignees).
    /// </summary>
    static void RequireUpdate(CasesAccess access, IReadOnlyList<CasePatch> patches, StoredCase?[] stored)
    {
        var cases = patches.Select((p, i) => (Patch: p, Case: stored[i]!.Record.Case)).ToList();
        access.Require(CasePrivilege.Update, "case", cases.Select(c => c.Case.Owner));
        access.Require(CasePrivilege.Reopen, "case", cases
            .Where(c => c.Case.Status == CaseStatus.Closed && c.Patch.Status is { IsSet: true, Value: { } status } && status != CaseStatus.Closed)
            .Select(c => c.Case.Owner));
        access.Require(CasePrivilege.Assign, "case", cases.Where(c => c.Patch.Assignees.IsSet).Select(c => c.Case.Owner));
    }

    /// <summary>The configured custom fields of each owner that has settings in the space.</summary>
    static async Task<Dictionary<string, IReadOnlyList<CustomFieldConfig>>> CustomFieldsByOwner(ConfigurationStore settingsStore, string space,
        IEnumerable<string> owners, CancellationToken ct)
    {
        var result = new Dictionary<string, IReadOnlyList<CustomFieldConfig>>();
        foreach (var owner in owners.Distinct())
            if (await settingsStore.Get(space, owner, ct) is { } settings)
                result[owner] = settings.Configuration.CustomFields;
        return result;
    }

    internal static async Task<StoredCase> Load(CaseStore store, string space, string caseId, CancellationToken ct) =>
        (ObjectIds.IsWellFormed(caseId) ? await store.Get(space, caseId, ct) : null)
        ?? throw CasesException.CaseNotFound(caseId);

    static CasesException StaleCases(IEnumerable<string> ids) =>
        CasesException.Conflict($"These cases {string.Join(", ", ids)} has been updated. Please refresh before saving additional updates.");

}

/// <summary>What the case handlers that change cases use, bound per request with <c>[AsParameters]</c>.
/// <c>[FromServices]</c> is explicit: the request delegate generator cannot tell a service from a body at compile time.</summary>
public sealed class CaseServices(
    [FromServices] CaseStore store,
    [FromServices] ConfigurationStore settings,
    [FromServices] CallerIdentity identity,
    [FromServices] TimeProvider time,
    [FromServices] CaseConnectors connectors,
    [FromServices] AlertStatusSync alertSync,
    [FromServices] CaseEvents events)
{
    public CaseStore Store { get; } = store;
    public ConfigurationStore Settings { get; } = settings;
    public CallerIdentity Identity { get; } = identity;
    public TimeProvider Time { get; } = time;
    public CaseConnectors Connectors { get; } = connectors;
    public AlertStatusSync AlertSync { get; } = alertSync;
    public CaseEvents Events { get; } = events;
}
