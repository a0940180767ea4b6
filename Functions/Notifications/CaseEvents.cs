using Cases.Domain.Ids;
using Cases.Domain.Cases;
using Cases.Domain.Users;

namespace Cases.Functions.Notifications;

/// <summary>
/// Called by the case and attachment routes after a change committed: puts one <c>event</c> message on the notification
/// queue, from which emails and webhook deliveries are made. Never fails the request (the change is saved): a message
/// the queue does not take is held for the timer's run (<see cref="HeldNotifications"/>), and logged if even that fails.
/// </summary>
public sealed partial class CaseEvents(NotificationQueue queue, HeldNotifications held, ILogger<CaseEvents> logger)
{
    public const string Created = "case.created", Updated = "case.updated", StatusChanged = "case.status_changed", Closed = "case.closed",
        CommentAdded = "case.comment_added", AlertAttached = "case.alert_attached", Assigned = "case.assigned", Deleted = "case.deleted";

    public static readonly string[] All = [Created, Updated, StatusChanged, Closed, CommentAdded, AlertAttached, Assigned, Deleted];

    public Task CaseCreated(string space, CaseRecord record, CaseUser by, DateTimeOffset at)
    {
        var added = CaseChanges.AddedAssignees(null, record.Case);
        return Publish(space, new CaseEvent(ObjectIds.New(), at, added.Count > 0 ? [Created, Assigned] : [Created], by, Summary(record),
            AddedAssignees: added.Count > 0 ? added : null));
    }

    public Task CaseUpdated(string space, CaseRecord before, CaseRecord after, CaseUser by, DateTimeOffset at)
    {
        var fields = CaseChanges.Fields(before.Case, after.Case);
        var added = CaseChanges.AddedAssignees(before.Case, after.Case);
        List<string> events = [Updated];
        if (before.Case.Status != after.Case.Status) events.Add(StatusChanged);
        if (before.Case.Status != after.Case.Status && after.Case.Status == CaseStatus.Closed) events.Add(Closed);
        if (added.Count > 0) events.Add(Assigned);
        return Publish(space, new CaseEvent(ObjectIds.New(), at, events, by, Summary(after), fields, added.Count > 0 ? added : null));
    }

    public Task CaseDeleted(string space, CaseRecord record, CaseUser by, DateTimeOffset at) =>
        Publish(space, new CaseEvent(ObjectIds.New(), at, [Deleted], by, Summary(record)));

    public Task CommentAddedTo(string space, CaseRecord record, string commentType, CaseUser by, DateTimeOffset at) =>
        Publish(space, new CaseEvent(ObjectIds.New(), at, [CommentAdded], by, Summary(record), CommentType: commentType));

    public Task AlertsAttachedTo(string space, CaseRecord record, int count, CaseUser by, DateTimeOffset at) =>
        count == 0 ? Task.CompletedTask : Publish(space, new CaseEvent(ObjectIds.New(), at, [AlertAttached], by, Summary(record), AlertsAttached: count));

    static long lastSequence;

    /// <summary>Wall-clock ticks, strictly increasing in this process: changes of one case commit one after another.</summary>
    static long NextSequence()
    {
        while (true)
        {
            var last = Interlocked.Read(ref lastSequence);
            var next = Math.Max(DateTime.UtcNow.Ticks, last + 1);
            if (Interlocked.CompareExchange(ref lastSequence, next, last) == last) return next;
        }
    }

    async Task Publish(string space, CaseEvent e)
    {
        var message = new NotificationMessage(NotificationMessage.EventKind, space, e with { Sequence = NextSequence() });
        try
        {
            await queue.Send(message, CancellationToken.None);
        }
        catch (Exception ex)
        {
            try
            {
                await held.Hold(message, CancellationToken.None);
                LogHeld(logger, ex, string.Join(',', e.Events), e.Case.Id);
            }
            catch (Exception holding)
            {
                LogNotQueued(logger, holding, string.Join(',', e.Events), e.Case.Id);
            }
        }
    }

    static CaseSummary Summary(CaseRecord r) => new(r.Case.Id, r.Case.Title, r.Case.Status, r.Case.Severity, r.Case.Owner,
        r.IncrementalId, r.Case.Assignees.Select(a => a.Uid).ToList(), CaseVersion.Encode(r.Version));


    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications of {Events} for case {CaseId} could not be queued: held until the timer's next run")]
    static partial void LogHeld(ILogger logger, Exception ex, string events, string caseId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notifications of {Events} for case {CaseId} could not be queued nor held: no email or webhook for it")]
    static partial void LogNotQueued(ILogger logger, Exception ex, string events, string caseId);
}
