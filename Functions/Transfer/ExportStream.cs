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
/// details line. Cases are read a window at a time (their items a few in parallel, written in order), so memory does
/// not grow with the number of cases; the body is flushed as it goes, so a client sees data flowing.
/// </summary>
public sealed partial class ExportStream(CaseStore cases, CaseItemRows items, ILogger<ExportStream> logger)
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

        async Task Line(JsonObject so)
        {
            so.WriteTo(writer);
            await writer.FlushAsync(ct);
            writer.Reset();
            await buffered.WriteAsync(NewLine, ct);
            if (request.IncludeReferencesDeep) NoteConnectors(so, missingConnectors);
            if (++objects % FlushEvery == 0) await buffered.FlushAsync(ct);
        }

        var window = new Queue<(CaseRecord Record, Task<CaseItems> Items)>();
        async Task WriteHead()
        {
            var (record, itemsTask) = window.Dequeue();
            var caseItems = await itemsTask;
            await Line(SavedObjectWriter.Case(record, caseItems.Observables));
            foreach (var attachment in caseItems.Attachments) await Line(SavedObjectWriter.Comment(attachment));
            foreach (var action in caseItems.UserActions) await Line(SavedObjectWriter.UserAction(action));
            // Kibana does not export files (their bytes live elsewhere); the details line names them.
            excluded.AddRange(caseItems.FileIds.Select(id => ("file", id)));
            if (++exportedCases % LogEvery == 0) LogProgress(logger, space, exportedCases, objects, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        await foreach (var record in Source(space, chosen, owners, ct))
        {
            window.Enqueue((record, items.Read(space, record.Case.Id, ct)));
            if (window.Count >= ReadAhead) await WriteHead();
        }
        while (window.Count > 0) await WriteHead();

        // When connectors are stored (issue 15), the ones found go before the cases instead of into missingReferences.
        if (!request.ExcludeExportDetails) await Line(SavedObjectWriter.Details(objects, missingConnectors, excluded));
        await buffered.FlushAsync(ct);
        LogDone(logger, space, exportedCases, objects, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    IAsyncEnumerable<CaseRecord> Source(string space, IReadOnlyList<CaseRecord>? chosen, IReadOnlyList<string> owners, CancellationToken ct) =>
        chosen is null ? cases.List(space, [], owners, ct) : chosen.ToAsyncEnumerable();

    static void NoteConnectors(JsonObject so, SortedSet<string> connectors)
    {
        if (so["references"] is not JsonArray references) return;
        foreach (var r in references.OfType<JsonObject>())
            if (SavedObjectReader.Text(r["type"]) == SavedObjectTypes.Connector && SavedObjectReader.Text(r["id"]) is { } id)
                connectors.Add(id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export of space {Space}: {Cases} cases, {Objects} objects written after {Seconds:F1} s")]
    static partial void LogProgress(ILogger logger, string space, long cases, long objects, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export of space {Space} done: {Cases} cases, {Objects} objects in {Seconds:F1} s")]
    static partial void LogDone(ILogger logger, string space, long cases, long objects, double seconds);
}
