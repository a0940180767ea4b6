namespace Cases.Functions.Identity;

public sealed class IdentityOptions
{
    public const string Section = "Cases:Identity";

    /// <summary>
    /// Trust App Service Authentication's <c>X-MS-CLIENT-PRINCIPAL</c> header. Only where the platform sets it and strips
    /// it from callers (Azure with authentication on); anywhere else a caller could claim to be anyone.
    /// </summary>
    public bool TrustClientPrincipal { get; set; }

    /// <summary>Who a request without a trusted principal acts as. For local development; set it to null in Azure.</summary>
    public LocalUserOptions? LocalUser { get; set; } = new();
}

public sealed class LocalUserOptions
{
    public string Username { get; set; } = "local-dev";
    public string? FullName { get; set; }
    public string? Email { get; set; }
    public string? ProfileUid { get; set; }
}
