using System.Text.Json;
using CdsService.Clinical.Model;
using CdsService.Fhir.Mapping;
using CdsService.Fhir.Terminology;
using static CdsService.UnitTests.Fhir.FhirTestData;
using Intent = CdsService.Clinical.Model.FertilityIntent;

namespace CdsService.UnitTests.Fhir;

public sealed class SnapshotMappingTests
{
    private static PatientSnapshot Map(params string[] resources)
    {
        var set = new FhirResourceSet();
        foreach (var json in resources)
        {
            set.AddJson(JsonDocument.Parse(json).RootElement);
        }

        return new SnapshotMapper(TerminologyCatalog.Default).Map(set, PatientId, []);
    }

    [Theory]
    [InlineData("final")]
    [InlineData("amended")]
    [InlineData("corrected")]
    public void GivenUsableStatus_WhenMapped_ThenResultKept(string status)
    {
        var snapshot = Map(Bundle(Observation("o1", "2986-8", 250m, "ng/dL", status: status)));

        var lab = Assert.Single(snapshot.Labs);
        Assert.Equal(new LabQuantity(250m, LabUnit.NanogramsPerDeciliter), lab.Quantity);
        Assert.Equal("Observation/o1", lab.SourceId);
        Assert.Equal("2986-8", lab.Code);
    }

    [Theory]
    [InlineData("entered-in-error", false)]
    [InlineData("cancelled", false)]
    [InlineData("preliminary", true)]
    [InlineData("registered", true)]
    public void GivenUnusableStatus_WhenMapped_ThenSkippedAndPendingOnesReported(string status, bool reported)
    {
        var snapshot = Map(Bundle(Observation("o1", "2986-8", 250m, "ng/dL", status: status)));

        Assert.Empty(snapshot.Labs);
        Assert.Equal(reported, snapshot.DataIssues.Any(i => i.Kind == "unusable-status"));
    }

    [Theory]
    [InlineData("14913-8", 8.1, "nmol/L", LabUnit.NanomolesPerLiter)]
    [InlineData("10501-5", 6.2, "m[IU]/mL", LabUnit.InternationalUnitsPerLiter)]
    [InlineData("10501-5", 6.2, "[IU]/L", LabUnit.InternationalUnitsPerLiter)]
    [InlineData("2991-8", 55, "pg/mL", LabUnit.PicogramsPerMilliliter)]
    [InlineData("14914-6", 190, "pmol/L", LabUnit.PicomolesPerLiter)]
    [InlineData("4544-3", 0.47, "L/L", LabUnit.LitersPerLiter)]
    [InlineData("1751-7", 42, "g/L", LabUnit.GramsPerLiter)]
    [InlineData("2942-1", 1.2, "ug/dL", LabUnit.MicrogramsPerDeciliter)]
    public void GivenUcumUnit_WhenMapped_ThenNormalised(string code, double value, string unit, LabUnit expected)
    {
        var snapshot = Map(Bundle(Observation("o1", code, (decimal)value, unit)));

        Assert.Equal(expected, Assert.Single(snapshot.Labs).Quantity.Unit);
    }

    [Theory]
    [InlineData("10501-5", "mIU/mL", LabUnit.InternationalUnitsPerLiter)]
    [InlineData("10501-5", "U/L", LabUnit.InternationalUnitsPerLiter)]
    [InlineData("2986-8", "ng/dl", LabUnit.NanogramsPerDeciliter)]
    [InlineData("2857-1", "µg/L", LabUnit.MicrogramsPerLiter)]
    public void GivenPrintedUnitWithoutUcumSystem_WhenMapped_ThenCommonSpellingsNormalised(string code, string unit, LabUnit expected)
    {
        var snapshot = Map(Bundle(Observation("o1", code, 5m, unit, unitSystem: "http://example.org/lab-units")));

        Assert.Equal(expected, Assert.Single(snapshot.Labs).Quantity.Unit);
    }

    [Theory]
    [InlineData("2986-8", "mg/dL")]
    [InlineData("2986-8", "U/L")]
    [InlineData("2857-1", "ng/dL/h")]
    public void GivenUnknownUnit_WhenMapped_ThenIgnoredAndReportedNotGuessed(string code, string unit)
    {
        var snapshot = Map(Bundle(Observation("o1", code, 250m, unit)));

        Assert.Empty(snapshot.Labs);
        var issue = Assert.Single(snapshot.DataIssues);
        Assert.Equal("unknown-unit", issue.Kind);
        Assert.DoesNotContain("250", issue.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<", ValueComparator.LessThan)]
    [InlineData("<=", ValueComparator.LessOrEqual)]
    [InlineData(">", ValueComparator.GreaterThan)]
    [InlineData(">=", ValueComparator.GreaterOrEqual)]
    public void GivenComparator_WhenMapped_ThenKept(string comparator, ValueComparator expected)
    {
        var snapshot = Map(Bundle(Observation("o1", "2857-1", 0.1m, "ng/mL", comparator: comparator)));

        var lab = Assert.Single(snapshot.Labs);
        Assert.Equal(expected, lab.Comparator);
        Assert.Equal(0.1m, lab.Quantity.Value);
    }

    [Theory]
    [InlineData("\"effectiveDateTime\":\"2026-10-01T08:30:00-05:00\"")]
    [InlineData("\"effectivePeriod\":{\"start\":\"2026-10-01T08:30:00-05:00\",\"end\":\"2026-10-01T08:35:00-05:00\"}")]
    [InlineData("\"effectiveInstant\":\"2026-10-01T08:30:00.000-05:00\"")]
    public void GivenEachEffectiveForm_WhenMapped_ThenTimeAndZoneKept(string effective)
    {
        var snapshot = Map(Bundle(Observation("o1", "2986-8", 250m, "ng/dL", effective)));

        var time = Assert.Single(snapshot.Labs).EffectiveTime;
        Assert.True(time.TimeRecorded);
        Assert.Equal(TimeSpan.FromHours(-5), time.Value.Offset);
        Assert.Equal(8, time.Value.Hour);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 13, 30, 0, TimeSpan.Zero), time.Value.ToUniversalTime());
    }

    [Fact]
    public void GivenAfternoonSampleInPositiveZone_WhenMapped_ThenLocalHourKept()
    {
        var snapshot = Map(Bundle(Observation("o1", "2986-8", 250m, "ng/dL", "\"effectiveDateTime\":\"2026-10-01T14:10:00+09:00\"")));

        Assert.Equal(14, Assert.Single(snapshot.Labs).EffectiveTime.Value.Hour);
    }

    [Fact]
    public void GivenDateOnlyEffective_WhenMapped_ThenOnDateWithoutTime()
    {
        var snapshot = Map(Bundle(Observation("o1", "2986-8", 250m, "ng/dL", "\"effectiveDateTime\":\"2026-10-01\"")));

        var time = Assert.Single(snapshot.Labs).EffectiveTime;
        Assert.False(time.TimeRecorded);
        Assert.Equal(new DateOnly(2026, 10, 1), time.LocalDate);
    }

    [Theory]
    [InlineData("\"effectiveDateTime\":\"2026-10\"")]
    [InlineData("\"issued\":\"2026-10-01T08:30:00Z\"")]
    public void GivenVagueOrMissingEffective_WhenMapped_ThenNotUsedAndReported(string effective)
    {
        var snapshot = Map(Bundle(Observation("o1", "2986-8", 250m, "ng/dL", effective)));

        Assert.Empty(snapshot.Labs);
        Assert.Equal("no-date", Assert.Single(snapshot.DataIssues).Kind);
    }

    [Fact]
    public void GivenDataAbsentReason_WhenMapped_ThenSkippedAndReported()
    {
        var snapshot = Map(Bundle(Observation("o1", "2986-8", null, "ng/dL")));

        Assert.Empty(snapshot.Labs);
        Assert.Equal("no-value", Assert.Single(snapshot.DataIssues).Kind);
    }

    [Fact]
    public void GivenReferenceRangeAndCalculatedFreeT_WhenMapped_ThenRangeNormalisedAndCalculatedFlagged()
    {
        var range = ",\"referenceRange\":[{\"low\":{\"value\":13,\"unit\":\"nmol/L\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"nmol/L\"},\"high\":{\"value\":71,\"unit\":\"nmol/L\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"nmol/L\"}}]";
        var snapshot = Map(Bundle(
            Observation("shbg", "13967-5", 30m, "nmol/L", extra: range),
            Observation("cft", "103227-5", 60m, "pg/mL"),
            Observation("mft", "2991-8", 60m, "pg/mL")));

        var shbg = snapshot.Labs.Single(l => l.SourceId == "Observation/shbg");
        Assert.Equal(new ReferenceRange(new LabQuantity(13m, LabUnit.NanomolesPerLiter), new LabQuantity(71m, LabUnit.NanomolesPerLiter)), shbg.ReferenceRange);
        Assert.True(snapshot.Labs.Single(l => l.SourceId == "Observation/cft").IsCalculated);
        Assert.False(snapshot.Labs.Single(l => l.SourceId == "Observation/mft").IsCalculated);
    }

    [Fact]
    public void GivenAmendedAndEnteredInErrorVersions_WhenMapped_ThenOnlyTheUsableOneCounts()
    {
        var snapshot = Map(Bundle(
            Observation("a", "2986-8", 180m, "ng/dL", status: "entered-in-error"),
            Observation("b", "2986-8", 320m, "ng/dL", status: "amended")));

        Assert.Equal(320m, Assert.Single(snapshot.Labs).Quantity.Value);
    }

    [Fact]
    public void GivenObservationOfAnotherPatient_WhenMapped_ThenIgnoredAndReported()
    {
        var snapshot = Map(Bundle(Observation("o1", "2986-8", 250m, "ng/dL", subject: "someone-else")));

        Assert.Empty(snapshot.Labs);
        Assert.Equal("other-patient", Assert.Single(snapshot.DataIssues).Kind);
    }

    [Fact]
    public void GivenPatient_WhenMapped_ThenSexAndBirthDate()
    {
        var snapshot = Map(Patient(gender: "male", birthDate: "1980-04-02"));

        Assert.Equal(AdministrativeSex.Male, snapshot.Sex);
        Assert.Equal(new DateOnly(1980, 4, 2), snapshot.BirthDate);
        Assert.Empty(snapshot.DataIssues);
    }

    // US Core race: only ombCategory codes in the CDC Race and Ethnicity system are read; a detailed code alone or a code
    // in another system claims nothing (the PSA high-risk limit needs the record to state it).
    [Theory]
    [InlineData("ombCategory", "urn:oid:2.16.840.1.113883.6.238", "2054-5", "2054-5")]
    [InlineData("detailed", "urn:oid:2.16.840.1.113883.6.238", "2058-6", null)]
    [InlineData("ombCategory", "http://example.org/race", "2054-5", null)]
    public void GivenUsCoreRace_WhenMapped_ThenOnlyOmbCategoriesAreRead(string url, string system, string code, string? expected)
    {
        var patient = $$$"""
            {"resourceType":"Patient","id":"{{{PatientId}}}","gender":"male","birthDate":"1970-01-01","extension":[
             {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race","extension":[
              {"url":"{{{url}}}","valueCoding":{"system":"{{{system}}}","code":"{{{code}}}"}},{"url":"text","valueString":"Race"}]}]}
            """;

        var snapshot = Map(patient);

        Assert.Equal(expected is null ? [] : [expected], snapshot.RaceCategories);
    }

    [Fact]
    public void GivenFamilyMemberHistory_WhenMapped_ThenProstateCancerWithTheRelationshipAndOthersIgnored()
    {
        var snapshot = Map(Bundle(
            FamilyMemberHistory("f1", "FTH", "399068003"),
            FamilyMemberHistory("f2", "BRO", "73211009"),
            FamilyMemberHistory("f3", "SON", "399068003", patient: "Patient/someone-else")));

        var relative = Assert.Single(snapshot.FamilyHistory);
        Assert.Equal(("FTH", ConditionKind.ProstateCancer, "FamilyMemberHistory/f1"), (relative.Relationship, relative.Kind, relative.SourceId));
        Assert.Equal("other-patient", Assert.Single(snapshot.DataIssues).Kind);
    }

    [Fact]
    public void GivenYearOnlyBirthDate_WhenMapped_ThenLatestPossibleDayAndReported()
    {
        var snapshot = Map(Patient(birthDate: "2008"));

        Assert.Equal(new DateOnly(2008, 12, 31), snapshot.BirthDate);
        Assert.Equal("imprecise-birth-date", Assert.Single(snapshot.DataIssues).Kind);
    }

    [Theory]
    [InlineData("active", null, true)]
    [InlineData("recurrence", null, true)]
    [InlineData("relapse", null, true)]
    [InlineData("resolved", null, false)]
    [InlineData("inactive", null, false)]
    [InlineData("active", "refuted", false)]
    [InlineData("active", "entered-in-error", false)]
    [InlineData("active", "confirmed", true)]
    public void GivenConditionStatus_WhenMapped_ThenOnlyActiveNotRefutedCount(string clinical, string? verification, bool kept)
    {
        var snapshot = Map(Bundle(Condition("c1", CodeSystems.Icd10Cm, "C61", clinical, verification)));

        Assert.Equal(kept, snapshot.Conditions.Any(c => c.Kind == ConditionKind.ProstateCancer));
    }

    [Fact]
    public void GivenIcdAndSnomedConditions_WhenMapped_ThenKindsOnsetAndSource()
    {
        var snapshot = Map(Bundle(
            Condition("c1", CodeSystems.Icd10Cm, "I21.4", onset: "2026-07-15T10:00:00+01:00"),
            Condition("c2", CodeSystems.Snomed, "2904007"),
            Condition("c3", CodeSystems.Icd10Cm, "I10")));

        var mi = snapshot.Conditions.Single(c => c.Kind == ConditionKind.MyocardialInfarction);
        Assert.Equal(new DateTimeOffset(2026, 7, 15, 10, 0, 0, TimeSpan.FromHours(1)), mi.Onset);
        Assert.Equal("Condition/c1", mi.SourceId);
        Assert.Contains(snapshot.Conditions, c => c.Kind == ConditionKind.MaleInfertility && c.SourceId == "Condition/c2");

        // SNOMED 2904007 (male infertility) is also a sign of androgen deficiency (AUA 2018 statement 3;
        // ValueSet condition-androgen-deficiency-symptom), so one Condition gives two facts.
        Assert.Contains(snapshot.Conditions, c => c.Kind == ConditionKind.AndrogenDeficiencySymptom && c.SourceId == "Condition/c2");
        Assert.Equal(3, snapshot.Conditions.Length);
    }

    [Fact]
    public void GivenMedicationReferenceToBundledMedication_WhenMapped_ThenResolvedByNameWithDates()
    {
        var snapshot = Map(Bundle(
            MedicationRequestByReference("mr1", "Medication/med1", status: "completed"),
            Medication("med1", "Testosterone undecanoate 750 mg/3 mL")));

        var medication = Assert.Single(snapshot.Medications);
        Assert.Equal(MedicationClass.Testosterone, medication.Class);
        Assert.Equal(MedicationState.Completed, medication.State);
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero), medication.Start);
        Assert.Equal(new DateTimeOffset(2026, 4, 10, 0, 0, 0, TimeSpan.Zero), medication.End);
        Assert.Equal("MedicationRequest/mr1", medication.SourceId);
    }

    [Fact]
    public void GivenMedicationReferenceToContainedMedication_WhenMapped_ThenResolvedByCode()
    {
        var contained = ",\"contained\":[{\"resourceType\":\"Medication\",\"id\":\"m1\",\"code\":{\"coding\":[{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"896854\"}]}}]";
        var snapshot = Map(Bundle(MedicationRequestByReference("mr1", "#m1", status: "active", contained: contained)));

        var medication = Assert.Single(snapshot.Medications);
        Assert.Equal(MedicationClass.Hcg, medication.Class);
        Assert.Null(medication.End);
    }

    [Fact]
    public void GivenUnresolvableMedicationReference_WhenMapped_ThenReportedNotDropped()
    {
        var snapshot = Map(Bundle(MedicationRequestByReference("mr1", "Medication/missing")));

        Assert.Empty(snapshot.Medications);
        Assert.Equal("unresolved-medication", Assert.Single(snapshot.DataIssues).Kind);
    }

    [Theory]
    [InlineData("84857", "anastrozole 1 MG Oral Tablet", "active", MedicationClass.AromataseInhibitor)]
    [InlineData("999999", "Clomiphene citrate 50 MG Oral Tablet", "stopped", MedicationClass.Clomiphene)]
    public void GivenCodedOrNamedMedicationRequest_WhenMapped_ThenClassified(string rxnorm, string display, string status, MedicationClass expected)
    {
        var snapshot = Map(Bundle(MedicationRequestCoded("mr1", rxnorm, display, status)));

        Assert.Equal(expected, Assert.Single(snapshot.Medications).Class);
    }

    [Theory]
    [InlineData("cancelled")]
    [InlineData("entered-in-error")]
    [InlineData("draft")]
    public void GivenNeverTakenMedicationRequest_WhenMapped_ThenIgnored(string status) =>
        Assert.Empty(Map(Bundle(MedicationRequestCoded("mr1", "10379", "testosterone", status))).Medications);

    [Fact]
    public void GivenMedicationStatements_WhenMapped_ThenTakenOnesClassifiedAndOthersIgnored()
    {
        var snapshot = Map(Bundle(
            MedicationStatement("ms1", "Enclomiphene 12.5 mg"),
            MedicationStatement("ms2", "Testosterone gel", status: "not-taken"),
            MedicationStatement("ms3", "Metformin 500 mg")));

        var medication = Assert.Single(snapshot.Medications);
        Assert.Equal(MedicationClass.Enclomiphene, medication.Class);
        Assert.Equal(MedicationState.Active, medication.State);
        Assert.Equal(new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.Zero), medication.Start);
    }

    [Fact]
    public void GivenPregnancyIntentAnswers_WhenMapped_ThenIntentsNewestFirst()
    {
        var snapshot = Map(Bundle(
            FertilityIntent("f1", "http://loinc.org", "LA26440-0", "2025-01-05"),
            FertilityIntent("f2", "http://snomed.info/sct", "454411000124108", "2026-09-15T09:00:00+02:00")));

        Assert.Equal([Intent.Desired, Intent.NotDesired], snapshot.FertilityIntents.Select(i => i.Intent));
        Assert.Equal("Observation/f2", snapshot.FertilityIntents[0].SourceId);
    }

    [Fact]
    public void GivenUnknownPregnancyIntentAnswer_WhenMapped_ThenReported()
    {
        var snapshot = Map(Bundle(FertilityIntent("f1", "http://example.org", "maybe")));

        Assert.Empty(snapshot.FertilityIntents);
        Assert.Equal("unknown-answer", Assert.Single(snapshot.DataIssues).Kind);
    }

    [Fact]
    public void GivenCategoryAsObjectAndUnknownMembers_WhenMapped_ThenTheRestOfTheResourceIsStillRead()
    {
        var quirky = Observation("o1", "2986-8", 250m, "ng/dL", extra: ",\"madeUpMember\":true")
            .Replace("\"category\":[{", "\"category\":{", StringComparison.Ordinal)
            .Replace("}]}],", "}]},", StringComparison.Ordinal);

        var snapshot = Map(Bundle(quirky));

        Assert.Equal(250m, Assert.Single(snapshot.Labs).Quantity.Value);
    }

    [Fact]
    public void GivenSameResourcesInDifferentOrder_WhenMapped_ThenIdenticalSnapshots()
    {
        var resources = new[]
        {
            Observation("a", "2986-8", 250m, "ng/dL"),
            Observation("b", "10501-5", 3m, "[IU]/L"),
            Condition("c", CodeSystems.Icd10Cm, "E23.0"),
        };

        var forward = Map(Bundle(resources));
        var backward = Map(Bundle(resources.Reverse()));

        Assert.Equal(SnapshotJson(forward), SnapshotJson(backward));
    }

    [Fact]
    public void GivenEveryExampleScenarioBundle_WhenMapped_ThenEveryResourceIsReadAndEveryUnitUnderstood()
    {
        var directory = RepositoryPaths.Examples;
        var files = Directory.GetFiles(directory, "*.json").Where(f => Path.GetFileName(f) != "scenarios.json").ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var set = new FhirResourceSet();
            set.AddJson(document.RootElement);
            var patientId = set.Patient?.Id ?? "";

            var snapshot = new SnapshotMapper(TerminologyCatalog.Default).Map(set, patientId, []);

            Assert.True(set.Patient is not null, file);
            Assert.DoesNotContain(snapshot.DataIssues, i => i.Kind is "unreadable-resource" or "unknown-unit" or "other-patient" or "unresolved-medication");
        }
    }

    internal static string SnapshotJson(PatientSnapshot snapshot) => JsonSerializer.Serialize(snapshot);
}
