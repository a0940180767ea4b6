using System.Text.Json.Nodes;

namespace Cases.Functions.Connectors.Systems;

/// <summary>The incident a case became in the external system.</summary>
public sealed record ExternalIncident(string Id, string Title, string Url);

/// <summary>What is pushed: the case's fields as Kibana maps them, and the connector's fields from the case.</summary>
public sealed record PushedCase(string Id, string Title, string Description, IReadOnlyList<string> Tags, string Severity, string Status, JsonObject? Fields, DateTimeOffset Now)
{
    /// <summary>The ECS documents sent with the case's alerts (null where none was), for systems that take alert data.</summary>
    public IReadOnlyList<JsonObject?> AlertEcs { get; init; } = [];

    public string? Field(string key) => Fields?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    public bool Flag(string key) => Fields?[key]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
}

/// <summary>One external system's REST API: create the incident, update it, add a comment to it.</summary>
public interface IExternalSystem
{
    Task<ExternalIncident> Create(ExternalCall call, PushedCase c, CancellationToken ct);
    Task<ExternalIncident> Update(ExternalCall call, PushedCase c, ExternalIncident incident, CancellationToken ct);
    Task AddComment(ExternalCall call, PushedCase c, ExternalIncident incident, string comment, CancellationToken ct);

    /// <summary>After the incident and its comments are written (and recorded): what else the system takes.</summary>
    Task Finish(ExternalCall call, PushedCase c, ExternalIncident incident, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Each connector type's system; holds what outlives a push (ServiceNow's OAuth tokens).</summary>
public sealed class ExternalSystems(ServiceNowOAuth serviceNowOAuth)
{
    public IExternalSystem For(ConnectorKind kind) => kind.Id switch
    {
        ".jira" => new JiraSystem(),
        ".servicenow" => new ServiceNowSystem(sir: false, serviceNowOAuth),
        ".servicenow-sir" => new ServiceNowSystem(sir: true, serviceNowOAuth),
        ".resilient" => new ResilientSystem(),
        ".swimlane" => new SwimlaneSystem(),
        ".thehive" => new TheHiveSystem(),
        _ => new CasesWebhookSystem(),
    };

    /// <summary>A URL from a base URL and a path, whatever trailing slash the base has.</summary>
    public static string Join(string baseUrl, string path) => baseUrl.TrimEnd('/') + path;
}
