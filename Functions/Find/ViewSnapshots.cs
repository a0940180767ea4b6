using System.IO.Compression;
using Azure;
using Azure.Data.Tables;
using Cases.Domain.Find;
using Cases.Functions.Cases;
using Cases.Functions.Storage;

namespace Cases.Functions.Find;

/// <summary>
/// Compressed snapshots of a space's view, so that a new instance loads a few large rows instead of scanning every
/// case of the space. Partition = space; a <c>head</c> row names the current generation and the change-log position
/// the snapshot is complete up to; the generation's rows hold, gzipped in 64 KB binary properties, the keys of the
/// change notes after that position the view already shows (so a new instance does not read their cases again), then
/// the compact view (<see cref="CaseView.WriteTo"/>, no case JSON). A snapshot
/// is only used while the change log still reaches back to it; otherwise, or if it is torn, the view is scanned.
/// </summary>
public sealed class ViewSnapshots(CasesTables tables)
{
    const int PropertyBytes = 64_000;
    const int PropertiesPerRow = 14; // stays under the 1 MiB entity limit

    /// <summary>Bumped when the stored form changes; a head of another format is ignored (the view is scanned once).</summary>
    const int Format = 3;

    public async Task<(CaseView View, long CursorTicks, List<string> AppliedNotes)?> Read(string space, long oldestUsableTicks, CancellationToken ct)
    {
        var table = await tables.Views(ct);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(space, "head", cancellationToken: ct);
        if (!head.HasValue || head.Value!.GetInt64("CursorTicks") is not { } cursor || cursor < oldestUsableTicks) return null;
        if (head.Value.GetInt32("Format") != Format) return null;
        var generation = head.Value.GetString("Generation");
        var rows = head.Value.GetInt32("Rows") ?? 0;

        using var compressed = new MemoryStream();
        var read = 0;
        var filter = CaseRows.RangeFilter(space, generation + "_");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            for (var i = 0; row.GetBinary($"P{i}") is { } part; i++) compressed.Write(part);
            read++;
        }
        if (read != rows) return null; // torn: a concurrent writer removed it
        compressed.Position = 0;
        await using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var plain = new BufferedStream(gzip, 1 << 16);
        var applied = new List<string>();
        using (var reader = new BinaryReader(plain, System.Text.Encoding.UTF8, leaveOpen: true))
            for (var n = reader.ReadInt32(); n > 0; n--) applied.Add(reader.ReadString());
        return CaseView.ReadFrom(plain) is { } view ? (view, cursor, applied) : null;
    }

    /// <summary>Removes a space's snapshot (its cases are all gone), so the timer stops refreshing it.</summary>
    public async Task Delete(string space, CancellationToken ct)
    {
        var table = await tables.Views(ct);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(space, "head", cancellationToken: ct);
        if (!head.HasValue) return;
        await table.DeleteEntityAsync(space, "head", head.Value!.ETag, ct);
        if (head.Value.GetString("Generation") is { } generation) await DeleteGeneration(table, space, generation, ct);
    }

    /// <summary>The spaces that have a snapshot.</summary>
    public async Task<List<string>> Spaces(CancellationToken ct)
    {
        var table = await tables.Views(ct);
        var spaces = new List<string>();
        await foreach (var head in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {"head"}"), select: ["PartitionKey"], cancellationToken: ct))
            spaces.Add(head.PartitionKey);
        return spaces;
    }

    public async Task Write(string space, CaseView view, long cursorTicks, IReadOnlyCollection<string> appliedNotes, CancellationToken ct)
    {
        var table = await tables.Views(ct);
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        await using (var buffered = new BufferedStream(gzip, 1 << 16))
        {
            using (var writer = new BinaryWriter(buffered, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(appliedNotes.Count);
                foreach (var note in appliedNotes) writer.Write(note);
            }
            view.WriteTo(buffered);
        }
        var bytes = compressed.ToArray();

        var generation = Guid.NewGuid().ToString("N");
        var rows = 0;
        for (var offset = 0; offset < bytes.Length || rows == 0; rows++)
        {
            var row = new TableEntity(space, $"{generation}_{rows:D6}");
            for (var p = 0; p < PropertiesPerRow && offset < bytes.Length; p++, offset += PropertyBytes)
                row[$"P{p}"] = bytes.AsSpan(offset, Math.Min(PropertyBytes, bytes.Length - offset)).ToArray();
            await table.AddEntityAsync(row, ct);
        }
        var previous = await table.GetEntityIfExistsAsync<TableEntity>(space, "head", cancellationToken: ct);
        await table.UpsertEntityAsync(new TableEntity(space, "head") { ["Generation"] = generation, ["Rows"] = rows, ["CursorTicks"] = cursorTicks, ["Format"] = Format },
            TableUpdateMode.Replace, ct);
        if (previous.HasValue && previous.Value!.GetString("Generation") is { } old)
            await DeleteGeneration(table, space, old, ct);
    }

    static Task DeleteGeneration(TableClient table, string space, string generation, CancellationToken ct) =>
        TableDeletes.DeleteMatching(table, space, CaseRows.RangeFilter(space, generation + "_"), ct);
}
