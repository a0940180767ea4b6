namespace Cases.Domain.Files;

/// <summary>
/// Checks that a file's first bytes fit its declared type, so that e.g. an executable named .png is refused.
/// Binary types need their magic number; text types must hold no NUL byte; executables are refused whatever they claim.
/// </summary>
public static class ContentSniffer
{
    /// <summary>How many leading bytes <see cref="Matches"/> wants (the tar magic sits at 257; SVG may start with a long prolog).</summary>
    public const int PrefixLength = 1024;

    public static bool Matches(string mimeType, ReadOnlySpan<byte> head)
    {
        if (IsExecutable(head)) return false;
        return mimeType switch
        {
            "image/png" or "image/apng" => Starts(head, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
            "image/jpeg" => Starts(head, [0xFF, 0xD8, 0xFF]),
            "image/gif" => head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8),
            "image/webp" => head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8),
            "image/bmp" => head.StartsWith("BM"u8),
            "image/tiff" => Starts(head, [0x49, 0x49, 0x2A, 0x00]) || Starts(head, [0x4D, 0x4D, 0x00, 0x2A]),
            "image/x-icon" or "image/vnd.microsoft.icon" => Starts(head, [0x00, 0x00, 0x01, 0x00]),
            "image/svg+xml" => IsText(head) && (Contains(head, "<svg"u8) || Contains(head, "<?xml"u8)),
            "application/pdf" => head.StartsWith("%PDF-"u8),
            "application/zip" or "application/x-zip-compressed" =>
                head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8) || head.StartsWith("PK\x07\x08"u8),
            "application/gzip" => Starts(head, [0x1F, 0x8B]),
            "application/x-bzip" or "application/x-bzip2" => head.StartsWith("BZh"u8),
            "application/x-7z-compressed" => Starts(head, [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]),
            "application/x-tar" => head.Length >= 262 && head[257..262].SequenceEqual("ustar"u8),
            "text/plain" or "text/csv" or "text/json" or "application/json" => IsText(head),
            // Other allowed image types: no signature we check, but never something that is plainly text or empty.
            _ when mimeType.StartsWith("image/", StringComparison.Ordinal) => head.Length > 0,
            _ => true,
        };
    }

    /// <summary>Windows PE, ELF, Mach-O (thin and fat) and Java class files.</summary>
    static bool IsExecutable(ReadOnlySpan<byte> head) =>
        head.StartsWith("MZ"u8) || Starts(head, [0x7F, 0x45, 0x4C, 0x46]) ||
        Starts(head, [0xFE, 0xED, 0xFA, 0xCE]) || Starts(head, [0xFE, 0xED, 0xFA, 0xCF]) ||
        Starts(head, [0xCE, 0xFA, 0xED, 0xFE]) || Starts(head, [0xCF, 0xFA, 0xED, 0xFE]) ||
        Starts(head, [0xCA, 0xFE, 0xBA, 0xBE]);

    static bool Starts(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) => head.StartsWith(magic);

    static bool IsText(ReadOnlySpan<byte> head) => !head.Contains((byte)0);

    static bool Contains(ReadOnlySpan<byte> head, ReadOnlySpan<byte> part) => head.IndexOf(part) >= 0;
}
