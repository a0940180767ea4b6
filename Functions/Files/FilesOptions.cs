using Cases.Domain.Files;

namespace Cases.Functions.Files;

/// <summary><c>Cases:Files</c>: Kibana's limits by default (see <see cref="FileLimits"/>).</summary>
public sealed class FilesOptions : FileLimits
{
    public const string Section = "Cases:Files";
    public const string UploadRule = "Cases:Files:UploadBlockBytes must be 64 KiB to 100 MiB and UploadBlocksInFlight 1 to 16.";

    public bool IsValidUpload() => UploadBlockBytes is >= 64 * 1024 and <= 100 * 1024 * 1024 && UploadBlocksInFlight is >= 1 and <= 16;

    /// <summary>A committed blob without its table row is an orphan (a crash between the two commits) once it is this old.</summary>
    /// <summary>Upload block size: bigger blocks mean fewer storage round trips, more memory per upload (size x in flight).</summary>
    public int UploadBlockBytes { get; set; } = HashingUpload.DefaultBlockSize;

    /// <summary>Blocks being sent to storage while the next one is read and hashed.</summary>
    public int UploadBlocksInFlight { get; set; } = HashingUpload.DefaultInFlight;

    public TimeSpan OrphanAge { get; set; } = TimeSpan.FromMinutes(10);
}
