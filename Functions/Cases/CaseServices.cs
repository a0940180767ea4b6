using Cases.Functions.Attachments;
using Cases.Functions.Connectors;
using Cases.Functions.Identity;
using Cases.Functions.Notifications;
using Cases.Functions.Settings;
using Microsoft.AspNetCore.Mvc;

namespace Cases.Functions.Cases;

/// <summary>What the case handlers that change cases use, bound per request with <c>[AsParameters]</c>.
/// <c>[FromServices]</c> is explicit: the request delegate generator cannot tell a service from a body at compile time.</summary>
public sealed class CaseServices(
    [FromServices] CaseStore store,
    [FromServices] ConfigurationStore settings,
    [FromServices] CallerIdentity identity,
    [FromServices] TimeProvider time,
    [FromServices] CaseConnectors connectors,
    [FromServices] AlertStatusSync alertSync,
    [FromServices] CaseEvents events)
{
    public CaseStore Store { get; } = store;
    public ConfigurationStore Settings { get; } = settings;
    public CallerIdentity Identity { get; } = identity;
    public TimeProvider Time { get; } = time;
    public CaseConnectors Connectors { get; } = connectors;
    public AlertStatusSync AlertSync { get; } = alertSync;
    public CaseEvents Events { get; } = events;
}
