namespace Cases.Functions.Files;

/// <summary>
/// The storage client wants a seekable stream to know the length and to rewind for a retry. This one knows its length
/// and can "seek" only to where it is: a retry after bytes were sent fails (the request body cannot be read twice).
/// </summary>
public sealed class KnownLengthStream(Stream inner, long length, Action<ReadOnlySpan<byte>>? observe = null) : Stream
{
    long position;

    public bool Complete => position == length;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => position; set => Seek(value, SeekOrigin.Begin); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        // Fill the caller's buffer (the storage client's copy loop), so the socket sees few large writes.
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await inner.ReadAsync(buffer[read..], ct);
            if (n == 0) break;
            read += n;
        }
        observe?.Invoke(buffer.Span[..read]);
        position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => position + offset, _ => length + offset };
        return target == position ? position : throw new NotSupportedException("A streamed request body cannot be rewound.");
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
