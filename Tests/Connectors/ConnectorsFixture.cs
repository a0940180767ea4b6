using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Cases.Tests.Connectors;

/// <summary>
/// The app allowed to call loopback test servers only, with short timeouts and retry delays (so failure tests are quick),
/// a secrets key of its own, and every log line at every level kept, to show that no secret is ever logged.
/// </summary>
public sealed class ConnectorsFixture : CasesAppFixture
{
    public LogRecorder Logs { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Cases:Connectors:AllowedHosts", "127.0.0.1, jira.example.com"),
        new("Cases:Connectors:AttemptTimeout", "00:00:01"),
        new("Cases:Connectors:TotalTimeout", "00:00:03"),
        new("Cases:Connectors:RetryDelay", "00:00:00.050"),
        new("Cases:Secrets:Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
        new("Cases:PublicBaseUrl", PublicBaseUrl),
        new("Logging:LogLevel:Default", "Trace"),
        new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Trace"),
    ];

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(Logs);
    }

    public async Task<JsonObject> CreateConnector(string space, object body)
    {
        var response = await Http.PostAsJsonAsync(Api(space, "/actions/connector"), body);
        return (await response.Json()).AsObject();
    }

    public static object Jira(ExternalSystemServer server, string name = "My Jira") => new
    {
        connector_type_id = ".jira",
        name,
        config = new { apiUrl = server.Base, projectKey = "ES" },
        secrets = new { email = "analyst@example.com", apiToken = JiraToken },
    };

    public const string JiraToken = "jira-token-Z3kq9";
    public const string PublicBaseUrl = "https://kibana.example.test";
}

/// <summary>Keeps every log line (message and exception) the app writes.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    readonly ConcurrentQueue<string> lines = new();

    public IEnumerable<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose() { }

    sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
