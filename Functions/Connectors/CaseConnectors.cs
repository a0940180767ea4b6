using Cases.Domain.Cases;
using Cases.Domain.Errors;

namespace Cases.Functions.Connectors;

/// <summary>
/// Checks the <c>connector</c> a case or the case settings name: <c>.none</c>, or a connector of this space that
/// cases can use, of the type given, with that type's <c>fields</c>.
/// </summary>
public sealed class CaseConnectors(ConnectorStore store)
{
    public async Task<Connector> Check(string space, Connector connector, CancellationToken ct)
    {
        if (connector.Type == ConnectorTypes.None) return connector;
        var stored = await store.Get(space, connector.Id, ct)
            ?? throw CasesException.BadRequest($"[connector.id]: the connector {connector.Id} does not exist in this space; create it with POST /api/actions/connector first.");
        if (stored.Kind.Id != connector.Type)
            throw CasesException.BadRequest($"The connector with id {connector.Id} is of type {stored.Kind.Id}, not {connector.Type}.");
        if (!stored.Kind.TakesCases(stored.Config))
            throw CasesException.BadRequest($"The connector with id {connector.Id} cannot be used by cases (its connectorType is alerts).");
        return connector with { Fields = stored.Kind.ValidCaseFields(connector.Fields) };
    }
}
