using System.Text.RegularExpressions;

namespace Cases.Functions.Storage;

/// <summary>Where the app keeps its data. The account itself comes from <c>AzureWebJobsStorage</c>, as in any Functions app.</summary>
public sealed partial class StorageOptions
{
    public const string Section = "Cases:Storage";
    public const string PrefixRule = "Cases:Storage:TablePrefix must be letters and digits, starting with a letter, at most 20 characters.";

    /// <summary>Prepended to every table name, so that several apps (or test runs) can share one account.</summary>
    public string TablePrefix { get; set; } = "";

    /// <summary>
    /// How long a request (but an upload or download, which move a client's bytes) may take before it is answered 503:
    /// well inside the 230 s Azure's front end allows an HTTP function, so slow storage never turns into a hang.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public static bool IsValidPrefix(string prefix) => prefix.Length == 0 || PrefixShape().IsMatch(prefix);

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]{0,19}\z")]
    private static partial Regex PrefixShape();
}
