using System.Text;

namespace Cases.Domain.Cases;

/// <summary>Kibana's versions are base64 of a JSON array such as <c>[532,1]</c>; clients treat them as opaque strings.</summary>
public static class CaseVersion
{
    public static string Encode(int version) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"[{version},1]"));
}
