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

    /// <summary>Personal history of prostate cancer (Z85.46): treated, no evidence of disease; not active cancer.</summary>
    ProstateCancerHistory,

    /// <summary>Pulmonary embolism, deep-vein thrombosis of the leg, or a personal history of venous thromboembolism.</summary>
    VenousThromboembolism,

    /// <summary>Polycythaemia vera (D45) or secondary polycythaemia (D75.1).</summary>
    Polycythemia,

    /// <summary>Liver disease (K70–K77): clomiphene label contraindication.</summary>
    LiverDisease,

    /// <summary>Subjective visual disturbance or visual field defect (H53.1, H53.4): clomiphene label.</summary>
    VisualDisturbance,

    /// <summary>Osteoporosis with or without a current fracture (M80, M81).</summary>
    Osteoporosis,
}

/// <summary>
/// A relative's condition from FamilyMemberHistory; only the condition groups the rules use are kept (prostate cancer,
/// for the high-risk PSA limit).
/// </summary>
public sealed record FamilyHistoryFact
{
    public required ConditionKind Kind { get; init; }

    /// <summary>FamilyMemberHistory.relationship code (v3 RoleCode: FTH, BRO, SON…); null when not coded.</summary>
    public string? Relationship { get; init; }

    /// <summary>The relationship as the record names it (coding display or text).</summary>
    public string? RelationshipDisplay { get; init; }

    public DateTimeOffset? Recorded { get; init; }

    public string? SourceId { get; init; }
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
