namespace Cases.Functions.Outbound;

/// <summary>
/// Checks the allow-list on every request an outbound client sends, retries included. Redirects are not followed
/// (the primary handler has them off), so the host checked is the host called.
/// </summary>
public sealed class AllowedHostsHandler(AllowedHosts allowed) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        allowed.Check(request.RequestUri!, "url");
        return base.SendAsync(request, cancellationToken);
    }
}
