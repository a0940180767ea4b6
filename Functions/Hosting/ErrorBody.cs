using System.Text.Json.Serialization;

namespace Cases.Functions.Hosting;

/// <summary>Kibana's (Boom's) error body.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("statusCode"), JsonNumberHandling(JsonNumberHandling.Strict)] int StatusCode, // an integer in the OpenAPI schema too
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message)
{
    public static ErrorBody For(int status, string message) => new(status, ReasonPhrase(status), message);

    static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}
