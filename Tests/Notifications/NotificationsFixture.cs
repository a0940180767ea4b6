using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Functions.Notifications;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Notifications;

/// <summary>The app with email (to a real SMTP server), webhooks allowed to loopback, and retries in milliseconds.</summary>
public class NotificationsFixture : CasesAppFixture, IAsyncLifetime
{
    public SmtpTestServer Smtp { get; } = new();
    public string SecretsKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public const string PublicBaseUrl = "https://cases.example.test";

    protected virtual int MaxAttempts => 100;

    public IDictionary<string, string> AppSettings(string tablePrefix) => new Dictionary<string, string>
    {
        ["Cases:Storage:TablePrefix"] = tablePrefix,
        ["Cases:Email:From"] = "Cases <cases@example.test>",
        ["Cases:Email:Smtp:Host"] = "127.0.0.1",
        ["Cases:Email:Smtp:Port"] = Smtp.Port.ToString(),
        ["Cases:Email:Smtp:Security"] = "none",
        ["Cases:PublicBaseUrl"] = PublicBaseUrl,
        ["Cases:Connectors:AllowedHosts"] = "127.0.0.1",
        ["Cases:Secrets:Key"] = SecretsKey,
        // The shortest the queue can do: visibility is counted in whole seconds.
        ["Cases:Notifications:FirstRetry"] = "00:00:01",
        ["Cases:Notifications:MaxRetryDelay"] = "00:00:01",
        ["Cases:Notifications:MaxAttempts"] = MaxAttempts.ToString(),
        ["Cases:Notifications:PollInterval"] = "00:00:00.05",
        ["Cases:Notifications:Lease"] = "00:00:05",
    };

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        AppSettings(TablePrefix).Where(s => s.Key != "Cases:Storage:TablePrefix").Select(s => KeyValuePair.Create(s.Key, (string?)s.Value));

    public new async Task InitializeAsync()
    {
        await Smtp.Start();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        var queue = App.Services.GetRequiredService<NotificationQueue>();
        await base.DisposeAsync();
        await queue.Queue.DeleteIfExistsAsync();
        await queue.Poison.DeleteIfExistsAsync();
        await Smtp.DisposeAsync();
    }

    /// <summary>Messages set aside in the app's poison queue.</summary>
    public async Task<int> PoisonedCount()
    {
        var queue = App.Services.GetRequiredService<NotificationQueue>();
        return (await queue.Poison.PeekMessagesAsync(32)).Value.Length;
    }

    /// <summary>The App Service principal header of a signed-in user (the fixture trusts it).</summary>
    public static string Principal(string uid, string username, string? fullName, string? email)
    {
        var claims = new JsonArray
        {
            new JsonObject { ["typ"] = "oid", ["val"] = uid },
            new JsonObject { ["typ"] = "preferred_username", ["val"] = username },
            new JsonObject { ["typ"] = "roles", ["val"] = "Cases.Admin" }, // the fixture's admin role (CasesAppFixture)
        };
        if (fullName is not null) claims.Add(new JsonObject { ["typ"] = "name", ["val"] = fullName });
        if (email is not null) claims.Add(new JsonObject { ["typ"] = "email", ["val"] = email });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["claims"] = claims }.ToJsonString()));
    }

    /// <summary>A user with a unique uid and email.</summary>
    public sealed record User(string Uid, string Username, string FullName, string Email)
    {
        public static User New(string name)
        {
            var id = Guid.NewGuid().ToString("N")[..8];
            return new User(Guid.NewGuid().ToString(), $"{name.ToLowerInvariant()}-{id}", $"{name} {id}", $"{name.ToLowerInvariant()}-{id}@example.test");
        }

        public string Header => Principal(Uid, Username, FullName, Email);
    }

    /// <summary>Sends a request as <paramref name="user"/>.</summary>
    public async Task<HttpResponseMessage> As(User user, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", user.Header);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Http.SendAsync(request);
    }

    public async Task<JsonNode> AsJson(User user, HttpMethod method, string path, object? body = null)
    {
        using var response = await As(user, method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Makes the app see <paramref name="user"/> (any request records its profile).</summary>
    public async Task Introduce(User user) => (await As(user, HttpMethod.Get, "/api/cases/_find")).EnsureSuccessStatusCode();
}

public sealed class PoisonFixture : NotificationsFixture
{
    protected override int MaxAttempts => 2;
}
