using CdsService.Clinical.Model;
using Microsoft.Extensions.Time.Testing;

namespace CdsService.UnitTests.Clinical.Support;

/// <summary>
/// Test data in the style of serilog's Some.cs: each method builds one plausible input, with only the values a test
/// cares about as arguments. Times are relative to <see cref="Now"/>, the fixed evaluation time of every test clock.
/// </summary>
internal static class Some
{
    /// <summary>Evaluation time for the tests: 15 June 2025, 12:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public static DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    public static FakeTimeProvider Clock() => new(Now);

    /// <summary>A local sample time <paramref name="daysAgo"/> days before <see cref="Now"/> at the given clock time.</summary>
    public static SampleTime SampledAt(int daysAgo, int hour = 8, int minute = 0, TimeSpan? offset = null, bool dateOnly = false)
    {
        var day = Now.UtcDateTime.Date.AddDays(-daysAgo);
        return dateOnly
            ? SampleTime.OnDate(DateOnly.FromDateTime(day))
            : SampleTime.At(new DateTimeOffset(day.Year, day.Month, day.Day, hour, minute, 0, offset ?? TimeSpan.Zero));
    }

    public static LabResult Lab(Analyte analyte, decimal value, LabUnit unit, int daysAgo = 10, int hour = 8, int minute = 0,
        bool dateOnly = false, ValueComparator comparator = ValueComparator.Equal, TimeSpan? offset = null,
        ReferenceRange? range = null) => new()
        {
            Analyte = analyte,
            Quantity = new LabQuantity(value, unit),
            Comparator = comparator,
            EffectiveTime = SampledAt(daysAgo, hour, minute, offset, dateOnly),
            ReferenceRange = range,
            SourceId = $"Observation/{analyte}-{daysAgo}-{hour}{minute}",
        };

    public static LabResult TotalTestosterone(decimal? ngPerDl = null, decimal? nmolPerL = null, int daysAgo = 10, int hour = 8,
        int minute = 0, bool dateOnly = false, ValueComparator comparator = ValueComparator.Equal, TimeSpan? offset = null) =>
        nmolPerL is { } molar
            ? Lab(Analyte.TotalTestosterone, molar, LabUnit.NanomolesPerLiter, daysAgo, hour, minute, dateOnly, comparator, offset)
            : Lab(Analyte.TotalTestosterone, ngPerDl ?? 450m, LabUnit.NanogramsPerDeciliter, daysAgo, hour, minute, dateOnly, comparator, offset);

    public static LabResult Lh(decimal iuPerL, int daysAgo = 10, ValueComparator comparator = ValueComparator.Equal) =>
        Lab(Analyte.Lh, iuPerL, LabUnit.InternationalUnitsPerLiter, daysAgo, comparator: comparator);

    public static LabResult Fsh(decimal iuPerL = 5m, int daysAgo = 10) => Lab(Analyte.Fsh, iuPerL, LabUnit.InternationalUnitsPerLiter, daysAgo);

    /// <summary>A measured free testosterone, by equilibrium dialysis unless said otherwise (the method that may decide, ES 2018).</summary>
    public static LabResult FreeTestosterone(decimal pmolPerL, int daysAgo = 10,
        FreeTestosteroneMethod method = FreeTestosteroneMethod.EquilibriumDialysis, ReferenceRange? range = null) =>
        Lab(Analyte.FreeTestosterone, pmolPerL, LabUnit.PicomolesPerLiter, daysAgo, range: range) with { Method = method };

    public static LabResult Shbg(decimal nmolPerL, int daysAgo = 10, ReferenceRange? range = null) =>
        Lab(Analyte.Shbg, nmolPerL, LabUnit.NanomolesPerLiter, daysAgo, range: range);

    public static LabResult Albumin(decimal gPerDl, int daysAgo = 10) => Lab(Analyte.Albumin, gPerDl, LabUnit.GramsPerDeciliter, daysAgo);

    public static LabResult Prolactin(decimal ngPerMl = 10m, decimal? upperLimit = null, int daysAgo = 10) =>
        Lab(Analyte.Prolactin, ngPerMl, LabUnit.NanogramsPerMilliliter, daysAgo,
            range: upperLimit is { } high ? new ReferenceRange(null, new LabQuantity(high, LabUnit.NanogramsPerMilliliter)) : null);

    public static LabResult Ferritin(decimal ngPerMl = 150m, int daysAgo = 10) => Lab(Analyte.Ferritin, ngPerMl, LabUnit.NanogramsPerMilliliter, daysAgo);

    public static LabResult Hematocrit(decimal percent, int daysAgo = 10) => Lab(Analyte.Hematocrit, percent, LabUnit.Percent, daysAgo);

    public static LabResult Psa(decimal ngPerMl, int daysAgo = 10) => Lab(Analyte.Psa, ngPerMl, LabUnit.NanogramsPerMilliliter, daysAgo);

    public static LabResult Estradiol(decimal pgPerMl = 25m, int daysAgo = 10) => Lab(Analyte.Estradiol, pgPerMl, LabUnit.PicogramsPerMilliliter, daysAgo);

    public static ConditionFact Condition(ConditionKind kind, int? onsetDaysAgo = null, int? recordedDaysAgo = null, string? display = null) => new()
    {
        Kind = kind,
        Onset = onsetDaysAgo is { } onset ? Now.AddDays(-onset) : null,
        Recorded = recordedDaysAgo is { } recorded ? Now.AddDays(-recorded) : null,
        Display = display,
        SourceId = $"Condition/{kind}",
    };

    public static MedicationFact Medication(MedicationClass medicationClass, MedicationState state, int? startDaysAgo = null,
        int? endDaysAgo = null, string? sourceId = null) => new()
        {
            Class = medicationClass,
            State = state,
            Start = startDaysAgo is { } start ? Now.AddDays(-start) : null,
            End = endDaysAgo is { } end ? Now.AddDays(-end) : null,
            SourceId = sourceId ?? $"MedicationRequest/{medicationClass}-{state}",
        };

    public static DraftOrder Draft(MedicationClass medicationClass, string id = "draft-1") => new()
    {
        Class = medicationClass,
        ResourceType = "MedicationRequest",
        ResourceId = id,
    };

    /// <summary>A coded symptom of androgen deficiency (AUA 2018 statement 3), erectile dysfunction by default.</summary>
    public static ConditionFact Symptom(string display = "Erectile dysfunction", int recordedDaysAgo = 60) =>
        Condition(ConditionKind.AndrogenDeficiencySymptom, recordedDaysAgo: recordedDaysAgo, display: display);

    public static FertilityIntentRecord Intent(FertilityIntent intent, int daysAgo = 30) => new(intent, Now.AddDays(-daysAgo), "Observation/intent");
}
