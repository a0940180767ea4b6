using Cases.Domain.Errors;

namespace Cases.Domain.Cases;

/// <summary>Kibana's validation limits (shared/reference/kibana-limits.md).</summary>
public static class CaseLimits
{
    public const int TitleMax = 160;
    public const int DescriptionMax = 30_000;
    public const int TagsMax = 200;
    public const int TagMax = 256;
    public const int CategoryMax = 50;
    public const int AssigneesMax = 10;
    public const int CustomFieldsMax = 10;
    public const int CustomFieldTextMax = 160;
    public const int BulkUpdateMax = 100;
    public const int BulkDeleteMax = 100;
    public const int PerPageMax = 100;
    public const int PageWindowMax = 10_000;
    public const int FilterValuesMax = 100;
    public const int UserActionsPerCaseMax = 10_000;

    /// <summary>Refuses a write that would take a case past <see cref="UserActionsPerCaseMax"/> user actions (Kibana's message).</summary>
    public static void CheckActions(string caseId, int existing, int adding)
    {
        if (existing + adding > UserActionsPerCaseMax)
            throw CasesException.BadRequest($"The case with case id {caseId} has reached the limit of {UserActionsPerCaseMax} user actions.");
    }
}
