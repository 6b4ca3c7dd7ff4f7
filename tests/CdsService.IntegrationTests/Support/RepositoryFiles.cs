using System.Runtime.CompilerServices;

namespace CdsService.IntegrationTests.Support;

/// <summary>Finds files of the repository (docs/schemas…) from tests, wherever the build output lives (--artifacts-path).</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    private static string FindRoot(string sourceFile)
    {
        foreach (var start in new[] { System.IO.Path.GetDirectoryName(sourceFile), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "CdsService.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Repository root (CdsService.sln) not found.");
    }

    private static string FindRoot() => FindRoot(ThisFile());

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
