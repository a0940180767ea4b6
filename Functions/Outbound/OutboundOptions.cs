namespace Cases.Functions.Outbound;

/// <summary>
/// Settings for every call the app makes to another system (connectors, webhooks, email): which hosts it may reach and
/// how long and how often it tries.
/// </summary>
public sealed class OutboundOptions
{
    public const string Section = "Cases:Connectors";

    /// <summary>The environment-variable spelling, which refusals name so that an operator knows what to set.</summary>
    public const string AllowedHostsSetting = "Cases__Connectors__AllowedHosts";

    /// <summary>Comma-separated host names or IP addresses the app may call; <c>*</c> allows any. Empty allows none.</summary>
    public string AllowedHosts { get; set; } = "";

    /// <summary>How long one attempt may take before it is abandoned (and retried if the method allows).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a call may take in all, retries included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry's delay; later ones back off exponentially (with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries after the first attempt, on transient failures only.</summary>
    public int MaxRetries { get; set; } = 2;

    public const string Rule = "Cases:Connectors: AttemptTimeout must be 1 s to 5 min, TotalTimeout at least AttemptTimeout, RetryDelay at most 1 min, MaxRetries 0-5.";

    public bool IsValid() =>
        AttemptTimeout >= TimeSpan.FromSeconds(1) && AttemptTimeout <= TimeSpan.FromMinutes(5) &&
        TotalTimeout >= AttemptTimeout && RetryDelay >= TimeSpan.Zero && RetryDelay <= TimeSpan.FromMinutes(1) &&
        MaxRetries is >= 0 and <= 5;
}
