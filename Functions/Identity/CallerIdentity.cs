using System.Text;
using System.Text.Json;
using Cases.Domain.Errors;
using Cases.Domain.Users;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Identity;

/// <summary>Who is calling: the App Service principal when trusted and present, else the configured local user.</summary>
public sealed class CallerIdentity(IOptions<IdentityOptions> options)
{
    const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    static readonly string[] UsernameClaims = ["preferred_username", "upn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "unique_name"];
    static readonly string[] NameClaims = ["name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"];
    static readonly string[] EmailClaims = ["email", "emails", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"];
    static readonly string[] IdClaims = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid", "sub"];

    public CaseUser Of(HttpContext context)
    {
        var settings = options.Value;
        if (settings.TrustClientPrincipal && context.Request.Headers[PrincipalHeader] is [{ Length: > 0 } encoded])
            return FromPrincipal(encoded, context.Request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].ToString());
        if (settings.LocalUserEnabled && settings.LocalUser is { } local)
            return new CaseUser(local.Email, local.FullName, local.Username, local.ProfileUid);
        throw new CasesException(401, "Authentication is required: no signed-in user was found on the request.");
    }

    static CaseUser FromPrincipal(string encoded, string headerName)
    {
        Dictionary<string, string> claims;
        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
            claims = json.RootElement.GetProperty("claims").EnumerateArray()
                .Select(c => (Type: c.GetProperty("typ").GetString(), Value: c.GetProperty("val").GetString()))
                .Where(c => c.Type is not null && c.Value is not null)
                .GroupBy(c => c.Type!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Value!, StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CasesException(401, "The X-MS-CLIENT-PRINCIPAL header is not a valid client principal.");
        }
        string? First(string[] types) => types.Select(t => claims.GetValueOrDefault(t)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var email = First(EmailClaims);
        var username = First(UsernameClaims) ?? (headerName.Length > 0 ? headerName : null) ?? email;
        return new CaseUser(email, First(NameClaims), username, First(IdClaims));
    }
}
