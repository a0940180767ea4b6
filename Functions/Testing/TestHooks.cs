using System.Collections.Concurrent;

namespace Cases.Functions.Testing;

/// <summary>
/// Named points between a write's read and its commit, and after each storage step of multi-step work, where tests can
/// hold a request (to make two really race) or throw (to simulate the process dying there). Off unless the setting
/// <see cref="Setting"/> is true, which only the test suite sets; off, <see cref="At"/> returns at once and nothing can
/// be registered. See docs/testing.md.
/// </summary>
public sealed class TestHooks(IConfiguration configuration)
{
    public const string Setting = "Cases:Testing:Hooks";

    readonly bool enabled = configuration.GetValue<bool>(Setting);
    readonly ConcurrentDictionary<(string Point, string Space), Func<CancellationToken, Task>> handlers = new();

    public bool Enabled => enabled;

    /// <summary>Called by the app at a named point of work in a space; does nothing unless a test set a handler there.</summary>
    public Task At(string point, string space, CancellationToken ct = default) =>
        enabled && !handlers.IsEmpty && handlers.TryGetValue((point, space), out var handler) ? handler(ct) : Task.CompletedTask;

    /// <summary>Sets what happens at a point in a space until the returned handle is disposed.</summary>
    public IDisposable On(string point, string space, Func<CancellationToken, Task> handler)
    {
        if (!enabled) throw new InvalidOperationException($"Test hooks are off; set {Setting}=true (tests only).");
        if (!handlers.TryAdd((point, space), handler)) throw new InvalidOperationException($"A hook is already set at {point} in {space}.");
        return new Removal(() => handlers.TryRemove((point, space), out _));
    }

    sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}

/// <summary>The hook points (each consulted by one line of production code).</summary>
public static class HookPoints
{
    /// <summary>CaseStore.TryUpdate: the case was read and the change planned, the transaction not yet sent.</summary>
    public const string CaseCommit = "case.commit";
    /// <summary>CaseStore.TryUpdate: the case transaction committed (alert-sync messages not yet sent).</summary>
    public const string CaseCommitted = "case.committed";
    /// <summary>AttachmentStore.TryCommit: comment add/edit/delete, alert attach, observable change, before the transaction.</summary>
    public const string AttachmentCommit = "attachment.commit";
    /// <summary>ConfigurationStore.TryUpdate: before the conditional write of the settings.</summary>
    public const string SettingsCommit = "settings.commit";
    /// <summary>FileStore.Attach: the case counters were read, the file rows not yet committed.</summary>
    public const string FileCommit = "file.commit";
    /// <summary>FileStore.Detach: the case counters were read, the file rows not yet removed.</summary>
    public const string FileDetach = "file.detach";
    /// <summary>FileStore.Detach: the file rows were removed, the blobs not yet deleted.</summary>
    public const string FileDetached = "file.detached";
    /// <summary>CaseNumberer: a space's counter was read and a batch planned, not yet committed.</summary>
    public const string NumberingCommit = "numbering.commit";
    /// <summary>CaseStore.MarkDeleted: the case was read, the mark not yet sent (sent again if the case changed meanwhile).</summary>
    public const string DeleteMark = "delete.mark";
    /// <summary>CaseStore.Delete: the case is marked deleted with its delete record; nothing purged yet.</summary>
    public const string DeleteMarked = "delete.marked";
    /// <summary>CaseStore.Purge, after each step: alert index rows, files (blobs and index rows), number lookup, item rows.</summary>
    public const string PurgedAlertIndex = "purge.alert-index", PurgedFiles = "purge.files", PurgedNumber = "purge.number", PurgedItems = "purge.items";
    /// <summary>PendingBlobs.Sweep: an orphan's note was claimed, its blob not yet deleted.</summary>
    public const string SweepClaimed = "sweep.claimed";
}
