using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Cases.Functions.Files;

/// <summary>
/// A file blob as a seekable stream for ASP.NET's range processing, which seeks to a range's start and copies its length
/// with a 64 KiB buffer. Nothing is buffered here: each read pulls from one streaming download of exactly the part still
/// wanted (the request's range when it reads inside it, else up to the end), so a slow reader holds no more than the
/// copy buffer and <c>Range: bytes=0-0</c> fetches one byte. (Opening the blob for reading would fetch 4 MiB blocks.)
/// </summary>
public sealed class BlobRangeStream(BlockBlobClient blob, long length, (long From, long To)? wanted) : Stream
{
    Stream? download;
    long downloadEnd = -1; // last byte (inclusive) the open download delivers
    long position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>The single range a request asks for, clamped to the file; null for none, several or one that cannot be met.</summary>
    public static (long From, long To)? Requested(HttpRequest request, long length)
    {
        if (!RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var header) || header.Ranges.Count != 1 || length == 0
            || !StringSegment.Equals(header.Unit, "bytes", StringComparison.OrdinalIgnoreCase))
            return null;
        var range = header.Ranges.First();
        (long From, long To) wanted = range switch
        {
            { From: { } from, To: { } to } => (from, Math.Min(to, length - 1)),
            { From: { } from } => (from, length - 1),
            { To: { } suffix } => (Math.Max(0, length - suffix), length - 1),
            _ => (0, -1),
        };
        return wanted.From <= wanted.To && wanted.From < length ? wanted : null;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (position >= length || buffer.Length == 0) return 0;
        if (download is null)
        {
            downloadEnd = wanted is { } w && position >= w.From && position <= w.To ? w.To : length - 1;
            var response = await blob.DownloadStreamingAsync(
                new BlobDownloadOptions { Range = new HttpRange(position, downloadEnd - position + 1) }, ct);
            download = response.Value.Content;
        }
        var read = await download.ReadAsync(buffer[..(int)Math.Min(buffer.Length, downloadEnd - position + 1)], ct);
        if (read == 0) throw new IOException("The file's blob ended before its recorded length.");
        position += read;
        if (position > downloadEnd) await CloseDownload();
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var next = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };
        if (next < 0) throw new IOException("Cannot seek before the start of the file.");
        if (next != position && download is not null)
        {
            download.Dispose();
            download = null;
        }
        position = next;
        return position;
    }

    async ValueTask CloseDownload()
    {
        if (download is null) return;
        await download.DisposeAsync();
        download = null;
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseDownload();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) download?.Dispose();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
