using System.Security.Cryptography;
using Cases.Domain.Errors;
using Cases.Functions.Notifications;
using Cases.Functions.Outbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Cases.Tests.Notifications;

public sealed class OutboundTests
{
    static SecretProtector Protector(string? key) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [SecretProtector.KeySetting] = key }).Build());

    [Fact]
    public void A_protected_secret_reads_back_only_with_its_key_and_untouched()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var protector = Protector(key);
        var stored = protector.Protect("s3cret-value");
        Assert.DoesNotContain("s3cret", stored);
        Assert.NotEqual(stored, protector.Protect("s3cret-value")); // a fresh nonce each time
        Assert.Equal("s3cret-value", protector.Unprotect(stored));

        var bytes = Convert.FromBase64String(stored);
        bytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(Convert.ToBase64String(bytes)));
        Assert.ThrowsAny<CryptographicException>(() => Protector(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Unprotect(stored));
        Assert.Equal(400, Assert.Throws<CasesException>(() => Protector(null).Protect("x")).StatusCode);
        Assert.Throws<InvalidOperationException>(() => Protector("too-short"));
    }

    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:8080/x", true)]
    [InlineData("hooks.contoso.com, 127.0.0.1", "https://HOOKS.contoso.com/x", true)]
    [InlineData("hooks.contoso.com", "https://evil.example/x", false)]
    [InlineData("*", "https://anything.example/x", true)]
    [InlineData("*", "file:///etc/passwd", false)]
    [InlineData("", "https://hooks.contoso.com/x", false)]
    public void The_allow_list_decides_by_host(string allowed, string url, bool allows) =>
        Assert.Equal(allows, new AllowedHosts(Options.Create(new OutboundOptions { AllowedHosts = allowed })).Allows(new Uri(url)));

    [Fact]
    public void Retries_back_off_from_seconds_to_a_cap_of_minutes()
    {
        var options = new NotificationOptions();
        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 180, 180], Enumerable.Range(1, 9).Select(n => (int)options.RetryDelay(n).TotalSeconds));
    }
}
