using System.Globalization;
using Azure.Data.Tables;

namespace Cases.Functions.Cases;

/// <summary>
/// The queue of cases waiting for a number: one row per case in the <c>numbering</c> table, partition = space,
/// row key = creation time then id, so a space's queue reads back in creation order (ties broken by id). The table
/// holds only waiting cases, so a run with nothing to do is one query that returns nothing.
/// </summary>
public static class PendingNumbers
{
    public static TableEntity Row(string space, string caseId, DateTimeOffset createdAt) => new(space, Key(createdAt, caseId)) { ["CaseId"] = caseId };

    public static string Key(DateTimeOffset createdAt, string caseId) =>
        createdAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "_" + caseId;
}
