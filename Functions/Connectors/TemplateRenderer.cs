using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cases.Functions.Connectors;

/// <summary>
/// Fills the <c>{{{case.title}}}</c>-style variables of a Webhook - Case Management connector the way Kibana does:
/// in a JSON body a variable becomes the JSON of its value (so <c>"summary": {{{case.title}}}</c> gets a quoted,
/// escaped string and <c>{{{case.tags}}}</c> an array); in a URL it becomes the URL-encoded text.
/// </summary>
public static partial class TemplateRenderer
{
    [GeneratedRegex(@"\{\{\{?\s*([A-Za-z0-9_.]+)\s*\}?\}\}")]
    private static partial Regex Variable();

    public static string Json(string template, IReadOnlyDictionary<string, JsonNode?> values) =>
        Variable().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v) ? (v?.ToJsonString() ?? "null") : "null");

    public static string Url(string template, IReadOnlyDictionary<string, JsonNode?> values) =>
        Variable().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v) && v is not null
            ? Uri.EscapeDataString(v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString())
            : "");

    /// <summary>Whether the template is JSON once its variables are filled in (checked with sample values, as Kibana does on create).</summary>
    public static bool IsJsonTemplate(string template)
    {
        try
        {
            JsonNode.Parse(Variable().Replace(template, "\"x\""));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The URL with sample values in its variables, to check its host against the allow-list on create.</summary>
    public static string SampleUrl(string template) => Variable().Replace(template, "x");

    /// <summary>A value from a JSON response by a dotted key path (Kibana's getObjectValueByKey), e.g. <c>data.id</c>.</summary>
    public static JsonNode? ValueAt(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
            node = node is JsonObject obj ? obj[part] : node is JsonArray arr && int.TryParse(part, out var i) && i < arr.Count ? arr[i] : null;
        return node;
    }
}
