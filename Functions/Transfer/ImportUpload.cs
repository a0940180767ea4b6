using System.Text;
using Cases.Domain.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Cases.Functions.Transfer;

/// <summary>
/// The uploaded <c>file</c> field of an import, streamed from the multipart body to a temporary file that is deleted when
/// closed: the import reads it more than once (Kibana's files put comments before or after their case), and never
/// holds it in memory. Bodies beyond the configured size are refused with 413 without reading them whole.
/// </summary>
public static class ImportUpload
{
    /// <summary>Room for the multipart boundaries and headers around the file.</summary>
    const long EnvelopeBytes = 64 * 1024;

    public static async Task<FileStream> Receive(HttpRequest request, long maxFileBytes, CancellationToken ct)
    {
        var tooLarge = new CasesException(413,
            $"The import file is larger than the limit of {maxFileBytes} bytes ({maxFileBytes / 1_048_576} MB); split the export into smaller files.");
        if (request.ContentLength > maxFileBytes + EnvelopeBytes) throw tooLarge;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxFileBytes + EnvelopeBytes;

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
            throw CasesException.BadRequest("Send the file as multipart/form-data with a field named file (curl -F file=@export.ndjson).");

        var reader = new MultipartReader(boundary, request.Body);
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value != "file")
                    continue;
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                if (fileName.Length > 0 && !fileName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase))
                    throw CasesException.BadRequest($"Invalid file extension {Path.GetExtension(fileName)}: the file must be .ndjson.");
                var file = new FileStream(Path.Combine(Path.GetTempPath(), "cases-import-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
                    FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                try
                {
                    await Copy(section.Body, file, maxFileBytes, tooLarge, ct);
                    file.Position = 0;
                    return file;
                }
                catch
                {
                    await file.DisposeAsync();
                    throw;
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw CasesException.BadRequest($"The multipart body is malformed: {ex.Message}");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == 413)
        {
            throw tooLarge;
        }
        throw CasesException.BadRequest("The multipart body has no field named file.");
    }

    static async Task Copy(Stream from, Stream to, long max, Exception tooLarge, CancellationToken ct)
    {
        var buffer = new byte[81_920];
        long total = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > max) throw tooLarge;
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }
}

/// <summary>
/// Reads an NDJSON file line by line, refusing (and skipping) a line longer than <see cref="MaxLineChars"/> instead of
/// loading it: a file of one enormous line cannot exhaust memory.
/// </summary>
public sealed class NdjsonLines(Stream file)
{
    public const int MaxLineChars = 4 * 1024 * 1024;

    public async IAsyncEnumerable<(int Number, string? Text)> Read([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        file.Position = 0;
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 64 * 1024, leaveOpen: true);
        var line = new StringBuilder();
        var buffer = new char[64 * 1024];
        var number = 1;
        var tooLong = false;
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                if (!tooLong) line.Append(buffer, start, i - start);
                yield return (number++, tooLong ? null : line.ToString().TrimEnd('\r'));
                line.Clear();
                tooLong = false;
                start = i + 1;
            }
            if (!tooLong) line.Append(buffer, start, read - start);
            if (line.Length > MaxLineChars)
            {
                tooLong = true;
                line.Clear();
            }
        }
        if (tooLong || line.Length > 0) yield return (number, tooLong ? null : line.ToString().TrimEnd('\r'));
    }
}
