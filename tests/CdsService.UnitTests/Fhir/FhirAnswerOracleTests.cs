using System.Text;
using System.Text.Json;
using CdsService.Fhir.Data;
using CdsService.Fhir.Mapping;
using CdsService.Fhir.Terminology;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using static CdsService.UnitTests.Fhir.FhirTestData;
using AdministrativeSex = CdsService.Clinical.Model.AdministrativeSex;
using Analyte = CdsService.Clinical.Model.Analyte;
using CodeSystems = CdsService.Clinical.Model.CodeSystems;
using FreeTestosteroneMethod = CdsService.Clinical.Model.FreeTestosteroneMethod;
using LabUnit = CdsService.Clinical.Model.LabUnit;
using MedicationClass = CdsService.Clinical.Model.MedicationClass;
using PatientSnapshot = CdsService.Clinical.Model.PatientSnapshot;

namespace CdsService.UnitTests.Fhir;

/// <summary>
/// Firely oracle for the hand-written reading of FHIR-server answers (ADR-0006): every body is also parsed with
/// Firely's recoverable parser, as the data layer did before it read answers as JSON, and both must agree on whether
/// the body is readable, what it is, how many entries count against the budget, the next link, and, mapped through
/// the one mapper, the snapshot itself.
/// </summary>
public sealed class FhirAnswerOracleTests
{
    private static readonly JsonSerializerOptions FirelyJson = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    public static TheoryData<string> ReadableBodies()
    {
        var data = new TheoryData<string>();
        foreach (var body in Scenario().Values)
        {
            data.Add(body);
        }

        data.Add(Bundle([Observation("o1", "2986-8", 250m, "ng/dL")], nextUrl: FakeFhirServer.Base + "/Observation?page=2"));
        data.Add(Bundle([Observation("o1", "2986-8", 250m, "ng/dL")], withType: false));
        data.Add("""{"resourceType":"Bundle","type":"searchset","total":0}""");
        data.Add("""{"resourceType":"Bundle","type":"searchset","entry":[]}""");
        data.Add("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception"}]}""");
        data.Add("""{"resourceType":"Practitioner","id":"pr1"}""");

        // Real EHR deviations that recoverable parsing keeps the rest of: an unknown member, category as an object,
        // a value of the wrong JSON type, an entry of an unknown type, an entry without a resource, a Bundle in a Bundle.
        data.Add("""
            {"resourceType":"Bundle","type":"searchset","entry":[
              {"resource":{"resourceType":"Observation","id":"x1","status":"final","vendorExtra":true,
                "category":{"coding":[{"code":"laboratory"}]},
                "code":{"coding":[{"system":"http://loinc.org","code":"2986-8"}]},"subject":{"reference":"Patient/p1"},
                "effectiveDateTime":"2026-09-01T08:00:00Z","valueQuantity":{"value":"high","unit":"ng/dL"}}},
              {"resource":{"resourceType":"Observation","id":"x2","status":"final",
                "code":{"coding":[{"system":"http://loinc.org","code":"2986-8"}]},"subject":{"reference":"Patient/p1"},
                "effectiveDateTime":"2026-09-02T08:00:00Z",
                "valueQuantity":{"value":245,"unit":"ng/dL","system":"http://unitsofmeasure.org","code":"ng/dL"}}},
              {"resource":{"resourceType":"NotAType","id":"n1"}},
              {"fullUrl":"urn:uuid:1"},
              {"resource":{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Condition","id":"c9"}}]}}
            ]}
            """);
        data.Add("\uFEFF" + Patient());
        data.Add(string.Empty);

        // The safety rules' inputs: sex and gender extensions on Patient, the free testosterone method, transferrin
        // saturation and BMI, and the glucocorticoid route filter (Medication.form, dosage route and text).
        data.Add(SafetyPatient);
        data.Add(SafetyPatientOfWrongTypes);
        data.Add(SafetyBundle);
        return data;
    }

    internal static readonly string SafetyPatient = SafetyMappingTests.PatientWith(string.Join(",",
        SafetyMappingTests.BirthSex("M"),
        SafetyMappingTests.SexForClinicalUse("female-typical", start: "2001-01-01", end: "2002-01-01"),
        SafetyMappingTests.SexForClinicalUse("male-typical", start: "2002-01-02"),
        SafetyMappingTests.UsCoreGenderIdentity(CodeSystems.Snomed, "446151000124109"),
        SafetyMappingTests.IndividualGenderIdentity(CodeSystems.Snomed, "33791000087105")));

    private const string SafetyPatientOfWrongTypes = """
        {"resourceType":"Patient","id":"p1","gender":"male","extension":[
          {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":1},
          {"url":"http://hl7.org/fhir/StructureDefinition/patient-sexParameterForClinicalUse","extension":[
            {"url":"value","valueCodeableConcept":{"coding":[{"code":"male-typical"}]}},
            {"url":"period","valuePeriod":{"start":"not a date"}}]},
          {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity","valueCodeableConcept":{"coding":[{"code":7}]}},
          {"url":"http://hl7.org/fhir/StructureDefinition/individual-genderIdentity","extension":[
            {"url":"value","valueCodeableConcept":{"text":"not coded"}}]}]}
        """;

    internal static readonly string SafetyBundle = Bundle(
        SafetyMappingTests.FreeTestosterone("ft1", ",\"method\":{\"text\":\"Equilibrium dialysis then immunoassay\"}"),
        SafetyMappingTests.FreeTestosterone("ft2", ",\"method\":{\"coding\":[{\"system\":\"http://example.org/m\",\"code\":\"EIA\",\"display\":\"Direct analog\"}]}"),
        SafetyMappingTests.FreeTestosterone("ft3", "", codeText: "Free testosterone, LC-MS/MS"),
        SafetyMappingTests.FreeTestosterone("ft4", ",\"method\":\"dialysis\""),
        SafetyMappingTests.FreeTestosterone("ft5", "", code: "103227-5"),
        Observation("ts1", "2502-3", 52m, "%"),
        Observation("ts2", "6796-7", 40m, "%", unitSystem: "http://example.org/units"),
        Observation("bmi1", "39156-5", 31.2m, "kg/m2"),
        Observation("bmi2", "39156-5", 29.5m, "kg/m²", unitSystem: "http://example.org/units"),
        SafetyMappingTests.MedicationRequest("gc1", SafetyMappingTests.Coded("8640", "prednisone"),
            ""","dosageInstruction":[{"text":"5 mg daily","route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006","display":"Oral route"}]}}]"""),
        SafetyMappingTests.MedicationRequest("gc2", SafetyMappingTests.Coded("19831", "budesonide"),
            ""","dosageInstruction":[{"route":{"text":"Nasal"}}]"""),
        SafetyMappingTests.MedicationRequest("gc3", SafetyMappingTests.Text("Hydrocortisone 1 % Topical Cream")),
        MedicationRequestByReference("gc4", "Medication/inh", status: "active"),
        """{"resourceType":"Medication","id":"inh","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"19831"}]},"form":{"text":"Inhaler"}}""",
        """
        {"resourceType":"MedicationStatement","id":"gc5","status":"active",
         "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"10759","display":"triamcinolone"}]},
         "subject":{"reference":"Patient/p1"},"effectivePeriod":{"start":"2025-11-01"},"dosage":[{"route":{"text":"intra-articular"}},{"route":"oral"}]}
        """,
        SafetyMappingTests.MedicationRequest("op1", SafetyMappingTests.Coded("7804", "oxycodone")),
        SafetyMappingTests.MedicationRequest("ad1", SafetyMappingTests.Text("Leuprolide acetate 22.5 mg depot")));

    // The oracle above compares whole snapshots; this makes sure the safety inputs really reach the new fields, so the
    // comparison is not vacuous.
    [Fact]
    public void GivenTheSafetyInputs_WhenMapped_ThenTheNewFieldsAreSetAndAgreeWithFirely()
    {
        var patient = Map(SafetyPatient);
        Assert.Equal((AdministrativeSex.Male, AdministrativeSex.Male, AdministrativeSex.Other),
            (patient.BirthSex, patient.SexForClinicalUse, patient.GenderIdentity));

        var snapshot = Map(SafetyBundle);
        Assert.Equal(
            [FreeTestosteroneMethod.EquilibriumDialysis, FreeTestosteroneMethod.DirectImmunoassay, FreeTestosteroneMethod.MassSpectrometry,
             FreeTestosteroneMethod.Unknown, FreeTestosteroneMethod.Calculated],
            snapshot.Labs.Where(l => l.Analyte == Analyte.FreeTestosterone).OrderBy(l => l.SourceId, StringComparer.Ordinal).Select(l => l.Method));
        Assert.Equal(2, snapshot.Labs.Count(l => l.Analyte == Analyte.TransferrinSaturation && l.Quantity.Unit == LabUnit.Percent));
        Assert.Equal(2, snapshot.Labs.Count(l => l.Analyte == Analyte.Bmi && l.Quantity.Unit == LabUnit.KilogramsPerSquareMeter));
        Assert.Equal(
            [("MedicationRequest/ad1", MedicationClass.AndrogenDeprivation), ("MedicationRequest/gc1", MedicationClass.Glucocorticoid), ("MedicationRequest/op1", MedicationClass.Opioid)],
            snapshot.Medications.Select(m => (m.SourceId!, m.Class)).Order());

        static PatientSnapshot Map(string body)
        {
            var (firely, _) = ParseWithFirely(body);
            Assert.True(FhirAnswer.TryRead(Encoding.UTF8.GetBytes(body), out var answer));
            var mapped = new SnapshotMapper(TerminologyCatalog.Default).Map(JsonResources(answer), PatientId, []);
            Assert.Equal(SnapshotJson(FirelyResources(firely), PatientId), SnapshotMappingTests.SnapshotJson(mapped));
            return mapped;
        }
    }

    [Theory]
    [MemberData(nameof(ReadableBodies))]
    public void GivenAReadableAnswer_WhenReadAsJson_ThenItAgreesWithFirely(string body)
    {
        var (firely, firelyReadable) = ParseWithFirely(body);
        var readable = FhirAnswer.TryRead(Encoding.UTF8.GetBytes(body), out var answer);

        Assert.True(firelyReadable);
        Assert.True(readable);
        Assert.Equal(firely?.TypeName, answer.ResourceType);
        if (firely is Bundle bundle)
        {
            Assert.True(answer.IsBundle);
            Assert.Equal(bundle.Entry.Count, answer.EntryCount);
            Assert.Equal(bundle.NextLink?.OriginalString, answer.NextLink);
        }

        Assert.Equal(SnapshotJson(FirelyResources(firely), PatientId), SnapshotJson(JsonResources(answer), PatientId));
    }

    // The example scenarios cover every shape the rules read (units, dates, statuses, contained and referenced
    // Medications, conditions in each code system): prefetch and FHIR answers are read by this same code, so this is
    // the oracle for the prefetch path too.
    [Fact]
    public void GivenEveryExampleScenario_WhenReadAsJson_ThenTheSnapshotEqualsTheOneFromFirely()
    {
        var directory = RepositoryPaths.Examples;
        var files = Directory.GetFiles(directory, "*.json").Where(f => Path.GetFileName(f) != "scenarios.json").ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var body = File.ReadAllText(file);
            var (firely, firelyReadable) = ParseWithFirely(body);
            Assert.True(firelyReadable, file);
            Assert.True(FhirAnswer.TryRead(Encoding.UTF8.GetBytes(body), out var answer), file);

            var json = JsonResources(answer);
            var patientId = json.Patient?.Id ?? string.Empty;
            Assert.Equal(SnapshotJson(FirelyResources(firely), patientId), SnapshotJson(json, patientId));
        }
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("<html><body>Gateway error</body></html>")]
    [InlineData("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[")]
    [InlineData("[]")]
    [InlineData("\"Patient\"")]
    [InlineData("{\"resourceType\":\"Patient\",\"id\":\"p1\"} trailing")]
    public void GivenAnUnreadableAnswer_WhenReadAsJson_ThenFirelyRefusesItToo(string body)
    {
        Assert.False(ParseWithFirely(body).Readable);
        Assert.False(FhirAnswer.TryRead(Encoding.UTF8.GetBytes(body), out _));
    }

    [Theory]
    [InlineData("{\"hello\":\"world\"}")]
    [InlineData("{\"resourceType\":\"NotAType\"}")]
    [InlineData("{\"resourceType\":42}")]
    public void GivenAnObjectThatIsNoResource_WhenReadAsJson_ThenLikeFirelyItIsNeitherABundleNorAPatient(string body)
    {
        var (firely, firelyReadable) = ParseWithFirely(body);
        var readable = FhirAnswer.TryRead(Encoding.UTF8.GetBytes(body), out var answer);

        // Read, and then refused by the data source as "not a search Bundle" / "not a Patient".
        Assert.True(firelyReadable);
        Assert.True(readable);
        Assert.IsNotType<Bundle>(firely);
        Assert.IsNotType<Patient>(firely);
        Assert.False(answer.IsBundle);
        Assert.NotEqual("Patient", answer.ResourceType);
    }

    // As the data layer read answers before: Firely's FhirClient with the same settings, a recoverable error keeping
    // the partial result, and any exception meaning the body could not be read.
    private static (Resource? Resource, bool Readable) ParseWithFirely(string body)
    {
        var settings = new FhirClientSettings
        {
            PreferredFormat = ResourceFormat.Json,
            VerifyFhirVersion = false,
            UseFormatParameter = false,
            SerializationEngine = FhirSerializationEngineFactory.Custom(
                ModelInfo.ModelInspector, new FhirJsonConverterOptions(), new DeserializerSettings { Validator = null }.UsingMode(DeserializationMode.Recoverable)),
        };
        using var http = new HttpClient(new FixedAnswer(body));
        using var client = new FhirClient(new Uri(FakeFhirServer.Base + "/"), http, settings);
        try
        {
            return (client.GetAsync(new Uri(FakeFhirServer.Base + "/Observation?patient=p1")).GetAwaiter().GetResult(), true);
        }
        catch (DeserializationFailedException ex) when (ex.PartialResult is Resource partial)
        {
            return (partial, true);
        }
#pragma warning disable CA1031 // The oracle's verdict: whatever Firely throws, the body was not readable.
        catch (Exception)
#pragma warning restore CA1031
        {
            return (null, false);
        }
    }

    private sealed class FixedAnswer(string body) : HttpMessageHandler
    {
        protected override System.Threading.Tasks.Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            System.Threading.Tasks.Task.FromResult(FakeFhirServer.Json(body));
    }

    // The former FHIR-server path: entries of interest as Firely POCOs, written back to JSON for the mapper.
    private static FhirResourceSet FirelyResources(Resource? resource)
    {
        var set = new FhirResourceSet();
        var kept = resource is Bundle bundle
            ? bundle.Entry.Select(e => e.Resource).Where(r => r is not null && FhirResourceSet.IsOfInterest(r.TypeName))
            : resource is not null && FhirResourceSet.IsOfInterest(resource.TypeName) ? [resource] : [];
        foreach (var item in kept)
        {
            set.AddJson(JsonSerializer.SerializeToElement(item, item!.GetType(), FirelyJson));
        }

        return set;
    }

    // The JSON path, as the data source keeps an answer's resources.
    private static FhirResourceSet JsonResources(FhirAnswer answer)
    {
        var set = new FhirResourceSet();
        var kept = new List<JsonElement>();
        if (answer.IsBundle)
        {
            answer.AddEntriesOfInterest(kept);
        }
        else if (FhirResourceSet.IsOfInterest(answer.ResourceType))
        {
            kept.Add(answer.Root);
        }

        foreach (var resource in kept)
        {
            set.AddJson(resource);
        }

        return set;
    }

    private static string SnapshotJson(FhirResourceSet resources, string patientId) =>
        SnapshotMappingTests.SnapshotJson(new SnapshotMapper(TerminologyCatalog.Default).Map(resources, patientId, []));
}
