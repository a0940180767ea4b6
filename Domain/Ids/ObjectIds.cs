using System.Text.RegularExpressions;

namespace Cases.Domain.Ids;

/// <summary>The ids of cases, comments, user actions and the other objects: made here, and checked here when a request names one.</summary>
public static partial class ObjectIds
{
    /// <summary>A new id: a GUID in its 36-character form, as Kibana's saved objects have.</summary>
    public static string New() => Guid.NewGuid().ToString();

    /// <summary>
    /// Whether an id can name a stored object: 1-64 letters, digits and '-' (Kibana's are GUIDs). Ids become row keys, so
    /// anything else is not found without a read (and never reaches a key).
    /// </summary>
    public static bool IsWellFormed(string? id) => id is not null && Shape().IsMatch(id);

    [GeneratedRegex(@"^[A-Za-z0-9-]{1,64}\z")]
    private static partial Regex Shape();
}
