namespace Cases.Domain.Find;

/// <summary>
/// Interns strings as small numbers, so that a view holds each tag, word, owner or category once however many cases
/// carry it. Append-only; callers synchronize writes (the view's lock).
/// </summary>
public sealed class StringPool
{
    readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
    readonly List<string> values = [];

    public int Count => values.Count;

    /// <summary>Roughly what the pool holds on the managed heap.</summary>
    public long ApproximateBytes { get; private set; }
    public string this[int id] => values[id];

    public int Intern(string value)
    {
        if (ids.TryGetValue(value, out var id)) return id;
        ids[value] = id = values.Count;
        ApproximateBytes += 2L * value.Length + 70; // the string, its list slot and its dictionary entry
        values.Add(value);
        return id;
    }

    /// <summary>The id of a string already interned, or -1.</summary>
    public int Find(string value) => ids.GetValueOrDefault(value, -1);

    public IReadOnlyList<string> Values => values;
}
