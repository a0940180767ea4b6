using Cases.Functions.Numbering;
using Cases.Functions.Attachments;
using Cases.Functions.Files;
using Cases.Functions.Find;
using Cases.Functions.Notifications;

namespace Cases.Functions.Upkeep;

/// <summary>
/// What each AssignCaseNumbers invocation does: number the waiting cases, refresh the view snapshots of the spaces
/// that changed, then the sweeps that finish what a failure left undone (alert status messages not sent, file blobs
/// without rows, change events the notification queue did not take), and the pruning of old sent-email records. A sweep that fails is reported and tried again next run;
/// it never holds numbering back.
/// </summary>
public sealed class TimerRun(CaseNumberer numberer, SnapshotUpkeep upkeep, AlertStatusSync alertSync, PendingBlobs pendingBlobs,
    HeldNotifications heldNotifications, NotificationUpkeep notifications)
{
    public async Task<IReadOnlyList<string>> Run(CancellationToken ct)
    {
        var report = await numberer.Run(ct);
        var lines = new List<string>(report.Lines);
        lines.AddRange(await upkeep.Run(report.Spaces, ct));
        lines.AddRange(await Sweep("Alert status sync", alertSync.Redeliver, ct));
        lines.AddRange(await Sweep("File blobs", pendingBlobs.Sweep, ct));
        lines.AddRange(await Sweep("Held notifications", heldNotifications.SendHeld, ct));
        lines.AddRange(await Sweep("Sent-email records", notifications.PruneSentEmails, ct));
        return lines;
    }

    static async Task<IReadOnlyList<string>> Sweep(string name, Func<CancellationToken, Task<IReadOnlyList<string>>> sweep, CancellationToken ct)
    {
        try
        {
            return await sweep(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return [$"{name}: failed ({ex.GetType().Name}: {ex.Message.Split('\n')[0]}); the next run tries again"];
        }
    }
}
