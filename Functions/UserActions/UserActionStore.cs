using Azure.Data.Tables;
using Cases.Domain.UserActions;
using Cases.Functions.Cases;
using Cases.Functions.Storage;

namespace Cases.Functions.UserActions;

/// <summary>Reads a case's activity log; it is written by the stores whose changes it records, in the same transactions.</summary>
public sealed class UserActionStore(CasesTables tables)
{
    /// <summary>A case's actions, oldest first (their row keys are in time order).</summary>
    public async Task<List<UserAction>> List(string space, string caseId, CancellationToken ct)
    {
        var table = await tables.Cases(ct);
        var prefix = CaseRows.UserActionPrefix(caseId);
        var filter = CaseRows.RangeFilter(space, prefix);
        var actions = new List<UserAction>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            actions.Add(CaseRows.UserActionFromEntity(row));
        return actions;
    }
}
