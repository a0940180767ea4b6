using Cases.Domain.Files;

namespace Cases.Functions.Files;

/// <summary><c>Cases:Files</c>: Kibana's limits by default (see <see cref="FileLimits"/>).</summary>
public sealed class FilesOptions : FileLimits
{
    public const string Section = "Cases:Files";
    public const string UploadRule = "Cases:Files:UploadBlockBytes must be 64 KiB to 100 MiB, UploadBlocksInFlight 1 to 16, " +
        "OrphanAge at least 1 second and DownloadLinkLifetime 1 to 60 minutes.";

    // A download link must end before the delegation key that signs it (renewed with an hour left: DownloadLinks).
    public bool IsValidUpload() => UploadBlockBytes is >= 64 * 1024 and <= 100 * 1024 * 1024 && UploadBlocksInFlight is >= 1 and <= 16 &&
        OrphanAge >= TimeSpan.FromSeconds(1) && DownloadLinkLifetime >= TimeSpan.FromMinutes(1) && DownloadLinkLifetime <= TimeSpan.FromHours(1);

    /// <summary>Upload block size: bigger blocks mean fewer storage round trips, more memory per upload (size x in flight).</summary>
    public int UploadBlockBytes { get; set; } = HashingUpload.DefaultBlockSize;

    /// <summary>Blocks being sent to storage while the next one is read and hashed.</summary>
    public int UploadBlocksInFlight { get; set; } = HashingUpload.DefaultInFlight;

    /// <summary>A committed blob without its table row is an orphan (a crash between the two commits) once it is this old.</summary>
    public TimeSpan OrphanAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Answer downloads with a redirect to a short-lived read-only link of the blob instead of streaming them through
    /// the app (both entry points stream; a redirect takes the bytes off the app, but needs clients to reach storage).
    /// </summary>
    public bool RedirectDownloads { get; set; }

    /// <summary>How long such a link can be used to start a download (a download under way is not cut at the end).</summary>
    public TimeSpan DownloadLinkLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
