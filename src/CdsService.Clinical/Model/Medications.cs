namespace CdsService.Clinical.Model;

/// <summary>Drug classes the rules distinguish; matched by RxNorm code or drug-name text in CdsService.Fhir.</summary>
public enum MedicationClass
{
    Testosterone,
    AnabolicSteroid,
    Clomiphene,
    Enclomiphene,
    Hcg,
    Fsh,
    AromataseInhibitor,

    /// <summary>Opioid analgesics and opioid-agonist therapy (methadone, buprenorphine…): suppress the axis (ES 2018).</summary>
    Opioid,

    /// <summary>Systemic glucocorticoids (not topical, inhaled or local forms).</summary>
    Glucocorticoid,

    /// <summary>GnRH agonists and antagonists, anti-androgens and abiraterone for prostate cancer.</summary>
    AndrogenDeprivation,
    Other,
}

public enum MedicationState
{
    Active,
    Completed,
    Stopped,
    OnHold,
    Unknown,
}

/// <summary>A medication the patient takes or took (not the order under evaluation).</summary>
public sealed record MedicationFact
{
    public required MedicationClass Class { get; init; }

    public required MedicationState State { get; init; }

    /// <summary>When it started (authoredOn / effective start), if known.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>When it ended or was last taken, if known; null for an active medication.</summary>
    public DateTimeOffset? End { get; init; }

    public string? Display { get; init; }

    public string? SourceId { get; init; }
}

/// <summary>An order drafted in the EHR during this hook call.</summary>
public sealed record DraftOrder
{
    public required MedicationClass Class { get; init; }

    /// <summary>FHIR resource type of the draft (MedicationRequest, ServiceRequest…).</summary>
    public required string ResourceType { get; init; }

    /// <summary>The draft's id, used by suggestions that delete or replace it.</summary>
    public string? ResourceId { get; init; }

    public string? Display { get; init; }
}

public enum FertilityIntent
{
    Unknown,
    Desired,
    NotDesired,
    Unsure,
}

/// <summary>A recorded answer to "pregnancy intention in the next year" (LOINC 86645-9) or equivalent.</summary>
public sealed record FertilityIntentRecord(FertilityIntent Intent, DateTimeOffset RecordedAt, string? SourceId = null);
