namespace Cases.Functions.Notifications;

/// <summary>
/// Links to a case in the front end, as Kibana builds them from <c>server.publicBaseUrl</c>: the space (none for the
/// default one), the owner's app, then <c>/cases/{id}</c>. Without <c>Cases:PublicBaseUrl</c> there is no link.
/// </summary>
public sealed class CaseLinks(IConfiguration configuration)
{
    public const string Setting = "Cases:PublicBaseUrl";
    readonly string? baseUrl = configuration[Setting]?.TrimEnd('/') is { Length: > 0 } url ? url : null;

    public static bool IsValid(string? url) => string.IsNullOrEmpty(url) ||
        (Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp));

    public string? ForCase(string space, string owner, string caseId)
    {
        if (baseUrl is null) return null;
        var spacePath = space == Spaces.Space.Default ? "" : $"/s/{space}";
        var app = owner switch
        {
            "securitySolution" => "security",
            "observability" => "observability",
            _ => "management/insightsAndAlerting",
        };
        return $"{baseUrl}{spacePath}/app/{app}/cases/{Uri.EscapeDataString(caseId)}";
    }
}
