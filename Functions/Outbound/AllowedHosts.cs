using System.Net;
using Cases.Domain.Errors;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Outbound;

/// <summary>
/// The allow-list of hosts the app may call (Kibana's <c>xpack.actions.allowedHosts</c>): checked when a URL is
/// configured and again before every request, so a connector cannot be pointed at internal addresses.
/// </summary>
public sealed class AllowedHosts
{
    readonly bool any;
    readonly HashSet<string> names = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<IPAddress> addresses = [];

    public AllowedHosts(IOptions<OutboundOptions> options)
    {
        foreach (var entry in options.Value.AllowedHosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry == "*") any = true;
            else if (IPAddress.TryParse(entry.Trim('[', ']'), out var ip)) addresses.Add(Normalize(ip));
            else names.Add(entry.TrimEnd('.'));
        }
    }

    /// <summary>True for an absolute http(s) URL without credentials in it whose host is on the list.</summary>
    public bool Allows(Uri url)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || url.UserInfo.Length > 0) return false;
        if (any) return true;
        var host = url.IdnHost.Trim('[', ']');
        return IPAddress.TryParse(host, out var ip) ? addresses.Contains(Normalize(ip)) : names.Contains(host.TrimEnd('.'));
    }

    /// <summary>Refuses, with a 400 naming <paramref name="field"/> and the setting, a URL that is not allowed.</summary>
    public void Check(Uri url, string field)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
            throw CasesException.BadRequest($"[{field}]: \"{url}\" is not an absolute http or https URL.");
        if (url.UserInfo.Length > 0)
            throw CasesException.BadRequest($"[{field}]: a URL must not carry credentials; put them in the secrets.");
        if (!Allows(url))
            throw CasesException.BadRequest(
                $"[{field}]: target url \"{url.GetLeftPart(UriPartial.Authority)}\" is not added to the allowed hosts; an operator must add host \"{url.IdnHost}\" to the setting {OutboundOptions.AllowedHostsSetting}.");
    }

    /// <summary>Checks a URL given as text (e.g. a connector's config).</summary>
    public Uri Check(string? url, string field)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var parsed))
            throw CasesException.BadRequest($"[{field}]: \"{url}\" is not a valid URL.");
        Check(parsed, field);
        return parsed;
    }

    static IPAddress Normalize(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
}
