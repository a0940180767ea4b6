using Cases.Domain.Cases;
using Cases.Functions.Identity;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Access;

/// <summary>Turns a caller's roles into what they may do, per owner, in one space (from <see cref="AccessOptions"/>).</summary>
public sealed class AccessPolicy
{
    readonly Dictionary<string, List<AccessGrant>> grantsByRole;
    readonly string? adminRole;

    public AccessPolicy(IOptions<AccessOptions> options)
    {
        // Configuration keys are case-insensitive, so role names are too.
        grantsByRole = new Dictionary<string, List<AccessGrant>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (role, grants) in options.Value.Roles)
            grantsByRole[role] = grants.Select(g => AccessGrant.Parse(g)!).ToList();
        adminRole = string.IsNullOrWhiteSpace(options.Value.AdminRole) ? null : options.Value.AdminRole;
    }

    public Dictionary<string, CasePrivilege> PrivilegesIn(string space, Caller caller)
    {
        var result = CaseOwner.All.ToDictionary(o => o, _ => CasePrivilege.None, StringComparer.Ordinal);
        // The local user exists only for development (the Bicep turns it off): it may do everything.
        var admin = caller.IsLocalUser || (adminRole is not null && caller.Roles.Contains(adminRole, StringComparer.OrdinalIgnoreCase));
        foreach (var role in caller.Roles)
            foreach (var grant in grantsByRole.GetValueOrDefault(role) ?? [])
                if (grant.Covers(space))
                    foreach (var owner in CaseOwner.All)
                        if (grant.Owner == AccessGrant.Any || grant.Owner == owner)
                            result[owner] |= grant.Privileges;
        if (admin)
            foreach (var owner in CaseOwner.All)
                result[owner] = CasePrivilege.All;
        return result;
    }
}
