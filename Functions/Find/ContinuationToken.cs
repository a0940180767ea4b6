using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Errors;
using Cases.Domain.Find;

namespace Cases.Functions.Find;

/// <summary>
/// <c>searchAfter</c>: an opaque token for the position after the last case of a page, so a client can walk every
/// case of a space (Kibana stops at 10,000). It remembers the sort it belongs to; a token used with another sort is refused.
/// It is signed (HMAC-SHA256 with <see cref="SearchAfterKey"/>), so a client can only pass back positions we handed out.
/// </summary>
public static class ContinuationToken
{
    public static string Create(CasePosition position, string sortField, bool descending, SearchAfterKey key)
    {
        var payload = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["s"] = sortField,
            ["d"] = descending,
            ["n"] = position.Number,
            ["k"] = position.Key,
            ["t"] = position.CreatedTicks,
            ["i"] = position.Id,
        }.ToJsonString());
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(key.Bytes, payload));
    }

    public static CasePosition Parse(string token, string sortField, IQueryCollection q, SearchAfterKey key)
    {
        try
        {
            var parts = token.Split('.');
            if (parts.Length != 2) throw new FormatException();
            var payload = FromBase64Url(parts[0]);
            if (!CryptographicOperations.FixedTimeEquals(FromBase64Url(parts[1]), HMACSHA256.HashData(key.Bytes, payload))) throw new FormatException();
            var json = JsonNode.Parse(payload)!.AsObject();
            var descending = Hosting.QueryValues.Descending(q, fallback: true);
            if (json["s"]!.GetValue<string>() != sortField || json["d"]!.GetValue<bool>() != descending)
                throw CasesException.BadRequest("The searchAfter token belongs to another sortField or sortOrder: use the same sort as the request that returned it.");
            return new CasePosition(json["n"]!.GetValue<long>(), json["k"]!.GetValue<string>(), json["t"]!.GetValue<long>(), json["i"]!.GetValue<string>());
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
            throw CasesException.InvalidValue("searchAfter", token);
        }
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}

/// <summary>
/// The key that signs <c>searchAfter</c> tokens. Every instance serving a client must hold the same one, so it is never
/// a per-process random: <c>Cases:Find:TokenKey</c> (at least 32 characters; the Bicep generates one), else derived from
/// the storage connection string, whose account key or SAS is a secret all instances share. With a managed identity and
/// no key set, the app does not start.
/// </summary>
public sealed class SearchAfterKey
{
    public const string Setting = "Cases:Find:TokenKey";
    public const string Rule = "Cases:Find:TokenKey must be set (at least 32 characters, the same on every instance) when storage is reached by managed identity.";

    public byte[] Bytes { get; set; } = [];

    public static byte[]? Derive(IConfiguration config)
    {
        if (config[Setting] is { Length: > 0 } configured) return configured.Length >= 32 ? Encoding.UTF8.GetBytes(configured) : null;
        if (!string.IsNullOrEmpty(config["AzureWebJobsStorage:tableServiceUri"])) return null;
        var connection = config["AzureWebJobsStorage"] is { Length: > 0 } c ? c : Storage.StorageAccount.DevelopmentStorage;
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(connection), "Cases searchAfter token key v1"u8);
    }
}

public static class SearchAfterKeyRegistration
{
    public static void AddSearchAfterKey(this IServiceCollection services) =>
        services.AddOptions<SearchAfterKey>()
            .Configure<IConfiguration>((key, config) => key.Bytes = SearchAfterKey.Derive(config) ?? [])
            .Validate(key => key.Bytes.Length > 0, SearchAfterKey.Rule)
            .ValidateOnStart();
}
