namespace CdsService.IntegrationTests.Golden;

/// <summary>
/// The approved request and response of each example scenario, in <c>fhir-profiles/examples/golden/</c>
/// (<c>&lt;scenario-id&gt;.request.json</c>, <c>&lt;scenario-id&gt;.response.json</c>; fhir-profiles/README.md §Examples).
/// They live in a subfolder, not beside the Bundles, because the sandbox, the seed loop and the example validation
/// read every <c>*.json</c> of the examples folder as a scenario Bundle.
/// </summary>
public static class GoldenFiles
{
    public static string Directory => Path.Combine(RepositoryPaths.Examples, "golden");

    public static string RequestPath(string scenarioId) => Path.Combine(Directory, scenarioId + ".request.json");

    public static string ResponsePath(string scenarioId) => Path.Combine(Directory, scenarioId + ".response.json");

    /// <summary>
    /// Compares <paramref name="actual"/> with the committed file; on a difference fails with a line diff (- approved,
    /// + actual), or with UPDATE_APPROVED=1 writes the file so the change is reviewed as a git diff.
    /// </summary>
    public static void Approve(string path, string actual) =>
        ApprovedFiles.Verify(path, actual, (expected, current) => "(- approved, + actual)\n" + GoldenJson.Diff(expected, current));
}
