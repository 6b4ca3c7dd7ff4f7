namespace CdsService.Clinical.Model;

/// <summary>The analytes the rules use. Each maps to several LOINC codes (mass and molar variants) in fhir-profiles.</summary>
public enum Analyte
{
    TotalTestosterone,
    FreeTestosterone,
    BioavailableTestosterone,
    Shbg,
    Albumin,
    Lh,
    Fsh,
    Prolactin,
    Estradiol,
    Hematocrit,
    Psa,
    Ferritin,
    TransferrinSaturation,
    Bmi,
}

/// <summary>
/// How a free testosterone value was obtained. LOINC codes do not say whether a measured value came from equilibrium
/// dialysis or a direct analog immunoassay (docs/clinical/evidence/confirmation-causes-scope.md §1.3), so the method is
/// read from <c>Observation.method</c> where the lab sends it.
/// </summary>
public enum FreeTestosteroneMethod
{
    /// <summary>No method recorded.</summary>
    Unknown,

    /// <summary>Calculated by the lab (Vermeulen or similar; the "by Calculation" LOINC codes).</summary>
    Calculated,

    /// <summary>Equilibrium dialysis or ultrafiltration (the reference method, ES 2018).</summary>
    EquilibriumDialysis,

    /// <summary>LC-MS/MS after dialysis.</summary>
    MassSpectrometry,

    /// <summary>Direct analog immunoassay: not reliable (ES 2018), never used to decide.</summary>
    DirectImmunoassay,
}

/// <summary>
/// Units the service understands. Anything else is reported as a <see cref="DataIssue"/> and ignored for decisions
/// and never guessed: a guessed unit could turn a low value normal or a normal one low (docs/clinical/hypogonadism-rules.md §2).
/// </summary>
public enum LabUnit
{
    NanogramsPerDeciliter,
    NanomolesPerLiter,
    PicogramsPerMilliliter,
    PicomolesPerLiter,
    NanogramsPerMilliliter,
    MicrogramsPerLiter,
    MicrogramsPerDeciliter,

    /// <summary>IU/L, identical to mIU/mL for LH and FSH.</summary>
    InternationalUnitsPerLiter,

    /// <summary>mIU/L (prolactin in WHO IS units).</summary>
    MilliInternationalUnitsPerLiter,
    Percent,
    LitersPerLiter,
    GramsPerDeciliter,
    GramsPerLiter,

    /// <summary>kg/m2 (body mass index).</summary>
    KilogramsPerSquareMeter,
}

/// <summary>How a result compares to its value: "&lt; 20" is kept and handled conservatively, never treated as 20.</summary>
public enum ValueComparator
{
    Equal,
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
}

public readonly record struct LabQuantity(decimal Value, LabUnit Unit);

/// <summary>
/// When the sample was taken. The offset is the one the EHR sent, so "morning" is judged in the patient's local time.
/// A date-only value is represented at 00:00 with <see cref="TimeRecorded"/> false.
/// </summary>
public readonly record struct SampleTime(DateTimeOffset Value, bool TimeRecorded)
{
    public DateOnly LocalDate => System.DateOnly.FromDateTime(Value.DateTime);

    public static SampleTime OnDate(DateOnly date) =>
        new(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), TimeRecorded: false);

    public static SampleTime At(DateTimeOffset value) => new(value, TimeRecorded: true);
}

public sealed record ReferenceRange(LabQuantity? Low, LabQuantity? High);

/// <summary>One usable (final/amended/corrected) laboratory result.</summary>
public sealed record LabResult
{
    public required Analyte Analyte { get; init; }

    public required LabQuantity Quantity { get; init; }

    public ValueComparator Comparator { get; init; } = ValueComparator.Equal;

    public required SampleTime EffectiveTime { get; init; }

    /// <summary>The result's own reference range, when the lab sent one.</summary>
    public ReferenceRange? ReferenceRange { get; init; }

    /// <summary>True for a measured free testosterone reported as calculated by the lab (LOINC 103227-5 and kin).</summary>
    public bool IsCalculated { get; init; }

    /// <summary>For free testosterone: how the value was obtained (<see cref="FreeTestosteroneMethod"/>).</summary>
    public FreeTestosteroneMethod Method { get; init; }

    /// <summary>The LOINC code the result was reported under (for the evidence table; never logged).</summary>
    public string? Code { get; init; }

    /// <summary>The source resource id (Observation/id) so a card can point at the evidence.</summary>
    public string? SourceId { get; init; }
}

/// <summary>Something read but not usable for decisions, shown to the clinician.</summary>
public sealed record DataIssue(string Kind, string Description);
