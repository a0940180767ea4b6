using System.Text.RegularExpressions;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Hosting;

/// <summary>
/// Feature folders depend downward only: endpoints (<c>*Api.cs</c>, <c>*Functions.cs</c>, and Hosting, which mounts
/// them) may use any feature's services; below them, the folders' services and stores form no cycle. The graph is in
/// docs/architecture.md ("Dependencies").
/// </summary>
public sealed class DependencyTests
{
    static readonly string Source = Path.Combine(RepoFiles.Root, "Functions");

    static bool IsEndpoint(string file) => file.EndsWith("Api.cs", StringComparison.Ordinal) || file.EndsWith("Functions.cs", StringComparison.Ordinal);

    /// <summary>Folder → the folders its non-endpoint files name (by namespace or by a qualified type name).</summary>
    static Dictionary<string, HashSet<string>> ServiceGraph()
    {
        var folders = Directory.GetDirectories(Source).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj" or "Hosting")).ToList();
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>());
        foreach (var folder in folders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories).Where(f => !IsEndpoint(f)))
            {
                var code = Regex.Replace(File.ReadAllText(file), @"//.*", "");
                foreach (var other in folders.Where(o => o != folder))
                    if (Regex.IsMatch(code, $@"\bCases\.Functions\.{other}\b|(?<![\w.]){other}\.(?!Domain\b|Functions\b|Tests\b)[A-Z]\w+"))
                        graph[folder].Add(other);
            }
        return graph;
    }

    [Fact]
    public void Feature_services_have_no_dependency_cycle()
    {
        var graph = ServiceGraph();
        var cycles = new List<string>();
        foreach (var (from, tos) in graph)
            foreach (var to in tos)
                if (Reaches(graph, to, from, [])) cycles.Add($"{from} -> {to}");
        Assert.True(cycles.Count == 0, "Dependency cycles between feature folders: " + string.Join(", ", cycles));
        // The graph is real (the test would pass on an empty one): cases are stored below everything that uses them.
        Assert.Contains("Cases", graph["Find"]);
        Assert.Contains("Cases", graph["Attachments"]);
        Assert.DoesNotContain("Find", graph["Cases"]);
    }

    static bool Reaches(Dictionary<string, HashSet<string>> graph, string from, string target, HashSet<string> seen)
    {
        foreach (var next in graph[from])
        {
            if (next == target) return true;
            if (seen.Add(next) && Reaches(graph, next, target, seen)) return true;
        }
        return false;
    }
}
