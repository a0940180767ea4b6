using System.Reflection;
using System.Text.Json.Serialization;
using Cases.Domain.Cases;
using Cases.Domain.Files;
using Cases.Domain.Settings;

namespace Cases.Tests.Domain;

/// <summary>
/// The tables the domain refuses requests by: each request's list of known keys must be exactly the JSON names of its
/// properties (a key missing from the list would refuse a valid field), the value lists Kibana's, the MIME list sane.
/// </summary>
public sealed class DomainTablesTests
{
    static string[] JsonNames<T>() => typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    static string[] Sorted(string[] keys) => keys.Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Each_requests_known_keys_are_its_json_names()
    {
        Assert.Equal(JsonNames<NewCase>(), Sorted(NewCase.Keys));
        Assert.Equal(JsonNames<TemplateRef>(), Sorted(TemplateRef.Keys));
        Assert.Equal(JsonNames<CustomFieldConfig>(), Sorted(CustomFieldConfig.Keys));
        Assert.Equal(JsonNames<CaseTemplate>(), Sorted(CaseTemplate.Keys));
        Assert.Equal(JsonNames<TemplateCaseFields>(), Sorted(TemplateCaseFields.Keys));
        Assert.Equal(JsonNames<ObservableTypeConfig>(), Sorted(ObservableTypeConfig.Keys));
        Assert.Equal(JsonNames<NewConfiguration>(), Sorted(NewConfiguration.Keys));
        Assert.Equal(JsonNames<ConfigurationPatch>(), Sorted(ConfigurationPatch.Keys));
        // A bulk-update item has no JSON names of its own: its keys are its properties in camel case.
        var patch = typeof(CasePatch).GetProperties().Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(patch, Sorted(CasePatch.Keys));
    }

    [Fact]
    public void Kibanas_values()
    {
        Assert.Equal(["cases", "observability", "securitySolution"], CaseOwner.All);
        Assert.Equal([".none", ".jira", ".servicenow", ".servicenow-sir", ".resilient", ".swimlane", ".cases-webhook", ".thehive"], ConnectorTypes.All);
        Assert.Equal(["open", "in-progress", "closed"], CaseStatus.All);
        Assert.Equal(["low", "medium", "high", "critical"], CaseSeverity.All);
        Assert.Equal(["text", "toggle", "number"], CustomFieldTypes.All);
        Assert.Equal(["close-by-user", "close-by-pushing"], ClosureTypes.All);
        Assert.Equal(new Connector("none", "none", ".none", null), Connector.None);
        Assert.Equal(3, CaseSeverity.Rank("critical"));
        Assert.Equal(-1, CaseSeverity.Rank("urgent"));
        foreach (var owner in CaseOwner.All) Assert.Equal(owner, CaseValidation.Owner(owner));
        foreach (var type in ConnectorTypes.All.Skip(1)) Assert.Equal(type, CaseValidation.Connector(new Connector("c", "C", type, null)).Type);
    }

    [Fact]
    public void The_allowed_mime_types_are_distinct_well_formed_and_include_the_common_ones()
    {
        var types = new FileLimits().AllowedMimeTypes;
        Assert.Equal(types.Count, types.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(types, t => Assert.Matches(@"^(image|text|application)/[A-Za-z0-9.+-]+$", t));
        Assert.True(types.Count(t => t.StartsWith("image/", StringComparison.Ordinal)) >= 40);
        foreach (var common in new[] { "image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "image/bmp", "image/tiff", "image/heic",
                     "text/plain", "text/csv", "application/json", "application/zip", "application/gzip", "application/pdf", "application/x-7z-compressed", "application/x-tar" })
            Assert.Contains(common, types);
    }

    [Theory]
    [InlineData("image/apng", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })]
    [InlineData("image/vnd.microsoft.icon", new byte[] { 0x00, 0x00, 0x01, 0x00 })]
    [InlineData("image/x-icon", new byte[] { 0x00, 0x00, 0x01, 0x00 })]
    [InlineData("application/x-zip-compressed", new byte[] { 0x50, 0x4B, 0x03, 0x04 })]
    [InlineData("application/x-bzip", new byte[] { 0x42, 0x5A, 0x68 })]
    [InlineData("text/json", new byte[] { 0x7B, 0x7D })]
    [InlineData("image/bmp", new byte[] { 0x42, 0x4D })]
    public void Every_alias_has_its_signature(string mimeType, byte[] head)
    {
        Assert.True(ContentSniffer.Matches(mimeType, head));
        // The same bytes under a type with another signature do not pass.
        Assert.False(ContentSniffer.Matches(mimeType, [0x25, 0x50, 0x44, 0x46, 0x00]));
    }

    [Fact]
    public void A_webp_needs_all_12_bytes()
    {
        byte[] webp = [.. "RIFF"u8.ToArray(), 0, 0, 0, 0, .. "WEBP"u8.ToArray()];
        Assert.True(ContentSniffer.Matches("image/webp", webp));
        Assert.False(ContentSniffer.Matches("image/webp", webp.AsSpan(0, 11)));
    }
}
