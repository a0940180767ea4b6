using Cases.Domain.Ids;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.UserActions;
using Cases.Domain.Users;
using Cases.Functions.Attachments;
using Cases.Functions.Cases;
using Cases.Functions.Connectors.Systems;
using Cases.Functions.Hosting;
using Cases.Functions.Notifications;
using Cases.Functions.Outbound;
using Cases.Functions.Settings;

namespace Cases.Functions.Connectors;

/// <summary>
/// Pushes a case to a connector's system as Kibana does: the first push creates the incident, later ones update it;
/// user comments added or edited since the last push are sent as incident comments (with Kibana's "Added by" line), followed, when alerts were attached
/// since then, by Kibana's summary comment "Elastic Alerts attached to the case: N". Then, in one transaction, the case
/// gets <c>external_service</c> and a <c>pushed</c> user action (and is closed when its owner's settings say
/// <c>close-by-pushing</c>). A failure anywhere leaves the case as it was, and the next push carries on from what the
/// system already holds (see <see cref="PushRows"/>).
/// </summary>
public sealed class CasePusher(CaseStore cases, ConnectorStore connectors, PushRows pushes, AttachmentStore attachments,
    ConfigurationStore settings, AlertStatusSync alertSync, CaseLinks links, ExternalSystems systems, IHttpClientFactory clients, TimeProvider time,
    ILogger<CasePusher> logger)
{
    /// <summary><paramref name="authorize"/> checks the caller may push cases of the owner, before anything else happens.</summary>
    public async Task<CaseRecord> Push(string space, string caseId, string connectorId, CaseUser user, Action<string> authorize, CancellationToken ct)
    {
        var stored = await CasesApi.Load(cases, space, caseId, ct);
        var theCase = stored.Record.Case;
        authorize(theCase.Owner);
        if (theCase.Status == CaseStatus.Closed)
            throw CasesException.Conflict($"The {theCase.Title} case is closed. Pushing a closed case is not allowed.");
        var connector = await connectors.Get(space, connectorId, ct) ?? throw CasesException.NotFound($"Saved object [action/{connectorId}] not found");
        if (!connector.Kind.TakesCases(connector.Config))
            throw CasesException.BadRequest($"The connector {connectorId} cannot be used by cases (its connectorType is alerts).");
        if (connector.IsMissingSecrets)
            throw CasesException.BadRequest($"The connector {connectorId} is missing its secrets; update it with PUT /api/actions/connector/{connectorId}.");
        CaseLimits.CheckActions(caseId, stored.ActionCount, 2);

        var call = new ExternalCall(clients.CreateClient(OutboundServices.ConnectorsClient), connector, connectors.Secrets(connector), logger);
        var system = systems.For(connector.Kind);
        var pushed = Pushed(space, theCase, connectorId);
        if (connector.Kind == ConnectorKind.ServiceNowSir)
            pushed = pushed with { AlertEcs = (await attachments.List(space, caseId, ct, AttachmentTypes.Alert)).SelectMany(a => a.Attachment.AlertEcs).ToList() };
        var state = await pushes.Get(space, caseId, connectorId, ct);

        ExternalIncident incident;
        if (state.Incident is { } existing)
            incident = await system.Update(call, pushed, existing, ct);
        else
        {
            incident = await system.Create(call, pushed, ct);
            await pushes.IncidentCreated(space, caseId, connectorId, incident, ct);
        }

        var listedAt = time.Now();
        var sent = state.SentComments.ToHashSet();
        var comments = (await CommentsToSend(space, caseId, state, ct))
            .Select(c => (Mark: PushRows.CommentMark(c), Text: $"{c.Fields["comment"]?.GetValue<string>()}\n\n{AddedBy(c.UpdatedBy, c.CreatedBy)}"))
            .ToList();
        if (await AlertsSummary(space, theCase, state, ct) is { } summary && !sent.Contains(summary.Mark)) comments.Add(summary);
        foreach (var (mark, text) in comments)
        {
            await system.AddComment(call, pushed, incident, text, ct);
            sent.Add(mark);
            await pushes.CommentsSent(space, caseId, connectorId, sent, ct);
        }
        await system.Finish(call, pushed, incident, ct);
        return await Record(space, stored, connector, incident, user, listedAt, ct);
    }

    /// <summary>User comments created or edited since the last finished push, oldest first, minus those sent already.</summary>
    async Task<List<Attachment>> CommentsToSend(string space, string caseId, PushState state, CancellationToken ct) =>
        (await attachments.List(space, caseId, ct, AttachmentTypes.User))
            .Select(a => a.Attachment)
            .Where(a => state.LastPushedAt is not { } last || (a.UpdatedAt ?? a.CreatedAt) > last)
            .Where(a => !state.SentComments.Contains(PushRows.CommentMark(a)))
            .OrderBy(a => a.UpdatedAt ?? a.CreatedAt).ThenBy(a => a.Sequence)
            .ToList();

    /// <summary>
    /// Kibana's comment about the case's alerts (<c>server/client/cases/utils.ts</c>, <c>addAlertMessage</c>), sent to every
    /// connector type: when an alert was attached since the last push to this connector, "Elastic Alerts attached to the
    /// case: N" with N all alert ids of the case, and with <c>Cases:PublicBaseUrl</c> a link to the case's alerts tab.
    /// Kibana decides by each attachment's <c>pushed_at</c>, set by a push to any connector; here it is per connector.
    /// </summary>
    async Task<(string Mark, string Text)?> AlertsSummary(string space, Case theCase, PushState state, CancellationToken ct)
    {
        var alerts = (await attachments.List(space, theCase.Id, ct, AttachmentTypes.Alert)).Select(a => a.Attachment).ToList();
        if (!alerts.Any(a => state.LastPushedAt is not { } last || a.CreatedAt > last)) return null;
        var total = alerts.Sum(a => a.AlertIds.Count);
        var text = $"Elastic Alerts attached to the case: {total}";
        if (links.ForCase(space, theCase.Owner, theCase.Id) is { } url)
            text += $"\n\nFor more details, view the alerts in Kibana\nAlerts URL: {url}/?tabId=alerts";
        return ($"{theCase.Id}-total-alerts:{total}", text);
    }

    /// <summary>Commits external_service, the pushed action and, on close-by-pushing, the closure; re-read on a race.</summary>
    async Task<CaseRecord> Record(string space, StoredCase current, StoredConnector connector, ExternalIncident incident, CaseUser user,
        DateTimeOffset listedAt, CancellationToken ct)
    {
        var now = time.Now();
        var closes = (await settings.Get(space, current.Record.Case.Owner, ct))?.Configuration.ClosureType == "close-by-pushing";
        // Closing a case that syncs alerts publishes their status: noted before the commit, so it cannot be lost.
        var first = current.Record.Case;
        var note = await alertSync.Expect(space, first.Id, closes && first.Status != CaseStatus.Closed && first.Settings.SyncAlerts, ct);
        for (var attempt = 1; ; attempt++)
        {
            var before = current.Record.Case;
            var external = ExternalService(connector, incident, user, now);
            var next = before with { ExternalService = external, UpdatedAt = now, UpdatedBy = user };
            var actions = new List<UserAction>
            {
                new(ObjectIds.New(), before.Id, UserActionVerbs.PushToService, UserActionTypes.Pushed, new JsonObject { ["externalService"] = external.DeepClone() }, now, user, before.Owner),
            };
            if (closes && before.Status != CaseStatus.Closed)
            {
                next = CaseRules.WithStatus(next, CaseStatus.Closed, user, now);
                actions.Add(new(ObjectIds.New(), before.Id, UserActionVerbs.Update, UserActionTypes.Status, new JsonObject { ["status"] = CaseStatus.Closed }, now, user, before.Owner));
            }
            var record = current.Record with { Case = next, Version = current.Record.Version + 1 };
            if (await cases.TryUpdate(space, current, record, actions, ct, [PushRows.Finished(space, before.Id, connector.Id, incident, listedAt)]))
            {
                await alertSync.CaseChanged(space, before, next, note);
                return record;
            }
            // Someone changed the case meanwhile: the incident is up to date already; record the push on the fresh row.
            current = await cases.Get(space, before.Id, ct) ?? throw CasesException.CaseNotFound(before.Id);
            if (attempt == 5)
                throw CasesException.Conflict($"These cases {before.Id} has been updated. Please refresh before saving additional updates.");
        }
    }

    static JsonObject ExternalService(StoredConnector connector, ExternalIncident incident, CaseUser user, DateTimeOffset now) => new()
    {
        ["pushed_at"] = KibanaDateConverter.Text(now),
        ["pushed_by"] = JsonSerializer.SerializeToNode(user, CasesJsonContext.Default.CaseUser),
        ["connector_name"] = connector.Name,
        ["external_id"] = incident.Id,
        ["external_title"] = incident.Title,
        ["external_url"] = incident.Url,
        ["connector_id"] = connector.Id,
    };

    /// <summary>
    /// The case as pushed. The description gets Kibana's lines (cases <c>utils.ts</c>,
    /// <c>addKibanaInformationToDescription</c>): who added it and, with <c>Cases:PublicBaseUrl</c>, the case's link.
    /// </summary>
    PushedCase Pushed(string space, Case c, string connectorId)
    {
        var description = $"{c.Description}\n\n{AddedBy(c.UpdatedBy, c.CreatedBy)}";
        if (links.ForCase(space, c.Owner, c.Id) is { } url) description += $"\nFor more details, view this case in Kibana.\nCase URL: {url}";
        return new(c.Id, c.Title, description, c.Tags, c.Severity, c.Status,
            c.Connector.Id == connectorId ? c.Connector.Fields as JsonObject : null, time.Now());
    }

    /// <summary>Kibana's "Added by {user}." (cases <c>getEntity</c>): the last editor, else the author; full name, else user name.</summary>
    static string AddedBy(CaseUser? updatedBy, CaseUser createdBy)
    {
        var user = updatedBy ?? createdBy;
        var name = !string.IsNullOrEmpty(user.FullName) ? user.FullName : !string.IsNullOrEmpty(user.Username) ? user.Username : "Unknown";
        return $"Added by {name}.";
    }

}
