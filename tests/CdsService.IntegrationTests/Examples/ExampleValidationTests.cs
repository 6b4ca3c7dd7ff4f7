using System.Text.Json.Nodes;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace CdsService.IntegrationTests.Examples;

/// <summary>
/// The Firely validator (base R4 from Hl7.Fhir.Specification.R4, plus the project's StructureDefinitions, whose
/// snapshots are generated here from their differentials) shared by the example tests: building it is slow.
/// </summary>
public sealed class FhirValidatorFixture
{
    public FhirValidatorFixture()
    {
        var parser = new FhirJsonDeserializer();
        Profiles = [.. Directory.GetFiles(RepositoryPaths.FhirProfiles, "StructureDefinition-*.json")
            .Order(StringComparer.Ordinal)
            .Select(f => parser.Deserialize<StructureDefinition>(File.ReadAllText(f)))];
        var terminology = Directory.Exists(Path.Combine(RepositoryPaths.FhirProfiles, "terminology"))
            ? Directory.GetFiles(Path.Combine(RepositoryPaths.FhirProfiles, "terminology"), "*.json").Select(f => parser.Deserialize<Resource>(File.ReadAllText(f)))
            : [];
        var resolver = new CachedResolver(new SnapshotSource(new MultiResolver(
            new InMemoryResourceResolver([.. Profiles, .. terminology]),
            ZipSource.CreateValidationSource(SpecificationZip()))));
        Validator = new Validator(resolver, new LocalTerminologyService(resolver));
        Parser = parser;
    }

    public IReadOnlyList<StructureDefinition> Profiles { get; }

    /// <summary>
    /// The base R4 definitions. Hl7.Fhir.Specification.Data.R4 ships specification.zip as a content file, which NuGet
    /// copies to the output only for a direct PackageReference; until the test project has one, read it from the
    /// restored package in the NuGet global packages folder.
    /// </summary>
    private static string SpecificationZip()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        if (File.Exists(local))
        {
            return local;
        }

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var restored = Path.Combine(packages, "hl7.fhir.specification.data.r4", "6.8.0", "contentFiles", "any", "any", "specification.zip");
        return File.Exists(restored)
            ? restored
            : throw new FileNotFoundException($"specification.zip (Hl7.Fhir.Specification.Data.R4 6.8.0) is neither in the output nor at {restored}.");
    }

    public Validator Validator { get; }

    public FhirJsonDeserializer Parser { get; }

    /// <summary>Errors and fatal issues only; warnings (e.g. dom-6 "should have narrative") are allowed in examples.</summary>
    public IReadOnlyList<string> Errors(Resource resource, string? profile = null) =>
        [.. Validator.Validate(resource, profile).Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{string.Join(",", i.Expression ?? [])}: {i.Details?.Text ?? i.Diagnostics}")];
}

public sealed class ExampleValidationTests(FhirValidatorFixture fhir) : IClassFixture<FhirValidatorFixture>
{
    public static TheoryData<string> BundleFiles() => [.. RepositoryPaths.ScenarioBundleFiles().Select(f => Path.GetFileName(f))];

    [Fact]
    public void GivenProjectProfiles_WhenLoaded_ThenEachIsAnR4ConstraintOnItsBaseWithADifferential()
    {
        Assert.NotEmpty(fhir.Profiles);
        Assert.All(fhir.Profiles, sd =>
        {
            Assert.Equal(StructureDefinition.TypeDerivationRule.Constraint, sd.Derivation);
            Assert.Equal(FHIRVersion.N4_0_1, sd.FhirVersion);
            Assert.StartsWith("https://hypogonadism-cds.org/StructureDefinition/", sd.Url, StringComparison.Ordinal);
            Assert.NotEmpty(sd.Differential?.Element ?? []);
        });
    }

    [Theory]
    [MemberData(nameof(BundleFiles))]
    public void GivenScenarioBundle_WhenValidatedWithFirely_ThenTheBundleAndEveryResourceIsValid(string file)
    {
        var bundle = fhir.Parser.Deserialize<Bundle>(File.ReadAllText(Path.Combine(RepositoryPaths.Examples, file)))
            ?? throw new InvalidOperationException($"{file} is not a Bundle");

        var errors = fhir.Errors(bundle).Select(e => $"Bundle {e}").ToList();
        foreach (var entry in bundle.Entry)
        {
            Assert.NotNull(entry.Resource);
            // Base R4 plus every profile the resource claims in meta.profile (the validator follows the claims).
            errors.AddRange(fhir.Errors(entry.Resource).Select(e => $"{entry.Resource.TypeName}/{entry.Resource.Id} {e}"));
            foreach (var claimed in entry.Resource.Meta?.Profile ?? [])
            {
                Assert.Contains(fhir.Profiles, p => p.Url == claimed);
            }
        }

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Theory]
    [InlineData("system", "hlab-3")]
    [InlineData("effectiveDateTime", "'effective'")]
    public void GivenHormoneLabWithoutWhatTheProfileRequires_WhenValidated_ThenTheProfileRejectsIt(string removed, string expected)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "secondary-not-desired.json")))!;
        var observation = json["entry"]!.AsArray().Select(e => e!["resource"]!)
            .First(r => (string?)r["resourceType"] == "Observation" && r["valueQuantity"] is not null)!.AsObject();
        if (removed == "system")
        {
            observation["valueQuantity"]!.AsObject().Remove("system");
        }
        else
        {
            observation.Remove(removed);
        }

        var errors = fhir.Errors(fhir.Parser.Deserialize<Observation>(observation.ToJsonString()));

        // The same resource is valid base R4: only the claimed profile can reject it, so this proves profiles are applied.
        Assert.True(errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"expected an error about {expected}, got: {string.Join(" | ", errors)}");
    }

    [Fact]
    public void GivenPregnancyIntentWithAnotherCode_WhenValidatedAgainstTheProfile_ThenRejected()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "secondary-unsure.json")))!;
        var intent = json["entry"]!.AsArray().Select(e => e!["resource"]!)
            .First(r => ((string?)r["id"])!.Contains("-intent-", StringComparison.Ordinal))!;
        intent["code"]!["coding"]![0]!["code"] = "2986-8";

        var errors = fhir.Errors(fhir.Parser.Deserialize<Observation>(intent.ToJsonString()));

        Assert.NotEmpty(errors);
    }
}
