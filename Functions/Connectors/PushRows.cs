using Azure;
using Azure.Data.Tables;
using Cases.Functions.Cases;
using Cases.Functions.Connectors.Systems;
using Cases.Functions.Storage;

namespace Cases.Functions.Connectors;

/// <summary>What a case's pushes to one connector left in the external system.</summary>
public sealed record PushState(ExternalIncident? Incident, DateTimeOffset? LastPushedAt, IReadOnlySet<string> SentComments);

/// <summary>
/// Row <c>item_{caseId}_push_{connectorId}</c> of the cases table (under the case's prefix, so it goes with the case):
/// the external incident as soon as it exists, the comments sent by a push not finished yet, and when the last push
/// finished. A push that fails halfway is therefore continued by the next one, never started again: no second
/// incident, no comment sent twice.
/// </summary>
public sealed class PushRows(CasesTables tables)
{
    static string Key(string caseId, string connectorId) => CaseRows.ItemsPrefix(caseId) + "push_" + connectorId;

    public async Task<PushState> Get(string space, string caseId, string connectorId, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(space, Key(caseId, connectorId), cancellationToken: ct);
        if (!row.HasValue) return new PushState(null, null, new HashSet<string>());
        var e = row.Value!;
        var incident = e.GetString("ExternalId") is { } id ? new ExternalIncident(id, e.GetString("ExternalTitle"), e.GetString("ExternalUrl")) : null;
        var sent = (e.GetString("SentComments") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return new PushState(incident, e.GetDateTimeOffset("LastPushedAt"), sent);
    }

    /// <summary>Records the incident at once after the system created it, before anything else can fail.</summary>
    public async Task IncidentCreated(string space, string caseId, string connectorId, ExternalIncident incident, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        await table.UpsertEntityAsync(new TableEntity(space, Key(caseId, connectorId))
        {
            ["ExternalId"] = incident.Id,
            ["ExternalTitle"] = incident.Title,
            ["ExternalUrl"] = incident.Url,
            ["SentComments"] = "",
        }, TableUpdateMode.Merge, ct);
    }

    /// <summary>Records a comment as sent (id and version), so a retried push does not send it again.</summary>
    public async Task CommentsSent(string space, string caseId, string connectorId, IEnumerable<string> sent, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        await table.UpsertEntityAsync(new TableEntity(space, Key(caseId, connectorId)) { ["SentComments"] = string.Join(",", sent) }, TableUpdateMode.Merge, ct);
    }

    /// <summary>The row's last write, to commit with the case: the push finished, its comments are behind the mark.</summary>
    public static TableTransactionAction Finished(string space, string caseId, string connectorId, ExternalIncident incident, DateTimeOffset listedAt) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(space, Key(caseId, connectorId))
        {
            ["ExternalId"] = incident.Id,
            ["ExternalTitle"] = incident.Title,
            ["ExternalUrl"] = incident.Url,
            ["LastPushedAt"] = listedAt,
            ["SentComments"] = "",
        });

    public static string CommentMark(Domain.Attachments.Attachment comment) => $"{comment.Id}:{comment.Version}";
}
