using Microsoft.Extensions.Options;

namespace Cases.Functions.Access;

/// <summary>
/// <c>Cases:Access:Roles:{role}</c>: the grants of each Entra app role (a list, <c>Cases__Access__Roles__{role}__0=...</c>);
/// <c>Cases:Access:AdminRole</c>: a role with every privilege in every space. A role that is not mapped grants nothing.
/// </summary>
public sealed class AccessOptions
{
    public const string Section = "Cases:Access";

    public Dictionary<string, List<string>> Roles { get; set; } = [];

    public string? AdminRole { get; set; }
}

/// <summary>Refuses to start with a grant that does not parse, naming it, rather than silently granting less (or more).</summary>
public sealed class AccessOptionsValidation : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var errors = options.Roles.SelectMany(role => role.Value
                .Where(grant => AccessGrant.Parse(grant) is null)
                .Select(grant => $"Cases:Access:Roles:{role.Key} has an invalid grant \"{grant}\": write {AccessGrant.Syntax}."))
            .ToList();
        if (options.AdminRole is { } admin && string.IsNullOrWhiteSpace(admin)) errors.Add("Cases:Access:AdminRole must not be blank.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
