using Cases.Domain.Ids;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Cases.Domain.Attachments;
using Cases.Domain.Errors;
using Cases.Functions.Cases;

namespace Cases.Functions.Transfer;

/// <summary><paramref name="MayCreate"/>: whether the caller may create cases of an owner in this space (access control).</summary>
public sealed record ImportOptions(bool Overwrite, bool CreateNewCopies, Func<string, bool> MayCreate);

/// <summary>
/// Imports a saved-objects NDJSON file in three reads of it, so that neither the file nor its objects are held in memory
/// and the order of lines does not matter (Kibana writes comments before or after their case):
/// <list type="number">
/// <item>check every line and note each case (id, title, validity); then look up which cases exist already;</item>
/// <item>write the comments and user actions of the cases that will be imported, 100 rows per transaction;</item>
/// <item>write those cases, with counters that add up what was written: the case row comes last, so a case never
/// shows before its comments are in, and an import cut off halfway leaves nothing visible but whole cases.</item>
/// </list>
/// Every object succeeds or fails on its own (Kibana's per-object errors); nothing ends in a 5xx for a bad object.
/// </summary>
public sealed partial class ImportJob(CaseStore store, CaseItemRows items, ILogger<ImportJob> logger)
{
    const int Concurrency = 8;
    const int BatchRows = 100;

    sealed class CaseEntry(string? title)
    {
        public string? Title { get; } = title;
        public string? Problem { get; set; }
        public string TargetId { get; set; } = "";
        public StoredCase? Existing { get; set; }
        public bool Importable { get; set; }
        public int Comments { get; set; }
        public int Alerts { get; set; }
        public int Actions { get; set; }
        public int Attachments { get; set; }
        /// <summary>The last user action's time seen in the file, and how many before it had the same time (to keep their order).</summary>
        public DateTimeOffset LastActionAt { get; set; }
        public int SameInstant { get; set; }
    }

    sealed record Outcome(string Type, string Id, string? Title, JsonObject? Error = null, string? DestinationId = null, bool Overwrite = false);

    sealed record Item(Outcome Success, CaseEntry Case, List<TableTransactionAction> Rows, int Comments, int Alerts, int Actions, int Attachments);

    public async Task<JsonObject> Run(string space, Stream file, ImportOptions options, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var nonce = Guid.NewGuid().ToString("N");
        string Target(string type, string id) => options.CreateNewCopies ? NewCopyId(nonce, type, id) : id;

        var lines = new NdjsonLines(file);
        var cases = new Dictionary<string, CaseEntry>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var badLines = new HashSet<int>();
        var errors = new List<Outcome>();
        var successes = new List<Outcome>();

        // 1. Check every line; note the cases.
        await foreach (var (number, text) in lines.Read(ct))
        {
            if (text is not null && string.IsNullOrWhiteSpace(text)) continue;
            var problem = Check(number, text, out var so, out var type, out var id);
            if (so is null && problem is null) continue; // the export-details line
            if (problem is null && !seen.Add(type + "/" + id)) problem = Unknown($"{type} {id} appears more than once in the file (line {number}).");
            if (problem is null && type == SavedObjectTypes.Case)
            {
                var entry = new CaseEntry(SavedObjectReader.Title(so!));
                cases[id] = entry;
                problem = Validate(() =>
                {
                    var owner = SavedObjectReader.Case(so!, id).Case.Owner;
                    if (!options.MayCreate(owner)) throw new CasesException(403, $"Unauthorized to create case with owners: \"{owner}\"");
                    SavedObjectReader.Observables(so!);
                });
                entry.Problem = problem?["message"]?.GetValue<string>();
            }
            else if (problem is null)
            {
                problem = SavedObjectReader.CaseIdOf(so!) is { } caseId
                    ? Validate(() => Child(so!, type, id, caseId, null, 0))
                    : MissingCase(null);
            }
            if (problem is null) continue;
            badLines.Add(number);
            errors.Add(new Outcome(type.Length > 0 ? type : "unknown", id.Length > 0 ? id : $"line {number}", so is null ? null : SavedObjectReader.Title(so), problem));
        }

        // Which cases exist already decides conflicts (and, with overwrite, keeps their numbers).
        await Parallel.ForEachAsync(cases.Where(c => c.Value.Problem is null), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (pair, token) =>
            {
                var entry = pair.Value;
                entry.TargetId = Target(SavedObjectTypes.Case, pair.Key);
                entry.Existing = options.CreateNewCopies ? null : await store.Get(space, entry.TargetId, token);
                entry.Importable = entry.Existing is null || options.Overwrite;
            });
        foreach (var (id, entry) in cases.Where(c => c.Value.Problem is null && !c.Value.Importable))
            errors.Add(new Outcome(SavedObjectTypes.Case, id, entry.Title, new JsonObject { ["type"] = "conflict" }));
        LogPass(logger, space, "checked", cases.Count, errors.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);

        // 2. Comments and user actions, batched across cases (one space is one partition).
        var batch = new List<Item>();
        var inFlight = new List<Task>();
        var gate = new object();
        async Task Flush()
        {
            if (batch.Count == 0) return;
            var submitted = batch;
            batch = [];
            inFlight.Add(Commit(submitted, successes, errors, gate, ct));
            if (inFlight.Count >= Concurrency)
            {
                var done = await Task.WhenAny(inFlight);
                inFlight.Remove(done);
                await done;
            }
        }
        await foreach (var (number, text) in lines.Read(ct))
        {
            if (badLines.Contains(number) || string.IsNullOrWhiteSpace(text)) continue;
            var so = JsonNode.Parse(text)!.AsObject();
            var type = SavedObjectReader.Text(so["type"]);
            if (type is null || type == SavedObjectTypes.Case) continue;
            var id = SavedObjectReader.Text(so["id"])!;
            var caseId = SavedObjectReader.CaseIdOf(so)!;
            if (!cases.TryGetValue(caseId, out var entry) || !entry.Importable)
            {
                lock (gate) errors.Add(new Outcome(type, id, null, entry is { Problem: null } ? new JsonObject { ["type"] = "conflict" } : MissingCase(caseId)));
                continue;
            }
            var item = ToItem(space, so, number, type, id, entry, Target(type, id), Target(SavedObjectTypes.Comment, SavedObjectReader.ReferenceId(so, SavedObjectTypes.CommentRef) ?? ""),
                options.CreateNewCopies);
            if (batch.Sum(i => i.Rows.Count) + item.Rows.Count > BatchRows) await Flush();
            batch.Add(item);
        }
        await Flush();
        await Task.WhenAll(inFlight);
        LogPass(logger, space, "comments and user actions written", successes.Count, errors.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);

        // 3. The cases, with what was written for them.
        var imported = new List<(ImportedCase Case, Outcome Success, JsonObject So)>();
        async Task WriteCases()
        {
            if (imported.Count == 0) return;
            var observables = imported.Where(i => SavedObjectReader.Observables(i.So).Count > 0)
                .SelectMany(i => CaseItemRows.Rows(space, i.Case.Record.Case.Id, SavedObjectReader.Observables(i.So))).ToList();
            foreach (var chunk in observables.Chunk(BatchRows)) await items.Submit(chunk, ct);
            var failed = await store.Import(space, imported.Select(i => i.Case).ToList(), ct);
            foreach (var (c, success, _) in imported)
            {
                if (failed.TryGetValue(c.Record.Case.Id, out var reason)) errors.Add(success with { Error = Unknown($"The case could not be stored: {reason}") });
                else successes.Add(success);
            }
            imported.Clear();
        }
        await foreach (var (number, text) in lines.Read(ct))
        {
            if (badLines.Contains(number) || string.IsNullOrWhiteSpace(text)) continue;
            var so = JsonNode.Parse(text)!.AsObject();
            if (SavedObjectReader.Text(so["type"]) != SavedObjectTypes.Case) continue;
            var id = SavedObjectReader.Text(so["id"])!;
            var entry = cases[id];
            if (!entry.Importable) continue;
            var record = SavedObjectReader.Case(so, entry.TargetId) with
            {
                TotalComment = entry.Comments,
                TotalAlerts = entry.Alerts,
                // An overwritten case keeps its number; a new one waits for the numbering job.
                IncrementalId = entry.Existing?.Record.IncrementalId,
            };
            var hasAttachments = entry.Attachments > 0 || entry.Existing?.HasAttachments == true;
            imported.Add((new ImportedCase(record, entry.Actions, hasAttachments, entry.Existing is null),
                new Outcome(SavedObjectTypes.Case, id, entry.Title, DestinationId: options.CreateNewCopies ? entry.TargetId : null, Overwrite: entry.Existing is not null),
                so));
            if (imported.Count == 100) await WriteCases();
        }
        await WriteCases();
        LogPass(logger, space, "done", successes.Count, errors.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return Result(successes, errors);
    }

    /// <summary>Null when the line is the export-details line; otherwise the problem with it, or null with the object, its type and id.</summary>
    static JsonObject? Check(int number, string? text, out JsonObject? so, out string type, out string id)
    {
        (so, type, id) = (null, "", "");
        if (text is null) return Unknown($"Line {number} is longer than {NdjsonLines.MaxLineChars} characters.");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            return Unknown($"Line {number} is not valid JSON: {ex.Message}");
        }
        if (node is not JsonObject o) return Unknown($"Line {number} is not a JSON object.");
        if (o["type"] is null && o["exportedCount"] is not null) return null;
        so = o;
        type = SavedObjectReader.Text(o["type"]) ?? "";
        id = SavedObjectReader.Text(o["id"]) ?? "";
        if (type.Length == 0) return Unknown($"Line {number} has no type.");
        if (!ObjectIds.IsWellFormed(id)) return Unknown($"Line {number}: the id must be 1-64 letters, digits or '-'.");
        if (type == SavedObjectTypes.Connector)
            return new JsonObject { ["type"] = "unsupported_type", ["message"] = "Connectors (type action) are not imported: create them again in this deployment; cases keep their connector ids." };
        if (!SavedObjectTypes.Importable.Contains(type)) return new JsonObject { ["type"] = "unsupported_type" };
        return null;
    }

    static object Child(JsonObject so, string type, string id, string caseId, string? commentId, int sequence) => type == SavedObjectTypes.Comment
        ? SavedObjectReader.Comment(so, id, caseId, sequence)
        : SavedObjectReader.UserAction(so, id, caseId, commentId);

    static Item ToItem(string space, JsonObject so, int line, string type, string id, CaseEntry entry, string targetId, string commentTarget, bool newCopy)
    {
        var success = new Outcome(type, id, null, DestinationId: newCopy ? targetId : null);
        if (type == SavedObjectTypes.Comment)
        {
            var attachment = SavedObjectReader.Comment(so, targetId, entry.TargetId, sequence: line);
            return new Item(success, entry, CaseItemRows.Rows(space, attachment), attachment.Type == AttachmentTypes.User ? 1 : 0, attachment.AlertIds.Count, 0, 1);
        }
        var commentId = SavedObjectReader.ReferenceId(so, SavedObjectTypes.CommentRef) is null ? null : commentTarget;
        var action = SavedObjectReader.UserAction(so, targetId, entry.TargetId, commentId);
        entry.SameInstant = action.CreatedAt == entry.LastActionAt ? entry.SameInstant + 1 : 0;
        entry.LastActionAt = action.CreatedAt;
        return new Item(success, entry, CaseItemRows.Rows(space, action, entry.SameInstant), 0, 0, 1, 0);
    }

    async Task Commit(List<Item> batch, List<Outcome> successes, List<Outcome> errors, object gate, CancellationToken ct)
    {
        var failures = new Dictionary<Item, string>();
        try
        {
            await SubmitInChunks(batch.SelectMany(i => i.Rows).ToList(), ct);
        }
        catch (RequestFailedException)
        {
            // One bad row fails the whole transaction: commit each object alone to keep the good ones.
            foreach (var item in batch)
            {
                try
                {
                    await SubmitInChunks(item.Rows, ct);
                }
                catch (RequestFailedException ex) when (ex.Status is >= 400 and < 500)
                {
                    failures[item] = ex.ErrorCode ?? ex.Message;
                }
            }
        }
        lock (gate)
        {
            foreach (var item in batch)
            {
                if (failures.TryGetValue(item, out var reason))
                {
                    errors.Add(item.Success with { Error = Unknown($"The object could not be stored: {reason}") });
                    continue;
                }
                successes.Add(item.Success);
                item.Case.Comments += item.Comments;
                item.Case.Alerts += item.Alerts;
                item.Case.Actions += item.Actions;
                item.Case.Attachments += item.Attachments;
            }
        }
    }

    /// <summary>An alert attachment with many alerts has more index rows than one transaction takes; it is written in several.</summary>
    async Task SubmitInChunks(List<TableTransactionAction> rows, CancellationToken ct)
    {
        foreach (var chunk in rows.Chunk(BatchRows)) await items.Submit(chunk, ct);
    }

    static JsonObject? Validate(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (CasesException ex)
        {
            return Unknown(ex.Message);
        }
    }

    static JsonObject Unknown(string message) => new() { ["type"] = "unknown", ["message"] = message, ["statusCode"] = 400 };

    static JsonObject MissingCase(string? caseId) => new()
    {
        ["type"] = "missing_references",
        ["references"] = caseId is null ? new JsonArray() : new JsonArray(new JsonObject { ["type"] = SavedObjectTypes.Case, ["id"] = caseId }),
        ["message"] = caseId is null
            ? "The object has no reference to its case (associated-cases)."
            : $"Its case {caseId} is not imported by this file: import a comment or user action together with its case.",
    };

    /// <summary>New copies get ids derived from the import and the old id, so references between the file's objects follow them.</summary>
    static string NewCopyId(string nonce, string type, string id)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{nonce}/{type}/{id}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    static JsonObject Result(List<Outcome> successes, List<Outcome> errors) => new()
    {
        ["success"] = errors.Count == 0,
        ["successCount"] = successes.Count,
        ["successResults"] = new JsonArray(successes.Select(s =>
        {
            var node = new JsonObject { ["type"] = s.Type, ["id"] = s.Id, ["meta"] = Meta(s) };
            if (s.DestinationId is not null) node["destinationId"] = s.DestinationId;
            if (s.Overwrite) node["overwrite"] = true;
            return (JsonNode?)node;
        }).ToArray()),
        ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)new JsonObject
        {
            ["type"] = e.Type, ["id"] = e.Id, ["meta"] = Meta(e), ["error"] = e.Error,
        }).ToArray()),
        ["warnings"] = new JsonArray(),
    };

    static JsonObject Meta(Outcome o) => o.Title is null ? [] : new JsonObject { ["title"] = o.Title };

    [LoggerMessage(Level = LogLevel.Information, Message = "Import into space {Space}, {Stage}: {Count} objects, {Errors} errors after {Seconds:F1} s")]
    static partial void LogPass(ILogger logger, string space, string stage, int count, int errors, double seconds);
}
