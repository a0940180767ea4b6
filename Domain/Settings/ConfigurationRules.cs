using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.Users;

namespace Cases.Domain.Settings;

/// <summary>Creating and changing settings; who changed them and when is kept on the settings themselves.</summary>
public static class ConfigurationRules
{
    public static CaseConfiguration Create(NewConfiguration input, string id, CaseUser user, DateTimeOffset now)
    {
        var owner = CaseValidation.Owner(input.Owner);
        var closureType = ConfigurationValidation.ClosureType(input.ClosureType);
        var connector = CaseValidation.Connector(input.Connector);
        var customFields = ConfigurationValidation.CustomFields(input.CustomFields);
        return new CaseConfiguration
        {
            Id = id,
            Owner = owner,
            ClosureType = closureType,
            Connector = connector,
            CustomFields = customFields,
            Templates = ConfigurationValidation.Templates(input.Templates, customFields),
            ObservableTypes = ConfigurationValidation.ObservableTypes(input.ObservableTypes),
            CreatedAt = now,
            CreatedBy = user,
        };
    }

    /// <summary>Applies an update whose version the caller has already checked; every update is recorded as one.</summary>
    public static CaseConfiguration Apply(CaseConfiguration current, ConfigurationPatch patch, CaseUser user, DateTimeOffset now)
    {
        var customFields = current.CustomFields;
        if (patch.CustomFields is not null)
        {
            customFields = ConfigurationValidation.CustomFields(patch.CustomFields);
            ConfigurationValidation.SameTypes(customFields, current.CustomFields);
        }
        // Templates are checked against the fields as they will be, so removing a field a template uses is refused.
        var templates = ConfigurationValidation.Templates(patch.Templates ?? [.. current.Templates], customFields);
        return current with
        {
            ClosureType = patch.ClosureType is null ? current.ClosureType : ConfigurationValidation.ClosureType(patch.ClosureType),
            Connector = patch.Connector is null ? current.Connector : CaseValidation.Connector(patch.Connector),
            CustomFields = customFields,
            Templates = templates,
            ObservableTypes = patch.ObservableTypes is null ? current.ObservableTypes : ConfigurationValidation.ObservableTypes(patch.ObservableTypes),
            UpdatedAt = now,
            UpdatedBy = user,
        };
    }

    public static CasesException Stale() =>
        CasesException.Conflict("This configuration has been updated. Please refresh before saving additional updates.");

    public static CasesException NotFound(string id) => CasesException.NotFound($"Saved object [cases-configure/{id}] not found");
}
