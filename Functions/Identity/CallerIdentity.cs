using System.Text;
using System.Text.Json;
using Cases.Domain.Errors;
using Cases.Domain.Users;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Identity;

/// <summary>The caller of a request: who (for created_by and the like), their app roles, and whether it is the local user.</summary>
public sealed record Caller(CaseUser User, IReadOnlyList<string> Roles, bool IsLocalUser);

/// <summary>Who is calling: the App Service principal when trusted and present, else the configured local user.</summary>
public sealed class CallerIdentity(IOptions<IdentityOptions> options)
{
    const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    static readonly object CacheKey = new();

    /// <summary>Claim types that carry app roles: Easy Auth writes <c>roles</c>; the principal's <c>role_typ</c> may name another.</summary>
    static readonly string[] RoleClaims = ["roles", "role", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];

    static readonly string[] UsernameClaims = ["preferred_username", "upn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "unique_name"];
    static readonly string[] NameClaims = ["name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"];
    static readonly string[] EmailClaims = ["email", "emails", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"];
    static readonly string[] IdClaims = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid", "sub"];

    public CaseUser Of(HttpContext context) => CallerOf(context).User;

    /// <summary>The caller, read once per request; 401 when there is none.</summary>
    public Caller CallerOf(HttpContext context)
    {
        if (context.Items.TryGetValue(CacheKey, out var cached)) return (Caller)cached!;
        var caller = Resolve(context);
        context.Items[CacheKey] = caller;
        return caller;
    }

    Caller Resolve(HttpContext context)
    {
        var settings = options.Value;
        if (settings.TrustClientPrincipal && context.Request.Headers[PrincipalHeader] is [{ Length: > 0 } encoded])
            return FromPrincipal(encoded, context.Request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].ToString());
        if (settings.LocalUserEnabled && settings.LocalUser is { } local)
            return new Caller(new CaseUser(local.Email, local.FullName, local.Username, local.ProfileUid), [], IsLocalUser: true);
        throw new CasesException(401, "Authentication is required: no signed-in user was found on the request.");
    }

    static Caller FromPrincipal(string encoded, string headerName)
    {
        List<(string Type, string Value)> all;
        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
            all = json.RootElement.GetProperty("claims").EnumerateArray()
                .Select(c => (Type: c.GetProperty("typ").GetString(), Value: c.GetProperty("val").GetString()))
                .Where(c => c.Type is not null && c.Value is not null)
                .Select(c => (c.Type!, c.Value!)).ToList();
            if (json.RootElement.TryGetProperty("role_typ", out var roleType) && roleType.GetString() is { Length: > 0 } extra)
                all = [.. all.Select(c => c.Type == extra ? ("roles", c.Value) : c)];
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CasesException(401, "The X-MS-CLIENT-PRINCIPAL header is not a valid client principal.");
        }
        var claims = all.GroupBy(c => c.Type, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
        string? First(string[] types) => types.Select(t => claims.GetValueOrDefault(t)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var email = First(EmailClaims);
        var username = First(UsernameClaims) ?? (headerName.Length > 0 ? headerName : null) ?? email;
        var objectId = First(IdClaims);
        // Someone the app cannot name cannot be held to account for what they change: not a caller.
        if (string.IsNullOrEmpty(username) && string.IsNullOrEmpty(objectId))
            throw new CasesException(401, "The client principal names no user: it has neither a user name nor an object id.");
        var roles = all.Where(c => RoleClaims.Contains(c.Type, StringComparer.OrdinalIgnoreCase) && c.Value.Length > 0)
            .Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        return new Caller(new CaseUser(email, First(NameClaims), username, objectId), roles, IsLocalUser: false);
    }
}
