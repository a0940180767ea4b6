using System.Security.Cryptography;
using System.Text;
using Cases.Domain.Errors;

namespace Cases.Functions.Outbound;

/// <summary>
/// Encrypts secrets kept in storage (webhook secrets, connector credentials) with AES-GCM under the key in
/// <c>Cases:Secrets:Key</c> (base64 of 32 random bytes; in Azure a Key Vault reference). A stored value is
/// base64(nonce ‖ ciphertext ‖ tag): tampering or another key makes <see cref="Unprotect"/> fail rather than return garbage.
/// </summary>
public sealed class SecretProtector
{
    public const string KeySetting = "Cases:Secrets:Key";
    const int NonceBytes = 12, TagBytes = 16;

    readonly byte[]? key;

    public SecretProtector(IConfiguration configuration)
    {
        if (configuration[KeySetting] is not { Length: > 0 } text) return;
        key = TryDecodeKey(text) ?? throw new InvalidOperationException(KeyRule);
    }

    public const string KeyRule = "Cases:Secrets:Key must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`).";

    public static byte[]? TryDecodeKey(string text)
    {
        var bytes = new byte[32];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == 32 ? bytes : null;
    }

    public string Protect(string plaintext)
    {
        var k = Key();
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(k, TagBytes);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceBytes, plain.Length), output.AsSpan(NonceBytes + plain.Length));
        return Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedValue)
    {
        var k = Key();
        var input = Convert.FromBase64String(protectedValue);
        if (input.Length < NonceBytes + TagBytes) throw new CryptographicException("The protected value is too short.");
        var length = input.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        using var aes = new AesGcm(k, TagBytes);
        aes.Decrypt(input.AsSpan(0, NonceBytes), input.AsSpan(NonceBytes, length), input.AsSpan(NonceBytes + length), plain);
        return Encoding.UTF8.GetString(plain);
    }

    byte[] Key() => key ?? throw CasesException.BadRequest(
        "Secrets cannot be stored: the setting Cases__Secrets__Key (base64 of 32 random bytes) is not configured.");
}
