using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Cases.Functions.Connectors.Systems.ExternalSystems;

namespace Cases.Functions.Connectors.Systems;

/// <summary>
/// ServiceNow OAuth as Kibana's connectors do it (actions plugin <c>get_oauth_jwt_access_token.ts</c>): a JWT signed
/// RS256 with the connector's private key (header <c>kid</c> = <c>jwtKeyId</c>; claims <c>iss</c> = <c>aud</c> =
/// <c>clientId</c>, <c>sub</c> = <c>userIdentifierValue</c>, <c>iat</c>, <c>exp</c> = iat + 3600) is exchanged at the
/// instance's <c>/oauth_token.do</c> (grant <c>urn:ietf:params:oauth:grant-type:jwt-bearer</c>, with <c>client_id</c>
/// and <c>client_secret</c>) for an access token. The token is kept in memory until its <c>expires_in</c> has passed
/// (counted from the request) and dropped when the instance answers a 4xx, as Kibana drops its stored token. Tokens are
/// keyed by a hash of the credentials, so an edited connector gets a fresh one.
/// </summary>
public sealed class ServiceNowOAuth(TimeProvider time)
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static readonly TimeSpan AssertionLifetime = TimeSpan.FromSeconds(3600);

    readonly ConcurrentDictionary<string, (string Header, DateTimeOffset ExpiresAt)> tokens = new();

    public static bool IsOAuth(ExternalCall call) => call.Config["isOAuth"]?.GetValue<bool>() == true;

    /// <summary>The <c>Authorization</c> header value ("Bearer ..."): the cached token, or a new one.</summary>
    public async Task<string> Authorization(ExternalCall call, CancellationToken ct)
    {
        var key = CacheKey(call);
        if (tokens.TryGetValue(key, out var cached) && cached.ExpiresAt > time.GetUtcNow()) return cached.Header;

        const string operation = "get access token";
        string assertion;
        try
        {
            assertion = Assertion(call.Secret("privateKey"), call.Secret("privateKeyPassword"), call.Setting("clientId"),
                call.Setting("userIdentifierValue"), call.Setting("jwtKeyId"), time.GetUtcNow());
        }
        catch (CryptographicException)
        {
            throw call.Fail(424, operation, "its private key could not be read with the privateKeyPassword given");
        }
        var requested = time.GetUtcNow();
        var answer = await call.PostForm(Join(call.Setting("apiUrl"), "/oauth_token.do"),
        [
            new("client_id", call.Setting("clientId")), new("client_secret", call.Secret("clientSecret")),
            new("assertion", assertion), new("grant_type", GrantType),
        ], operation, ct);
        var header = $"{call.Required(answer, "token_type", operation)} {call.Required(answer, "access_token", operation)}";
        var expiresIn = TemplateRenderer.ValueAt(answer, "expires_in") is { } e && double.TryParse(e.ToString(), out var s) ? s : 0;
        tokens[key] = (header, requested.AddSeconds(expiresIn));
        return header;
    }

    /// <summary>After a 4xx from the instance the token may be what it refused: the next call gets a new one.</summary>
    public void Forget(ExternalCall call) => tokens.TryRemove(CacheKey(call), out _);

    /// <summary>The signed JWT bearer assertion; throws <see cref="CryptographicException"/> for a key it cannot read.</summary>
    public static string Assertion(string privateKeyPem, string? password, string clientId, string user, string keyId, DateTimeOffset now)
    {
        using var rsa = ReadKey(privateKeyPem, password);
        var key = new RsaSecurityKey(rsa) { KeyId = keyId, CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = clientId,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, user)]),
            IssuedAt = now.UtcDateTime,
            Expires = now.Add(AssertionLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A PEM RSA private key: PKCS#1 or PKCS#8, or encrypted PKCS#8 opened with the password.</summary>
    public static RSA ReadKey(string pem, string? password)
    {
        var rsa = RSA.Create();
        try
        {
            if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal)) rsa.ImportFromEncryptedPem(pem, password ?? "");
            else rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new CryptographicException("The private key could not be read.");
        }
    }

    static string CacheKey(ExternalCall call) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n",
        call.Setting("apiUrl"), call.Setting("clientId"), call.Setting("userIdentifierValue"), call.Setting("jwtKeyId"),
        call.Secret("clientSecret"), call.Secret("privateKey"), call.Secret("privateKeyPassword")))));
}
