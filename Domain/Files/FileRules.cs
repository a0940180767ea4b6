using Cases.Domain.Errors;

namespace Cases.Domain.Files;

/// <summary>What a file may be called and be, with messages naming the field and the limit as Kibana's do.</summary>
public static class FileRules
{
    static readonly Dictionary<string, string> TypesByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        ["png"] = "image/png",
        ["jpg"] = "image/jpeg",
        ["jpeg"] = "image/jpeg",
        ["gif"] = "image/gif",
        ["webp"] = "image/webp",
        ["svg"] = "image/svg+xml",
        ["bmp"] = "image/bmp",
        ["tif"] = "image/tiff",
        ["tiff"] = "image/tiff",
        ["ico"] = "image/x-icon",
        ["avif"] = "image/avif",
        ["heic"] = "image/heic",
        ["txt"] = "text/plain",
        ["log"] = "text/plain",
        ["csv"] = "text/csv",
        ["json"] = "application/json",
        ["zip"] = "application/zip",
        ["gz"] = "application/gzip",
        ["tgz"] = "application/gzip",
        ["bz"] = "application/x-bzip",
        ["bz2"] = "application/x-bzip2",
        ["7z"] = "application/x-7z-compressed",
        ["tar"] = "application/x-tar",
        ["pdf"] = "application/pdf",
    };

    public const int ExtensionMax = 16;

    /// <summary>
    /// Splits "report.final.pdf" into ("report.final", "pdf"); a name without a dot has no extension. The extension goes
    /// into headers and MIME lookups: at most 16 ASCII letters or digits.
    /// </summary>
    public static (string Name, string Extension) Split(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (dot <= 0 || dot == fileName.Length - 1) return (fileName, "");
        var extension = fileName[(dot + 1)..];
        if (extension.Length > ExtensionMax || !extension.All(char.IsAsciiLetterOrDigit))
            throw CasesException.BadRequest(
                $"The file extension \"{extension[..Math.Min(extension.Length, ExtensionMax)]}\" is not valid: use 1 to {ExtensionMax} letters or digits.");
        return (fileName[..dot], extension);
    }

    /// <summary>The name as stored (Kibana stores it without the extension): 1 to the limit, no path or control characters.</summary>
    public static string Name(string? name, FileLimits limits)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) throw CasesException.BadRequest("The file name is required.");
        if (name.Length > limits.MaxNameLength)
            throw CasesException.BadRequest($"The length of the file name is too long. The maximum length is {limits.MaxNameLength}.");
        if (name.Any(c => char.IsControl(c) || c is '/' or '\\'))
            throw CasesException.InvalidValue("filename", name);
        return name;
    }

    /// <summary>
    /// The declared MIME type (parameters dropped); a missing or generic one is taken from the extension. It must be allowed.
    /// </summary>
    public static string MimeType(string? declared, string extension, FileLimits limits)
    {
        var type = declared?.Split(';')[0].Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(type) || type == "application/octet-stream")
            type = TypesByExtension.GetValueOrDefault(extension) ?? type ?? "application/octet-stream";
        if (!limits.AllowedMimeTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
            throw CasesException.BadRequest($"The MIME type {type} is not allowed. Allowed types: {string.Join(", ", limits.AllowedMimeTypes)}.");
        return type;
    }

    public static long MaxBytes(string mimeType, FileLimits limits) =>
        mimeType.StartsWith("image/", StringComparison.Ordinal) ? limits.MaxImageBytes : limits.MaxFileBytes;

    public static CasesException TooLarge(string mimeType, FileLimits limits) =>
        CasesException.BadRequest($"The file is too large. The maximum size of a{(mimeType.StartsWith("image/", StringComparison.Ordinal) ? "n image" : " file")} is {Describe(MaxBytes(mimeType, limits))}.");

    public static CasesException TooMany(FileLimits limits) =>
        CasesException.BadRequest($"The case has reached the maximum of {limits.MaxFilesPerCase} files.");

    static string Describe(long bytes) => bytes % FileLimits.MiB == 0 ? $"{bytes / FileLimits.MiB} MiB" : $"{bytes} bytes";
}
