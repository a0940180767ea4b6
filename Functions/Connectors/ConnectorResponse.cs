using System.Text.Json.Nodes;

namespace Cases.Functions.Connectors;

/// <summary>Kibana's connector bodies. Secrets are never part of them.</summary>
public static class ConnectorResponse
{
    public static JsonObject From(StoredConnector c) => new()
    {
        ["id"] = c.Id,
        ["name"] = c.Name,
        ["config"] = c.Config.DeepClone(),
        ["connector_type_id"] = c.Kind.Id,
        ["is_preconfigured"] = false,
        ["is_deprecated"] = c.Kind.IsDeprecated(c.Config),
        ["is_missing_secrets"] = c.IsMissingSecrets,
        ["is_system_action"] = false,
    };

    /// <summary>In a listing Kibana adds how many saved objects (here: cases and case settings) refer to it.</summary>
    public static JsonObject Listed(StoredConnector c, int referencedBy)
    {
        var body = From(c);
        body["referenced_by_count"] = referencedBy;
        return body;
    }

    /// <summary>The shape of <c>GET /api/cases/configure/connectors/_find</c> (camelCase, as Kibana's cases plugin writes it).</summary>
    public static JsonObject ForCases(StoredConnector c, int referencedBy) => new()
    {
        ["id"] = c.Id,
        ["actionTypeId"] = c.Kind.Id,
        ["name"] = c.Name,
        ["isMissingSecrets"] = c.IsMissingSecrets,
        ["config"] = c.Config.DeepClone(),
        ["isPreconfigured"] = false,
        ["isDeprecated"] = c.Kind.IsDeprecated(c.Config),
        ["referencedByCount"] = referencedBy,
    };

    public static JsonObject Type(ConnectorKind k) => new()
    {
        ["id"] = k.Id,
        ["name"] = k.Name,
        ["enabled"] = true,
        ["enabled_in_config"] = true,
        ["enabled_in_license"] = true,
        ["minimum_license_required"] = "platinum",
        ["supported_feature_ids"] = new JsonArray("cases"),
        ["is_system_action_type"] = false,
    };
}
