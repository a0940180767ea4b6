using System.Diagnostics;
using System.IO.Compression;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Deploy;

/// <summary>
/// Builds the deployable package with the documented command (<c>./scripts/package</c>) once for the test class and
/// extracts the zip the way the platform would (a ReadyToRun publish: a minute or two, more on a busy machine).
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public string Zip { get; } = Path.Combine(RepoFiles.Root, "artifacts", "cases-functions.zip");
    public string AppRoot { get; } = Directory.CreateTempSubdirectory("cases-package-").FullName;
    public TimeSpan PackagingTime { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepoFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoFiles.Root, "scripts", "package"));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"./scripts/package failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        PackagingTime = clock.Elapsed;

        ZipFile.ExtractToDirectory(Zip, AppRoot);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(AppRoot, recursive: true);
        return Task.CompletedTask;
    }
}
