using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cases.Tests.Connectors;

/// <summary>
/// A ServiceNow instance's OAuth side as its JWT bearer grant works (an OAuth JWT API endpoint for external clients,
/// with a JWT verifier map holding the client's public key): <c>POST /oauth_token.do</c> with <c>grant_type</c>
/// <c>urn:ietf:params:oauth:grant-type:jwt-bearer</c>, <c>client_id</c>, <c>client_secret</c> and an RS256
/// <c>assertion</c> whose signature verifies with <paramref name="publicKey"/>, <c>kid</c> is the key id,
/// <c>iss</c> = <c>aud</c> = the client id and <c>sub</c> the user; it answers an access token, and the table API
/// then takes only <c>Bearer</c> tokens it issued.
/// </summary>
public sealed class ServiceNowOAuthInstance(RSA publicKey, string clientId, string clientSecret, string user, string keyId, int expiresIn = 1799)
{
    readonly ConcurrentDictionary<string, bool> issued = new();
    readonly ConcurrentQueue<JsonWebToken> assertions = new();

    /// <summary>The valid assertions received, oldest first.</summary>
    public IReadOnlyList<JsonWebToken> Assertions => assertions.ToArray();
    public IReadOnlyCollection<string> IssuedTokens => issued.Keys.ToArray();

    public bool Accepts(string? authorization) =>
        authorization is { } a && a.StartsWith("Bearer ", StringComparison.Ordinal) && issued.ContainsKey(a["Bearer ".Length..]);

    public static IResult NotAuthenticated() => Results.Json(new JsonObject
    {
        ["error"] = new JsonObject { ["message"] = "User Not Authenticated", ["detail"] = "Required to provide Auth information" },
        ["status"] = "failure",
    }, statusCode: 401);

    public async Task<IResult> Token(string formText)
    {
        var form = QueryHelpers.ParseQuery(formText);
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || form["client_id"] != clientId || form["client_secret"] != clientSecret)
            return Denied();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(form["assertion"].ToString(), new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(publicKey) { KeyId = keyId },
            ValidIssuer = clientId,
            ValidAudience = clientId,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateLifetime = false, // the app's clock is the tests' fake one; exp - iat is checked below
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return Denied();
        if (jwt.Kid != keyId || jwt.Subject != user || jwt.Alg != "RS256" ||
            jwt.GetPayloadValue<long>("exp") - jwt.GetPayloadValue<long>("iat") != 3600)
            return Denied();
        assertions.Enqueue(jwt);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        issued[token] = true;
        return Results.Json(new JsonObject
        {
            ["access_token"] = token,
            ["refresh_token"] = "not-used",
            ["scope"] = "useraccount",
            ["token_type"] = "Bearer",
            ["expires_in"] = expiresIn,
        });
    }

    /// <summary>Invalidates every token it issued (as an instance does when a token is revoked).</summary>
    public void RevokeAll() => issued.Clear();

    static IResult Denied() => Results.Json(new JsonObject { ["error_description"] = "access_denied", ["error"] = "server_error" }, statusCode: 401);
}
