using CdsService.Clinical.Model;
using CdsService.Fhir.Prefetch;
using CdsService.Fhir.Terminology;

namespace CdsService.UnitTests.Fhir;

public sealed class TerminologyCatalogTests
{
    private static readonly TerminologyCatalog Terminology = TerminologyCatalog.Default;

    [Fact]
    public void GivenEmbeddedTerminology_WhenLoaded_ThenEveryFileInFhirProfilesIsEmbedded()
    {
        var directory = Path.Combine(RepositoryPaths.FhirProfiles, "terminology");
        var valueSetFiles = Directory.GetFiles(directory, "ValueSet-*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(valueSetFiles, Terminology.ValueSets.Select(v => "ValueSet-" + v.Id).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(directory, "CodeSystem-org.hypogonadism-cds.json")));
    }

    [Theory]
    [InlineData("2986-8", Analyte.TotalTestosterone)]
    [InlineData("14913-8", Analyte.TotalTestosterone)]
    [InlineData("49041-7", Analyte.TotalTestosterone)]
    [InlineData("2991-8", Analyte.FreeTestosterone)]
    [InlineData("14914-6", Analyte.FreeTestosterone)]
    [InlineData("103227-5", Analyte.FreeTestosterone)]
    [InlineData("2990-0", Analyte.BioavailableTestosterone)]
    [InlineData("13967-5", Analyte.Shbg)]
    [InlineData("1751-7", Analyte.Albumin)]
    [InlineData("10501-5", Analyte.Lh)]
    [InlineData("15067-2", Analyte.Fsh)]
    [InlineData("2842-3", Analyte.Prolactin)]
    [InlineData("2243-4", Analyte.Estradiol)]
    [InlineData("14715-7", Analyte.Estradiol)]
    [InlineData("4544-3", Analyte.Hematocrit)]
    [InlineData("20570-8", Analyte.Hematocrit)]
    [InlineData("2857-1", Analyte.Psa)]
    [InlineData("2276-4", Analyte.Ferritin)]
    public void GivenIssueLoincCode_WhenLookedUp_ThenMapsToItsAnalyte(string code, Analyte expected)
    {
        Assert.True(Terminology.TryGetAnalyte(CodeSystems.Loinc, code, out var analyte));
        Assert.Equal(expected, analyte);
    }

    [Fact]
    public void GivenLoincCodeUnderAnotherSystem_WhenLookedUp_ThenNotAnAnalyte()
    {
        Assert.False(Terminology.TryGetAnalyte("http://example.org/local-codes", "2986-8", out _));
        Assert.False(Terminology.TryGetAnalyte(CodeSystems.Loinc, "15432-8", out _));
    }

    [Fact]
    public void GivenCalculatedFreeTestosteroneCode_WhenChecked_ThenCalculatedAndMeasuredIsNot()
    {
        Assert.True(Terminology.IsCalculated(CodeSystems.Loinc, "103227-5"));
        Assert.False(Terminology.IsCalculated(CodeSystems.Loinc, "2991-8"));
    }

    [Theory]
    [InlineData("I50.22", ConditionKind.UncontrolledHeartFailure)]
    [InlineData("I5022", ConditionKind.UncontrolledHeartFailure)]
    [InlineData("I50", ConditionKind.UncontrolledHeartFailure)]
    [InlineData("D68.51", ConditionKind.Thrombophilia)]
    [InlineData("C50.921", ConditionKind.BreastCancer)]
    [InlineData("Q98.0", ConditionKind.PrimaryHypogonadismCause)]
    [InlineData("N46.01", ConditionKind.MaleInfertility)]
    [InlineData("E29.1", ConditionKind.Hypogonadism)]
    [InlineData("e291", ConditionKind.Hypogonadism)]
    [InlineData("C61", ConditionKind.ProstateCancer)]
    [InlineData("I21.4", ConditionKind.MyocardialInfarction)]
    public void GivenIcd10CmCode_WhenLookedUp_ThenItAndItsDescendantsMapToTheGroup(string code, ConditionKind expected) =>
        Assert.Contains(expected, Terminology.ConditionKinds(CodeSystems.Icd10Cm, code));

    /// <summary>The key is composed on the stack (no string per lookup); every spelling of a code must still reach the same groups.</summary>
    [Theory]
    [InlineData("I50.22")]
    [InlineData("D68.51")]
    [InlineData("E29.1")]
    [InlineData("C61")]
    [InlineData("Q98.0")]
    [InlineData("I10")]
    public void GivenAnIcdCodeSpelledDifferently_WhenLookedUp_ThenTheSameGroups(string code)
    {
        var expected = Terminology.ConditionKinds(CodeSystems.Icd10Cm, code);
        string[] spellings =
        [
            code.ToLowerInvariant(),
            $"  {code}\t",
            code.Replace(".", "", StringComparison.Ordinal),
            "." + code.Insert(1, ".") + ".",
            ". " + code + " .",
        ];

        foreach (var spelling in spellings)
        {
            Assert.Equal(expected, Terminology.ConditionKinds(CodeSystems.Icd10Cm, spelling));
        }
    }

    [Fact]
    public void GivenAnIcdCodeWithALongTail_WhenLookedUp_ThenItsAncestorsStillMatch() =>
        Assert.Contains(ConditionKind.UncontrolledHeartFailure, Terminology.ConditionKinds(CodeSystems.Icd10Cm, "I5022" + new string('X', 400)));

    [Fact]
    public void GivenIcdCodeOutsideEveryGroup_WhenLookedUp_ThenNoGroup()
    {
        Assert.Empty(Terminology.ConditionKinds(CodeSystems.Icd10Cm, "I10"));
        Assert.Empty(Terminology.ConditionKinds(CodeSystems.Icd10Cm, "I5"));

        // E29.1 is listed as an exact code, not an is-a root: its parent E29 is not hypogonadism.
        Assert.Empty(Terminology.ConditionKinds(CodeSystems.Icd10Cm, "E29"));
    }

    [Fact]
    public void GivenHypopituitarismCode_WhenLookedUp_ThenBothSecondaryCauseAndPituitaryDisorder()
    {
        var kinds = Terminology.ConditionKinds(CodeSystems.Icd10Cm, "E23.0");

        Assert.Contains(ConditionKind.SecondaryHypogonadismCause, kinds);
        Assert.Contains(ConditionKind.PituitaryDisorder, kinds);
    }

    [Fact]
    public void GivenSnomedHypogonadism_WhenLookedUp_ThenHypogonadism() =>
        Assert.Equal([ConditionKind.Hypogonadism], Terminology.ConditionKinds(CodeSystems.Snomed, "48130008"));

    [Theory]
    [InlineData("Testosterone cypionate 200 MG/ML Injectable Solution", MedicationClass.Testosterone)]
    [InlineData("TESTOSTERONE ENANTHATE", MedicationClass.Testosterone)]
    [InlineData("AndroGel 1.62% pump", MedicationClass.Testosterone)]
    [InlineData("methyltestosterone 10 mg capsule", MedicationClass.Testosterone)]
    [InlineData("Clomid 50 mg tablet", MedicationClass.Clomiphene)]
    [InlineData("clomiphene citrate", MedicationClass.Clomiphene)]
    [InlineData("Enclomiphene citrate 25 mg", MedicationClass.Enclomiphene)]
    [InlineData("Pregnyl 10,000 units", MedicationClass.Hcg)]
    [InlineData("hCG 5000 IU injection", MedicationClass.Hcg)]
    [InlineData("anastrozole 1 mg", MedicationClass.AromataseInhibitor)]
    [InlineData("Nandrolone decanoate", MedicationClass.AnabolicSteroid)]
    [InlineData("Gonal-f RFF pen", MedicationClass.Fsh)]
    public void GivenDrugName_WhenMatched_ThenClassFollowsWholeWordPatterns(string text, MedicationClass expected)
    {
        Assert.True(Terminology.TryMatchDrugName(text, out var medicationClass));
        Assert.Equal(expected, medicationClass);
    }

    [Theory]
    [InlineData("metformin 500 mg")]
    [InlineData("estradiol patch")]
    [InlineData("")]
    [InlineData(null)]
    public void GivenUnrelatedDrugName_WhenMatched_ThenNoClass(string? text) =>
        Assert.False(Terminology.TryMatchDrugName(text, out _));

    [Fact]
    public void GivenTextNamingTwoClasses_WhenMatched_ThenAmbiguousIsNotGuessed() =>
        Assert.False(Terminology.TryMatchDrugName("testosterone cypionate with anastrozole", out _));

    [Theory]
    [InlineData("84857", MedicationClass.AromataseInhibitor)]
    [InlineData("72965", MedicationClass.AromataseInhibitor)]
    [InlineData("10379", MedicationClass.Testosterone)]
    [InlineData("835840", MedicationClass.Testosterone)]
    [InlineData("1093060", MedicationClass.Clomiphene)]
    [InlineData("896854", MedicationClass.Hcg)]
    public void GivenRxNormCode_WhenLookedUp_ThenDrugClass(string code, MedicationClass expected)
    {
        Assert.True(Terminology.TryGetMedicationClass(CodeSystems.RxNorm, code, out var medicationClass));
        Assert.Equal(expected, medicationClass);
    }

    [Theory]
    [InlineData("http://snomed.info/sct", "454411000124108", FertilityIntent.Desired)]
    [InlineData("http://snomed.info/sct", "454391000124108", FertilityIntent.Desired)]
    [InlineData("http://loinc.org", "LA26438-4", FertilityIntent.Desired)]
    [InlineData("http://loinc.org", "LA26439-2", FertilityIntent.Desired)]
    [InlineData("http://snomed.info/sct", "454401000124105", FertilityIntent.NotDesired)]
    [InlineData("http://loinc.org", "LA26440-0", FertilityIntent.NotDesired)]
    [InlineData("http://snomed.info/sct", "454381000124105", FertilityIntent.Unsure)]
    [InlineData("http://loinc.org", "LA14072-5", FertilityIntent.Unsure)]
    public void GivenPregnancyIntentAnswer_WhenLookedUp_ThenIntent(string system, string code, FertilityIntent expected)
    {
        Assert.True(Terminology.TryGetFertilityAnswer(system, code, out var intent));
        Assert.Equal(expected, intent);
    }

    [Fact]
    public void GivenProjectCodeSystem_WhenEveryAssessmentValueIsCoded_ThenCodesAreUniqueAndHaveDisplays()
    {
        var codes = new List<string>();
        codes.AddRange(Enum.GetValues<Classification>().Select(v => Terminology.ProjectCodes.Coding(v).Code));
        codes.AddRange(Enum.GetValues<Recommendation>().Select(v => Terminology.ProjectCodes.Coding(v).Code));
        codes.AddRange(Enum.GetValues<MissingData>().Select(v => Terminology.ProjectCodes.Coding(v).Code));
        codes.AddRange(Enum.GetValues<AdditionalWorkup>().Select(v => Terminology.ProjectCodes.Coding(v).Code));
        codes.AddRange(Enum.GetValues<TrtContraindication>().Select(v => Terminology.ProjectCodes.Coding(v).Code));

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("classification.secondary", Terminology.ProjectCodes.Coding(Classification.Secondary).Code);
        Assert.Equal("trt-contraindication.hematocrit-above-48", Terminology.ProjectCodes.Coding(TrtContraindication.HematocritAbove48).Code);
        Assert.Equal(ProjectCodeSystem.Url, Terminology.ProjectCodes.Coding(Recommendation.FertilityPreserving).System);
    }

    [Fact]
    public void GivenTerminologyWithoutAnAnalyteValueSet_WhenLoaded_ThenStartupFails()
    {
        var directory = Path.Combine(RepositoryPaths.FhirProfiles, "terminology");
        var documents = Directory.GetFiles(directory, "*.json")
            .Where(f => !f.EndsWith("ValueSet-analyte-lh.json", StringComparison.Ordinal))
            .Select(File.ReadAllText);

        var error = Assert.Throws<InvalidDataException>(() => TerminologyCatalog.Load(documents));
        Assert.Contains("analyte-lh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenPrefetchCatalog_WhenBuilt_ThenLabTemplatesListEveryAnalyteCodeFromTheValueSets()
    {
        var hormone = PrefetchCatalog.Find(PrefetchCatalog.HormoneLabsKey)!.QueryTemplate;
        var safety = PrefetchCatalog.Find(PrefetchCatalog.SafetyLabsKey)!.QueryTemplate;

        foreach (var analyte in new[] { Analyte.TotalTestosterone, Analyte.FreeTestosterone, Analyte.Shbg, Analyte.Lh, Analyte.Fsh, Analyte.Prolactin, Analyte.Estradiol, Analyte.Albumin })
        {
            Assert.All(Terminology.CodesFor(analyte), c => Assert.Contains(c.System + "|" + c.Code, hormone, StringComparison.Ordinal));
        }

        foreach (var analyte in new[] { Analyte.Hematocrit, Analyte.Psa, Analyte.Ferritin, Analyte.TransferrinSaturation, Analyte.Bmi })
        {
            Assert.All(Terminology.CodesFor(analyte), c => Assert.Contains(c.System + "|" + c.Code, safety, StringComparison.Ordinal));
        }

        Assert.Contains("http://loinc.org|86645-9", PrefetchCatalog.Find(PrefetchCatalog.FertilityIntentKey)!.QueryTemplate, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenPrefetchCatalog_WhenInspected_ThenOnlySpecTokensBoundedPagesAndNewestFirst()
    {
        Assert.Equal(
            ["patient", "hormoneLabs", "safetyLabs", "conditions", "medicationRequests", "fertilityIntent", "medicationStatements",
                "familyHistory"],
            PrefetchCatalog.All.Select(q => q.Key));
        foreach (var query in PrefetchCatalog.All)
        {
            var withoutTokens = query.QueryTemplate.Replace(PrefetchCatalog.PatientToken, "", StringComparison.Ordinal);
            Assert.DoesNotContain("{{", withoutTokens, StringComparison.Ordinal);
            Assert.DoesNotContain("today()", query.QueryTemplate, StringComparison.Ordinal);
            if (query.ResourceType != "Patient")
            {
                Assert.Matches(@"[?&]_count=\d{1,3}(&|$)", query.QueryTemplate);
            }

            if (query.ResourceType == "Observation")
            {
                Assert.Contains("_sort=-date", query.QueryTemplate, StringComparison.Ordinal);
            }
        }
    }

}
