using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Domain.Cases;
using Cases.Domain.UserActions;
using Cases.Domain.Users;
using Cases.Functions.Hosting;
using Cases.Functions.Storage;

namespace Cases.Functions.Cases;

/// <summary>
/// How cases and their activity are laid out in the cases table. Partition key: the space. Row keys:
/// <list type="bullet">
/// <item><c>case_{caseId}</c>: the case (its JSON in chunked <c>Doc</c>, plus columns the server can filter on);</item>
/// <item><c>item_{caseId}_ua_{ticks}{n}_{actionId}</c>: its user actions, in time order; every row a case owns starts <c>item_{caseId}_</c>;</item>
/// <item><c>deleted_{caseId}</c>: the delete_case user action, kept as an audit record after the case is gone;</item>
/// <item><c>numbering</c>: the space's last case number and how far the numbering job got (Numbering/CaseNumberer.cs);</item>
/// <item><c>number_{n}</c>: which case holds number n, for looking a case up by its number.</item>
/// </list>
/// </summary>
public static class CaseRows
{
    public const string CasePrefix = "case_";

    public static string CaseKey(string caseId) => CasePrefix + caseId;
    public static string ItemsPrefix(string caseId) => $"item_{caseId}_";
    public const string ItemsRoot = "item_";

    /// <summary>The case an item row belongs to (case ids never hold '_').</summary>
    public static string ItemCaseId(string rowKey) => rowKey[ItemsRoot.Length..rowKey.IndexOf('_', ItemsRoot.Length)];
    public static string UserActionPrefix(string caseId) => $"item_{caseId}_ua_";
    public static string DeletedKey(string caseId) => $"deleted_{caseId}";
    public const string NumberingKey = "numbering";
    public static string NumberKey(long number) => $"number_{number.ToString("D12", CultureInfo.InvariantCulture)}";

    /// <summary>The exclusive upper bound of a row-key range that starts with <paramref name="prefix"/>.</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    /// <summary>The rows of a space whose row keys start with <paramref name="prefix"/>, as an escaped query filter.</summary>
    public static string RangeFilter(string space, string prefix) => RangeFilter(space, prefix, PrefixEnd(prefix));

    /// <summary>The rows of a space with <paramref name="from"/> ≤ row key &lt; <paramref name="to"/>, as an escaped query filter.</summary>
    public static string RangeFilter(string space, string from, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {space} and RowKey ge {from} and RowKey lt {to}");

    public static TableEntity ToEntity(string space, CaseRecord record, int actionCount)
    {
        var c = record.Case;
        var entity = new TableEntity(space, CaseKey(c.Id))
        {
            [CaseColumns.Version] = record.Version,
            [CaseColumns.Actions] = actionCount,
            [CaseColumns.Status] = c.Status,
            [CaseColumns.Severity] = c.Severity,
            [CaseColumns.Owner] = c.Owner,
            [CaseColumns.CreatedAt] = c.CreatedAt,
        };
        ChunkedText.Write(entity, CaseColumns.Doc, JsonSerializer.Serialize(c, CasesJsonContext.Default.Case));
        return entity;
    }

    public static CaseRecord FromEntity(TableEntity entity)
    {
        var c = JsonSerializer.Deserialize(ChunkedText.Read(entity, CaseColumns.Doc), CasesJsonContext.Default.Case)!;
        return new CaseRecord(
            c,
            entity.GetInt32(CaseColumns.Version) ?? 1,
            entity.GetInt32(CaseColumns.TotalComment) ?? 0,
            entity.GetInt32(CaseColumns.TotalAlerts) ?? 0,
            entity.GetInt64(CaseColumns.IncrementalId));
    }

    public static bool IsDeleted(TableEntity entity) => entity.GetBoolean(CaseColumns.Deleted) == true;

    public static TableEntity ToEntity(string space, UserAction action, string rowKey)
    {
        var entity = new TableEntity(space, rowKey)
        {
            ["ActionId"] = action.Id,
            ["CaseId"] = action.CaseId,
            ["Action"] = action.Action,
            ["Type"] = action.Type,
            ["CreatedAt"] = action.CreatedAt,
            ["CreatedBy"] = JsonSerializer.Serialize(action.CreatedBy, CasesJsonContext.Default.CaseUser),
            ["Owner"] = action.Owner,
            ["CommentId"] = action.CommentId,
        };
        ChunkedText.Write(entity, "Payload", action.Payload.ToJsonString());
        return entity;
    }

    public static UserAction UserActionFromEntity(TableEntity e) => new(
        e.GetString("ActionId"),
        e.GetString("CaseId"),
        e.GetString("Action"),
        e.GetString("Type"),
        JsonNode.Parse(ChunkedText.Read(e, "Payload"))!.AsObject(),
        e.GetDateTimeOffset("CreatedAt")!.Value,
        JsonSerializer.Deserialize(e.GetString("CreatedBy"), CasesJsonContext.Default.CaseUser)!,
        e.GetString("Owner"),
        e.GetString("CommentId"));

    /// <summary>
    /// Row keys in time order; actions recorded together are numbered to keep their order, and the action's own id
    /// keeps two writers at the same instant from colliding.
    /// </summary>
    public static string UserActionKey(UserAction action, int index) =>
        UserActionPrefix(action.CaseId) + action.CreatedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) +
        index.ToString("D3", CultureInfo.InvariantCulture) + "_" + action.Id;
}
