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
using Cases.Domain.Observables;
using Cases.Functions.Cases;
using Cases.Functions.Connectors;
using Cases.Functions.Outbound;

namespace Cases.Functions.Transfer;

/// <summary>
/// <paramref name="MayCreate"/>: whether the caller may create cases of an owner in this space (access control);
/// <paramref name="MayManageConnectors"/>: whether the caller may create connectors here (the cases settings privilege).
/// </summary>
public sealed record ImportOptions(bool Overwrite, bool CreateNewCopies, Func<string, bool> MayCreate, bool MayManageConnectors = true);

/// <summary>
/// Imports a saved-objects NDJSON file in three reads of it, so that neither the file nor its objects are held in memory
/// and the order of lines does not matter (Kibana writes comments before or after their case):
/// <list type="number">
/// <item>check every line and note each case (id, title, validity) and connector; then look up which cases exist already
/// (one batch lookup) and store the connectors (without secrets), so that no case shows before the connector it uses;</item>
/// <item>write the comments and user actions of the cases that will be imported, 100 rows per transaction, a few
/// transactions at once (one space is one partition, so rows of many cases share a transaction);</item>
/// <item>write those cases, with counters that add up what was written: the case row comes last, so a case never
/// shows before its comments are in, and an import cut off halfway leaves nothing visible but whole cases.</item>
/// </list>
/// Every object succeeds or fails on its own (Kibana's per-object errors); nothing ends in a 5xx for a bad object.
/// </summary>
public sealed partial class ImportJob(CaseStore store, CaseItemRows items, ConnectorStore connectorStore, AllowedHosts allowedHosts, ILogger<ImportJob> logger)
{
    /// <summary>
    /// Transactions in flight at once: they overlap network and storage time, while one partition (the space) serves
    /// them one after another anyway, so more would only queue (and a queued transaction counts against its timeout).
    /// </summary>
    const int Concurrency = 2;
    const int BatchRows = 100;

    sealed class CaseEntry(string? title)
    {
        public string? Title { get; } = title;
        public string? Problem { get; set; }
        public string TargetId { get; set; } = "";
        public ExistingCase? Existing { get; set; }
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

    /// <summary>Bounds how many writes run at once; <see cref="Drain"/> waits for the rest.</summary>
    sealed class InFlight(int limit)
    {
        readonly List<Task> tasks = [];

        public async Task Add(Task task)
        {
            tasks.Add(task);
            if (tasks.Count < limit) return;
            var done = await Task.WhenAny(tasks);
            tasks.Remove(done);
            await done;
        }

        public Task Drain() => Task.WhenAll(tasks);
    }

    public async Task<JsonObject> Run(string space, Stream file, ImportOptions options, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var nonce = Guid.NewGuid().ToString("N");
        string Target(string type, string id) => options.CreateNewCopies ? NewCopyId(nonce, type, id) : id;

        var lines = new NdjsonLines(file);
        var cases = new Dictionary<string, CaseEntry>(StringComparer.Ordinal);
        var connectors = new Dictionary<string, ImportedConnector>(StringComparer.Ordinal);
        var referencedConnectors = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var badLines = new HashSet<int>();
        // Where the cases and connectors are, so later passes parse only the lines they need.
        var caseLines = new HashSet<int>();
        var connectorLines = new HashSet<int>();
        var errors = new List<Outcome>();
        var successes = new List<Outcome>();
        var gate = new object();

        // 1. Check every line; note the cases and keep the connectors (few and small).
        await foreach (var (number, text) in lines.Read(ct))
        {
            if (text is not null && string.IsNullOrWhiteSpace(text)) continue;
            var problem = Check(number, text, out var so, out var type, out var id);
            if (so is null && problem is null) continue; // the export-details line
            if (problem is null && !seen.Add(type + "/" + id)) problem = Unknown($"{type} {id} appears more than once in the file (line {number}).");
            string? title = so is null ? null : SavedObjectReader.Title(so);
            if (problem is null && type == SavedObjectTypes.Case)
            {
                var entry = new CaseEntry(title);
                cases[id] = entry;
                problem = Validate(() =>
                {
                    var record = SavedObjectReader.Case(so!, id);
                    var owner = record.Case.Owner;
                    if (!options.MayCreate(owner)) throw new CasesException(403, $"Unauthorized to create case with owners: \"{owner}\"");
                    SavedObjectReader.Observables(so!);
                    foreach (var connectorId in ConnectorRemap.Ids(record)) referencedConnectors.Add(connectorId);
                });
                entry.Problem = problem?["message"]?.GetValue<string>();
                if (problem is null) caseLines.Add(number);
            }
            else if (problem is null && type == SavedObjectTypes.Connector)
            {
                title = ConnectorTitle(so!);
                ImportedConnector? connector = null;
                problem = Validate(() =>
                {
                    if (!options.MayManageConnectors)
                        throw new CasesException(403, "Unauthorized to import connectors: creating a connector needs the cases settings privilege in this space.");
                    connector = ImportedConnector.Read(so!);
                    if (connector is not null) ConnectorsApi.CheckHosts(connector.Kind, connector.Config, allowedHosts);
                });
                if (problem is null && connector is null)
                    problem = new JsonObject
                    {
                        ["type"] = "unsupported_type",
                        ["message"] = $"Connectors of type {SavedObjectReader.Text(so!["attributes"]?["actionTypeId"]) ?? "(none)"} are not supported; "
                            + $"supported: {string.Join(", ", ConnectorKind.All.Select(k => k.Id))}.",
                    };
                if (problem is null) (connectors[id], _) = (connector!, connectorLines.Add(number));
            }
            else if (problem is null && SavedObjectReader.CaseIdOf(so!) is null)
            {
                // A comment or user action is checked in full when it is written (pass 2), not parsed twice.
                problem = MissingCase(null);
            }
            if (problem is null) continue;
            badLines.Add(number);
            errors.Add(new Outcome(type.Length > 0 ? type : "unknown", id.Length > 0 ? id : $"line {number}", title, problem));
        }

        // Which cases exist already decides conflicts (and, with overwrite, keeps their numbers): one batch lookup.
        foreach (var (id, entry) in cases) entry.TargetId = Target(SavedObjectTypes.Case, id);
        var candidates = cases.Values.Where(c => c.Problem is null).ToList();
        var existing = options.CreateNewCopies ? [] : await store.Existing(space, candidates.Select(c => c.TargetId).ToHashSet(StringComparer.Ordinal), ct);
        foreach (var entry in candidates)
        {
            entry.Existing = existing.GetValueOrDefault(entry.TargetId);
            entry.Importable = entry.Existing is null || options.Overwrite;
        }
        foreach (var (id, entry) in cases.Where(c => c.Value.Problem is null && !c.Value.Importable))
            errors.Add(new Outcome(SavedObjectTypes.Case, id, entry.Title, new JsonObject { ["type"] = "conflict" }));
        LogPass(logger, space, "checked", cases.Count, errors.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);

        // Connectors go in before any case that uses them.
        var remap = await ImportConnectors(space, connectors, options, Target, successes, errors, ct);
        var warnings = await Warnings(space, connectors, referencedConnectors, remap, ct);

        // 2. Comments and user actions, batched across cases (one space is one partition), a few transactions at once.
        var batch = new List<Item>();
        var batchRows = 0;
        var writes = new InFlight(Concurrency);
        async Task Flush()
        {
            if (batch.Count == 0) return;
            var submitted = batch;
            (batch, batchRows) = ([], 0);
            await writes.Add(Commit(submitted, successes, errors, gate, ct));
        }
        await foreach (var (number, text) in lines.Read(ct))
        {
            if (badLines.Contains(number) || caseLines.Contains(number) || connectorLines.Contains(number) || string.IsNullOrWhiteSpace(text)) continue;
            var so = JsonNode.Parse(text)!.AsObject();
            var type = SavedObjectReader.Text(so["type"]);
            if (type is null) continue; // the export-details line
            var id = SavedObjectReader.Text(so["id"])!;
            var caseId = SavedObjectReader.CaseIdOf(so)!;
            if (!cases.TryGetValue(caseId, out var entry) || !entry.Importable)
            {
                lock (gate) errors.Add(new Outcome(type, id, null, entry is { Problem: null } ? new JsonObject { ["type"] = "conflict" } : MissingCase(caseId)));
                continue;
            }
            Item item;
            try
            {
                item = ToItem(space, so, number, type, id, entry, Target(type, id), Target(SavedObjectTypes.Comment, SavedObjectReader.ReferenceId(so, SavedObjectTypes.CommentRef) ?? ""),
                    options.CreateNewCopies, remap);
            }
            catch (CasesException ex)
            {
                lock (gate) errors.Add(new Outcome(type, id, null, Unknown(ex.Message)));
                continue;
            }
            if (batchRows + item.Rows.Count > BatchRows) await Flush();
            batch.Add(item);
            batchRows += item.Rows.Count;
        }
        await Flush();
        await writes.Drain();
        LogPass(logger, space, "comments and user actions written", successes.Count, errors.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);

        // 3. The cases, with what was written for them, 100 per transaction, a few transactions at once.
        var imported = new List<(ImportedCase Case, Outcome Success, List<Observable> Observables)>();
        async Task WriteCases()
        {
            if (imported.Count == 0) return;
            var group = imported;
            imported = [];
            await writes.Add(WriteCaseGroup(space, group, successes, errors, gate, ct));
        }
        await foreach (var (number, text) in lines.Read(ct))
        {
            if (!caseLines.Contains(number)) continue;
            var so = JsonNode.Parse(text!)!.AsObject();
            var id = SavedObjectReader.Text(so["id"])!;
            var entry = cases[id];
            if (!entry.Importable) continue;
            var record = ConnectorRemap.Apply(SavedObjectReader.Case(so, entry.TargetId), remap) with
            {
                TotalComment = entry.Comments,
                TotalAlerts = entry.Alerts,
                // An overwritten case keeps its number; a new one waits for the numbering job.
                IncrementalId = entry.Existing?.IncrementalId,
            };
            var hasAttachments = entry.Attachments > 0 || entry.Existing?.HasAttachments == true;
            imported.Add((new ImportedCase(record, entry.Actions, hasAttachments, entry.Existing is null),
                new Outcome(SavedObjectTypes.Case, id, entry.Title, DestinationId: options.CreateNewCopies ? entry.TargetId : null, Overwrite: entry.Existing is not null),
                SavedObjectReader.Observables(so)));
            if (imported.Count == BatchRows) await WriteCases();
        }
        await WriteCases();
        await writes.Drain();
        LogPass(logger, space, "done", successes.Count, errors.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return Result(successes, errors, warnings);
    }

    /// <summary>One group of cases: their observables, then the cases (numbering rows and change notes first, see <see cref="CaseStore.Import"/>).</summary>
    async Task WriteCaseGroup(string space, List<(ImportedCase Case, Outcome Success, List<Observable> Observables)> group,
        List<Outcome> successes, List<Outcome> errors, object gate, CancellationToken ct)
    {
        var observables = group.Where(i => i.Observables.Count > 0)
            .SelectMany(i => CaseItemRows.Rows(space, i.Case.Record.Case.Id, i.Observables)).ToList();
        foreach (var chunk in observables.Chunk(BatchRows)) await Persistently(() => items.Submit(chunk, ct), ct);
        var failed = await Persistently(() => store.Import(space, group.Select(i => i.Case).ToList(), ct), ct);
        lock (gate)
            foreach (var (c, success, _) in group)
            {
                if (failed.TryGetValue(c.Record.Case.Id, out var reason)) errors.Add(success with { Error = Unknown($"The case could not be stored: {reason}") });
                else successes.Add(success);
            }
    }

    /// <summary>
    /// Stores the file's connectors without secrets (Kibana exports none); an existing id is a conflict unless
    /// overwriting. Returns how ids changed (new copies), so the cases' references follow.
    /// </summary>
    async Task<Dictionary<string, string>> ImportConnectors(string space, Dictionary<string, ImportedConnector> connectors, ImportOptions options,
        Func<string, string, string> target, List<Outcome> successes, List<Outcome> errors, CancellationToken ct)
    {
        var remap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, c) in connectors)
        {
            var targetId = target(SavedObjectTypes.Connector, id);
            var title = $"Connector: [{c.Name}]";
            var existed = !options.CreateNewCopies && await connectorStore.Get(space, targetId, ct) is not null;
            if ((existed && !options.Overwrite) || !await connectorStore.TryImport(space, targetId, c.Kind, c.Name, c.Config, options.Overwrite, ct))
            {
                errors.Add(new Outcome(SavedObjectTypes.Connector, id, title, new JsonObject { ["type"] = "conflict" }));
                continue;
            }
            if (targetId != id) remap[id] = targetId;
            successes.Add(new Outcome(SavedObjectTypes.Connector, id, title, DestinationId: options.CreateNewCopies ? targetId : null, Overwrite: existed));
        }
        return remap;
    }

    /// <summary>
    /// Kibana's warnings: connectors imported without their secrets need them entered again; and (ours) cases that refer to
    /// a connector neither in the file nor in this space. Kibana imports those cases with the connector id kept (it checks
    /// only index-pattern and search references), and so do we, but we say so.
    /// </summary>
    async Task<JsonArray> Warnings(string space, Dictionary<string, ImportedConnector> connectors, SortedSet<string> referenced,
        Dictionary<string, string> remap, CancellationToken ct)
    {
        var warnings = new JsonArray();
        var needSecrets = connectors.Values.Count(c => c.Kind.NeedsSecrets(c.Config));
        if (needSecrets > 0)
            warnings.Add((JsonNode)new JsonObject
            {
                ["type"] = "action_required",
                ["message"] = $"{needSecrets} {(needSecrets == 1 ? "connector has" : "connectors have")} sensitive information that require updates.",
                ["actionPath"] = "/app/management/insightsAndAlerting/triggersActionsConnectors/connectors",
                ["buttonLabel"] = "Go to connectors",
            });
        var unresolved = referenced.Where(id => !connectors.ContainsKey(id)).ToList();
        if (unresolved.Count == 0) return warnings;
        var present = (await connectorStore.List(space, ct)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var missing = unresolved.Where(id => !present.Contains(remap.GetValueOrDefault(id, id))).ToList();
        if (missing.Count > 0)
            warnings.Add((JsonNode)new JsonObject
            {
                ["type"] = "simple",
                ["message"] = $"Cases refer to connectors that are neither in the file nor in this space: {string.Join(", ", missing.Take(20))}"
                    + $"{(missing.Count > 20 ? $" and {missing.Count - 20} more" : "")}. The cases keep the connector id; pushing them answers 404 "
                    + "until a connector with that id is created (POST /api/actions/connector/{id}) or the case is given another connector.",
            });
        return warnings;
    }

    static string ConnectorTitle(JsonObject so) => $"Connector: [{SavedObjectReader.Text(so["attributes"]?["name"])}]";

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
        if (type == SavedObjectTypes.Connector)
            return ConnectorIds.IsValid(id) ? null : Unknown($"Line {number}: a connector id must be 1-128 letters, digits, '-', '_' or '.'.");
        if (!ObjectIds.IsWellFormed(id)) return Unknown($"Line {number}: the id must be 1-64 letters, digits or '-'.");
        if (!SavedObjectTypes.Importable.Contains(type)) return new JsonObject { ["type"] = "unsupported_type" };
        return null;
    }

    static Item ToItem(string space, JsonObject so, int line, string type, string id, CaseEntry entry, string targetId, string commentTarget, bool newCopy,
        IReadOnlyDictionary<string, string> remap)
    {
        var success = new Outcome(type, id, null, DestinationId: newCopy ? targetId : null);
        if (type == SavedObjectTypes.Comment)
        {
            var attachment = SavedObjectReader.Comment(so, targetId, entry.TargetId, sequence: line);
            return new Item(success, entry, CaseItemRows.Rows(space, attachment), attachment.Type == AttachmentTypes.User ? 1 : 0, attachment.AlertIds.Count, 0, 1);
        }
        var commentId = SavedObjectReader.ReferenceId(so, SavedObjectTypes.CommentRef) is null ? null : commentTarget;
        var action = SavedObjectReader.UserAction(so, targetId, entry.TargetId, commentId);
        ConnectorRemap.Apply(action.Payload, remap);
        entry.SameInstant = action.CreatedAt == entry.LastActionAt ? entry.SameInstant + 1 : 0;
        entry.LastActionAt = action.CreatedAt;
        return new Item(success, entry, CaseItemRows.Rows(space, action, entry.SameInstant), 0, 0, 1, 0);
    }

    async Task Commit(List<Item> batch, List<Outcome> successes, List<Outcome> errors, object gate, CancellationToken ct)
    {
        var failures = new Dictionary<Item, string>();
        try
        {
            await Persistently(() => SubmitInChunks(batch.SelectMany(i => i.Rows).ToList(), ct), ct);
        }
        catch (RequestFailedException failed) when (failed.Status is >= 400 and < 500)
        {
            // One bad row fails the whole transaction: commit each object alone to keep the good ones.
            foreach (var item in batch)
            {
                try
                {
                    await Persistently(() => SubmitInChunks(item.Rows, ct), ct);
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

    static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(27)];

    /// <summary>
    /// Retries a write that failed for a passing reason (a storage timeout, 408/429/5xx) a few more times, backing off: a
    /// busy store slows an import of thousands of objects down but does not end it in a 503. The writes are upserts (and
    /// change notes, which may repeat), so a retry of one that did land changes nothing.
    /// </summary>
    static async Task<T> Persistently<T>(Func<Task<T>> write, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (Exception ex) when (attempt < RetryDelays.Length && IsPassing(ex, ct))
            {
                await Task.Delay(RetryDelays[attempt], ct);
            }
        }
    }

    static Task Persistently(Func<Task> write, CancellationToken ct) => Persistently(async () => { await write(); return true; }, ct);

    static bool IsPassing(Exception ex, CancellationToken ct) => ex switch
    {
        OperationCanceledException => !ct.IsCancellationRequested,
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        _ => false,
    };

    static JsonObject? Validate(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (CasesException ex)
        {
            return Unknown(ex.Message, ex.StatusCode);
        }
    }

    static JsonObject Unknown(string message, int statusCode = 400) => new() { ["type"] = "unknown", ["message"] = message, ["statusCode"] = statusCode };

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

    static JsonObject Result(List<Outcome> successes, List<Outcome> errors, JsonArray warnings) => new()
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
            ["type"] = e.Type,
            ["id"] = e.Id,
            ["meta"] = Meta(e),
            ["error"] = e.Error,
        }).ToArray()),
        ["warnings"] = warnings,
    };

    static JsonObject Meta(Outcome o) => o.Title is null ? [] : new JsonObject { ["title"] = o.Title };

    [LoggerMessage(Level = LogLevel.Information, Message = "Import into space {Space}, {Stage}: {Count} objects, {Errors} errors after {Seconds:F1} s")]
    static partial void LogPass(ILogger logger, string space, string stage, int count, int errors, double seconds);
}
