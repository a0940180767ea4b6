using Cases.Functions.Cases;
using Cases.Functions.Identity;
using Cases.Functions.Notifications;
using Microsoft.AspNetCore.Mvc;

namespace Cases.Functions.Attachments;

/// <summary>What the handlers that change a case's attachments or observables use, bound per request with <c>[AsParameters]</c>.
/// <c>[FromServices]</c> is explicit: the request delegate generator cannot tell a service from a body at compile time.</summary>
public sealed class AttachmentServices(
    [FromServices] CaseStore cases,
    [FromServices] AttachmentStore store,
    [FromServices] CallerIdentity identity,
    [FromServices] TimeProvider time,
    [FromServices] AlertStatusSync alertSync,
    [FromServices] CaseEvents events)
{
    public CaseStore Cases { get; } = cases;
    public AttachmentStore Store { get; } = store;
    public CallerIdentity Identity { get; } = identity;
    public TimeProvider Time { get; } = time;
    public AlertStatusSync AlertSync { get; } = alertSync;
    public CaseEvents Events { get; } = events;
}
