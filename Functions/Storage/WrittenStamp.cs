using System.Globalization;

namespace Cases.Functions.Storage;

/// <summary>
/// When the app wrote a blob, on its own clock (blob metadata <c>writtenat</c>, round-trip format): the sweeps that
/// remove blobs left behind judge their age by the clock that stamped them (a fake one in tests), not the storage's.
/// </summary>
public static class WrittenStamp
{
    public const string Key = "writtenat";

    public static void Set(IDictionary<string, string> metadata, DateTimeOffset at) => metadata[Key] = at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The stamp, or <paramref name="unstamped"/> (the server's time) for a blob written without one.</summary>
    public static DateTimeOffset? Of(IDictionary<string, string> metadata, DateTimeOffset? unstamped) =>
        metadata.TryGetValue(Key, out var stamp) && DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var written)
            ? written
            : unstamped;
}
