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
    /// The patient is outside the rules' scope (not an adult man): no advice. Added for classification
    /// not-applicable: the guidelines address adult men and advise nothing outside that scope; the card layer decides
    /// whether to emit it.
    /// </summary>
    NotApplicable,
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
}

public enum AdditionalWorkup
{
    Prolactin,
    PituitaryMri,
    IronStudies,
    SemenAnalysis,
    Estradiol,
    Karyotype,
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
    Thrombophilia,
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

/// <summary>A contraindication found, with the value and date that triggered it.</summary>
public sealed record ContraindicationFinding(TrtContraindication Code, string Evidence, DateTimeOffset? Date);

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
}
