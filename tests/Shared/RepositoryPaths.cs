using System.Runtime.CompilerServices;

namespace CdsService.Testing;

/// <summary>
/// The one way tests find files of the repository checkout (docs, schemas, fhir-profiles, deploy…). Builds may put
/// binaries outside it (--artifacts-path), so the search for the folder holding CdsService.sln starts at CDS_REPO_ROOT,
/// then the test binaries, then this source file's compile-time path, then the current directory.
/// Linked into each test project from tests/Shared (see the projects' &lt;Compile Include=… Link=…&gt;).
/// </summary>
internal static class RepositoryPaths
{
    private const string Marker = "CdsService.sln";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string FhirProfiles => Of("fhir-profiles");

    public static string Examples => Of("fhir-profiles", "examples");

    public static string Sandbox => Of("deploy", "fhir-sandbox");

    /// <summary>A path below the root; each part may itself hold '/'-separated segments ("deploy/k8s").</summary>
    public static string Of(params string[] parts) =>
        Path.Combine([Root, .. parts.Select(p => p.Replace('/', Path.DirectorySeparatorChar))]);

    /// <summary><paramref name="path"/> relative to the root, with '/' separators (for messages and test names).</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>The scenario Bundles (every *.json in the examples folder except the scenarios.json index).</summary>
    public static IReadOnlyList<string> ScenarioBundleFiles() =>
        [.. Directory.GetFiles(Examples, "*.json")
            .Where(f => !string.Equals(Path.GetFileName(f), "scenarios.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    private static string FindRoot()
    {
        var starts = new[] { Environment.GetEnvironmentVariable("CDS_REPO_ROOT"), AppContext.BaseDirectory, SourceDirectory(), Directory.GetCurrentDirectory() };
        foreach (var start in starts)
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"Could not find the repository root ({Marker}) above {AppContext.BaseDirectory}; set CDS_REPO_ROOT.");
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? string.Empty;
}
