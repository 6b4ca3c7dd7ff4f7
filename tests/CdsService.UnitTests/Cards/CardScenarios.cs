using System.Collections.Immutable;
using CdsService.Cards;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using Microsoft.Extensions.Options;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// Hand-built assessments for card tests (the composer does not need the engine). Values are realistic and fixed so
/// that the rendered cards in docs/cards.md are stable.
/// </summary>
internal static class CardScenarios
{
    public const string PatientId = "pat-7f3a";
    public const string HookInstance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";
    public const string RulesVersion = "2025.06-test";

    public static readonly DateTimeOffset EvaluatedAt = new(2025, 6, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = DateOnly.FromDateTime(EvaluatedAt.DateTime);
    public static readonly Uri PublicBaseUrl = new("https://cds.example.org");

    public static CardComposer Composer() =>
        new(Options.Create(new CardComposerOptions { PublicBaseUrl = PublicBaseUrl }));

    public static DraftOrder TestosteroneDraft(string? id = "draft-t-1") => new()
    {
        Class = MedicationClass.Testosterone,
        ResourceType = "MedicationRequest",
        ResourceId = id,
        Display = "testosterone cypionate 200 MG/ML Injectable Solution",
    };

    public static DraftOrder ClomipheneDraft(string? id = "draft-c-1") => new()
    {
        Class = MedicationClass.Clomiphene,
        ResourceType = "MedicationRequest",
        ResourceId = id,
        Display = "clomiphene citrate 50 MG Oral Tablet",
    };

    public static DraftOrder HcgDraft(string? id = "draft-h-1") => new()
    {
        Class = MedicationClass.Hcg,
        ResourceType = "MedicationRequest",
        ResourceId = id,
        Display = "chorionic gonadotropin 10000 UNT Injection",
    };

    public static PatientSnapshot Snapshot(params DraftOrder[] drafts) => new()
    {
        Sex = AdministrativeSex.Male,
        BirthDate = new DateOnly(1990, 3, 14),
        DraftOrders = [.. drafts],
    };

    public static CardRequest Request(HookKind hook, Assessment assessment, PatientSnapshot snapshot) => new()
    {
        Hook = hook,
        HookInstance = HookInstance,
        PatientId = PatientId,
        Assessment = assessment,
        Snapshot = snapshot,
    };

    /// <summary>The recommendation the rules document (docs/clinical/hypogonadism-rules.md §6) gives for a classification and fertility intent.</summary>
    public static Recommendation RecommendationFor(Classification classification, FertilityIntent intent) =>
        (classification, intent) switch
        {
            (Classification.NotApplicable, _) => Recommendation.NotApplicable,
            (Classification.AndrogenDeprivation, _) => Recommendation.TestosteroneContraindicated,
            (Classification.OnFertilityTherapy, _) => Recommendation.ContinueWithMonitoring,
            (Classification.ExogenousAndrogen, FertilityIntent.Desired) => Recommendation.FertilityRestoration,
            (Classification.ExogenousAndrogen, _) => Recommendation.ContinueWithMonitoring,
            (Classification.InsufficientData, _) => Recommendation.CompleteWorkup,
            (Classification.Eugonadal or Classification.Compensated, _) => Recommendation.NoTestosteroneTherapy,
            (Classification.Primary, FertilityIntent.Desired) => Recommendation.ReferReproductiveUrology,
            (Classification.Secondary, FertilityIntent.Desired) => Recommendation.FertilityPreserving,
            (_, FertilityIntent.NotDesired) => Recommendation.TestosteroneReplacement,
            _ => Recommendation.AssessFertilityIntent,
        };

    public static Assessment Assessment(
        Classification classification,
        FertilityIntent intent,
        TherapyKind? monitoringFor = null,
        ImmutableArray<ContraindicationFinding>? contraindications = null,
        ImmutableArray<MissingData>? missing = null)
    {
        var contra = contraindications ?? (intent == FertilityIntent.Desired
            ? [new ContraindicationFinding(TrtContraindication.FertilityDesired, "Pregnancy intention: wants to become pregnant", EvaluatedAt.AddDays(-20))]
            : []);
        return new Assessment
        {
            Classification = classification,
            FertilityIntent = intent,
            Recommendation = RecommendationFor(classification, intent),
            AndrogenStatus = classification is Classification.Primary or Classification.Secondary ? AndrogenStatus.Low : AndrogenStatus.Normal,
            MissingData = missing ?? (classification == Classification.InsufficientData
                ? [MissingData.SecondMorningTotalTestosterone, MissingData.Lh]
                : []),
            AdditionalWorkup = classification switch
            {
                Classification.Secondary => [AdditionalWorkup.Prolactin, AdditionalWorkup.IronStudies],
                Classification.Primary => [AdditionalWorkup.Karyotype],
                _ => [],
            },
            TrtContraindications = contra,
            MonitoringFor = monitoringFor,
            MonitoringPlan = monitoringFor switch
            {
                TherapyKind.TestosteroneReplacement => TrtPlan,
                TherapyKind.Serm => SermPlan,
                TherapyKind.Hcg => HcgPlan,
                _ => [],
            },
            AgeYears = 35,
            Evidence = EvidenceFor(classification),
            Reasons = ReasonsFor(classification),
            RuleIds = ["AND-3", "CLS-6"],
            EvaluatedAt = EvaluatedAt,
            RulesVersion = RulesVersion,
        };
    }

    private static ImmutableArray<string> ReasonsFor(Classification classification) => classification switch
    {
        Classification.Primary =>
        [
            "Two morning total testosterone values on different days were both below 300 ng/dL (AUA 2018 statements 1-2).",
            "LH 14.2 IU/L is above 9.4 IU/L: primary (EMAS, Tajar 2010).",
        ],
        Classification.Secondary =>
        [
            "Two morning total testosterone values on different days were both below 300 ng/dL (AUA 2018 statements 1-2).",
            "LH 3.1 IU/L is not above 9.4 IU/L: secondary (EMAS, Tajar 2010).",
        ],
        Classification.Eugonadal or Classification.Compensated =>
        [
            "Two morning total testosterone values on different days were both at or above 300 ng/dL (AUA 2018 statement 1).",
            classification == Classification.Compensated
                ? "LH 11.3 IU/L is above 9.4 IU/L with normal testosterone: compensated (Eendebak 2018)."
                : "LH 4.1 IU/L is not above 9.4 IU/L (EMAS, Tajar 2010).",
        ],
        Classification.InsufficientData =>
        [
            "The only total testosterone was drawn at 14:30, after the 11:00 morning cut-off (AUA 2018 statement 2).",
            "No LH in the last 12 months (AUA 2018 statement 6).",
        ],
        Classification.ExogenousAndrogen => ["Testosterone prescribed within the last 6 months: gonadotropins cannot be interpreted (ES 2018)."],
        Classification.AndrogenDeprivation => ["Leuprolide (GnRH agonist) active: androgen deprivation for prostate cancer, whose goal is low testosterone (CLS-2)."],
        Classification.OnFertilityTherapy => ["Clomiphene taken in the last 3 months: LH, FSH and testosterone reflect the drug (CLS-4)."],
        _ => ["Not an adult man: outside the scope of the rules."],
    };

    public static ImmutableArray<EvidenceItem> EvidenceFor(Classification classification) => classification switch
    {
        Classification.Primary =>
        [
            TotalT(238m, new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
            TotalT(251m, SampleTime.OnDate(new DateOnly(2025, 4, 28))),
            Lh(14.2m, new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
        ],
        Classification.Eugonadal or Classification.Compensated =>
        [
            TotalT(512m, new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5)), "not below 300 ng/dL"),
            TotalT(488m, new DateTimeOffset(2025, 5, 2, 9, 40, 0, TimeSpan.FromHours(-5)), "not below 300 ng/dL"),
            Lh(classification == Classification.Compensated ? 11.3m : 4.1m, new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
        ],
        Classification.InsufficientData =>
        [
            TotalT(262m, new DateTimeOffset(2025, 5, 20, 14, 30, 0, TimeSpan.FromHours(-5)), "afternoon sample; not used for diagnosis", morning: false),
        ],
        _ =>
        [
            TotalT(245m, new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
            TotalT(262m, SampleTime.OnDate(new DateOnly(2025, 4, 28))),
            Lh(3.1m, new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
            new EvidenceItem
            {
                Analyte = Analyte.FreeTestosterone,
                Quantity = new LabQuantity(168m, LabUnit.PicomolesPerLiter),
                EffectiveTime = SampleTime.At(new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
                IsMorning = true,
                CalculatedByService = true,
                Interpretation = "below 220 pmol/L",
            },
        ],
    };

    private static EvidenceItem TotalT(decimal ngPerDl, DateTimeOffset at, string interpretation = "below 300 ng/dL", bool morning = true) =>
        TotalT(ngPerDl, SampleTime.At(at), interpretation, morning);

    private static EvidenceItem TotalT(decimal ngPerDl, SampleTime at, string interpretation = "below 300 ng/dL", bool morning = true) => new()
    {
        Analyte = Analyte.TotalTestosterone,
        Quantity = new LabQuantity(ngPerDl, LabUnit.NanogramsPerDeciliter),
        EffectiveTime = at,
        IsMorning = morning,
        Interpretation = interpretation,
        SourceId = "Observation/tt-" + ngPerDl,
    };

    private static EvidenceItem Lh(decimal iuPerL, DateTimeOffset at) => new()
    {
        Analyte = Analyte.Lh,
        Quantity = new LabQuantity(iuPerL, LabUnit.InternationalUnitsPerLiter),
        EffectiveTime = SampleTime.At(at),
        Interpretation = iuPerL > 9.4m ? "above 9.4 IU/L" : "not above 9.4 IU/L",
    };

    public static readonly ImmutableArray<MonitoringItem> TrtPlan =
    [
        new() { Test = "Total testosterone", Loinc = "2986-8", Due = Today.AddDays(91), When = "3-6 months, then yearly", Reason = "Target mid-normal 450-600 ng/dL", Source = "AUA 2018; ES 2018" },
        new() { Test = "Hematocrit", Loinc = "4544-3", Due = Today, When = "Baseline, 3-6 months, then yearly", Reason = "Withhold if above 54 %", Source = "ES 2018" },
        new() { Test = "PSA", Loinc = "2857-1", Due = Today, When = "Baseline and 3-12 months (men 40-69)", Reason = "Refer if PSA rises more than 1.4 ng/mL in 12 months", Source = "ES 2018" },
    ];

    public static readonly ImmutableArray<MonitoringItem> SermPlan =
    [
        new() { Test = "Total testosterone", Loinc = "2986-8", Due = Today.AddDays(42), When = "4-8 weeks", Reason = "Titrate to mid-normal testosterone", Source = "AUA 2018 Table 7; Liel 2017" },
        new() { Test = "Estradiol", Loinc = "2243-4", Due = Today.AddDays(42), When = "4-8 weeks", Reason = "SERMs raise estradiol", Source = "AUA 2018 Table 7" },
        new() { Test = "Semen analysis", Due = Today.AddDays(91), When = "About every 3 months while trying to conceive", Reason = "Spermatogenesis takes about 74 days", Source = "Clinical brief 4.2" },
        new() { Test = "Visual disturbances and mood", Due = Today.AddDays(42), When = "Each visit", Reason = "Stop clomiphene if visual symptoms occur", Source = "Clomiphene label" },
    ];

    public static readonly ImmutableArray<MonitoringItem> HcgPlan =
    [
        new() { Test = "Total testosterone", Loinc = "2986-8", Due = Today.AddDays(35), When = "4-6 weeks", Reason = "Titrate to mid-normal testosterone", Source = "Clinical brief 4.2" },
        new() { Test = "Hematocrit", Loinc = "4544-3", Due = Today.AddDays(35), When = "4-6 weeks", Reason = "hCG can raise hematocrit", Source = "Clinical brief 4.2" },
    ];

    public static readonly ImmutableArray<ContraindicationFinding> HematocritAndPsa =
    [
        new(TrtContraindication.HematocritAbove48, "Hematocrit 51.2 %", new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
        new(TrtContraindication.PsaAbove4, "PSA 4.6 ng/mL", new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
    ];
}
