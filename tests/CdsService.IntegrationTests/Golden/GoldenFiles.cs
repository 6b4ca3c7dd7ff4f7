using CdsService.IntegrationTests.Examples;

namespace CdsService.IntegrationTests.Golden;

/// <summary>
/// The approved request and response of each example scenario, in <c>fhir-profiles/examples/golden/</c>
/// (<c>&lt;scenario-id&gt;.request.json</c>, <c>&lt;scenario-id&gt;.response.json</c>; fhir-profiles/README.md §Examples).
/// They live in a subfolder, not beside the Bundles, because the sandbox, the seed loop and the example validation
/// read every <c>*.json</c> of the examples folder as a scenario Bundle.
/// </summary>
public static class GoldenFiles
{
    /// <summary>Set to 1 to (re)write the golden files from the current output instead of failing on a difference.</summary>
    public const string UpdateVariable = "UPDATE_GOLDEN";

    public static string Directory => Path.Combine(RepositoryPaths.Examples, "golden");

    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string RequestPath(string scenarioId) => Path.Combine(Directory, scenarioId + ".request.json");

    public static string ResponsePath(string scenarioId) => Path.Combine(Directory, scenarioId + ".response.json");

    /// <summary>
    /// Compares <paramref name="actual"/> with the committed file; on a difference fails with a line diff, or with
    /// UPDATE_GOLDEN=1 writes the file so the change is reviewed as a git diff.
    /// </summary>
    public static void Approve(string path, string actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var name = Path.GetRelativePath(RepositoryPaths.Root, path);
        var expected = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : null;
        if (expected == actual)
        {
            return;
        }

        if (UpdateRequested)
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.Fail(expected is null
            ? $"{name} does not exist. Run the tests with {UpdateVariable}=1 to create it, then review and commit it."
            : $"{name} differs from the service's output (- approved, + actual). If the change is intended, rerun with " +
              $"{UpdateVariable}=1 and review the file's git diff.\n{GoldenJson.Diff(expected, actual)}");
    }
}
