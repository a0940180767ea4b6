using Cases.Domain.Files;

namespace Cases.Functions.Files;

/// <summary><c>Cases:Files</c>: Kibana's limits by default (see <see cref="FileLimits"/>).</summary>
public sealed class FilesOptions : FileLimits
{
    public const string Section = "Cases:Files";

    /// <summary>A committed blob without its table row is an orphan (a crash between the two commits) once it is this old.</summary>
    public TimeSpan OrphanAge { get; set; } = TimeSpan.FromMinutes(10);
}
