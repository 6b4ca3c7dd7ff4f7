namespace CdsService.Testing;

/// <summary>
/// The one approval idiom for committed files the tests generate or compare against (golden responses, docs/cards.md,
/// docs/clinical/hypogonadism-rules.md): a difference fails naming the file and the command; with
/// <c>UPDATE_APPROVED=1 dotnet test</c> the file is rewritten instead, to be reviewed as a git diff.
/// Linked into each test project from tests/Shared.
/// </summary>
internal static class ApprovedFiles
{
    public const string UpdateVariable = "UPDATE_APPROVED";

    public const string UpdateCommand = UpdateVariable + "=1 dotnet test";

    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>
    /// Compares <paramref name="actual"/> with the committed file at <paramref name="path"/> (line endings folded to \n);
    /// on a difference fails with <paramref name="describe"/>'s account of it (expected, actual), or writes the file
    /// when <see cref="UpdateRequested"/>.
    /// </summary>
    public static void Verify(string path, string actual, Func<string, string, string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(actual);
        var expected = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : null;
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return;
        }

        if (UpdateRequested)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        var name = RepositoryPaths.Relative(path);
        Assert.Fail(expected is null
            ? $"{name} does not exist. Run `{UpdateCommand}` to create it, then review and commit it."
            : $"{name} differs from what the code produces. If the change is intended, run `{UpdateCommand}` and review " +
              $"the file's git diff." + (describe is null ? string.Empty : "\n" + describe(expected, actual)));
    }
}
