using System.IO.Pipelines;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Cases.Domain.Errors;
using Cases.Domain.Files;

namespace Cases.Functions.Files;

/// <summary>
/// An upload whose length is known up front (a raw body with Content-Length) goes to storage as ONE Put Blob, streamed:
/// one task reads the request and feeds SHA-1 and SHA-256, the storage client takes the bytes through a small pipe
/// (a few MiB at most) and feeds MD5 as it sends them, so reading, hashing and sending overlap on two threads. Put Blob is atomic: a body cut off midway
/// fails the request and no blob exists. It is the fastest path on Azurite (whose block staging is slow) and saves the
/// block-list round trip on Azure.
/// </summary>
public static class SinglePutUpload
{
    const int PipeLimit = 4 * 1024 * 1024;
    const int Chunk = 256 * 1024;

    public static async Task<StoredContent> Run(Stream source, long length, BlockBlobClient blob, string mimeType, long maxBytes,
        Func<CasesException> tooLarge, IDictionary<string, string> metadata, CancellationToken ct)
    {
        if (length > maxBytes) throw tooLarge();
        // The content check needs the first bytes before anything is sent.
        var head = new byte[(int)Math.Min(ContentSniffer.PrefixLength, length)];
        var headLength = await ReadAtLeast(source, head, ct);
        if (headLength < head.Length) throw CasesException.BadRequest("The request body ended before its Content-Length.");
        if (!ContentSniffer.Matches(mimeType, head)) throw CasesException.BadRequest($"The file's content does not match its type {mimeType}.");

        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PipeLimit, resumeWriterThreshold: PipeLimit / 2, useSynchronizationContext: false));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        async Task Produce()
        {
            try
            {
                long total = 0;
                void Take(ReadOnlySpan<byte> bytes)
                {
                    sha1.AppendData(bytes);
                    sha256.AppendData(bytes);
                    total += bytes.Length;
                }
                Take(head);
                await pipe.Writer.WriteAsync(head, stop.Token);
                while (total < length)
                {
                    // Fill a whole chunk before handing it over: one wake-up of the sending side per 256 KiB, not per read.
                    var memory = pipe.Writer.GetMemory(Chunk)[..Chunk];
                    var filled = 0;
                    while (filled < Chunk && total + filled < length)
                    {
                        var read = await source.ReadAsync(memory[filled..], stop.Token);
                        if (read == 0) throw CasesException.BadRequest("The request body ended before its Content-Length.");
                        filled += read;
                    }
                    if (total + filled > length) throw tooLarge();
                    Take(memory.Span[..filled]);
                    pipe.Writer.Advance(filled);
                    if ((await pipe.Writer.FlushAsync(stop.Token)).IsCanceled) break;
                }
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex); // the storage request fails too: Put Blob stores nothing
                await stop.CancelAsync();
                throw;
            }
        }

        // MD5 (the slowest of the three) is computed on the sending side, so the two sides share the hashing.
        await using var body = new KnownLengthStream(pipe.Reader.AsStream(), length, bytes => md5.AppendData(bytes));
        var producing = Produce();
        Azure.Response<BlobContentInfo> stored;
        try
        {
            stored = await blob.UploadAsync(body, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = mimeType },
                Metadata = metadata,
            }, stop.Token);
        }
        catch
        {
            await stop.CancelAsync();
            // If the reading side failed (a limit, a cut-off body), its error is the one that explains it; the storage
            // client's is only the echo.
            try { await producing; }
            catch (Exception reason) when (reason is not OperationCanceledException) { throw; }
            catch (OperationCanceledException) { /* cancelled because the storage side failed */ }
            throw;
        }
        await producing;
        var md5Bytes = md5.GetHashAndReset();
        // Every byte must have passed the MD5 exactly once (no retry rewound the stream).
        if (!body.Complete) throw new InvalidOperationException("The storage client did not read the whole body once.");
        // Put Blob stores the MD5 the service computed as the blob's Content-MD5 and returns it (Azure and Azurite alike).
        // Equal to ours, it shows storage holds exactly the bytes that were hashed; different, the bytes changed on the
        // way and the upload fails (the caller deletes the blob). Only if none came back is it set here (a streamed body
        // cannot carry it up front), so downloads and clients see it.
        if (stored.Value.ContentHash is { Length: > 0 } computedByStorage)
        {
            if (!computedByStorage.AsSpan().SequenceEqual(md5Bytes))
                throw new IOException("Blob Storage holds different bytes from those hashed (its MD5 differs); the upload is refused.");
        }
        else
        {
            await blob.SetHttpHeadersAsync(new BlobHttpHeaders { ContentType = mimeType, ContentHash = md5Bytes }, cancellationToken: ct);
        }
        return new StoredContent(length, Convert.ToHexStringLower(md5Bytes), Convert.ToHexStringLower(sha1.GetHashAndReset()),
            Convert.ToHexStringLower(sha256.GetHashAndReset()), md5Bytes);
    }

    static async Task<int> ReadAtLeast(Stream source, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }
}
