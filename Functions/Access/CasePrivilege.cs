namespace Cases.Functions.Access;

/// <summary>
/// Kibana's case privileges of one owner in one space: <c>read</c>, the rest of <c>all</c>, and the sub-features an
/// operator may take away from <c>all</c> (<c>all-delete</c>, <c>all-push</c>, ...).
/// </summary>
[Flags]
public enum CasePrivilege
{
    None = 0,
    Read = 1,
    Create = 2,
    Update = 4,
    /// <summary>Sub-feature <c>delete</c>: delete cases, comments and attachments.</summary>
    Delete = 8,
    /// <summary>Sub-feature <c>settings</c>: edit case settings (<c>/cases/configure</c>).</summary>
    Settings = 16,
    /// <summary>Sub-feature <c>comment</c>: create comments and attachments.</summary>
    Comment = 32,
    /// <summary>Sub-feature <c>reopen</c>: move a closed case back to open or in-progress.</summary>
    Reopen = 64,
    /// <summary>Sub-feature <c>assign</c>: change a case's assignees.</summary>
    Assign = 128,
    /// <summary>Sub-feature <c>push</c>: push cases to external connectors.</summary>
    Push = 256,
    /// <summary>Sub-feature <c>files</c>: upload and delete case files.</summary>
    Files = 512,
    All = Read | Create | Update | Delete | Settings | Comment | Reopen | Assign | Push | Files,
}

public static class CasePrivileges
{
    /// <summary>The sub-features a grant of <c>all</c> may exclude, by the name used in grants.</summary>
    public static readonly IReadOnlyDictionary<string, CasePrivilege> SubFeatures = new Dictionary<string, CasePrivilege>(StringComparer.Ordinal)
    {
        ["delete"] = CasePrivilege.Delete,
        ["settings"] = CasePrivilege.Settings,
        ["comment"] = CasePrivilege.Comment,
        ["reopen"] = CasePrivilege.Reopen,
        ["assign"] = CasePrivilege.Assign,
        ["push"] = CasePrivilege.Push,
        ["files"] = CasePrivilege.Files,
    };

    /// <summary>Kibana's verb for a refusal message (<c>Unauthorized to create case ...</c>).</summary>
    public static string Verb(CasePrivilege needed) =>
        needed.HasFlag(CasePrivilege.Delete) ? "delete"
        : needed.HasFlag(CasePrivilege.Create) || needed.HasFlag(CasePrivilege.Comment) || needed.HasFlag(CasePrivilege.Files) ? "create"
        : needed == CasePrivilege.Read ? "access"
        : "update";
}
