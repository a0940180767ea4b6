namespace Cases.Tests.Infrastructure;

public static class RepoFiles
{
    /// <summary>The repository root (where Cases.Functions.sln is), found from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cases.Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
