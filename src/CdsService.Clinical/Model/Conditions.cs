namespace CdsService.Clinical.Model;

/// <summary>
/// Condition groups the rules care about. Each is a FHIR ValueSet in fhir-profiles (ICD-10-CM and SNOMED CT codes),
/// so the mapping from codes to kinds is reviewable data, not code.
/// </summary>
public enum ConditionKind
{
    Hypogonadism,
    PrimaryHypogonadismCause,
    SecondaryHypogonadismCause,
    MaleInfertility,
    ProcreativeManagement,
    BreastSymptoms,
    ProstateCancer,
    ProstateCancerHighRisk,
    BreastCancer,
    SevereSleepApneaUntreated,
    UncontrolledHeartFailure,
    MyocardialInfarction,
    Stroke,
    Thrombophilia,
    Hyperprolactinemia,
    PituitaryDisorder,
    Klinefelter,
    TesticularCause,
    Hemochromatosis,
    Obesity,
    Type2Diabetes,
    SleepApnea,
    AndrogenDeficiencySymptom,

    /// <summary>Osteoporosis or a low-trauma (osteoporotic) fracture: DXA after 1–2 years of testosterone (ES 2018 Table 8).</summary>
    Osteoporosis,
}

/// <summary>An active (active/recurrence/relapse), not refuted condition.</summary>
public sealed record ConditionFact
{
    public required ConditionKind Kind { get; init; }

    public DateTimeOffset? Onset { get; init; }

    public DateTimeOffset? Recorded { get; init; }

    public string? Code { get; init; }

    public string? Display { get; init; }

    public string? SourceId { get; init; }
}
