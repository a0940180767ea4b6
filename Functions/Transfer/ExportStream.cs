using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Functions.Cases;

namespace Cases.Functions.Transfer;

/// <summary>What to export: every case of the space, or chosen ones.</summary>
public sealed record ExportRequest(IReadOnlyList<string>? CaseIds, bool IncludeReferencesDeep, bool ExcludeExportDetails);

/// <summary>
/// Writes an export as NDJSON straight to the response: each case, then its comments and user actions, then Kibana's
/// details line; with <c>includeReferencesDeep</c>, each connector they refer to (without secrets) before its first user. Cases are read a window at a time (their items a few in parallel, written in order), so memory does
/// not grow with the number of cases; the body is flushed as it goes, so a client sees data flowing.
/// </summary>
public sealed partial class ExportStream(CaseStore cases, CaseItemRows items, Connectors.ConnectorStore connectors, ILogger<ExportStream> logger)
{
    const int ReadAhead = 16;
    const int FlushEvery = 256;
    const int LogEvery = 1_000;

    static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task Write(Stream body, string space, ExportRequest request, IReadOnlyList<CaseRecord>? chosen, IReadOnlyList<string> owners, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var buffered = new BufferedStream(body, 64 * 1024);
        await using var writer = new Utf8JsonWriter(buffered, WriterOptions);
        long objects = 0, exportedCases = 0;
        var missingConnectors = new SortedSet<string>(StringComparer.Ordinal);
        var excluded = new List<(string Type, string Id)>();
        // With references, each connector an object refers to is written once, just before the first object that uses it.
        Dictionary<string, Connectors.StoredConnector>? spaceConnectors = null;
        var writtenConnectors = new HashSet<string>(StringComparer.Ordinal);

        async Task Write(JsonObject so)
        {
            so.WriteTo(writer);
            await writer.FlushAsync(ct);
            writer.Reset();
            await buffered.WriteAsync(NewLine, ct);
            if (++objects % FlushEvery == 0) await buffered.FlushAsync(ct);
        }

        async Task Line(JsonObject so)
        {
            if (request.IncludeReferencesDeep)
                foreach (var id in ConnectorIds(so))
                {
                    if (writtenConnectors.Contains(id) || missingConnectors.Contains(id)) continue;
                    spaceConnectors ??= (await connectors.List(space, ct)).ToDictionary(c => c.Id, StringComparer.Ordinal);
                    if (spaceConnectors.TryGetValue(id, out var connector))
                    {
                        writtenConnectors.Add(id);
                        await Write(SavedObjectWriter.ConnectorAction(connector));
                    }
                    else missingConnectors.Add(id);
                }
            await Write(so);
        }

        async Task WriteCase(CaseRecord record, CaseItems caseItems)
        {
            await Line(SavedObjectWriter.Case(record, caseItems.Observables));
            foreach (var attachment in caseItems.Attachments) await Line(SavedObjectWriter.Comment(attachment));
            foreach (var action in caseItems.UserActions) await Line(SavedObjectWriter.UserAction(action));
            // Kibana does not export files (their bytes live elsewhere); the details line names them.
            excluded.AddRange(caseItems.FileIds.Select(id => ("file", id)));
            if (++exportedCases % LogEvery == 0) LogProgress(logger, space, exportedCases, objects, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        if (chosen is null)
        {
            // The whole space: two ordered scans side by side (case rows, item rows) instead of one query per case.
            await foreach (var (record, caseItems) in WholeSpace(space, owners, ct)) await WriteCase(record, caseItems);
        }
        else
        {
            // Chosen cases: their items are read a window at a time, a few queries in parallel, written in order.
            var window = new Queue<(CaseRecord Record, Task<CaseItems> Items)>();
            foreach (var record in chosen)
            {
                window.Enqueue((record, items.Read(space, record.Case.Id, ct)));
                if (window.Count < ReadAhead) continue;
                var (head, headItems) = window.Dequeue();
                await WriteCase(head, await headItems);
            }
            while (window.TryDequeue(out var rest)) await WriteCase(rest.Record, await rest.Items);
        }

        if (!request.ExcludeExportDetails) await Write(SavedObjectWriter.Details(objects, missingConnectors, excluded));
        await buffered.FlushAsync(ct);
        LogDone(logger, space, exportedCases, objects, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Joins the space's case rows (in id order) with its item rows (grouped by case, in row-key order). Both orders agree
    /// except where one id is a prefix of another (<c>a</c>, <c>a-1</c>): groups read ahead wait in a small buffer until
    /// their case comes, and groups whose case is not exported (another owner, a deletion in progress) are dropped.
    /// </summary>
    async IAsyncEnumerable<(CaseRecord Record, CaseItems Items)> WholeSpace(string space, IReadOnlyList<string> owners,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var groups = items.ReadAll(space, ct).GetAsyncEnumerator(ct);
        var waiting = new SortedDictionary<string, CaseItems>(StringComparer.Ordinal);
        string? lastKey = null;
        var more = true;
        await foreach (var record in cases.List(space, owners, ct))
        {
            var id = record.Case.Id;
            var key = CaseRows.ItemsPrefix(id);
            // Read item groups until the scan is past where this case's rows would be.
            while (more && (lastKey is null || string.CompareOrdinal(lastKey, key) < 0))
            {
                more = await groups.MoveNextAsync();
                if (!more) break;
                waiting[groups.Current.CaseId] = groups.Current.Items;
                lastKey = CaseRows.ItemsPrefix(groups.Current.CaseId);
            }
            var found = waiting.Remove(id, out var caseItems);
            // Cases come in id order: a group for a smaller id than this case's will never be claimed.
            while (waiting.Count > 0 && string.CompareOrdinal(waiting.Keys.First(), id) < 0) waiting.Remove(waiting.Keys.First());
            yield return (record, found ? caseItems! : CaseItemRows.Empty());
        }
    }

    static IEnumerable<string> ConnectorIds(JsonObject so) => so["references"] is JsonArray references
        ? references.OfType<JsonObject>()
            .Where(r => SavedObjectReader.Text(r["type"]) == SavedObjectTypes.Connector)
            .Select(r => SavedObjectReader.Text(r["id"])).OfType<string>().ToList()
        : [];

    [LoggerMessage(Level = LogLevel.Information, Message = "Export of space {Space}: {Cases} cases, {Objects} objects written after {Seconds:F1} s")]
    static partial void LogProgress(ILogger logger, string space, long cases, long objects, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export of space {Space} done: {Cases} cases, {Objects} objects in {Seconds:F1} s")]
    static partial void LogDone(ILogger logger, string space, long cases, long objects, double seconds);
}
