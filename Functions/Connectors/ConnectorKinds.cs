using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Errors;

namespace Cases.Functions.Connectors;

/// <summary>What a value of a connector's config, secrets or case fields may be.</summary>
public enum ValueKind { String, Url, Bool, Object, Number, StringList }

/// <summary>One key of a connector's config, secrets or case fields, as Kibana's schemas declare it.</summary>
public sealed record KeySpec(string Name, ValueKind Kind, bool Required = false, JsonNode? Default = null, string[]? OneOf = null);

/// <summary>
/// A connector type cases can push to, as Kibana's stack connectors define it: its name, the keys of its config and
/// secrets, and the fields a case using it may set.
/// </summary>
public sealed record ConnectorKind(string Id, string Name, KeySpec[] Config, KeySpec[] Secrets, KeySpec[] CaseFields)
{
    public static readonly ConnectorKind Jira = new(".jira", "Jira",
        [new("apiUrl", ValueKind.Url, true), new("projectKey", ValueKind.String, true)],
        [new("email", ValueKind.String, true), new("apiToken", ValueKind.String, true)],
        [new("issueType", ValueKind.String), new("priority", ValueKind.String), new("parent", ValueKind.String)]);

    static readonly KeySpec[] ServiceNowConfig =
    [
        new("apiUrl", ValueKind.Url, true), new("usesTableApi", ValueKind.Bool, Default: true), new("isOAuth", ValueKind.Bool, Default: false),
        new("clientId", ValueKind.String), new("userIdentifierValue", ValueKind.String), new("jwtKeyId", ValueKind.String),
    ];

    static readonly KeySpec[] ServiceNowSecrets =
    [
        new("username", ValueKind.String), new("password", ValueKind.String),
        new("clientSecret", ValueKind.String), new("privateKey", ValueKind.String), new("privateKeyPassword", ValueKind.String),
    ];

    public static readonly ConnectorKind ServiceNowItsm = new(".servicenow", "ServiceNow ITSM", ServiceNowConfig, ServiceNowSecrets,
        [new("urgency", ValueKind.String), new("severity", ValueKind.String), new("impact", ValueKind.String),
         new("category", ValueKind.String), new("subcategory", ValueKind.String)]);

    public static readonly ConnectorKind ServiceNowSir = new(".servicenow-sir", "ServiceNow SecOps", ServiceNowConfig, ServiceNowSecrets,
        [new("category", ValueKind.String), new("subcategory", ValueKind.String), new("priority", ValueKind.String),
         new("destIp", ValueKind.Bool), new("sourceIp", ValueKind.Bool), new("malwareHash", ValueKind.Bool), new("malwareUrl", ValueKind.Bool)]);

    public static readonly ConnectorKind Resilient = new(".resilient", "IBM Resilient",
        [new("apiUrl", ValueKind.Url, true), new("orgId", ValueKind.String, true)],
        [new("apiKeyId", ValueKind.String, true), new("apiKeySecret", ValueKind.String, true)],
        [new("incidentTypes", ValueKind.StringList), new("severityCode", ValueKind.String)]);

    public static readonly ConnectorKind Swimlane = new(".swimlane", "Swimlane",
        [new("apiUrl", ValueKind.Url, true), new("appId", ValueKind.String, true),
         new("connectorType", ValueKind.String, true, OneOf: ["all", "alerts", "cases"]), new("mappings", ValueKind.Object, true)],
        [new("apiToken", ValueKind.String, true)],
        [new("caseId", ValueKind.String)]);

    public static readonly ConnectorKind TheHive = new(".thehive", "TheHive",
        [new("url", ValueKind.Url, true), new("organisation", ValueKind.String)],
        [new("apiKey", ValueKind.String, true)],
        [new("tlp", ValueKind.Number)]);

    public static readonly ConnectorKind CasesWebhook = new(".cases-webhook", "Webhook - Case Management",
        [
            new("createIncidentUrl", ValueKind.Url, true), new("createIncidentMethod", ValueKind.String, Default: "post", OneOf: ["post", "put"]),
            new("createIncidentJson", ValueKind.String, true), new("createIncidentResponseKey", ValueKind.String, true),
            new("getIncidentUrl", ValueKind.Url, true), new("getIncidentResponseExternalTitleKey", ValueKind.String, true),
            new("viewIncidentUrl", ValueKind.Url, true),
            new("updateIncidentUrl", ValueKind.Url, true), new("updateIncidentMethod", ValueKind.String, Default: "put", OneOf: ["post", "patch", "put"]),
            new("updateIncidentJson", ValueKind.String, true),
            new("createCommentUrl", ValueKind.Url), new("createCommentMethod", ValueKind.String, Default: "put", OneOf: ["post", "patch", "put"]),
            new("createCommentJson", ValueKind.String),
            new("headers", ValueKind.Object), new("hasAuth", ValueKind.Bool, Default: true), new("authType", ValueKind.String, OneOf: ["webhook-authentication-basic"]),
        ],
        [new("user", ValueKind.String), new("password", ValueKind.String)],
        []);

    public static readonly ConnectorKind[] All = [CasesWebhook, Jira, Resilient, ServiceNowItsm, ServiceNowSir, Swimlane, TheHive];

    public static ConnectorKind? Find(string? id) => All.FirstOrDefault(k => k.Id == id);

    /// <summary>Kibana marks ServiceNow connectors that use the table API instead of its app's import set as deprecated.</summary>
    public bool IsDeprecated(JsonObject config) =>
        (this == ServiceNowItsm || this == ServiceNowSir) && config["usesTableApi"]?.GetValueKind() == JsonValueKind.True;

    /// <summary>Swimlane connectors made for alerts only cannot take cases (Kibana leaves them out of the case connectors).</summary>
    public bool TakesCases(JsonObject config) => this != Swimlane || config["connectorType"]?.GetValue<string>() != "alerts";

    /// <summary>Checks a connector's config against the type, with Kibana's messages; returns it with defaults filled in.</summary>
    public JsonObject ValidConfig(JsonNode? config)
    {
        var valid = Validate(config, Config, "config");
        if ((this == ServiceNowItsm || this == ServiceNowSir) && IsOAuth(valid))
            foreach (var key in new[] { "userIdentifierValue", "clientId", "jwtKeyId" })
                if (valid[key] is null) throw Invalid("config", $"{key} must be provided when isOAuth = true");
        if (this == CasesWebhook)
            foreach (var key in new[] { "createIncidentJson", "updateIncidentJson", "createCommentJson" })
                if (valid[key] is JsonValue template && !TemplateRenderer.IsJsonTemplate(template.GetValue<string>()))
                    throw Invalid("config", $"[{key}]: must be valid JSON once its {{{{{{variables}}}}}} are filled in");
        return valid;
    }

    public JsonObject ValidSecrets(JsonNode? secrets, JsonObject config)
    {
        var valid = Validate(secrets, Secrets, "secrets");
        if (this == ServiceNowItsm || this == ServiceNowSir) ServiceNowCredentials(valid, config);
        if (this == CasesWebhook && config["hasAuth"]?.GetValueKind() != JsonValueKind.False)
            foreach (var key in new[] { "user", "password" })
                if (valid[key] is null) throw Invalid("secrets", $"[{key}]: expected value of type [string] but got [undefined] (hasAuth is true)");
        return valid;
    }

    static bool IsOAuth(JsonObject config) => config["isOAuth"]?.GetValueKind() == JsonValueKind.True;

    /// <summary>
    /// Kibana's ServiceNow rules (stack_connectors <c>lib/servicenow/validators.ts</c>): basic credentials or OAuth ones,
    /// each pair complete, matching <c>isOAuth</c>, never both. Beyond Kibana, an OAuth private key must be readable (a
    /// PEM RSA key, encrypted PKCS#8 opened by <c>privateKeyPassword</c>), so a bad key is a 400 now, not a failed push.
    /// </summary>
    static void ServiceNowCredentials(JsonObject secrets, JsonObject config)
    {
        bool Has(JsonObject o, string key) => o[key] is JsonValue v && v.GetValue<string>().Length > 0;
        if (!new[] { "username", "password", "clientSecret", "privateKey" }.Any(k => Has(secrets, k)))
            throw Invalid("secrets", "Either basic auth or OAuth credentials must be specified");
        if (Has(secrets, "username") || Has(secrets, "password"))
        {
            if (!Has(secrets, "username") || !Has(secrets, "password")) throw Invalid("secrets", "username and password must both be specified");
        }
        else if (!Has(secrets, "clientSecret") || !Has(secrets, "privateKey"))
            throw Invalid("secrets", "clientSecret and privateKey must both be specified");

        if (IsOAuth(config))
        {
            foreach (var key in new[] { "clientSecret", "privateKey" })
                if (secrets[key] is null) throw Invalid("connector", $"{key} must be provided when isOAuth = true");
            if (Has(secrets, "username") || Has(secrets, "password"))
                throw Invalid("connector", "Username and password should not be provided with isOAuth = true");
            try
            {
                Systems.ServiceNowOAuth.ReadKey(secrets["privateKey"]!.GetValue<string>(), secrets["privateKeyPassword"]?.GetValue<string>()).Dispose();
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                throw Invalid("secrets", "[privateKey]: must be a PEM RSA private key (PKCS#1, PKCS#8, or encrypted PKCS#8 with privateKeyPassword)");
            }
            return;
        }
        foreach (var key in new[] { "username", "password" })
            if (secrets[key] is null) throw Invalid("connector", $"{key} must be provided when isOAuth = false");
        if (Has(secrets, "clientSecret") || Has(secrets, "privateKey") || new[] { "clientId", "userIdentifierValue", "jwtKeyId" }.Any(k => Has(config, k)))
            throw Invalid("connector", "clientId, clientSecret, userIdentifierValue, jwtKeyId and privateKey should not be provided with isOAuth = false");
    }

    /// <summary>The fields a case connector of this type carries (null for none); unknown keys and wrong types are refused.</summary>
    public JsonObject? ValidCaseFields(JsonNode? fields)
    {
        if (CaseFields.Length == 0)
        {
            if (fields is JsonObject { Count: > 0 }) throw CasesException.BadRequest($"The fields of a {Id} connector must be null.");
            return null;
        }
        if (fields is null) return null;
        if (fields is not JsonObject obj) throw CasesException.InvalidValue("connector.fields", fields.ToJsonString());
        var unknown = obj.Select(p => p.Key).Where(k => CaseFields.All(s => s.Name != k)).ToArray();
        if (unknown.Length > 0) throw CasesException.BadRequest($"invalid keys \"{string.Join(",", unknown)}\" in connector.fields of a {Id} connector");
        var result = new JsonObject();
        foreach (var spec in CaseFields)
        {
            var value = obj[spec.Name];
            if (value is not null && !Fits(value, spec.Kind))
                throw CasesException.InvalidValue($"connector.fields.{spec.Name}", value.ToJsonString());
            result[spec.Name] = value?.DeepClone();
        }
        return result;
    }

    JsonObject Validate(JsonNode? input, KeySpec[] specs, string what)
    {
        if (input is null) input = new JsonObject();
        if (input is not JsonObject obj) throw Invalid(what, $"expected a plain object value, but found [{input.GetValueKind().ToString().ToLowerInvariant()}] instead.");
        foreach (var (key, _) in obj)
            if (specs.All(s => s.Name != key)) throw Invalid(what, $"[{key}]: definition for this key is missing");
        var result = new JsonObject();
        foreach (var spec in specs)
        {
            var value = obj[spec.Name];
            if (value is null)
            {
                if (spec.Required) throw Invalid(what, $"[{spec.Name}]: expected value of type [{TypeName(spec.Kind)}] but got [undefined]");
                if (what == "config") result[spec.Name] = spec.Default?.DeepClone();
                continue;
            }
            if (!Fits(value, spec.Kind))
                throw Invalid(what, $"[{spec.Name}]: expected value of type [{TypeName(spec.Kind)}] but got [{value.GetValueKind().ToString().ToLowerInvariant()}]");
            if (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Trim().Length == 0 && spec.Required)
                throw Invalid(what, $"[{spec.Name}]: must not be empty");
            if (spec.OneOf is { } allowed && !allowed.Contains(value.GetValue<string>()))
                throw Invalid(what, $"[{spec.Name}]: expected one of [{string.Join(", ", allowed)}] but got [{value.GetValue<string>()}]");
            result[spec.Name] = value.DeepClone();
        }
        return result;
    }

    static bool Fits(JsonNode value, ValueKind kind) => kind switch
    {
        ValueKind.String or ValueKind.Url => value.GetValueKind() == JsonValueKind.String,
        ValueKind.Bool => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        ValueKind.Object => value is JsonObject,
        ValueKind.Number => value.GetValueKind() == JsonValueKind.Number,
        _ => value is JsonArray list && list.All(v => v?.GetValueKind() == JsonValueKind.String),
    };

    static string TypeName(ValueKind kind) => kind switch
    {
        ValueKind.String or ValueKind.Url => "string",
        ValueKind.Bool => "boolean",
        ValueKind.Object => "object",
        ValueKind.Number => "number",
        _ => "array",
    };

    static CasesException Invalid(string what, string detail) =>
        CasesException.BadRequest($"error validating action type {what}: {detail}");
}
