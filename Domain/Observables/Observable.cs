using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Cases.Domain.Errors;

namespace Cases.Domain.Observables;

/// <summary>A typed observable of a case (an IP, a host name, a hash...), in Kibana's shape.</summary>
public sealed record Observable(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("typeKey")] string TypeKey,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt);

public sealed record ObservableType(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("label")] string Label);

/// <summary>Kibana's built-in observable types, and how a value of each is checked.</summary>
public static partial class ObservableTypes
{
    public const string Ipv4 = "observable-type-ipv4";
    public const string Ipv6 = "observable-type-ipv6";
    public const string Url = "observable-type-url";
    public const string Hostname = "observable-type-hostname";
    public const string FileHash = "observable-type-file-hash";
    public const string FilePath = "observable-type-file-path";
    public const string Email = "observable-type-email";
    public const string Domain = "observable-type-domain";
    public const string AgentId = "observable-type-agent-id";

    public static readonly ObservableType[] BuiltIn =
    [
        new(Ipv4, "IPv4"), new(Ipv6, "IPv6"), new(Url, "URL"), new(Hostname, "Hostname"), new(FileHash, "File hash"),
        new(FilePath, "File path"), new(Email, "Email"), new(Domain, "Domain"), new(AgentId, "Agent ID"),
    ];

    public static bool IsValidValue(string type, string value) => type switch
    {
        Ipv4 => IPAddress.TryParse(value, out var a) && a.AddressFamily == AddressFamily.InterNetwork && DottedQuad().IsMatch(value),
        Ipv6 => value.Contains(':') && IPAddress.TryParse(value, out var b) && b.AddressFamily == AddressFamily.InterNetworkV6,
        Url => Uri.TryCreate(value, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" or "ftp" or "ftps" or "hxxp" or "hxxps",
        Hostname or Domain => value.Length <= 253 && HostName().IsMatch(value),
        Email => IsEmailShape(value),
        FileHash => FileHashShape().IsMatch(value),
        _ => true,
    };

    [GeneratedRegex(@"^([0-9]{1,3})(\.[0-9]{1,3}){3}\z")]
    private static partial Regex DottedQuad();

    [GeneratedRegex(@"^(?=.{1,253}\z)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?\z")]
    private static partial Regex HostName();

    /// <summary>
    /// <c>local@domain.tld</c>: one '@', no white space, a dot inside the domain. One pass over the value: the regex it
    /// replaces backtracked quadratically on long dotted values.
    /// </summary>
    static bool IsEmailShape(string value)
    {
        var at = value.IndexOf('@');
        if (at <= 0 || value.IndexOf('@', at + 1) >= 0 || value.Any(char.IsWhiteSpace)) return false;
        var domain = value.AsSpan(at + 1);
        var dot = domain.Length > 1 ? domain[1..].IndexOf('.') + 1 : 0;
        return dot > 0 && dot < domain.Length - 1;
    }

    /// <summary>MD5, SHA-1, SHA-256 or SHA-512 in hex.</summary>
    [GeneratedRegex(@"^([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128})\z")]
    private static partial Regex FileHashShape();
}

/// <summary>Adding, changing and removing observables: at most 50 per case, no two of the same type and value.</summary>
public static class ObservableRules
{
    public const int PerCaseMax = 50;
    public const int ValueMax = 2_048;
    public const int DescriptionMax = 1_000;

    public static Observable Add(IReadOnlyList<Observable> current, string? typeKey, string? value, string? description,
        IReadOnlyCollection<string> types, string id, DateTimeOffset now)
    {
        if (current.Count >= PerCaseMax)
            throw CasesException.BadRequest($"The case has reached the maximum allowed number ({PerCaseMax}) of observables.");
        var type = typeKey is not null && types.Contains(typeKey) ? typeKey : throw CasesException.InvalidValue("observable.typeKey", typeKey);
        var checkedValue = Value(type, value);
        NotDuplicate(current, type, checkedValue, null);
        return new Observable(id, type, checkedValue, Description(description), now, now);
    }

    public static Observable Update(IReadOnlyList<Observable> current, Observable existing, string? value, string? description, DateTimeOffset now)
    {
        var checkedValue = Value(existing.TypeKey, value);
        NotDuplicate(current, existing.TypeKey, checkedValue, existing.Id);
        return existing with { Value = checkedValue, Description = Description(description), UpdatedAt = now };
    }

    /// <summary>
    /// Observables found in the ECS fields of alerts (host.name, source.ip, url.full, file.hash.*, ...), without those
    /// the case already has or that repeat, and only as many as still fit under the limit.
    /// </summary>
    public static List<Observable> Extract(IReadOnlyList<Observable> current, IEnumerable<JsonObject?> ecs, DateTimeOffset now, Func<string> newId)
    {
        var seen = current.Select(o => (o.TypeKey, o.Value)).ToHashSet();
        var found = new List<Observable>();
        foreach (var doc in ecs)
        {
            if (doc is null) continue;
            foreach (var (field, type) in EcsFields)
                foreach (var raw in Ecs.Values(doc, field))
                {
                    var t = type ?? (raw.Contains(':') ? ObservableTypes.Ipv6 : ObservableTypes.Ipv4);
                    var value = raw.Trim();
                    if (value.Length == 0 || value.Length > ValueMax || !ObservableTypes.IsValidValue(t, value)) continue;
                    if (current.Count + found.Count >= PerCaseMax) return found;
                    if (seen.Add((t, value))) found.Add(new Observable(newId(), t, value, $"Auto extracted observable from {field}", now, now));
                }
        }
        return found;
    }

    /// <summary>ECS fields auto-extraction reads; a null type means an IP (v4 or v6 by its shape).</summary>
    static readonly (string Field, string? Type)[] EcsFields =
    [
        ("host.name", ObservableTypes.Hostname), ("host.ip", null), ("source.ip", null), ("destination.ip", null),
        ("url.full", ObservableTypes.Url), ("dns.question.name", ObservableTypes.Domain), ("user.email", ObservableTypes.Email),
        ("file.hash.md5", ObservableTypes.FileHash), ("file.hash.sha1", ObservableTypes.FileHash),
        ("file.hash.sha256", ObservableTypes.FileHash), ("file.hash.sha512", ObservableTypes.FileHash),
        ("file.path", ObservableTypes.FilePath), ("agent.id", ObservableTypes.AgentId),
    ];

    static string Value(string type, string? value)
    {
        if (value is null) throw CasesException.InvalidValue("observable.value", null);
        var trimmed = value.Trim();
        if (trimmed.Length == 0) throw CasesException.BadRequest("The value field cannot be an empty string.");
        if (trimmed.Length > ValueMax) throw CasesException.BadRequest($"The length of the value is too long. The maximum length is {ValueMax}.");
        if (!ObservableTypes.IsValidValue(type, trimmed)) throw CasesException.BadRequest($"The value \"{trimmed}\" is not valid for the observable type {type}.");
        return trimmed;
    }

    static string? Description(string? description) =>
        description is { Length: > DescriptionMax }
            ? throw CasesException.BadRequest($"The length of the description is too long. The maximum length is {DescriptionMax}.")
            : description;

    static void NotDuplicate(IReadOnlyList<Observable> current, string type, string value, string? except)
    {
        if (current.Any(o => o.Id != except && o.TypeKey == type && o.Value == value))
            throw CasesException.BadRequest($"Invalid duplicated observables in request: an observable of type {type} with value \"{value}\" already exists on the case.");
    }
}

/// <summary>Reads ECS fields from alert documents written nested (<c>{"host":{"name":..}}</c>) or flat (<c>{"host.name":..}</c>).</summary>
public static class Ecs
{
    public static IEnumerable<string> Values(JsonObject doc, string path)
    {
        var node = Find(doc, path.Split('.'), 0);
        return node switch
        {
            JsonArray a => a.OfType<JsonValue>().Select(Text).OfType<string>(),
            JsonValue v when Text(v) is { } s => [s],
            _ => [],
        };
    }

    public static string? First(JsonObject doc, string path) => Values(doc, path).FirstOrDefault();

    static JsonNode? Find(JsonObject obj, string[] parts, int start)
    {
        // Try the longest dotted key first: "host.name", then "host" → "name".
        for (var end = parts.Length; end > start; end--)
        {
            var key = string.Join('.', parts[start..end]);
            if (!obj.TryGetPropertyValue(key, out var node)) continue;
            if (end == parts.Length) return node;
            if (node is JsonObject child && Find(child, parts, end) is { } found) return found;
        }
        return null;
    }

    static string? Text(JsonValue v) => v.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        System.Text.Json.JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };
}
