using Cases.Domain.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Cases.Functions.Files;

/// <summary>
/// Where an upload's bytes and name come from: Kibana's <c>multipart/form-data</c> (<c>file</c>, optional <c>filename</c>
/// without extension), or a raw body whose type is the request's <c>Content-Type</c> and whose name (with extension)
/// is the <c>filename</c> query parameter. Nothing is buffered: the file part is read straight off the request.
/// </summary>
public static class UploadSource
{
    const int FieldLimit = 4096;

    /// <summary>
    /// Calls <paramref name="upload"/> with (file name, declared type, content, the form's <c>filename</c> if it came first);
    /// returns its result and the form's <c>filename</c> (which may come after the file).
    /// </summary>
    public static async Task<(T Result, string? FormName)> Read<T>(HttpRequest request, Func<string, string?, Stream, string?, Task<T>> upload,
        CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var name = request.Query["filename"].ToString();
            if (string.IsNullOrWhiteSpace(name))
                throw CasesException.BadRequest("A raw upload needs the file name in the filename query parameter (e.g. ?filename=capture.png).");
            return (await upload(name, request.ContentType, request.Body, null), null);
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) throw CasesException.BadRequest("The multipart request has no boundary.");
        var reader = new MultipartReader(boundary, request.Body);
        string? formName = null;
        T? result = default;
        var uploaded = false;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (field == "file" && !uploaded)
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    if (string.IsNullOrWhiteSpace(fileName)) fileName = "file";
                    result = await upload(fileName, section.ContentType, section.Body, formName);
                    uploaded = true;
                }
                else if (field == "filename")
                {
                    formName = await ReadField(section.Body, ct);
                }
            }
        }
        catch (IOException ex) when (ex is not EndOfStreamException && !uploaded)
        {
            throw CasesException.BadRequest($"The multipart body is malformed: {ex.Message}");
        }
        if (!uploaded) throw CasesException.BadRequest("The multipart body has no file part (a form field named \"file\").");
        return (result!, formName);
    }

    static async Task<string> ReadField(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body);
        var buffer = new char[FieldLimit + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        if (read > FieldLimit) throw CasesException.BadRequest("The filename field is too long.");
        return new string(buffer, 0, read);
    }
}
