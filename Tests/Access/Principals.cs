using System.Text;
using System.Text.Json.Nodes;

namespace Cases.Tests.Access;

/// <summary>App Service principals (the X-MS-CLIENT-PRINCIPAL header) for the access tests.</summary>
public static class Principals
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    public static string Of(string? username, params string[] roles)
    {
        var claims = new JsonArray();
        if (username is not null) claims.Add(new JsonObject { ["typ"] = "preferred_username", ["val"] = username });
        foreach (var role in roles) claims.Add(new JsonObject { ["typ"] = "roles", ["val"] = role });
        var json = new JsonObject { ["auth_typ"] = "aad", ["role_typ"] = "roles", ["claims"] = claims };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    public static HttpRequestMessage As(this HttpRequestMessage request, string? principal)
    {
        if (principal is not null) request.Headers.Add(Header, principal);
        return request;
    }
}
