using System.Security.Cryptography;
using System.Text;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace Cases.Functions.Outbound;

/// <summary>
/// Encrypts secrets at rest with AES-256-GCM (authenticated: a changed or foreign value fails to open rather than
/// yielding garbage). The 256-bit key comes, in this order, from <c>Cases:Secrets:Key</c> (base64), from a secret in
/// Azure Key Vault (<c>Cases:Secrets:KeyVaultUri</c> + <c>Cases:Secrets:KeyName</c>, read with the app's identity),
/// or, for local development only, from a key file the app generates once (<c>Cases:Secrets:LocalKeyFile</c>, by
/// default in the user's local application data folder). In Azure without a configured key the app refuses to start
/// protecting secrets rather than invent a key another instance would not know.
/// </summary>
public sealed class SecretProtector
{
    public const string Section = "Cases:Secrets";
    const string Prefix = "v1.";
    const int NonceBytes = 12, TagBytes = 16;

    readonly Lazy<byte[]> key;

    public SecretProtector(IConfiguration config)
    {
        var section = config.GetSection(Section);
        if (section["Key"] is { Length: > 0 } configured)
        {
            var bytes = Decode(configured, "Cases:Secrets:Key");
            key = new(() => bytes);
        }
        else if (section["KeyVaultUri"] is { Length: > 0 } vault)
        {
            if (!Uri.TryCreate(vault, UriKind.Absolute, out var vaultUri) || vaultUri.Scheme != "https")
                throw new InvalidOperationException("Cases:Secrets:KeyVaultUri must be an https URL of a Key Vault.");
            var name = section["KeyName"] is { Length: > 0 } n ? n : "cases-secrets-key";
            var clientId = section["ClientId"] is { Length: > 0 } c ? c : config["AzureWebJobsStorage:clientId"];
            // Read on first use, not at start-up, so a cold start that protects nothing does not wait for Key Vault.
            // Not cached when it fails (Key Vault unreachable, secret not set yet): the next use tries again.
            key = new(() => FromKeyVault(vaultUri, name, clientId), LazyThreadSafetyMode.PublicationOnly);
        }
        else if (!string.IsNullOrEmpty(config["WEBSITE_INSTANCE_ID"]))
        {
            key = new(() => throw new InvalidOperationException(
                "No secrets key is configured: set Cases__Secrets__KeyVaultUri (and Cases__Secrets__KeyName) or Cases__Secrets__Key."));
        }
        else
        {
            var file = section["LocalKeyFile"] is { Length: > 0 } f ? f : DefaultLocalKeyFile;
            key = new(() => LocalKey(file));
        }
    }

    /// <summary>Where standalone development keeps its generated key: outside the repository and Azurite's data.</summary>
    public static string DefaultLocalKeyFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "Cases", "secrets.key");

    /// <summary>
    /// The key; when it cannot be had (none configured in Azure, Key Vault unreachable or the secret not set yet) the
    /// request gets a 503 naming what to set, not a 500: an operator's step is missing, nothing the caller did.
    /// </summary>
    byte[] Key
    {
        get
        {
            try
            {
                return key.Value;
            }
            catch (Exception ex) when (ex is InvalidOperationException or Azure.RequestFailedException or AuthenticationFailedException)
            {
                throw new global::Cases.Domain.Errors.CasesException(503, ex is InvalidOperationException
                    ? "Connector secrets cannot be protected: " + ex.Message
                    : "Connector secrets cannot be protected: the key could not be read from Key Vault (Cases__Secrets__KeyVaultUri, Cases__Secrets__KeyName; see docs/connectors.md).");
            }
        }
    }

    public string Protect(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key, TagBytes);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceBytes + TagBytes), output.AsSpan(NonceBytes, TagBytes));
        return Prefix + Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedValue)
    {
        if (!protectedValue.StartsWith(Prefix, StringComparison.Ordinal))
            throw new CryptographicException("Not a protected value.");
        var input = Convert.FromBase64String(protectedValue[Prefix.Length..]);
        if (input.Length < NonceBytes + TagBytes) throw new CryptographicException("Protected value is truncated.");
        var plain = new byte[input.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(Key, TagBytes);
        aes.Decrypt(input.AsSpan(0, NonceBytes), input.AsSpan(NonceBytes + TagBytes), input.AsSpan(NonceBytes, TagBytes), plain);
        return Encoding.UTF8.GetString(plain);
    }

    static byte[] Decode(string base64, string source)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} must be base64.");
        }
        return bytes.Length == 32 ? bytes : throw new InvalidOperationException($"{source} must be 32 bytes (256 bits) in base64, e.g. from `openssl rand -base64 32`.");
    }

    static byte[] FromKeyVault(Uri vault, string name, string? clientId)
    {
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        var secret = new SecretClient(vault, credential).GetSecret(name);
        return Decode(secret.Value.Value, $"Key Vault secret {name}");
    }

    static byte[] LocalKey(string file)
    {
        if (File.Exists(file)) return Decode(File.ReadAllText(file), file);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var fresh = RandomNumberGenerator.GetBytes(32);
        try
        {
            // CreateNew: if another process just wrote one, use theirs instead of overwriting it.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // owner only
            using var stream = new FileStream(file, options);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(fresh)));
            return fresh;
        }
        catch (IOException) when (File.Exists(file))
        {
            return Decode(File.ReadAllText(file), file);
        }
    }
}
