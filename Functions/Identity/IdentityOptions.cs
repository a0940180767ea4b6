namespace Cases.Functions.Identity;

public sealed class IdentityOptions
{
    public const string Section = "Cases:Identity";

    /// <summary>
    /// Trust App Service Authentication's <c>X-MS-CLIENT-PRINCIPAL</c> header. Only where the platform sets it and strips
    /// it from callers (Azure with authentication on); anywhere else a caller could claim to be anyone.
    /// </summary>
    public bool TrustClientPrincipal { get; set; }

    /// <summary>
    /// Whether a request without a trusted principal acts as <see cref="LocalUser"/> (local development) or gets 401.
    /// Turn it off in Azure (the Bicep does, unless told an anonymous user name).
    /// </summary>
    public bool LocalUserEnabled { get; set; } = true;

    /// <summary>Who a request without a trusted principal acts as, when <see cref="LocalUserEnabled"/>.</summary>
    public LocalUserOptions? LocalUser { get; set; } = new();
}

public sealed class LocalUserOptions
{
    public string Username { get; set; } = "local-dev";
    public string? FullName { get; set; }
    public string? Email { get; set; }
    public string? ProfileUid { get; set; }
}
