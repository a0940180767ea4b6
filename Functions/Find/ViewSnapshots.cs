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
/// the snapshot is complete up to; the generation's rows hold, compressed (Brotli) in 64 KB binary properties, the keys of the
/// change notes after that position the view already shows (so a new instance does not read their cases again), then
/// the compact view (<see cref="CaseView.WriteTo"/>, no case JSON). A snapshot
/// is only used while the change log still reaches back to it; otherwise, or if it is torn, the view is scanned.
/// </summary>
public sealed class ViewSnapshots(CasesTables tables)
{
    const int PropertyBytes = 64_000;
    const int PropertiesPerRow = 14; // stays under the 1 MiB entity limit

    /// <summary>Bumped when the stored form changes; a head of another format is ignored (the view is scanned once).</summary>
    const int Format = 4;

    /// <summary>Where a space's snapshot stands: its generation, how many rows it has, the change-log position it is complete up to.</summary>
    public sealed record Head(string Generation, int Rows, long CursorTicks);

    /// <summary>The space's snapshot head, if there is one of this format that the change log still reaches back to.</summary>
    public async Task<Head?> ReadHead(string space, long oldestUsableTicks, CancellationToken ct)
    {
        var table = await tables.Views(ct);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(space, "head", cancellationToken: ct);
        if (!head.HasValue || head.Value!.GetInt64("CursorTicks") is not { } cursor || cursor < oldestUsableTicks) return null;
        if (head.Value.GetInt32("Format") != Format || head.Value.GetString("Generation") is not { } generation) return null;
        return new Head(generation, head.Value.GetInt32("Rows") ?? 0, cursor);
    }

    /// <summary>The snapshot's view and the notes it already shows; null when torn (a concurrent writer removed it).</summary>
    public async Task<(CaseView View, List<string> AppliedNotes)?> Read(string space, Head head, CancellationToken ct)
    {
        var table = await tables.Views(ct);
        // The rows are point reads, a few at a time: the next row arrives while the last one is decoded.
        var parts = new List<byte[]>[head.Rows];
        var torn = false;
        await Parallel.ForEachAsync(Enumerable.Range(0, head.Rows), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, token) =>
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(space, RowKey(head.Generation, i), cancellationToken: token);
            if (!row.HasValue) torn = true;
            else
            {
                parts[i] = [];
                for (var p = 0; row.Value!.GetBinary($"P{p}") is { } bytes; p++) parts[i].Add(bytes);
            }
        });
        if (torn) return null;
        using var compressed = new MemoryStream();
        foreach (var part in parts.SelectMany(p => p)) compressed.Write(part);
        compressed.Position = 0;
        // Decompressed whole, then parsed: twice as fast as parsing through the decompressor (15 MB at 100,000 cases).
        using var plain = new MemoryStream();
        await using (var brotli = new BrotliStream(compressed, CompressionMode.Decompress)) await brotli.CopyToAsync(plain, ct);
        plain.Position = 0;
        var applied = new List<string>();
        using (var reader = new BinaryReader(plain, System.Text.Encoding.UTF8, leaveOpen: true))
            for (var n = reader.ReadInt32(); n > 0; n--) applied.Add(reader.ReadString());
        return CaseView.ReadFrom(plain) is { } view ? (view, applied) : null;
    }

    static string RowKey(string generation, int row) => $"{generation}_{row:D6}";

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
        // Brotli at its default level: at 100,000 cases 10 MB against gzip's 17 MB (fastest), and read back in half
        // the time (./scripts/bench finder); the write is the timer's, in the background.
        await using (var brotli = new BrotliStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        await using (var buffered = new BufferedStream(brotli, 1 << 16))
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
            var row = new TableEntity(space, RowKey(generation, rows));
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
