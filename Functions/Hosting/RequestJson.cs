using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Cases.Domain.Errors;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Hosting;

/// <summary>
/// Reads request bodies so that anything a client can send ends in a 400 with Kibana's wording, never a 500:
/// malformed JSON, unknown keys (<c>invalid keys "a,b"</c>) and values of the wrong type (<c>Invalid value ... supplied to ...</c>).
/// </summary>
public static class RequestJson
{
    /// <summary>
    /// Reads at most the route's limit (<see cref="BodyLimits"/>) and refuses with 413 as soon as more arrives, before
    /// anything is parsed: a large body costs the limit, never its own size.
    /// </summary>
    public static async Task<JsonObject> ReadObject(HttpRequest request, CancellationToken ct)
    {
        var limit = Limit(request.HttpContext);
        if (request.ContentLength > limit) throw BodyLimits.TooLarge(limit);
        // A route allowed more than the server's default (JsonBodyLimit) raises the server's limit for this request.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server
            && server.MaxRequestBodySize < limit)
            server.MaxRequestBodySize = limit;
        using var body = new MemoryStream((int)Math.Min(request.ContentLength ?? 16_384, limit));
        var chunk = new byte[16_384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (body.Length + read > limit) throw BodyLimits.TooLarge(limit);
            body.Write(chunk, 0, read);
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body.GetBuffer().AsSpan(0, (int)body.Length));
        }
        catch (JsonException ex)
        {
            throw CasesException.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }
        return node as JsonObject ?? throw CasesException.BadRequest("The request body must be a JSON object.");
    }

    static long Limit(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<JsonBodyLimit>()?.Bytes
        ?? http.RequestServices.GetService<IOptions<BodyLimits>>()?.Value.MaxJsonBodyBytes
        ?? BodyLimits.DefaultMaxJsonBytes;

    public static void RejectUnknownKeys(JsonObject body, IReadOnlyCollection<string> allowed)
    {
        var unknown = body.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToArray();
        if (unknown.Length > 0) throw CasesException.BadRequest($"invalid keys \"{string.Join(',', unknown)}\"");
    }

    /// <summary>Converts a JSON value to <typeparamref name="T"/>; <paramref name="field"/> names it in the error (Kibana joins path keys with commas).</summary>
    public static T? Bind<T>(JsonNode? node, JsonTypeInfo<T> type, string field)
    {
        try
        {
            return node is null ? default : node.Deserialize(type);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            var path = ex is JsonException { Path: { Length: > 1 } p } ? PathKeys(p) : "";
            var name = path.Length == 0 ? field : field.Length == 0 ? path : $"{field},{path}";
            throw CasesException.InvalidValue(name, Describe(node, ex as JsonException));
        }
    }

    static string PathKeys(string jsonPath) => string.Join(',',
        jsonPath.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries).Select(k => k.Split('[')[0]).Where(k => k.Length > 0));

    static string Describe(JsonNode? node, JsonException? ex)
    {
        var target = node;
        if (ex?.Path is { Length: > 1 } path)
            foreach (var part in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = part.Split('[')[0];
                if (name.Length > 0) target = target is JsonObject o ? o[name] : null;
                foreach (var index in part.Split('[').Skip(1))
                    target = target is JsonArray a && int.TryParse(index.TrimEnd(']'), out var i) && i < a.Count ? a[i] : null;
            }
        return target switch
        {
            null => "null",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => target.ToJsonString(),
        };
    }
}
