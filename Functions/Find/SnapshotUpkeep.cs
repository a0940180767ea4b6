using System.Diagnostics;

namespace Cases.Functions.Find;

/// <summary>
/// Run by the AssignCaseNumbers timer after numbering: refreshes the view snapshot of every space that has one (a space
/// with no writes since keeps its blob and only moves its position on), and writes the first one of every space that
/// just got new cases. Snapshots therefore stay within one timer interval of the change log and no instance has to
/// scan a large space, as long as the timer runs (otherwise an instance falls back to a scan, which is correct but slow).
/// </summary>
public sealed partial class SnapshotUpkeep(CaseIndex index, ViewSnapshots snapshots, ILogger<SnapshotUpkeep> logger)
{
    public async Task<List<string>> Run(IEnumerable<string> spacesWithNewCases, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var space in (await snapshots.Spaces(ct)).Union(spacesWithNewCases).Order(StringComparer.Ordinal))
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var count = await index.KeepSnapshot(space, ct);
                lines.Add(count is null
                    ? $"space {space}: view snapshot kept (no change since it) in {clock.ElapsedMilliseconds} ms"
                    : $"space {space}: view snapshot of {count} case(s) in {clock.ElapsedMilliseconds} ms");
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogFailed(logger, ex, space);
                lines.Add($"space {space}: view snapshot failed ({ex.GetType().Name}); the next run retries");
            }
        }
        return lines;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The view snapshot of space {Space} failed")]
    static partial void LogFailed(ILogger logger, Exception ex, string space);
}
