using System.Text.Json.Nodes;
using Cases.Domain.Cases;

namespace Cases.Functions.Transfer;

/// <summary>
/// The connector ids a case or user action names (its connector, and the one it was pushed to), and their rewriting when
/// an import gives the file's connectors new ids (<c>createNewCopies</c>), as Kibana rewrites references to copied objects.
/// Ids of connectors that are not in the file stay as they are.
/// </summary>
public static class ConnectorRemap
{
    public static IEnumerable<string> Ids(CaseRecord record)
    {
        if (record.Case.Connector.Id != Connector.None.Id) yield return record.Case.Connector.Id;
        if (PushConnectorId(record.Case.ExternalService) is { } pushed) yield return pushed;
    }

    public static CaseRecord Apply(CaseRecord record, IReadOnlyDictionary<string, string> remap)
    {
        if (remap.Count == 0) return record;
        var c = record.Case;
        var external = c.ExternalService;
        if (PushConnectorId(external) is { } pushed && remap.TryGetValue(pushed, out var newPushed))
        {
            external = external!.DeepClone();
            external["connector_id"] = newPushed;
        }
        var connector = remap.TryGetValue(c.Connector.Id, out var newId) ? c.Connector with { Id = newId } : c.Connector;
        return record with { Case = c with { Connector = connector, ExternalService = external } };
    }

    /// <summary>Rewrites a user action's payload in place (<c>connector.id</c>, <c>externalService.connector_id</c>).</summary>
    public static void Apply(JsonObject payload, IReadOnlyDictionary<string, string> remap)
    {
        if (remap.Count == 0) return;
        if (payload["connector"] is JsonObject connector && SavedObjectReader.Text(connector["id"]) is { } id && remap.TryGetValue(id, out var newId))
            connector["id"] = newId;
        if (payload["externalService"] is JsonObject service && SavedObjectReader.Text(service["connector_id"]) is { } pushed
            && remap.TryGetValue(pushed, out var newPushed))
            service["connector_id"] = newPushed;
    }

    static string? PushConnectorId(JsonNode? externalService) =>
        externalService is JsonObject o && SavedObjectReader.Text(o["connector_id"]) is { } id && id != Connector.None.Id ? id : null;
}
