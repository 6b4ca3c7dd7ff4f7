using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CdsService.Examples;

/// <summary>One entry of <c>fhir-profiles/examples/scenarios.json</c> (format: fhir-profiles/README.md §Examples).</summary>
/// <param name="Id">Scenario id = Patient.id = bundle file name.</param>
/// <param name="Title">One line for a picker.</param>
/// <param name="Description">The clinical story in one or two sentences.</param>
/// <param name="Hook">"patient-view", "order-select" or "order-sign".</param>
/// <param name="DraftOrder">The drafted drug (wire code), or null for patient-view.</param>
/// <param name="Expected">The hand-derived expected assessment (classification, fertilityIntent…), for display.</param>
public sealed record ExampleScenario(string Id, string Title, string Description, string Hook, string? DraftOrder, JsonObject Expected);

/// <summary>
/// The synthetic example patients: <c>scenarios.json</c> and one transaction Bundle per scenario. Read from a folder
/// (the repository's <c>fhir-profiles/examples</c>) or from resources embedded in an assembly (the packed CLI tool).
/// Only ids listed in scenarios.json are ever opened, so a scenario id from a query string or command line can never
/// name another file.
/// </summary>
public sealed partial class ExampleLibrary
{
    public const string IndexFileName = "scenarios.json";

    /// <summary>Where the examples live, relative to the repository root.</summary>
    public static readonly string RepositoryRelativePath = Path.Combine("fhir-profiles", "examples");

    private readonly Func<string, Stream?> open;
    private readonly Dictionary<string, ExampleScenario> byId;

    private ExampleLibrary(Func<string, Stream?> open, IReadOnlyList<ExampleScenario> scenarios)
    {
        this.open = open;
        Scenarios = scenarios;
        byId = scenarios.ToDictionary(s => s.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<ExampleScenario> Scenarios { get; }

    public ExampleScenario? Find(string? id) => id is not null && byId.TryGetValue(id, out var scenario) ? scenario : null;

    /// <summary>Loads a folder holding scenarios.json and the bundles.</summary>
    public static ExampleLibrary FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        return Create(name =>
        {
            var path = Path.Combine(full, name);
            return File.Exists(path) ? File.OpenRead(path) : null;
        });
    }

    /// <summary>Loads resources embedded as <c>{prefix}scenarios.json</c>, <c>{prefix}{id}.json</c>.</summary>
    public static ExampleLibrary FromAssembly(Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return Create(name => assembly.GetManifestResourceStream(prefix + name));
    }

    /// <summary>
    /// Finds <c>fhir-profiles/examples</c> by walking up from each start folder (a checkout run with <c>dotnet run</c>,
    /// from the test output folder, or from a published folder next to the repository). Null when none has it.
    /// </summary>
    public static string? FindDirectory(params string?[] startDirectories)
    {
        ArgumentNullException.ThrowIfNull(startDirectories);
        foreach (var start in startDirectories.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            for (var dir = new DirectoryInfo(start!); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RepositoryRelativePath);
                if (File.Exists(Path.Combine(candidate, IndexFileName)))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The scenario's transaction Bundle.</summary>
    public JsonObject LoadBundle(string id)
    {
        if (Find(id) is null)
        {
            throw new KeyNotFoundException($"No example scenario '{id}' in {IndexFileName}.");
        }

        using var stream = open(id + ".json") ?? throw new FileNotFoundException($"The bundle of example scenario '{id}' is missing.");
        return JsonNode.Parse(stream)?.AsObject() ?? throw new InvalidDataException($"The bundle of example scenario '{id}' is JSON null.");
    }

    private static ExampleLibrary Create(Func<string, Stream?> open)
    {
        using var stream = open(IndexFileName) ?? throw new FileNotFoundException($"{IndexFileName} of the example patients was not found.");
        var index = JsonNode.Parse(stream)?.AsArray() ?? throw new InvalidDataException($"{IndexFileName} must be a JSON array.");
        var scenarios = new List<ExampleScenario>();
        foreach (var node in index)
        {
            var item = node?.AsObject() ?? throw new InvalidDataException($"{IndexFileName} holds a null entry.");
            var id = Text(item, "id") ?? throw new InvalidDataException($"A {IndexFileName} entry has no id.");
            if (!SafeId().IsMatch(id))
            {
                // Ids become file and resource names; anything but lower-case words and hyphens is refused outright.
                throw new InvalidDataException($"Example scenario id '{id}' is not of the form [a-z0-9-]+.");
            }

            scenarios.Add(new ExampleScenario(
                id,
                Text(item, "title") ?? id,
                Text(item, "description") ?? string.Empty,
                Text(item, "hook") ?? "patient-view",
                Text(item, "draftOrder"),
                item["expected"]?.DeepClone().AsObject() ?? []));
        }

        return new ExampleLibrary(open, scenarios);
    }

    private static string? Text(JsonObject item, string name) =>
        item[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeId();
}
