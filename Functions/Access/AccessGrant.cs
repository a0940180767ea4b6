using System.Text.RegularExpressions;
using Cases.Domain.Cases;

namespace Cases.Functions.Access;

/// <summary>
/// One grant of a role: <c>{space}/{owner}:{all|read}</c> with optional <c>-{sub-feature}</c> exclusions, e.g.
/// <c>soc/securitySolution:all-delete</c> or <c>*/observability:read</c>. <c>*</c> as space or owner means every one.
/// </summary>
public sealed partial record AccessGrant(string Space, string Owner, CasePrivilege Privileges)
{
    public const string Any = "*";
    public const string Syntax = "{space}/{owner}:{all|read} with optional -{sub-feature} exclusions (delete, settings, comment, reopen, assign, push, files), e.g. soc/securitySolution:all-delete";

    [GeneratedRegex(@"\A(?<space>\*|[a-z0-9_-]{1,64})/(?<owner>[A-Za-z*]+):(?<level>all|read)(?<except>(-[a-z]+)*)\z")]
    private static partial Regex Shape();

    public static AccessGrant? Parse(string text)
    {
        var m = Shape().Match(text.Trim());
        if (!m.Success) return null;
        var owner = m.Groups["owner"].Value;
        if (owner != Any && !CaseOwner.All.Contains(owner)) return null;
        var privileges = m.Groups["level"].Value == "all" ? CasePrivilege.All : CasePrivilege.Read;
        foreach (var name in m.Groups["except"].Value.Split('-', StringSplitOptions.RemoveEmptyEntries))
        {
            // Exclusions only make sense on all: read has no sub-features to take away.
            if (privileges == CasePrivilege.Read || !CasePrivileges.SubFeatures.TryGetValue(name, out var sub)) return null;
            privileges &= ~sub;
        }
        return new AccessGrant(m.Groups["space"].Value, owner, privileges);
    }

    public bool Covers(string space) => Space == Any || Space == space;
}
