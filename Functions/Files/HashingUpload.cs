using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Cases.Domain.Errors;
using Cases.Domain.Files;
using Cases.Functions.Storage;

namespace Cases.Functions.Files;

/// <summary>A file's bytes as stored: its size and its three hashes (lower-case hex).</summary>
public sealed record StoredContent(long Size, string Md5, string Sha1, string Sha256, byte[] Md5Bytes);

/// <summary>
/// Streams a request body into a block blob in one pass: each block is read once into a pooled buffer, fed to MD5,
/// SHA-1 and SHA-256, and staged while the next block is read (a few blocks in flight, so memory stays at a few MiB
/// whatever the file size). The size limit and the content check apply as the bytes arrive. Staged blocks are invisible
/// until the block list is committed, so an upload that fails or is cut off before then leaves no blob (the service
/// discards uncommitted blocks).
/// </summary>
public static class HashingUpload
{
    public const int DefaultBlockSize = 4 * 1024 * 1024;
    public const int DefaultInFlight = 3;

    public static async Task<StoredContent> Run(Stream source, BlockBlobClient blob, string mimeType, long maxBytes,
        Func<CasesException> tooLarge, IDictionary<string, string> metadata, int blockSize, int maxInFlight, CancellationToken ct,
        Func<DateTimeOffset>? now = null)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var blockIds = new List<string>();
        var inFlight = new List<Task>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long size = 0;
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(blockSize);
                var length = await Fill(source, buffer, blockSize, ct);
                if (size == 0 && !ContentSniffer.Matches(mimeType, buffer.AsSpan(0, Math.Min(length, ContentSniffer.PrefixLength))))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw CasesException.BadRequest($"The file's content does not match its type {mimeType}.");
                }
                size += length;
                if (size > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw tooLarge();
                }
                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
                var data = buffer.AsMemory(0, length);
                md5.AppendData(data.Span);
                sha1.AppendData(data.Span);
                sha256.AppendData(data.Span);
                var id = Convert.ToBase64String(Encoding.ASCII.GetBytes(blockIds.Count.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)));
                blockIds.Add(id);
                inFlight.Add(Stage(blob, id, buffer, length, stop.Token));
                if (inFlight.Count >= maxInFlight)
                {
                    var done = await Task.WhenAny(inFlight);
                    inFlight.Remove(done);
                    await done; // surfaces a failed stage now rather than at the end
                }
                if (length < blockSize) break;
            }
            await Task.WhenAll(inFlight);
        }
        catch
        {
            await stop.CancelAsync();
            try { await Task.WhenAll(inFlight); } catch { /* the first failure is the one reported */ }
            if (blockIds.Count > 0) await DiscardStagedBlocks(blob);
            throw;
        }

        var md5Bytes = md5.GetHashAndReset();
        if (now is not null) WrittenStamp.Set(metadata, now()); // the blob exists from this commit on
        await blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = mimeType, ContentHash = md5Bytes },
            Metadata = metadata,
        }, ct);
        return new StoredContent(size, Convert.ToHexStringLower(md5Bytes), Convert.ToHexStringLower(sha1.GetHashAndReset()),
            Convert.ToHexStringLower(sha256.GetHashAndReset()), md5Bytes);
    }

    /// <summary>
    /// The service drops uncommitted blocks within days anyway; committing an empty list and deleting the blob drops them
    /// now. The empty blob this makes for a moment has no table row, so no reader can reach it.
    /// </summary>
    static async Task DiscardStagedBlocks(BlockBlobClient blob)
    {
        try
        {
            await blob.CommitBlockListAsync([], cancellationToken: CancellationToken.None);
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
        catch (Azure.RequestFailedException)
        {
            // Best effort: left to the service's own clean-up and to the orphan sweep.
        }
    }

    /// <summary>Reads until the buffer is full or the body ends, so every block but the last is exactly the block size.</summary>
    static async Task<int> Fill(Stream source, byte[] buffer, int blockSize, CancellationToken ct)
    {
        var filled = 0;
        while (filled < blockSize)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled, blockSize - filled), ct);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }

    static async Task Stage(BlockBlobClient blob, string id, byte[] buffer, int length, CancellationToken ct)
    {
        try
        {
            using var content = new MemoryStream(buffer, 0, length, writable: false);
            await blob.StageBlockAsync(id, content, cancellationToken: ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
