using System.Runtime.CompilerServices;

namespace CdsService.IntegrationTests.Examples;

/// <summary>
/// Locates the repository checkout. Builds may put binaries outside it (--artifacts-path), so the search starts at
/// CDS_REPO_ROOT, then the test binaries, then this source file's compile-time path.
/// </summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string FhirProfiles => Path.Combine(Root, "fhir-profiles");

    public static string Examples => Path.Combine(FhirProfiles, "examples");

    public static string Sandbox => Path.Combine(Root, "deploy", "fhir-sandbox");

    /// <summary>The scenario Bundles (every *.json in the examples folder except the scenarios.json index).</summary>
    public static IReadOnlyList<string> ScenarioBundleFiles() =>
        [.. Directory.GetFiles(Examples, "*.json")
            .Where(f => !string.Equals(Path.GetFileName(f), "scenarios.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CDS_REPO_ROOT");
        foreach (var start in new[] { fromEnvironment, AppContext.BaseDirectory, SourceDirectory() })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CdsService.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Could not find the repository root (CdsService.sln); set CDS_REPO_ROOT.");
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? string.Empty;
}
