using Cases.Domain.Files;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class FileRulesTests
{
    static readonly FileLimits Limits = new();

    [Theory]
    [InlineData("report.final.pdf", "report.final", "pdf")]
    [InlineData("README", "README", "")]
    [InlineData(".bashrc", ".bashrc", "")]
    [InlineData("trailing.", "trailing.", "")]
    [InlineData("a.b", "a", "b")]
    public void Split_takes_the_last_extension(string file, string name, string extension) =>
        Assert.Equal((name, extension), FileRules.Split(file));

    [Fact]
    public void Names_are_trimmed_required_limited_and_plain()
    {
        Assert.Equal("evidence", FileRules.Name("  evidence ", Limits));
        Assert.Equal(160, FileRules.Name(new string('n', 160), Limits).Length);
        Refused("The file name is required.", () => FileRules.Name(" ", Limits));
        Refused("The file name is required.", () => FileRules.Name(null, Limits));
        Refused("The length of the file name is too long. The maximum length is 160.", () => FileRules.Name(new string('n', 161), Limits));
        Refused("supplied to \"filename\"", () => FileRules.Name("a/b", Limits));
        Refused("supplied to \"filename\"", () => FileRules.Name("a\\b", Limits));
        Refused("supplied to \"filename\"", () => FileRules.Name("a\u0001b", Limits));
    }

    [Fact]
    public void Mime_types_come_from_the_declaration_or_the_extension_and_must_be_allowed()
    {
        Assert.Equal("text/plain", FileRules.MimeType("Text/Plain; charset=utf-8", "png", Limits));
        Assert.Equal("image/png", FileRules.MimeType(null, "PNG", Limits));
        Assert.Equal("application/pdf", FileRules.MimeType("application/octet-stream", "pdf", Limits));
        Assert.Equal("image/jpeg", FileRules.MimeType("", "jpg", Limits));
        Refused("The MIME type application/octet-stream is not allowed.", () => FileRules.MimeType("application/octet-stream", "exe", Limits));
        Refused("The MIME type application/octet-stream is not allowed.", () => FileRules.MimeType(null, "", Limits));
        Refused("The MIME type application/x-msdownload is not allowed.", () => FileRules.MimeType("application/x-msdownload", "png", Limits));
    }

    [Fact]
    public void Images_have_their_own_size_limit_and_messages_say_which()
    {
        Assert.Equal(10 * FileLimits.MiB, FileRules.MaxBytes("image/png", Limits));
        Assert.Equal(100 * FileLimits.MiB, FileRules.MaxBytes("text/plain", Limits));
        Assert.Equal("The file is too large. The maximum size of an image is 10 MiB.", FileRules.TooLarge("image/gif", Limits).Message);
        Assert.Equal("The file is too large. The maximum size of a file is 100 MiB.", FileRules.TooLarge("application/pdf", Limits).Message);
        Assert.Equal("The file is too large. The maximum size of a file is 1000 bytes.", FileRules.TooLarge("text/plain", new FileLimits { MaxFileBytes = 1000 }).Message);
        Assert.Equal("The case has reached the maximum of 100 files.", FileRules.TooMany(Limits).Message);
        Assert.Equal(400, FileRules.TooMany(Limits).StatusCode);
    }

    [Fact]
    public void Limits_must_be_positive_and_images_no_larger_than_files()
    {
        Assert.True(new FileLimits().IsValid());
        Assert.False(new FileLimits { MaxFileBytes = 0 }.IsValid());
        Assert.False(new FileLimits { MaxImageBytes = 0 }.IsValid());
        Assert.False(new FileLimits { MaxImageBytes = 101 * FileLimits.MiB }.IsValid());
        Assert.True(new FileLimits { MaxImageBytes = 100 * FileLimits.MiB }.IsValid());
        Assert.False(new FileLimits { MaxFilesPerCase = 0 }.IsValid());
        Assert.False(new FileLimits { MaxNameLength = 0 }.IsValid());
        Assert.False(new FileLimits { MaxDeletePerCall = 0 }.IsValid());
        Assert.False(new FileLimits { AllowedMimeTypes = [] }.IsValid());
    }

    public static TheoryData<string, byte[], bool> Heads => new()
    {
        { "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1], true },
        { "image/png", [0x89, 0x50, 0x4E, 0x47], false },
        { "image/jpeg", [0xFF, 0xD8, 0xFF, 0xE0], true },
        { "image/jpeg", [0xFF, 0xD8], false },
        { "image/gif", "GIF89a.."u8.ToArray(), true },
        { "image/gif", "GIF87a.."u8.ToArray(), true },
        { "image/gif", "GIF88a.."u8.ToArray(), false },
        { "image/webp", "RIFF\0\0\0\0WEBPVP8 "u8.ToArray(), true },
        { "image/webp", "RIFF\0\0\0\0WAVE"u8.ToArray(), false },
        { "image/webp", "RIFF"u8.ToArray(), false },
        { "image/bmp", "BM.."u8.ToArray(), true },
        { "image/tiff", [0x49, 0x49, 0x2A, 0x00], true },
        { "image/tiff", [0x4D, 0x4D, 0x00, 0x2A], true },
        { "image/tiff", [0x4D, 0x4D, 0x2A, 0x00], false },
        { "image/x-icon", [0x00, 0x00, 0x01, 0x00], true },
        { "image/svg+xml", "<svg xmlns=''/>"u8.ToArray(), true },
        { "image/svg+xml", "<?xml version='1.0'?>"u8.ToArray(), true },
        { "image/svg+xml", "<html>"u8.ToArray(), false },
        { "image/svg+xml", "<svg\0"u8.ToArray(), false },
        { "application/pdf", "%PDF-1.7"u8.ToArray(), true },
        { "application/pdf", "%PS"u8.ToArray(), false },
        { "application/zip", "PK\x03\x04"u8.ToArray(), true },
        { "application/zip", "PK\x05\x06"u8.ToArray(), true },
        { "application/x-zip-compressed", "PK\x07\x08"u8.ToArray(), true },
        { "application/zip", "PK\x01\x02"u8.ToArray(), false },
        { "application/gzip", [0x1F, 0x8B, 8], true },
        { "application/gzip", [0x1F, 0x8C], false },
        { "application/x-bzip2", "BZh9"u8.ToArray(), true },
        { "application/x-7z-compressed", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], true },
        { "application/x-7z-compressed", [0x37, 0x7A, 0xBC, 0xAF], false },
        { "application/x-tar", [.. new byte[257], .. "ustar"u8.ToArray()], true },
        { "application/x-tar", [.. new byte[257], .. "ustaR"u8.ToArray()], false },
        { "application/x-tar", new byte[100], false },
        { "text/plain", "hello"u8.ToArray(), true },
        { "text/csv", "a,b\0"u8.ToArray(), false },
        { "application/json", "{}"u8.ToArray(), true },
        { "image/heic", [1], true },
        { "image/heic", [], false },
        { "text/plain", "MZ plain text that starts like an exe"u8.ToArray(), false },
        { "application/pdf", [0x7F, 0x45, 0x4C, 0x46], false },
        { "application/x-custom", [0xCA, 0xFE, 0xBA, 0xBE], false },
        { "application/x-custom", [0xFE, 0xED, 0xFA, 0xCE], false },
        { "application/x-custom", [0xFE, 0xED, 0xFA, 0xCF], false },
        { "application/x-custom", [0xCE, 0xFA, 0xED, 0xFE], false },
        { "application/x-custom", [0xCF, 0xFA, 0xED, 0xFE], false },
        { "application/x-custom", [0xCA, 0xFE], true },
    };

    [Theory]
    [MemberData(nameof(Heads))]
    public void Content_must_fit_its_declared_type_and_never_be_an_executable(string mimeType, byte[] head, bool matches) =>
        Assert.Equal(matches, ContentSniffer.Matches(mimeType, head));
}
