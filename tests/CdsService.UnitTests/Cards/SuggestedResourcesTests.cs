using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Cards;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using Hl7.Fhir.Model;
using HookCoding = CdsService.Protocol.Coding;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// The suggested resources are written as JSON directly, to spare the card composer
/// Firely's POCO allocations (docs/performance.md, round 2 item 10); Firely's POCO serialisation
/// (<see cref="FirelySuggestedResources"/>) is the oracle: the same bytes for every input, and valid R4 when Firely reads
/// them back in strict mode.
/// </summary>
public sealed class SuggestedResourcesTests
{
    // The Api's own serializer options (as the response is written), the golden files' relaxed escaping, and the
    // defaults: escaping differs between them, so each is compared.
    private static readonly JsonSerializerOptions[] WireOptions =
    [
        CdsJson.Options,
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true },
        JsonSerializerOptions.Default,
    ];

    public static TheoryData<string> PatientIds() =>
    [
        "pat-7f3a",
        "A.b-9",
        new string('x', 64),
        "",
        "with space",
        "quote\"and\\backslash/slash",
        "<script>alert(1)</script>&amp;",
        "ünïcødé–≥",
        "emoji-😀",
        "tab\there\r\nnewline",
        "control-\u0001-\u001f-\u007f",
        "line\u2028separator",
        new string('y', 300), // longer than any FHIR id: the reference is built off the stack
    ];

    /// <summary>Ids that are valid FHIR strings (R4 §2.24.0.1: no control characters but whitespace).</summary>
    public static TheoryData<string> ValidFhirPatientIds() =>
        ["pat-7f3a", "A.b-9", new string('x', 64), "with space", "quote\"and\\backslash/slash", "<script>alert(1)</script>&amp;", "ünïcødé–≥", "emoji-😀"];

    public static TheoryData<Classification> Classifications() => [.. Enum.GetValues<Classification>()];

    /// <summary>The missing data a lab order fills: every code but symptoms, which are asked about, not ordered.</summary>
    public static TheoryData<MissingData> MissingDataCodes() => [.. Enum.GetValues<MissingData>().Where(ClinicalWording.IsLab)];

    [Theory]
    [MemberData(nameof(PatientIds))]
    public void GivenPatientId_WhenClomipheneOrderWritten_ThenSameBytesAsFirely(string patientId) =>
        AssertSameAsFirely(FirelySuggestedResources.ClomipheneOrder(patientId), SuggestedResources.ClomipheneOrder(patientId));

    [Theory]
    [MemberData(nameof(PatientIds))]
    public void GivenPatientId_WhenHcgAndEnclomipheneOrdersWritten_ThenSameBytesAsFirely(string patientId)
    {
        AssertSameAsFirely(FirelySuggestedResources.HcgOrder(patientId), SuggestedResources.HcgOrder(patientId));
        AssertSameAsFirely(FirelySuggestedResources.EnclomipheneOrder(patientId), SuggestedResources.EnclomipheneOrder(patientId));
    }

    [Theory]
    [MemberData(nameof(PatientIds))]
    public void GivenPatientId_WhenReferralAndLabOrderWritten_ThenSameBytesAsFirely(string patientId)
    {
        var reason = ClinicalWording.ClassificationLong(Classification.Primary);
        AssertSameAsFirely(
            FirelySuggestedResources.ReproductiveUrologyReferral(patientId, reason),
            SuggestedResources.ReproductiveUrologyReferral(patientId, reason));

        var loinc = CardTerminology.LoincFor(MissingData.Lh);
        var due = new DateOnly(2025, 9, 1);
        AssertSameAsFirely(
            FirelySuggestedResources.LabOrder(patientId, loinc, "LH", due, "Fasting sample before 11:00 in the morning"),
            SuggestedResources.LabOrder(patientId, loinc, "LH", due, "Fasting sample before 11:00 in the morning"));
    }

    [Theory]
    [MemberData(nameof(Classifications))]
    public void GivenEachClassification_WhenReferralWritten_ThenSameBytesAsFirelyAndValidR4(Classification classification)
    {
        var reason = ClinicalWording.ClassificationLong(classification);

        var written = SuggestedResources.ReproductiveUrologyReferral(CardScenarios.PatientId, reason);

        AssertSameAsFirely(FirelySuggestedResources.ReproductiveUrologyReferral(CardScenarios.PatientId, reason), written);
        var referral = Assert.IsType<ServiceRequest>(CardAssertions.ParseR4(written));
        Assert.Equal(reason, referral.ReasonCode.Single().Text);
        Assert.Equal("183862006", referral.Code!.Coding.Single().Code);
    }

    [Fact]
    public void GivenMissingSymptoms_WhenLabOrdersBuilt_ThenNoOrderAndNoLoincForIt()
    {
        Assert.False(ClinicalWording.IsLab(MissingData.Symptoms));
        Assert.Throws<ArgumentOutOfRangeException>(() => CardTerminology.LoincFor(MissingData.Symptoms));
        Assert.All(Enum.GetValues<MissingData>().Where(ClinicalWording.IsLab), missing => Assert.NotNull(CardTerminology.LoincFor(missing).Code));
    }

    [Theory]
    [MemberData(nameof(PatientIds))]
    public void GivenPatientId_WhenEndocrinologyReferralWritten_ThenSameBytesAsFirely(string patientId)
    {
        const string reason = "Hyperprolactinaemia with low testosterone";
        AssertSameAsFirely(
            FirelySuggestedResources.EndocrinologyReferral(patientId, reason),
            SuggestedResources.EndocrinologyReferral(patientId, reason));
    }

    [Theory]
    [MemberData(nameof(PatientIds))]
    public void GivenPatientId_WhenFertilityAnswerAndUrologyReferralWritten_ThenSameBytesAsFirely(string patientId)
    {
        var recordedAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        foreach (var answer in CdsService.Clinical.Hypogonadism.FertilityIntentCodes.All)
        {
            AssertSameAsFirely(FirelySuggestedResources.FertilityIntentObservation(patientId, answer, recordedAt),
                SuggestedResources.FertilityIntentObservation(patientId, answer, recordedAt));
        }

        const string reason = "PSA finding on testosterone therapy: PSA 2.7 ng/mL";
        AssertSameAsFirely(FirelySuggestedResources.UrologyReferral(patientId, reason), SuggestedResources.UrologyReferral(patientId, reason));
    }

    [Theory]
    [MemberData(nameof(ValidFhirPatientIds))]
    public void GivenValidPatientId_WhenFertilityAnswerWritten_ThenAFinalR4ObservationOfThePregnancyIntentQuestion(string patientId)
    {
        var recordedAt = new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.FromHours(-5));
        var answer = CdsService.Clinical.Hypogonadism.FertilityIntentCodes.All[0];
        var observation = Assert.IsType<Observation>(CardAssertions.ParseR4(SuggestedResources.FertilityIntentObservation(patientId, answer, recordedAt)));

        Assert.Equal(ObservationStatus.Final, observation.Status);
        Assert.Equal($"Patient/{patientId}", Assert.IsType<ResourceReference>(observation.Subject).Reference);
        Assert.Equal("86645-9", Assert.Single(observation.Code.Coding).Code);
        Assert.Equal("2026-12-01T07:30:00-05:00", Assert.IsType<FhirDateTime>(observation.Effective).Value);
        Assert.Equal(answer.Code, Assert.Single(Assert.IsType<CodeableConcept>(observation.Value).Coding).Code);
    }

    [Theory]
    [MemberData(nameof(ValidFhirPatientIds))]
    public void GivenValidPatientId_WhenEndocrinologyReferralWritten_ThenValidR4ReferralWithTextCode(string patientId)
    {
        var referral = Assert.IsType<ServiceRequest>(CardAssertions.ParseR4(SuggestedResources.EndocrinologyReferral(patientId, "Pituitary disease")));

        Assert.Equal($"Patient/{patientId}", referral.Subject.Reference);
        Assert.Equal("Referral to endocrinology", referral.Code!.Text);
        Assert.Empty(referral.Code.Coding);
        Assert.Contains(referral.Category.SelectMany(c => c.Coding), c => c.Code == "3457005");
    }

    [Theory]
    [MemberData(nameof(MissingDataCodes))]
    public void GivenEachMissingLab_WhenOrderedWithAndWithoutDueDateAndInstruction_ThenSameBytesAsFirelyAndValidR4(MissingData missing)
    {
        var loinc = CardTerminology.LoincFor(missing);
        var text = ClinicalWording.Missing(missing);
        foreach (var due in new DateOnly?[] { null, new DateOnly(2025, 6, 2), new DateOnly(2026, 12, 31), new DateOnly(999, 1, 9) })
        {
            foreach (var instruction in new[] { null, "", "Fasting sample before 11:00 in the morning, on a different day from the last one", "≥ 8 h fast – \"no\" coffee" })
            {
                var written = SuggestedResources.LabOrder(CardScenarios.PatientId, loinc, text, due, instruction);

                AssertSameAsFirely(FirelySuggestedResources.LabOrder(CardScenarios.PatientId, loinc, text, due, instruction), written);
                if (instruction == string.Empty)
                {
                    // Written as Firely writes it, but an empty string is not an R4 string (§2.24.0.1); the composer
                    // passes either a sentence or null.
                    continue;
                }

                var order = Assert.IsType<ServiceRequest>(CardAssertions.ParseR4(written));
                Assert.Equal(loinc.Code, order.Code!.Coding.Single().Code);
                Assert.Equal(due?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (order.Occurrence as FhirDateTime)?.Value);
                Assert.Equal(instruction, order.PatientInstruction);
            }
        }
    }

    [Theory]
    [InlineData("http://loinc.org", "2986-8", null, "Total testosterone")]
    [InlineData("", "2986-8", "", "")] // empty strings (never sent) are written as Firely writes them
    [InlineData("http://loinc.org", "718-7", null, "Hemoglobin – with \"hematocrit\" <b>")]
    [InlineData(null, "2857-1", null, "PSA")]
    [InlineData("http://loinc.org", "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "HbA1c")]
    public void GivenMonitoringCodingWithoutDisplayOrSystem_WhenLabOrderWritten_ThenSameBytesAsFirely(
        string? system, string code, string? display, string text)
    {
        var coding = new HookCoding { System = system, Code = code, Display = display };
        foreach (var due in new DateOnly?[] { null, new DateOnly(2025, 8, 25) })
        {
            AssertSameAsFirely(
                FirelySuggestedResources.LabOrder("pat-1", coding, text, due, patientInstruction: null),
                SuggestedResources.LabOrder("pat-1", coding, text, due, patientInstruction: null));
        }
    }

    [Theory]
    [MemberData(nameof(ValidFhirPatientIds))]
    public void GivenValidPatientId_WhenEachResourceWritten_ThenFirelyReadsItStrictlyWithThatSubject(string patientId)
    {
        Resource[] parsed =
        [
            CardAssertions.ParseR4(SuggestedResources.ClomipheneOrder(patientId)),
            CardAssertions.ParseR4(SuggestedResources.ReproductiveUrologyReferral(patientId, "Primary hypogonadism")),
            CardAssertions.ParseR4(SuggestedResources.LabOrder(patientId, CardTerminology.LoincFor(MissingData.Fsh), "FSH", null, null)),
            CardAssertions.ParseR4(SuggestedResources.HcgOrder(patientId)),
            CardAssertions.ParseR4(SuggestedResources.EnclomipheneOrder(patientId)),
        ];

        Assert.Equal($"Patient/{patientId}", Assert.IsType<MedicationRequest>(parsed[3]).Subject.Reference);
        var enclomiphene = Assert.IsType<MedicationRequest>(parsed[4]);
        Assert.Contains("not FDA-approved", Assert.IsType<CodeableConcept>(enclomiphene.Medication).Text, StringComparison.Ordinal);

        var clomiphene = Assert.IsType<MedicationRequest>(parsed[0]);
        Assert.Equal($"Patient/{patientId}", clomiphene.Subject.Reference);
        Assert.Equal(25m, Assert.IsType<Quantity>(clomiphene.DosageInstruction.Single().DoseAndRate.Single().Dose).Value);
        Assert.Equal($"Patient/{patientId}", Assert.IsType<ServiceRequest>(parsed[1]).Subject.Reference);
        Assert.Equal($"Patient/{patientId}", Assert.IsType<ServiceRequest>(parsed[2]).Subject.Reference);
    }

    [Fact]
    public void GivenResourceWritten_WhenNextOneIsWrittenOnTheSameThread_ThenTheFirstKeepsItsOwnContent()
    {
        // The writer's buffer is reused per thread; each resource must own a copy of its bytes.
        var first = SuggestedResources.LabOrder("first", CardTerminology.LoincFor(MissingData.Lh), "LH", new DateOnly(2025, 7, 1), null);
        var expected = first.ToJsonString();

        var second = SuggestedResources.ClomipheneOrder(new string('z', 500));
        second["status"] = "active";

        Assert.Equal(expected, first.ToJsonString());
        Assert.Equal("Patient/first", first["subject"]!["reference"]!.GetValue<string>());
        Assert.Equal("draft", SuggestedResources.ClomipheneOrder("again")["status"]!.GetValue<string>());
    }

    [Fact]
    public void GivenManyThreads_WhenResourcesWrittenConcurrently_ThenEachCarriesItsOwnPatient()
    {
        var ids = Enumerable.Range(0, 2000).Select(i => $"p-{i}").ToArray();

        var written = ids.AsParallel().Select(id => (id, resource: SuggestedResources.LabOrder(id, CardTerminology.LoincFor(MissingData.Shbg), "SHBG", null, null))).ToList();

        Assert.All(written, pair => Assert.Equal($"Patient/{pair.id}", pair.resource["subject"]!["reference"]!.GetValue<string>()));
    }

    private static void AssertSameAsFirely(JsonNode expected, JsonNode actual)
    {
        foreach (var options in WireOptions)
        {
            Assert.Equal(JsonSerializer.Serialize(expected, options), JsonSerializer.Serialize(actual, options));
        }

        // Also after both are materialised (as a consumer reading members would): same members, same order.
        Assert.Equal(expected.DeepClone().ToJsonString(), actual.DeepClone().ToJsonString());
    }
}
