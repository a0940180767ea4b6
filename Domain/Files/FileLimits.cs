namespace Cases.Domain.Files;

/// <summary>Kibana's file limits by default; every one configurable (Functions binds <c>Cases:Files</c> onto this).</summary>
public class FileLimits
{
    public const long MiB = 1024 * 1024;

    public long MaxFileBytes { get; set; } = 100 * MiB;
    public long MaxImageBytes { get; set; } = 10 * MiB;
    public int MaxFilesPerCase { get; set; } = 100;
    public int MaxNameLength { get; set; } = 160;
    public int MaxDeletePerCall { get; set; } = 10;

    /// <summary>Kibana's allowed MIME types for case files.</summary>
    public List<string> AllowedMimeTypes { get; set; } =
    [
        "image/aces", "image/apng", "image/avci", "image/avcs", "image/avif", "image/bmp", "image/cgm", "image/dicom-rle",
        "image/dpx", "image/emf", "image/example", "image/fits", "image/g3fax", "image/heic", "image/heic-sequence",
        "image/heif", "image/heif-sequence", "image/hej2k", "image/hsj2", "image/jls", "image/jp2", "image/jpeg", "image/jph",
        "image/jphc", "image/jpm", "image/jpx", "image/jxr", "image/jxrA", "image/jxrS", "image/jxs", "image/jxsc", "image/jxsi",
        "image/jxss", "image/ktx", "image/ktx2", "image/naplps", "image/png", "image/prs.btif", "image/prs.pti",
        "image/pwg-raster", "image/svg+xml", "image/t38", "image/tiff", "image/tiff-fx", "image/webp", "image/wmf", "image/gif",
        "image/x-icon", "image/vnd.microsoft.icon",
        "text/plain", "text/csv", "text/json", "application/json",
        "application/zip", "application/x-zip-compressed", "application/gzip", "application/x-bzip", "application/x-bzip2",
        "application/x-7z-compressed", "application/x-tar", "application/pdf",
    ];

    public const string Rule = "Cases:Files limits must be positive, with MaxImageBytes <= MaxFileBytes and at least one allowed MIME type.";

    public bool IsValid() => MaxFileBytes > 0 && MaxImageBytes > 0 && MaxImageBytes <= MaxFileBytes && MaxFilesPerCase > 0 && MaxNameLength > 0
            && MaxDeletePerCall > 0 && AllowedMimeTypes.Count > 0;
}
