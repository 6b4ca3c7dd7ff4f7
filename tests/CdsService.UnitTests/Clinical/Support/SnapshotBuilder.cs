using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;

namespace CdsService.UnitTests.Clinical.Support;

/// <summary>Fluent patient snapshots (dotnet/eShop Builders.cs style): an adult man by default, add only what a test needs.</summary>
internal sealed class SnapshotBuilder
{
    private readonly List<LabResult> labs = [];
    private readonly List<ConditionFact> conditions = [];
    private readonly List<MedicationFact> medications = [];
    private readonly List<FertilityIntentRecord> intents = [];
    private readonly List<DraftOrder> drafts = [];
    private readonly List<string> races = [];
    private readonly List<FamilyHistoryFact> family = [];
    private AdministrativeSex sex = AdministrativeSex.Male;
    private AdministrativeSex? birthSex;
    private AdministrativeSex? sexForClinicalUse;
    private AdministrativeSex? genderIdentity;
    private DateOnly? birthDate;

    private SnapshotBuilder(int ageYears) => birthDate = Some.Today.AddYears(-ageYears).AddDays(-30);

    public static SnapshotBuilder AdultMan(int ageYears = 45) => new(ageYears);

    /// <summary>Two low morning total testosterone values on different days, a low-normal LH and a coded symptom.</summary>
    public static SnapshotBuilder SecondaryPattern(int ageYears = 45) =>
        AdultMan(ageYears).With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 10), Some.TotalTestosterone(ngPerDl: 205, daysAgo: 40),
            Some.Lh(3.0m), Some.Fsh(), Some.Prolactin(), Some.Ferritin()).With(Some.Symptom());

    /// <summary>Two low morning total testosterone values on different days and a high LH.</summary>
    public static SnapshotBuilder PrimaryPattern(int ageYears = 45) =>
        AdultMan(ageYears).With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 10), Some.TotalTestosterone(ngPerDl: 205, daysAgo: 40),
            Some.Lh(15m), Some.Fsh(20m)).With(Some.Symptom());

    public static SnapshotBuilder EugonadalPattern(int ageYears = 45) =>
        AdultMan(ageYears).With(Some.TotalTestosterone(ngPerDl: 520, daysAgo: 10), Some.TotalTestosterone(ngPerDl: 480, daysAgo: 40),
            Some.Lh(4m), Some.Fsh()).With(Some.Symptom());

    public static SnapshotBuilder CompensatedPattern(int ageYears = 45) =>
        AdultMan(ageYears).With(Some.TotalTestosterone(ngPerDl: 520, daysAgo: 10), Some.TotalTestosterone(ngPerDl: 480, daysAgo: 40),
            Some.Lh(12m), Some.Fsh()).With(Some.Symptom());

    public SnapshotBuilder Sex(AdministrativeSex value)
    {
        sex = value;
        return this;
    }

    public SnapshotBuilder Recorded(AdministrativeSex? birth = null, AdministrativeSex? clinical = null, AdministrativeSex? identity = null)
    {
        birthSex = birth;
        sexForClinicalUse = clinical;
        genderIdentity = identity;
        return this;
    }

    public SnapshotBuilder BornOn(DateOnly? value)
    {
        birthDate = value;
        return this;
    }

    public SnapshotBuilder With(params LabResult[] results)
    {
        labs.AddRange(results);
        return this;
    }

    public SnapshotBuilder With(params ConditionFact[] facts)
    {
        conditions.AddRange(facts);
        return this;
    }

    public SnapshotBuilder With(params MedicationFact[] facts)
    {
        medications.AddRange(facts);
        return this;
    }

    public SnapshotBuilder With(params FertilityIntentRecord[] records)
    {
        intents.AddRange(records);
        return this;
    }

    public SnapshotBuilder WithIntent(FertilityIntent intent, int daysAgo = 30) => With(Some.Intent(intent, daysAgo));

    public SnapshotBuilder Drafting(MedicationClass medicationClass, string id = "draft-1")
    {
        drafts.Add(Some.Draft(medicationClass, id));
        return this;
    }

    /// <summary>A US Core race OMB category, e.g. <see cref="CodeSystems.OmbBlackOrAfricanAmerican"/>.</summary>
    public SnapshotBuilder WithRace(string ombCategory)
    {
        races.Add(ombCategory);
        return this;
    }

    /// <summary>A relative's prostate cancer from FamilyMemberHistory (relationship: v3 RoleCode, e.g. FTH, UNCLE; null = not coded).</summary>
    public SnapshotBuilder WithRelativeWithProstateCancer(string? relationship)
    {
        family.Add(new FamilyHistoryFact { Kind = ConditionKind.ProstateCancer, Relationship = relationship, SourceId = "FamilyMemberHistory/1" });
        return this;
    }

    public PatientSnapshot Build() => new()
    {
        Sex = sex,
        BirthSex = birthSex,
        SexForClinicalUse = sexForClinicalUse,
        GenderIdentity = genderIdentity,
        BirthDate = birthDate,
        Labs = [.. labs],
        Conditions = [.. conditions],
        Medications = [.. medications],
        FertilityIntents = [.. intents],
        DraftOrders = [.. drafts],
        RaceCategories = [.. races],
        FamilyHistory = [.. family],
    };

    public Assessment Assess(ClinicalThresholds? thresholds = null) =>
        new HypogonadismAssessor(thresholds ?? ClinicalThresholds.Default, Some.Clock()).Assess(Build());
}
