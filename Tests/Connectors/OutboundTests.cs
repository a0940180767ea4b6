using System.Security.Cryptography;
using Cases.Domain.Errors;
using Cases.Functions.Outbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Cases.Tests.Connectors;

/// <summary>The allow-list and the secret protector on their own (no storage, no HTTP).</summary>
public sealed class OutboundTests
{
    static AllowedHosts List(string hosts) => new(Options.Create(new OutboundOptions { AllowedHosts = hosts }));

    [Theory]
    [InlineData("jira.example.com", "https://JIRA.example.com/rest", true)]
    [InlineData("jira.example.com", "https://jira.example.com./rest", true)]
    [InlineData("jira.example.com", "https://evil-jira.example.com/", false)]
    [InlineData("jira.example.com", "https://jira.example.com.evil.net/", false)]
    [InlineData("10.1.2.3", "http://10.1.2.3:8080/", true)]
    [InlineData("10.1.2.3", "http://10.1.2.4/", false)]
    [InlineData("::1", "http://[::1]:80/", true)]
    [InlineData("*", "https://anything.example.org/", true)]
    [InlineData("*", "ftp://anything.example.org/", false)]
    [InlineData("*", "https://user:secret@anything.example.org/", false)]
    [InlineData("", "https://jira.example.com/", false)]
    [InlineData(" a.example.com , b.example.com ", "https://b.example.com/", true)]
    public void Hosts_are_matched_exactly_by_name_or_address(string setting, string url, bool allowed) =>
        Assert.Equal(allowed, List(setting).Allows(new Uri(url)));

    [Fact]
    public void A_refusal_is_a_400_naming_the_field_and_the_setting()
    {
        var ex = Assert.Throws<CasesException>(() => List("jira.example.com").Check("http://169.254.169.254/latest", "config.apiUrl"));
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("config.apiUrl", ex.Message);
        Assert.Contains("Cases__Connectors__AllowedHosts", ex.Message);
    }

    static SecretProtector Protector(params (string Key, string? Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Secrets_round_trip_under_a_configured_key_and_differ_each_time()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var protector = Protector(("Cases:Secrets:Key", key));
        var a = protector.Protect("api-token-1");
        var b = protector.Protect("api-token-1");
        Assert.NotEqual(a, b);
        Assert.DoesNotContain("api-token-1", a);
        Assert.Equal("api-token-1", Protector(("Cases:Secrets:Key", key)).Unprotect(a));
        // Another key, or a changed byte, does not open it.
        var other = Protector(("Cases:Secrets:Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        Assert.ThrowsAny<CryptographicException>(() => other.Unprotect(a));
        var bytes = Convert.FromBase64String(a[3..]);
        bytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("v1." + Convert.ToBase64String(bytes)));
    }

    [Fact]
    public void Development_generates_one_local_key_file_and_keeps_using_it()
    {
        var dir = Directory.CreateTempSubdirectory("cases-key-");
        try
        {
            var file = Path.Combine(dir.FullName, "nested", "secrets.key");
            var sealedValue = Protector(("Cases:Secrets:LocalKeyFile", file)).Protect("s3cret");
            Assert.True(File.Exists(file));
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal("s3cret", Protector(("Cases:Secrets:LocalKeyFile", file)).Unprotect(sealedValue));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("Cases:Secrets:Key", "not base64!", "Cases:Secrets:Key")]
    [InlineData("Cases:Connectors:AttemptTimeout", "00:00:00", "AttemptTimeout")]
    [InlineData("Cases:Connectors:MaxRetries", "9", "MaxRetries")]
    public async Task A_bad_outbound_setting_stops_the_app_at_start_up_naming_it(string key, string value, string named)
    {
        await using var app = global::Cases.Functions.Hosting.CasesApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Cases:Numbering:RunInProcess"] = "false", [key] = value }));
        // The resilience pipeline's options read these settings too, so the failure may come twice (an AggregateException).
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_bad_key_setting_stops_the_app_and_Azure_without_a_key_refuses_to_invent_one()
    {
        Assert.Contains("32 bytes", Assert.Throws<InvalidOperationException>(() => Protector(("Cases:Secrets:Key", Convert.ToBase64String(new byte[16])))).Message);
        Assert.Contains("https", Assert.Throws<InvalidOperationException>(() => Protector(("Cases:Secrets:KeyVaultUri", "http://vault"))).Message);
        var inAzure = Protector(("WEBSITE_INSTANCE_ID", "abc"));
        // A request meeting it is answered 503 naming the settings (an operator's step is missing), never 500.
        var refused = Assert.Throws<global::Cases.Domain.Errors.CasesException>(() => inAzure.Protect("x"));
        Assert.Equal(503, refused.StatusCode);
        Assert.Contains("Cases__Secrets__KeyVaultUri", refused.Message);
    }
}
