using Cases.Functions.Identity;
using Cases.Functions.Outbound;
using Microsoft.AspNetCore.Mvc;

namespace Cases.Functions.Webhooks;

/// <summary>What registering a webhook uses, bound per request with <c>[AsParameters]</c>.
/// <c>[FromServices]</c> is explicit: the request delegate generator cannot tell a service from a body at compile time.</summary>
public sealed class WebhookServices(
    [FromServices] WebhookStore store,
    [FromServices] AllowedHosts allowedHosts,
    [FromServices] SecretProtector secrets,
    [FromServices] CallerIdentity identity,
    [FromServices] TimeProvider time)
{
    public WebhookStore Store { get; } = store;
    public AllowedHosts AllowedHosts { get; } = allowedHosts;
    public SecretProtector Secrets { get; } = secrets;
    public CallerIdentity Identity { get; } = identity;
    public TimeProvider Time { get; } = time;
}
