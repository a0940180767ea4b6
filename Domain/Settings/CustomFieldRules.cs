using Cases.Domain.Cases;
using Cases.Domain.Errors;

namespace Cases.Domain.Settings;

/// <summary>
/// A case's custom fields against its owner's settings: only configured keys of the configured type, required ones
/// never empty, and every configured field present (missing ones take their default, else null), in the settings'
/// order. Fields removed from the settings stay readable on old cases and may be sent back unchanged.
/// </summary>
public static class CustomFieldRules
{
    /// <param name="requested">Values already checked on their own (<see cref="CaseValidation.CustomFields"/>).</param>
    /// <param name="config">The owner's custom fields; null when the owner has no settings in the space.</param>
    public static IReadOnlyList<CustomFieldValue> ForNewCase(IReadOnlyList<CustomFieldValue> requested, IReadOnlyList<CustomFieldConfig>? config) =>
        ForUpdate(requested, config, []);

    /// <summary>
    /// The case's new list when an update sends <c>customFields</c>. As in Kibana the list sent replaces the case's whole
    /// list: a configured field left out gets its default (null when it has none; refused when it is required), and the
    /// result is in the configuration's order. <paramref name="current"/> only vouches for keys the settings no longer have.
    /// </summary>
    public static IReadOnlyList<CustomFieldValue> ForUpdate(IReadOnlyList<CustomFieldValue> requested, IReadOnlyList<CustomFieldConfig>? config,
        IReadOnlyList<CustomFieldValue> current)
    {
        if (config is null && requested.Any(r => current.All(c => c.Key != r.Key)))
            throw CasesException.BadRequest("No custom fields configured.");
        config ??= [];
        KnownAndTyped(requested, config, current);

        var result = new List<CustomFieldValue>(config.Count);
        var nulled = new List<string>();
        var missing = new List<string>();
        foreach (var field in config)
        {
            var sent = requested.FirstOrDefault(r => r.Key == field.Key);
            var value = sent ?? new CustomFieldValue(field.Key, field.Type, field.DefaultValue?.DeepClone());
            if (field.Required == true && value.Value is null) (sent is null ? missing : nulled).Add($"\"{field.Key}\"");
            result.Add(value);
        }
        if (missing.Count > 0)
            throw CasesException.BadRequest($"Missing required custom fields without default value configured: {string.Join(", ", missing)}");
        if (nulled.Count > 0)
            throw CasesException.BadRequest($"Invalid value \"null\" supplied for the following required custom fields: {string.Join(", ", nulled)}");
        // Fields no longer configured that the client sent back: kept as they are, after the configured ones.
        result.AddRange(requested.Where(r => config.All(f => f.Key != r.Key)));
        return result;
    }

    /// <summary>
    /// Unknown keys and wrong types are refused, naming the keys. A key the case already carries but the settings no
    /// longer have is tolerated (with its old type), so removing a field never breaks editing old cases.
    /// </summary>
    internal static void KnownAndTyped(IReadOnlyList<CustomFieldValue> requested, IReadOnlyList<CustomFieldConfig> config, IReadOnlyList<CustomFieldValue> current)
    {
        var unknown = new List<string>();
        var wrongType = new List<string>();
        foreach (var field in requested)
        {
            var expected = config.FirstOrDefault(f => f.Key == field.Key)?.Type ?? current.FirstOrDefault(c => c.Key == field.Key)?.Type;
            if (expected is null) unknown.Add(field.Key);
            else if (expected != field.Type) wrongType.Add(field.Key);
        }
        if (unknown.Count > 0) throw CasesException.BadRequest($"Invalid custom field keys: {string.Join(',', unknown)}");
        if (wrongType.Count > 0)
            throw CasesException.BadRequest($"The following custom fields have the wrong type in the request: {string.Join(',', wrongType)}");
    }
}
