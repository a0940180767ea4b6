using Cases.Domain.Errors;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Outbound;

/// <summary>
/// The outbound allow-list: a URL the app would call (a connector, a webhook) must be http(s) and its host listed in
/// <c>Cases__Connectors__AllowedHosts</c>, so that nobody can make the app reach hosts the operator did not choose.
/// </summary>
public sealed class AllowedHosts(IOptions<OutboundOptions> options)
{
    const string Setting = "Cases__Connectors__AllowedHosts";

    readonly HashSet<string> hosts = options.Value.AllowedHosts
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(h => h.Trim('[', ']'))
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public bool Allows(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) &&
        (hosts.Contains("*") || hosts.Contains(url.IdnHost.Trim('[', ']')));

    /// <summary>Throws a 400 naming <paramref name="field"/> and the setting when <paramref name="url"/> may not be called.</summary>
    public void Check(Uri url, string field)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw CasesException.BadRequest($"The {field} must be an absolute http or https URL.");
        if (!Allows(url))
            throw CasesException.BadRequest(
                $"The host \"{url.IdnHost}\" of the {field} is not allowed: add it to the setting {Setting} (comma-separated hosts, or *).");
    }
}
