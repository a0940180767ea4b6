using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Cases.Functions.Cases;
using Cases.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Numbering;

public sealed record NumberingReport(int Numbered, IReadOnlyList<string> Spaces, TimeSpan Elapsed, IReadOnlyList<string> Lines);

/// <summary>
/// Gives every queued case the next number of its space (the AssignCaseNumbers job).
/// <para>
/// Each batch is one entity-group transaction in the space's partition: the space's counter row (last number, and
/// the queue key it got to), each case's number, and a number→case lookup row. The counter is written only if it is
/// unchanged since read (ETag), so two overlapping runs can never hand out a number twice: the loser's batch fails
/// whole and it starts again from the winner's counter. A run that dies between batches leaves only whole batches
/// behind, so numbers stay gap-free. Only the <c>IncrementalId</c> column of a case is written, never its version,
/// so a client holding a version read before the number came can still update the case.
/// </para>
/// </summary>
public sealed partial class CaseNumberer(CasesTables tables, IOptions<NumberingOptions> options, TimeProvider time, Testing.TestHooks hooks, ILogger<CaseNumberer> logger)
{
    /// <summary>Counter row + (case + lookup row) per case must fit the 100 operations of one transaction.</summary>
    const int CasesPerBatch = 49;

    /// <summary>
    /// Test hook, called after each batch is committed and before its queue rows are cleared; throwing from it
    /// simulates a process dying between those two writes.
    /// </summary>
    internal Func<string, int, Task>? AfterBatchCommitted { get; set; }

    public async Task<NumberingReport> Run(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var numbering = await tables.Numbering(ct);
        var queues = new SortedDictionary<string, List<TableEntity>>(StringComparer.Ordinal);
        var taken = 0;
        await foreach (var row in numbering.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "CaseId"], cancellationToken: ct))
        {
            if (taken++ == options.Value.MaxPerRun) break;
            if (!queues.TryGetValue(row.PartitionKey, out var queue)) queues[row.PartitionKey] = queue = [];
            queue.Add(row);
        }

        var lines = new List<string>();
        var numbered = 0;
        foreach (var (space, queue) in queues)
        {
            var spaceClock = Stopwatch.StartNew();
            var count = await NumberSpace(space, queue, ct);
            numbered += count;
            LogSpaceNumbered(logger, count, space, spaceClock.ElapsedMilliseconds);
            lines.Add($"space {space}: numbered {count} case(s) in {spaceClock.ElapsedMilliseconds} ms");
        }
        lines.Add($"numbered {numbered} case(s) in {queues.Count} space(s) in {clock.ElapsedMilliseconds} ms");
        LogRunDone(logger, numbered, queues.Count, clock.ElapsedMilliseconds);
        return new NumberingReport(numbered, [.. queues.Keys], clock.Elapsed, lines);
    }

    async Task<int> NumberSpace(string space, List<TableEntity> queue, CancellationToken ct)
    {
        var numbered = 0;
        for (var attempt = 1; ; attempt++)
        {
            var (count, again) = await NumberQueue(space, queue, ct);
            numbered += count;
            if (!again) return numbered;
            if (attempt == 20) throw new InvalidOperationException($"Numbering space {space} kept conflicting with other runs; the next run will go on.");
            queue = await ReadQueue(space, ct);
        }
    }

    /// <summary>Numbers the queue in order. Returns how many it numbered, and whether to start again from fresh state.</summary>
    async Task<(int Numbered, bool Again)> NumberQueue(string space, List<TableEntity> queue, CancellationToken ct)
    {
        var cases = await tables.Cases(ct);
        var counter = await ReadCounter(cases, space, ct);
        var todo = new List<TableEntity>(queue.Count);
        foreach (var row in queue)
        {
            // Behind the cursor: a leftover of a run that died before clearing its queue rows, or a create that
            // queued late. Only the case itself says whether it still needs a number.
            if (string.CompareOrdinal(row.RowKey, counter.Cursor) <= 0 && await HasNumber(cases, space, row.GetString("CaseId"), ct))
                await DropQueued(row, ct);
            else
                todo.Add(row);
        }

        var numbered = 0;
        // Clearing a batch's queue rows (another table) overlaps with committing the next batch; if the process dies
        // first, the rows left behind are recognised by the cursor and cleared by the next run.
        Task clearing = Task.CompletedTask;
        try
        {
            foreach (var batch in todo.Chunk(CasesPerBatch))
            {
                var cursor = string.CompareOrdinal(batch[^1].RowKey, counter.Cursor) > 0 ? batch[^1].RowKey : counter.Cursor;
                var next = new TableEntity(space, CaseRows.NumberingKey) { ["Last"] = counter.Last + batch.Length, ["Cursor"] = cursor };
                var actions = new List<TableTransactionAction>(1 + 2 * batch.Length)
                {
                    counter.ETag is { } etag
                        ? new(TableTransactionActionType.UpdateReplace, next, etag)
                        : new(TableTransactionActionType.Add, next),
                };
                for (var i = 0; i < batch.Length; i++)
                {
                    var number = counter.Last + i + 1;
                    var caseId = batch[i].GetString("CaseId");
                    // Merge on a missing row fails, so a number never resurrects a deleted case.
                    actions.Add(new(TableTransactionActionType.UpdateMerge, new TableEntity(space, CaseRows.CaseKey(caseId)) { [CaseColumns.IncrementalId] = number }, ETag.All));
                    actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(space, CaseRows.NumberKey(number)) { ["CaseId"] = caseId }));
                }
                await hooks.At(Testing.HookPoints.NumberingCommit, space, ct);
                try
                {
                    var committed = await cases.SubmitTransactionAsync(actions, ct);
                    counter = new Counter(counter.Last + batch.Length, cursor, committed.Value[0].Headers.ETag ?? (await ReadCounter(cases, space, ct)).ETag);
                }
                catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex is null or 0)
                {
                    return (numbered, true); // another run moved the counter first
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 404)
                {
                    var missing = batch[(ex.FailedTransactionActionIndex!.Value - 1) / 2];
                    if (!await IsGone(cases, space, missing, ct)) return (numbered, false); // created just now: wait for it
                    await DropQueued(missing, ct);
                    return (numbered, true);
                }
                numbered += batch.Length;
                if (AfterBatchCommitted is { } hook) await hook(space, numbered);
                await clearing;
                clearing = DropQueued(batch, ct);
            }
            return (numbered, false);
        }
        finally
        {
            await clearing;
        }
    }

    /// <summary>A queued case that is not there: deleted (its delete record exists), or a create that never finished.</summary>
    async Task<bool> IsGone(TableClient cases, string space, TableEntity queued, CancellationToken ct)
    {
        var caseId = queued.GetString("CaseId");
        if ((await cases.GetEntityIfExistsAsync<TableEntity>(space, CaseRows.DeletedKey(caseId), ["PartitionKey"], ct)).HasValue) return true;
        var createdTicks = long.Parse(queued.RowKey.AsSpan(0, 19), System.Globalization.CultureInfo.InvariantCulture);
        return time.GetUtcNow() - new DateTimeOffset(createdTicks, TimeSpan.Zero) > options.Value.InFlightGrace;
    }

    static async Task<bool> HasNumber(TableClient cases, string space, string caseId, CancellationToken ct)
    {
        var row = await cases.GetEntityIfExistsAsync<TableEntity>(space, CaseRows.CaseKey(caseId), [CaseColumns.IncrementalId], ct);
        return row.HasValue && row.Value!.GetInt64(CaseColumns.IncrementalId) is not null;
    }

    sealed record Counter(long Last, string Cursor, ETag? ETag);

    static async Task<Counter> ReadCounter(TableClient cases, string space, CancellationToken ct)
    {
        var row = await cases.GetEntityIfExistsAsync<TableEntity>(space, CaseRows.NumberingKey, cancellationToken: ct);
        return row.HasValue
            ? new Counter(row.Value!.GetInt64("Last") ?? 0, row.Value.GetString("Cursor") ?? "", row.Value.ETag)
            : new Counter(0, "", null);
    }

    async Task<List<TableEntity>> ReadQueue(string space, CancellationToken ct)
    {
        var numbering = await tables.Numbering(ct);
        var rows = new List<TableEntity>();
        await foreach (var row in numbering.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {space}"), select: ["PartitionKey", "RowKey", "CaseId"], cancellationToken: ct))
        {
            rows.Add(row);
            if (rows.Count == options.Value.MaxPerRun) break;
        }
        return rows;
    }

    /// <summary>Clears queue rows of one space; rows another run cleared first are no error.</summary>
    async Task DropQueued(IReadOnlyCollection<TableEntity> rows, CancellationToken ct) =>
        await TableDeletes.Delete(await tables.Numbering(ct), rows.First().PartitionKey, rows.Select(r => r.RowKey), ct);

    Task DropQueued(TableEntity row, CancellationToken ct) => DropQueued([row], ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Numbered {Count} case(s) in space {Space} in {Milliseconds} ms")]
    static partial void LogSpaceNumbered(ILogger logger, int count, string space, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "AssignCaseNumbers numbered {Count} case(s) in {Spaces} space(s) in {Milliseconds} ms")]
    static partial void LogRunDone(ILogger logger, int count, int spaces, long milliseconds);
}
