namespace Cases.Functions.Outbound;

/// <summary>Where the app may send requests of its own (connectors, webhooks). Section <c>Cases:Connectors</c>.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Cases:Connectors";

    /// <summary>Comma-separated host names or IP addresses that outbound calls may reach; <c>*</c> for any. Empty: none.</summary>
    public string AllowedHosts { get; set; } = "";
}
