using BenchmarkDotNet.Attributes;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;

namespace CdsService.Benchmarks.Clinical;

/// <summary>
/// One assessment of a realistic order-sign snapshot: 60 laboratory results over 14 months (some outside the lookback,
/// some afternoon, one in an unconvertible unit), 10 conditions, 5 medications and a testosterone draft.
/// Budget: ≤ 20 µs and ≤ 8 KB allocated per assessment, a small share of the order-sign p99 goal of 25 ms
/// (docs/performance.md).
/// Run: dotnet run -c Release --project tests/CdsService.Benchmarks -- --filter '*AssessmentBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class AssessmentBenchmarks
{
    private static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private HypogonadismAssessor assessor = null!;
    private PatientSnapshot orderSign = null!;
    private PatientSnapshot patientView = null!;

    [GlobalSetup]
    public void Setup()
    {
        assessor = new HypogonadismAssessor(ClinicalThresholds.Default, new FixedClock(Now));
        orderSign = BuildSnapshot(withDraft: true);
        patientView = BuildSnapshot(withDraft: false);
        if (orderSign.Labs.Length != 60)
        {
            throw new InvalidOperationException("The benchmark snapshot must hold 60 laboratory results.");
        }
    }

    [Benchmark(Baseline = true)]
    public Assessment OrderSignWithTestosteroneDraft() => assessor.Assess(orderSign);

    [Benchmark]
    public Assessment PatientView() => assessor.Assess(patientView);

    internal static PatientSnapshot BuildSnapshot(bool withDraft)
    {
        var labs = new List<LabResult>(60);

        // (analyte, unit, count, base value, step): spread over ~14 months so some fall outside the 12-month lookback.
        (Analyte Analyte, LabUnit Unit, int Count, decimal Value, decimal Step)[] series =
        [
            (Analyte.TotalTestosterone, LabUnit.NanogramsPerDeciliter, 12, 250m, 4m),
            (Analyte.TotalTestosterone, LabUnit.NanomolesPerLiter, 3, 8.6m, 0.2m),
            (Analyte.Lh, LabUnit.InternationalUnitsPerLiter, 8, 3.1m, 0.2m),
            (Analyte.Fsh, LabUnit.InternationalUnitsPerLiter, 6, 4.0m, 0.3m),
            (Analyte.Shbg, LabUnit.NanomolesPerLiter, 5, 28m, 1m),
            (Analyte.Albumin, LabUnit.GramsPerDeciliter, 5, 4.2m, 0.05m),
            (Analyte.FreeTestosterone, LabUnit.PicogramsPerMilliliter, 2, 55m, 2m),
            (Analyte.Prolactin, LabUnit.NanogramsPerMilliliter, 3, 9m, 1m),
            (Analyte.Estradiol, LabUnit.PicogramsPerMilliliter, 4, 24m, 1m),
            (Analyte.Hematocrit, LabUnit.Percent, 5, 45m, 0.4m),
            (Analyte.Psa, LabUnit.NanogramsPerMilliliter, 3, 1.1m, 0.1m),
            (Analyte.Ferritin, LabUnit.NanogramsPerMilliliter, 3, 140m, 10m),
            (Analyte.Prolactin, LabUnit.MilliInternationalUnitsPerLiter, 1, 200m, 0m),
        ];

        foreach (var (analyte, unit, count, value, step) in series)
        {
            for (var i = 0; i < count; i++)
            {
                var daysAgo = 7 + (i * 420 / Math.Max(count, 1));
                var hour = i % 4 == 3 ? 14 : 8;
                var day = Now.UtcDateTime.Date.AddDays(-daysAgo);
                labs.Add(new LabResult
                {
                    Analyte = analyte,
                    Quantity = new LabQuantity(value + (step * i), unit),
                    EffectiveTime = SampleTime.At(new DateTimeOffset(day.Year, day.Month, day.Day, hour, 15, 0, TimeSpan.FromHours(-5))),
                    Code = "bench",
                    SourceId = $"Observation/{analyte}-{i}",
                });
            }
        }

        ConditionFact[] conditions =
        [
            new() { Kind = ConditionKind.Hypogonadism, Onset = Now.AddYears(-2) },
            new() { Kind = ConditionKind.SecondaryHypogonadismCause, Onset = Now.AddYears(-3) },
            new() { Kind = ConditionKind.BreastSymptoms, Onset = Now.AddMonths(-2) },
            new() { Kind = ConditionKind.PituitaryDisorder, Onset = Now.AddYears(-5) },
            new() { Kind = ConditionKind.MyocardialInfarction, Onset = Now.AddYears(-4) },
            new() { Kind = ConditionKind.Hypogonadism, Recorded = Now.AddYears(-1) },
            new() { Kind = ConditionKind.Stroke, Onset = Now.AddYears(-6) },
            new() { Kind = ConditionKind.PrimaryHypogonadismCause, Recorded = Now.AddYears(-7) },
            new() { Kind = ConditionKind.Hyperprolactinemia, Onset = Now.AddYears(-8) },
            new() { Kind = ConditionKind.UncontrolledHeartFailure, Onset = Now.AddYears(-1) },
        ];

        MedicationFact[] medications =
        [
            new() { Class = MedicationClass.Other, State = MedicationState.Active, Start = Now.AddYears(-1) },
            new() { Class = MedicationClass.Other, State = MedicationState.Active, Start = Now.AddMonths(-3) },
            new() { Class = MedicationClass.Clomiphene, State = MedicationState.Completed, Start = Now.AddYears(-2), End = Now.AddYears(-1) },
            new() { Class = MedicationClass.Testosterone, State = MedicationState.Stopped, Start = Now.AddYears(-3), End = Now.AddYears(-2) },
            new() { Class = MedicationClass.AromataseInhibitor, State = MedicationState.Completed, Start = Now.AddYears(-2), End = Now.AddYears(-2) },
        ];

        return new PatientSnapshot
        {
            Sex = AdministrativeSex.Male,
            BirthDate = new DateOnly(1978, 3, 2),
            Labs = [.. labs],
            Conditions = [.. conditions],
            Medications = [.. medications],
            FertilityIntents = [new FertilityIntentRecord(FertilityIntent.NotDesired, Now.AddMonths(-2))],
            DraftOrders = withDraft
                ? [new DraftOrder { Class = MedicationClass.Testosterone, ResourceType = "MedicationRequest", ResourceId = "draft-1" }]
                : [],
        };
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
