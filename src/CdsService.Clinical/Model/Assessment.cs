using System.Collections.Immutable;

namespace CdsService.Clinical.Model;

/// <summary>Hypogonadism type (docs/clinical/hypogonadism-rules.md §4). Wire codes are kebab-case, see <see cref="WireCodes"/>.</summary>
public enum Classification
{
    NotApplicable,
    ExogenousAndrogen,
    InsufficientData,
    Primary,
    Secondary,
    Compensated,
    Eugonadal,

    /// <summary>
    /// On androgen deprivation for prostate cancer (GnRH agonist or antagonist, anti-androgen): low testosterone is the
    /// treatment's goal, not a disease (docs/clinical/hypogonadism-rules.md, CLS-2).
    /// </summary>
    AndrogenDeprivation,

    /// <summary>
    /// On clomiphene, enclomiphene, hCG, FSH or an aromatase inhibitor (or stopped within the window): the hormone
    /// values reflect the drug, so they are not classified as disease (CLS-4).
    /// </summary>
    OnFertilityTherapy,
}

/// <summary>One primary recommendation code per assessment (docs/clinical/hypogonadism-rules.md §6).</summary>
public enum Recommendation
{
    TestosteroneReplacement,
    FertilityPreserving,
    ReferReproductiveUrology,
    AssessFertilityIntent,
    NoTestosteroneTherapy,
    CompleteWorkup,
    FertilityRestoration,
    ContinueWithMonitoring,

    /// <summary>
    /// A cause that changes management comes first: hyperprolactinaemia or pituitary disease (endocrinology), a drug
    /// that suppresses the axis (review it first), iron overload (HFE testing, hepatology).
    /// </summary>
    TreatUnderlyingCause,

    /// <summary>
    /// The patient is outside the rules' scope (not an adult man): no advice. Added for classification
    /// not-applicable: the guidelines address adult men and advise nothing outside that scope; the card layer decides
    /// whether to emit it.
    /// </summary>
    NotApplicable,

    /// <summary>
    /// An absolute contraindication to testosterone is recorded (active prostate or breast cancer, androgen deprivation
    /// for prostate cancer): never testosterone replacement, whatever the classification (ES 2018 Table 4).
    /// </summary>
    TestosteroneContraindicated,

    /// <summary>
    /// On testosterone with the newest on-treatment hematocrit above the withhold limit: withhold testosterone until it
    /// falls, look for hypoxia and sleep apnoea, restart at a lower dose (ES 2018 Table 8; AUA 2018). Row REC-22.
    /// </summary>
    WithholdTestosterone,
}

public enum AndrogenStatus
{
    Unknown,
    Unconfirmed,
    Low,
    Normal,
}

public enum MissingData
{
    MorningTotalTestosterone,
    SecondMorningTotalTestosterone,
    Lh,
    Fsh,
    Shbg,
    Prolactin,

    /// <summary>No symptom or sign of androgen deficiency is coded (AUA 2018 statement 3: the diagnosis needs them).</summary>
    Symptoms,
}

public enum AdditionalWorkup
{
    Prolactin,
    PituitaryMri,
    IronStudies,
    SemenAnalysis,
    Estradiol,
    Karyotype,

    /// <summary>HFE genotype and a hepatology opinion when iron overload is found (AASLD 2011; EASL 2022).</summary>
    HfeGenotype,

    /// <summary>Hyperprolactinaemia or pituitary disease: endocrinology first (AUA 2018 statement 8; ES 2018).</summary>
    EndocrinologyReferral,
}

/// <summary>
/// A cause of low testosterone that changes management (docs/clinical/hypogonadism-rules.md, causes table). Wire codes
/// are kebab-case; <see cref="Type2Diabetes"/> is "type-2-diabetes".
/// </summary>
public enum Cause
{
    Hyperprolactinemia,
    PituitaryDisease,
    Klinefelter,
    TesticularCause,
    Opioid,
    Glucocorticoid,
    IronOverload,
    Obesity,
    Type2Diabetes,
    SleepApnea,
}

public enum TrtContraindication
{
    FertilityDesired,
    HematocritAbove48,
    PsaAbove4,
    ProstateCancer,
    BreastCancer,
    UntreatedSevereSleepApnea,
    UncontrolledHeartFailure,
    RecentMiOrStroke,

    /// <summary>
    /// Venous thromboembolism (pulmonary embolism, deep-vein thrombosis, or a personal history of either) or
    /// thrombophilia (ES 2018 Table 4 names thrombophilia; testosterone labels warn of VTE).
    /// </summary>
    VteOrThrombophilia,

    /// <summary>Personal history of prostate cancer (Z85.46): relative, testosterone only with urology's agreement (BSSM 2023).</summary>
    ProstateCancerHistory,

    /// <summary>Polycythaemia vera or secondary polycythaemia coded: testosterone raises red-cell mass further.</summary>
    Polycythemia,

    /// <summary>On androgen deprivation for prostate cancer: testosterone would undo the treatment (absolute).</summary>
    AndrogenDeprivation,
}

/// <summary>
/// How strongly a contraindication speaks against a drug: absolute (do not give it) or relative (weigh it, or have the
/// specialist named in the finding agree, first). Findings are listed absolute first.
/// </summary>
public enum ContraindicationSeverity
{
    Absolute,
    Relative,
}

/// <summary>
/// A reason against the drafted drug when it is not testosterone: clomiphene or enclomiphene, hCG or FSH, an aromatase
/// inhibitor or an anabolic steroid (docs/clinical/hypogonadism-rules.md, contraindications to the drafted drug).
/// </summary>
public enum OrderContraindication
{
    /// <summary>Pituitary disease coded: clomiphene label, "organic intracranial lesion such as pituitary tumor".</summary>
    PituitaryTumor,

    /// <summary>Liver disease (K70–K77): clomiphene label.</summary>
    LiverDisease,

    /// <summary>Venous thromboembolism or thrombophilia (enclomiphene: EMA refusal for VTE risk).</summary>
    VteOrThrombophilia,

    /// <summary>Visual disturbance or visual field defect coded (clomiphene label: stop and examine).</summary>
    VisualDisturbance,

    /// <summary>Primary hypogonadism: the testes cannot respond, so the drug does not work.</summary>
    PrimaryHypogonadism,

    /// <summary>Hypogonadism not confirmed (work-up incomplete, eugonadal or compensated).</summary>
    UnconfirmedDiagnosis,

    /// <summary>Prostate cancer: hCG label (androgen-dependent neoplasm); anabolic steroid labels.</summary>
    ProstateCancer,

    /// <summary>Male breast cancer: hCG label (androgen-dependent neoplasm); anabolic steroid labels.</summary>
    BreastCancer,

    /// <summary>Osteoporosis coded: an aromatase inhibitor lowers estradiol, which the male skeleton needs.</summary>
    Osteoporosis,

    /// <summary>Anabolic steroids are not a treatment for hypogonadism.</summary>
    NotAHypogonadismTreatment,

    /// <summary>Fertility desired: an anabolic steroid suppresses sperm production like testosterone.</summary>
    FertilityDesired,
}

/// <summary>Which therapy a monitoring plan is for.</summary>
public enum TherapyKind
{
    TestosteroneReplacement,
    Serm,
    Hcg,
}

/// <summary>A result the rules used, with how it was used (the card's evidence table).</summary>
public sealed record EvidenceItem
{
    public required Analyte Analyte { get; init; }

    public required LabQuantity Quantity { get; init; }

    public ValueComparator Comparator { get; init; } = ValueComparator.Equal;

    public required SampleTime EffectiveTime { get; init; }

    /// <summary>True when sampled before the morning cut-off; null when not relevant to the analyte.</summary>
    public bool? IsMorning { get; init; }

    /// <summary>True when this value was calculated by the service (e.g. Vermeulen free testosterone).</summary>
    public bool CalculatedByService { get; init; }

    /// <summary>A short plain-words note, e.g. "below 300 ng/dL".</summary>
    public string? Interpretation { get; init; }

    public string? SourceId { get; init; }
}

/// <summary>A cause found, with the value and date, or the condition or medication, that showed it.</summary>
public sealed record CauseFinding(Cause Code, string Evidence, DateTimeOffset? Date);

/// <summary>A contraindication found, with the value and date that triggered it.</summary>
public sealed record ContraindicationFinding(TrtContraindication Code, string Evidence, DateTimeOffset? Date)
{
    /// <summary>The row's severity (absolute or relative), set by the engine from the contraindication table.</summary>
    public ContraindicationSeverity Severity { get; init; } = ContraindicationSeverity.Relative;
}

/// <summary>
/// A reason against a drafted drug other than testosterone: the drug class it is about, the reason, the value or
/// diagnosis that showed it, its date and how strongly it speaks against the drug.
/// </summary>
public sealed record OrderContraindicationFinding(
    MedicationClass DrugClass,
    OrderContraindication Code,
    string Evidence,
    DateTimeOffset? Date,
    ContraindicationSeverity Severity);

/// <summary>One monitoring item: what to test, its LOINC code (when one exists), when it is due and why.</summary>
public sealed record MonitoringItem
{
    public required string Test { get; init; }

    public string? Loinc { get; init; }

    public required DateOnly Due { get; init; }

    public required string When { get; init; }

    public required string Reason { get; init; }

    public required string Source { get; init; }
}

/// <summary>The engine's answer for one snapshot, with the reasons behind it.</summary>
public sealed record Assessment
{
    public required Classification Classification { get; init; }

    public required FertilityIntent FertilityIntent { get; init; }

    public required Recommendation Recommendation { get; init; }

    public required AndrogenStatus AndrogenStatus { get; init; }

    public ImmutableArray<MissingData> MissingData { get; init; } = [];

    public ImmutableArray<AdditionalWorkup> AdditionalWorkup { get; init; } = [];

    public ImmutableArray<ContraindicationFinding> TrtContraindications { get; init; } = [];

    /// <summary>
    /// Reasons against each drafted drug that is not testosterone (clomiphene, enclomiphene, hCG, FSH, aromatase
    /// inhibitor, anabolic steroid), grouped by drafted class in draft order, absolute before relative within a class.
    /// </summary>
    public ImmutableArray<OrderContraindicationFinding> OrderContraindications { get; init; } = [];

    /// <summary>
    /// Whether the record shows a high risk of prostate cancer (ES 2018: Black or African American, first-degree
    /// relative with prostate cancer), with the evidence; empty when the record shows neither.
    /// </summary>
    public ImmutableArray<string> ProstateCancerRiskFactors { get; init; } = [];

    /// <summary>Causes that change management, in the causes table's order, each with its evidence.</summary>
    public ImmutableArray<CauseFinding> Causes { get; init; } = [];

    /// <summary>Coded symptoms and signs of androgen deficiency, as "name (recorded date)" for the evidence table.</summary>
    public ImmutableArray<string> Symptoms { get; init; } = [];

    /// <summary>The patient's age in whole years on the evaluation date; null when no birth date was recorded.</summary>
    public int? AgeYears { get; init; }

    /// <summary>Therapy the monitoring plan is for; null when no therapy is recommended or ordered.</summary>
    public TherapyKind? MonitoringFor { get; init; }

    public ImmutableArray<MonitoringItem> MonitoringPlan { get; init; } = [];

    public ImmutableArray<EvidenceItem> Evidence { get; init; } = [];

    /// <summary>Inputs read but not used for decisions (unit the rules cannot convert, value not comparable), shown to the clinician.</summary>
    public ImmutableArray<DataIssue> DataIssues { get; init; } = [];

    /// <summary>Ids of the decision-table rows that fired, in evaluation order (e.g. "AND-3", "CLS-6", "REC-10").</summary>
    public ImmutableArray<string> RuleIds { get; init; } = [];

    /// <summary>Plain-words reasons, in rule order, each citing its guideline.</summary>
    public ImmutableArray<string> Reasons { get; init; } = [];

    public required DateTimeOffset EvaluatedAt { get; init; }

    public required string RulesVersion { get; init; }

    // Men already on (or just off) testosterone: the on-treatment monitoring rules (MA rows), the situation the words
    // depend on, and the fertility answer that has aged out of the window.

    /// <summary>Testosterone or anabolic steroid use in the window: on treatment, stopped, or anabolic steroids.</summary>
    public AndrogenExposure AndrogenExposure { get; init; }

    /// <summary>The formulation of the testosterone he takes (or took), which decides when a level is sampled.</summary>
    public TestosteroneFormulation Formulation { get; init; }

    /// <summary>When the current testosterone prescription started, where recorded.</summary>
    public DateTimeOffset? TestosteroneSince { get; init; }

    /// <summary>
    /// For a man who stopped testosterone: the first day a morning testosterone and LH reflect his own axis (stop date
    /// plus the washout); null when not stopped or the stop date is not recorded.
    /// </summary>
    public DateOnly? RetestAfterWashoutFrom { get; init; }

    /// <summary>True when testosterone is drafted for a man already on it (a renewal or dose change).</summary>
    public bool IsTestosteroneRenewal { get; init; }

    /// <summary>On-treatment monitoring findings (MA rows), in table order.</summary>
    public ImmutableArray<MonitoringAlertFinding> MonitoringAlerts { get; init; } = [];

    /// <summary>The newest documented fertility answer when none is current (older than the window); otherwise null.</summary>
    public LastDocumentedIntent? LastDocumentedIntent { get; init; }

    /// <summary>The washout before repeat testosterone and LH, in weeks, for a man who stopped testosterone or takes anabolic steroids.</summary>
    public int? WashoutWeeks { get; init; }

    /// <summary>
    /// A young man starting testosterone who does not want children now: offer sperm banking before the first dose
    /// (BSSM 2023: discuss the effect on fertility and offer alternatives).
    /// </summary>
    public bool OfferSpermBanking { get; init; }
}
