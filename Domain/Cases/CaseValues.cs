namespace Cases.Domain.Cases;

public static class CaseStatus
{
    public const string Open = "open";
    public const string InProgress = "in-progress";
    public const string Closed = "closed";
    public static readonly string[] All = [Open, InProgress, Closed];
}

public static class CaseSeverity
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Critical = "critical";
    public static readonly string[] All = [Low, Medium, High, Critical];

    /// <summary>Sort rank, so that sorting by severity orders low &lt; medium &lt; high &lt; critical as Kibana does.</summary>
    public static int Rank(string severity) => Array.IndexOf(All, severity);
}

public static class CaseOwner
{
    public static readonly string[] All = ["cases", "observability", "securitySolution"];
}

public static class ConnectorTypes
{
    public const string None = ".none";
    public static readonly string[] All =
        [None, ".jira", ".servicenow", ".servicenow-sir", ".resilient", ".swimlane", ".cases-webhook", ".thehive"];
}

public static class CustomFieldTypes
{
    public static readonly string[] All = ["text", "toggle", "number"];
}
