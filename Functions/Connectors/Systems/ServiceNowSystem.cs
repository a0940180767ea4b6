using System.Text.Json.Nodes;
using static Cases.Functions.Connectors.Systems.ExternalSystems;

namespace Cases.Functions.Connectors.Systems;

/// <summary>
/// ServiceNow ITSM (<c>incident</c>) and SecOps (<c>sn_si_incident</c>) as Kibana's connectors use them: with
/// <c>usesTableApi</c> the table API (<c>/api/now/v2/table/...</c>), otherwise the import set of Elastic's ServiceNow
/// app (<c>/api/x_elas2_..._int/elastic_api/import_set_row</c>, fields prefixed <c>u_</c>, the incident named by
/// <c>elastic_incident_id</c>), then a table read for the incident's number. Comments go to <c>comments</c> (ITSM) or
/// <c>work_notes</c> (SecOps). As Kibana's cases format them, incidents carry <c>correlation_id</c> (the case id) and
/// <c>correlation_display</c>, and SecOps ones the alerts' observables the case's fields ask for (<c>destIp</c>,
/// <c>sourceIp</c>, <c>malwareHash</c>, <c>malwareUrl</c>, read from the alerts' ECS): comma-joined in the incident's
/// fields with the table API, else posted to the Elastic app's observables API after the incident is written. Basic authentication, or with <c>isOAuth</c> a bearer token (see <see cref="ServiceNowOAuth"/>).
/// </summary>
public sealed class ServiceNowSystem(bool sir, ServiceNowOAuth oauth) : IExternalSystem
{
    string Table => sir ? "sn_si_incident" : "incident";
    string Scope => sir ? "x_elas2_sir_int" : "x_elas2_inc_int";
    string CommentField => sir ? "work_notes" : "comments";

    public Task<ExternalIncident> Create(ExternalCall call, PushedCase c, CancellationToken ct) =>
        Authenticated(call, () => CreateIncident(call, c, ct), ct);

    public Task<ExternalIncident> Update(ExternalCall call, PushedCase c, ExternalIncident incident, CancellationToken ct) =>
        Authenticated(call, () => UpdateIncident(call, c, incident, ct), ct);

    public Task AddComment(ExternalCall call, PushedCase c, ExternalIncident incident, string comment, CancellationToken ct) =>
        Authenticated(call, async () => { await SendComment(call, incident, comment, ct); return true; }, ct);

    public Task Finish(ExternalCall call, PushedCase c, ExternalIncident incident, CancellationToken ct) =>
        Authenticated(call, async () => { await AddObservables(call, c, incident.Id, ct); return true; }, ct);

    async Task<ExternalIncident> CreateIncident(ExternalCall call, PushedCase c, CancellationToken ct)
    {
        if (UsesTableApi(call))
        {
            var answer = await call.Send(HttpMethod.Post, TableUrl(call, null), Fields(call, c), "create incident", ct);
            return Incident(call, answer, "create incident");
        }
        var sysId = await ImportSet(call, Fields(call, c), null, "create incident", ct);
        return await Read(call, sysId, "create incident", ct);
    }

    async Task<ExternalIncident> UpdateIncident(ExternalCall call, PushedCase c, ExternalIncident incident, CancellationToken ct)
    {
        if (UsesTableApi(call))
        {
            var answer = await call.Send(HttpMethod.Patch, TableUrl(call, incident.Id), Fields(call, c), "update incident", ct);
            return Incident(call, answer, "update incident");
        }
        await ImportSet(call, Fields(call, c), incident.Id, "update incident", ct);
        return await Read(call, incident.Id, "update incident", ct);
    }

    async Task SendComment(ExternalCall call, ExternalIncident incident, string comment, CancellationToken ct)
    {
        var body = new JsonObject { [CommentField] = comment };
        if (UsesTableApi(call)) await call.Send(HttpMethod.Patch, TableUrl(call, incident.Id), body, "create comment", ct);
        else await ImportSet(call, body, incident.Id, "create comment", ct);
    }

    static bool UsesTableApi(ExternalCall call) => call.Config["usesTableApi"]?.GetValue<bool>() != false;

    /// <summary>Sends with basic authentication or an OAuth bearer token; a 4xx answer drops the token (Kibana does too).</summary>
    async Task<T> Authenticated<T>(ExternalCall call, Func<Task<T>> send, CancellationToken ct)
    {
        if (!ServiceNowOAuth.IsOAuth(call))
        {
            call.Headers = h => h.Authorization = ExternalCall.Basic(call.Secret("username"), call.Secret("password"));
            return await send();
        }
        var bearer = await oauth.Authorization(call, ct);
        call.Headers = h => h.TryAddWithoutValidation("Authorization", bearer);
        try
        {
            return await send();
        }
        catch (Domain.Errors.CasesException ex) when (ex.StatusCode == 424)
        {
            oauth.Forget(call);
            throw;
        }
    }

    string TableUrl(ExternalCall call, string? sysId) =>
        Join(call.Setting("apiUrl"), $"/api/now/v2/table/{Table}" + (sysId is null ? "" : "/" + Uri.EscapeDataString(sysId)));

    JsonObject Fields(ExternalCall call, PushedCase c)
    {
        var fields = new JsonObject { ["short_description"] = c.Title, ["description"] = c.Description };
        var keys = sir ? new[] { "category", "subcategory", "priority" } : ["urgency", "severity", "impact", "category", "subcategory"];
        foreach (var key in keys)
            if (c.Field(key) is { } value) fields[key] = value;
        fields["correlation_id"] = c.Id;
        fields["correlation_display"] = "Elastic Case";
        if (sir)
            foreach (var (flag, field, ecs) in Observed)
                // The table API takes them joined; the import set gets them through the observables API instead.
                fields[field] = UsesTableApi(call) ? string.Join(",", ObservedValues(c, flag, ecs)) : null;
        return fields;
    }

    /// <summary>The case field that asks for it, the incident field, the ECS field of the alerts (Kibana's sir_format.ts).</summary>
    static readonly (string Flag, string Field, string Ecs)[] Observed =
    [
        ("destIp", "dest_ip", "destination.ip"), ("sourceIp", "source_ip", "source.ip"),
        ("malwareHash", "malware_hash", "file.hash.sha256"), ("malwareUrl", "malware_url", "url.full"),
    ];

    static IEnumerable<string> ObservedValues(PushedCase c, string flag, string ecsField) => c.Flag(flag)
        ? c.AlertEcs.Where(d => d is not null).SelectMany(d => Domain.Observables.Ecs.Values(d!, ecsField)).Where(v => v.Length > 0).Distinct()
        : [];

    /// <summary>SecOps through the Elastic app: the observables, each once, IPs as <c>ipv4-addr</c> (as Kibana sends them).</summary>
    async Task AddObservables(ExternalCall call, PushedCase c, string sysId, CancellationToken ct)
    {
        if (!sir || UsesTableApi(call)) return;
        var observables = ObservedValues(c, "destIp", "destination.ip").Concat(ObservedValues(c, "sourceIp", "source.ip")).Distinct()
            .Select(v => (v, "ipv4-addr"))
            .Concat(ObservedValues(c, "malwareHash", "file.hash.sha256").Select(v => (v, "SHA256")))
            .Concat(ObservedValues(c, "malwareUrl", "url.full").Select(v => (v, "URL")))
            .Select(o => (JsonNode?)new JsonObject { ["value"] = o.Item1, ["type"] = o.Item2 })
            .ToArray();
        if (observables.Length == 0) return;
        await call.Send(HttpMethod.Post, Join(call.Setting("apiUrl"), $"/api/{Scope}/elastic_api/incident/{Uri.EscapeDataString(sysId)}/observables/bulk"),
            new JsonArray(observables), "add observables", ct);
    }

    /// <summary>Posts a row to the app's import set; its transform writes the incident. Returns the incident's sys_id.</summary>
    async Task<string> ImportSet(ExternalCall call, JsonObject fields, string? sysId, string operation, CancellationToken ct)
    {
        var row = new JsonObject();
        foreach (var (key, value) in fields) row["u_" + key] = value?.DeepClone();
        if (sysId is not null) row["elastic_incident_id"] = sysId;
        var answer = await call.Send(HttpMethod.Post, Join(call.Setting("apiUrl"), $"/api/{Scope}/elastic_api/import_set_row"), row, operation, ct);
        if (TemplateRenderer.ValueAt(answer, "result.0.status")?.GetValue<string>() == "error")
            throw new Domain.Errors.CasesException(424,
                $"[Action][{call.Connector.Kind.Name}]: Unable to {operation} with connector \"{call.Connector.Name}\" (id {call.Connector.Id}): the import set refused the row: {TemplateRenderer.ValueAt(answer, "result.0.error_message")?.ToString() ?? "no reason given"}.");
        return call.Required(answer, "result.0.sys_id", operation);
    }

    async Task<ExternalIncident> Read(ExternalCall call, string sysId, string operation, CancellationToken ct) =>
        Incident(call, await call.Send(HttpMethod.Get, TableUrl(call, sysId), (string?)null, operation, ct), operation);

    ExternalIncident Incident(ExternalCall call, JsonNode? answer, string operation)
    {
        var sysId = call.Required(answer, "result.sys_id", operation);
        var number = call.Required(answer, "result.number", operation);
        return new ExternalIncident(sysId, number, Join(call.Setting("apiUrl"), $"/nav_to.do?uri={Table}.do?sys_id={sysId}"));
    }
}
