using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Errors;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Cases.Functions.Connectors;

/// <summary>
/// One connector's calls to its external system. Every failure becomes a refusal with Kibana's error body that names
/// the connector and what the system answered: its 4xx (bad credentials, unknown project...) a 424 Failed Dependency,
/// its 5xx, a redirect, an unreadable answer or no answer a 502, a timeout a 504. Bodies and secrets are never logged.
/// </summary>
public sealed partial class ExternalCall(HttpClient http, StoredConnector connector, JsonObject secrets, ILogger logger)
{
    public StoredConnector Connector { get; } = connector;
    public JsonObject Config => Connector.Config;
    public JsonObject Secrets { get; } = secrets;

    /// <summary>Headers every request of this connector carries (authentication, organisation...).</summary>
    public Action<HttpRequestHeaders> Headers { get; set; } = _ => { };

    public string Secret(string key) => Secrets[key]?.GetValue<string>() ?? "";
    public string Setting(string key) => Config[key]?.GetValue<string>() ?? "";

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    /// <summary>Sends and returns the JSON answer (null for an empty one, e.g. 204).</summary>
    public async Task<JsonNode?> Send(HttpMethod method, string url, JsonNode? body, string operation, CancellationToken ct) =>
        await Send(method, url, body?.ToJsonString(), operation, ct);

    public Task<JsonNode?> Send(HttpMethod method, string url, string? json, string operation, CancellationToken ct) =>
        Send(method, url, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"), Headers, operation, ct);

    /// <summary>Posts a form without the connector's <see cref="Headers"/> (an OAuth token request authenticates in its body).</summary>
    public Task<JsonNode?> PostForm(string url, IEnumerable<KeyValuePair<string, string>> form, string operation, CancellationToken ct) =>
        Send(HttpMethod.Post, url, new FormUrlEncodedContent(form), _ => { }, operation, ct);

    async Task<JsonNode?> Send(HttpMethod method, string url, HttpContent? content, Action<HttpRequestHeaders> headers, string operation, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw Fail(502, operation, $"the URL \"{url}\" is not valid");
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        headers(request.Headers);
        request.Content = content;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (TimeoutRejectedException)
        {
            throw Fail(504, operation, "it did not answer in time");
        }
        catch (BrokenCircuitException)
        {
            throw Fail(502, operation, "calls to it are paused after repeated failures; try again shortly");
        }
        catch (HttpRequestException ex)
        {
            throw Fail(502, operation, $"it could not be reached ({ex.HttpRequestError})");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Fail(504, operation, "it did not answer in time");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
                throw Fail(502, operation, $"it answered {Describe(response.StatusCode)}, a redirect, which is not followed", status);
            if (status >= 400)
                throw Fail(status < 500 ? 424 : 502, operation, $"it answered {Describe(response.StatusCode)}", status);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (string.IsNullOrWhiteSpace(text)) return null;
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                throw Fail(502, operation, $"it answered {status} with a body that is not JSON", status);
            }
        }
    }

    /// <summary>A string or number the system answered, or a 502 saying which key was missing.</summary>
    public string Required(JsonNode? answer, string path, string operation)
    {
        var value = TemplateRenderer.ValueAt(answer, path);
        return value?.GetValueKind() switch
        {
            JsonValueKind.String when value.GetValue<string>().Length > 0 => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => throw Fail(502, operation, $"its answer has no \"{path}\""),
        };
    }

    public CasesException Fail(int status, string operation, string what, int? external = null)
    {
        LogFailed(logger, Connector.Id, Connector.Kind.Id, operation, external ?? 0, status);
        var externalStatus = external is { } s ? $" (external status {s})" : "";
        return new CasesException(status,
            $"[Action][{Connector.Kind.Name}]: Unable to {operation} with connector \"{Connector.Name}\" (id {Connector.Id}): {Connector.Kind.Name} failed: {what}{externalStatus}.");
    }

    static string Describe(HttpStatusCode code) => $"{(int)code} {Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase((int)code)}".TrimEnd();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {ConnectorId} ({ConnectorType}) failed to {Operation}: external status {ExternalStatus}, answered {Status}")]
    static partial void LogFailed(ILogger logger, string connectorId, string connectorType, string operation, int externalStatus, int status);
}
