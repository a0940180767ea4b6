namespace Cases.Functions.Hosting;

/// <summary>The two ways the app runs: under the Azure Functions host (custom handler) or standalone.</summary>
public static class FunctionsHost
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const string StandaloneUrl = "http://localhost:7071";

    public static bool IsActive(IConfiguration config) => !string.IsNullOrEmpty(config[PortVariable]);

    /// <summary>
    /// Under the host, listen where it says (loopback only). Standalone, honour ASPNETCORE_URLS/--urls, else use the
    /// port <c>func start</c> would, so local URLs are the same either way.
    /// </summary>
    public static void ConfigureUrls(WebApplicationBuilder builder)
    {
        if (builder.Configuration[PortVariable] is { Length: > 0 } port)
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        else if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls(StandaloneUrl);
    }
}
