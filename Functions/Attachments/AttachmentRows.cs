using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Cases.Domain.Attachments;
using Cases.Domain.Errors;
using Cases.Domain.Observables;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Storage;

namespace Cases.Functions.Attachments;

/// <summary>
/// How attachments are laid out in the cases table (partition key: the space), beside the case rows of <see cref="CaseRows"/>:
/// <list type="bullet">
/// <item><c>item_{caseId}_att_{attachmentId}</c>: one attachment (its JSON in chunked <c>Doc</c>; <c>Type</c>, <c>Version</c>, <c>CreatedAt</c> columns);</item>
/// <item><c>item_{caseId}_observables</c>: the case's observables (at most 50), one JSON array, so adding several is one row operation;</item>
/// <item><c>alert_{escapedAlertId}_{caseId}</c>: the alert index, one row per alert and case holding it (columns <c>CaseId</c>,
/// <c>AttachmentId</c>, <c>Index</c>), written and removed in the same transaction as the attachment. It is outside the case's
/// <c>item_</c> prefix, so the case purge removes it explicitly (<see cref="AlertIndex.Purge"/>).</item>
/// <item><c>attcase_{attachmentId}</c>: which case holds an attachment (column <c>CaseId</c>), so a request naming it
/// under another case is told so, as Kibana does; added and removed with the attachment (those written before it
/// existed have none: <see cref="Attachment.Indexed"/>).</item>
/// </list>
/// The case row's <c>TotalComment</c> and <c>TotalAlerts</c> columns are the counters; they move with every attachment change,
/// in the same transaction, conditional on the case row's ETag, and never touch <c>Version</c>.
/// </summary>
public static class AttachmentRows
{
    public static string AttachmentPrefix(string caseId) => CaseRows.ItemsPrefix(caseId) + "att_";
    public static string AttachmentKey(string caseId, string id) => AttachmentPrefix(caseId) + id;
    public static string ObservablesKey(string caseId) => CaseRows.ItemsPrefix(caseId) + "observables";

    /// <summary>Every index row of one alert starts with this; the escaped id never contains '_', so prefixes cannot overlap.</summary>
    public static string AlertIndexPrefix(string alertId) => "alert_" + Escape(alertId) + "_";
    public static string AlertIndexKey(string alertId, string caseId) => AlertIndexPrefix(alertId) + caseId;

    public static string CaseIndexKey(string attachmentId) => "attcase_" + attachmentId;

    public static TableEntity CaseIndexEntity(string space, Attachment a) =>
        new(space, CaseIndexKey(a.Id)) { ["CaseId"] = a.CaseId };

    public static TableEntity ToEntity(string space, Attachment a)
    {
        var entity = new TableEntity(space, AttachmentKey(a.CaseId, a.Id))
        {
            ["Type"] = a.Type,
            ["Version"] = a.Version,
            ["CreatedAt"] = a.CreatedAt,
        };
        ChunkedText.Write(entity, "Doc", JsonSerializer.Serialize(a, CasesJsonContext.Default.Attachment));
        return entity;
    }

    public static Attachment FromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize(ChunkedText.Read(entity, "Doc"), CasesJsonContext.Default.Attachment)!;

    public static TableEntity ObservablesEntity(string space, string caseId, IReadOnlyList<Observable> observables)
    {
        var entity = new TableEntity(space, ObservablesKey(caseId));
        ChunkedText.Write(entity, "Doc", JsonSerializer.Serialize(observables.ToList(), CasesJsonContext.Default.ListObservable));
        return entity;
    }

    public static List<Observable> ObservablesFromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize(ChunkedText.Read(entity, "Doc"), CasesJsonContext.Default.ListObservable) ?? [];

    public static IEnumerable<TableEntity> AlertIndexEntities(string space, Attachment a) =>
        a.AlertIds.Select((id, i) => new TableEntity(space, AlertIndexKey(id, a.CaseId))
        {
            ["AlertId"] = id,
            ["CaseId"] = a.CaseId,
            ["AttachmentId"] = a.Id,
            ["Index"] = a.Indices[i],
        });

    /// <summary>Table Storage's key limit: 1 KiB, i.e. 512 UTF-16 characters.</summary>
    public const int RowKeyMax = 512;

    /// <summary>What an escaped alert id may take of an index row key, beside <c>alert_</c>, <c>_</c> and a case id (at most 64).</summary>
    public const int EscapedAlertIdMax = RowKeyMax - 7 - 64;

    /// <summary>An alert id whose index row key would pass the key limit is refused before anything is written.</summary>
    public static void CheckAlertIds(NewAttachment input)
    {
        if (input.Type != AttachmentTypes.Alert) return;
        foreach (var id in input.Fields["alertId"]!.AsArray().Select(n => n!.GetValue<string>()))
            if (Escape(id).Length > EscapedAlertIdMax)
                throw CasesException.BadRequest(
                    $"The alertId \"{id[..Math.Min(id.Length, 40)]}...\" is too long: at most {EscapedAlertIdMax} characters once '/', '\\', '#', '?', '%', '_' and control characters are escaped (5 characters each).");
    }

    /// <summary>Row keys may not hold '/', '\', '#', '?' or control characters; '_' and '%' are escaped too (as %XXXX).</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or '_' || char.IsControl(c))
                text.Append('%').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else
                text.Append(c);
        }
        return text.ToString();
    }
}
