namespace Cases.Functions.Cases;

/// <summary>
/// The columns of a case row (<see cref="CaseRows.CaseKey"/>) beside its JSON document: what the server filters or
/// counts on, and what other features update under the row's ETag (files, attachments, numbering). One name each, so
/// a reader and a writer cannot drift apart.
/// </summary>
public static class CaseColumns
{
    public const string Doc = "Doc";
    public const string Version = "Version";
    /// <summary>How many user actions the case has (limited to <c>CaseLimits.UserActionsPerCaseMax</c>).</summary>
    public const string Actions = "Actions";
    public const string Status = "Status";
    public const string Severity = "Severity";
    public const string Owner = "Owner";
    public const string CreatedAt = "CreatedAt";
    public const string TotalComment = "TotalComment";
    public const string TotalAlerts = "TotalAlerts";
    public const string TotalFiles = "TotalFiles";
    /// <summary>Whether reading the case must look for attachments.</summary>
    public const string HasAttachments = "HasAttachments";
    /// <summary>The tombstone of a case being deleted: gone for readers, purged by the next delete.</summary>
    public const string Deleted = "Deleted";
    /// <summary>The case number, set by the numbering job.</summary>
    public const string IncrementalId = "IncrementalId";
}
