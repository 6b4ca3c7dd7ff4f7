using System.Collections.Immutable;
using System.Globalization;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The causes table of <see cref="HypogonadismRules"/>: causes of low testosterone that change what the clinician does
/// first. Every matching row adds a finding with its evidence. Evaluated for men in scope except on androgen
/// deprivation (where low testosterone is the treatment's goal).
/// </summary>
public static partial class HypogonadismRules
{
    public static ImmutableArray<CauseRule> CauseRules { get; } =
    [
        new("CA-1", Cause.Hyperprolactinemia,
            "The newest prolactin is above its own reference range, else above {PRL_HIGH}, or hyperprolactinaemia is coded",
            $"{Aua}, statements 7–8; {Guidelines.LabReferenceRanges}; {Guidelines.WhoProlactinStandard}",
            static f => f.ProlactinHigh && f.Prolactin is { } prolactin
                ? new CauseFinding(Cause.Hyperprolactinemia, DescribeValue("Prolactin", prolactin) + AboveLimit(prolactin), prolactin.Time)
                : CodedCause(f, ConditionKind.Hyperprolactinemia, Cause.Hyperprolactinemia)),
        new("CA-2", Cause.PituitaryDisease,
            "Pituitary adenoma or tumour, hypopituitarism or another pituitary disorder is coded",
            $"{Es}; {Guidelines.ClomipheneLabel}",
            static f => CodedCause(f, ConditionKind.PituitaryDisorder, Cause.PituitaryDisease)),
        new("CA-3", Cause.Klinefelter,
            "Klinefelter syndrome is coded",
            $"{Es}; {Guidelines.EauSrh}",
            static f => CodedCause(f, ConditionKind.Klinefelter, Cause.Klinefelter)),
        new("CA-4", Cause.TesticularCause,
            "A testicular cause is coded: orchiectomy, bilateral cryptorchidism, orchitis, testicular cancer, chemotherapy or "
            + "radiotherapy",
            $"{Es}; {Guidelines.EauSrh}",
            static f => CodedCause(f, ConditionKind.TesticularCause, Cause.TesticularCause)),
        new("CA-5", Cause.Opioid,
            "An opioid analgesic or opioid-agonist therapy is active (methadone, buprenorphine, oxycodone, morphine, "
            + "hydrocodone, fentanyl, tramadol, tapentadol, hydromorphone…)",
            $"{Es} (opioids suppress the axis); {Aua}, statement 4; {Guidelines.Eaa2020}",
            static f => DrugCause(f.Opioids, Cause.Opioid)),
        new("CA-6", Cause.Glucocorticoid,
            "A systemic glucocorticoid is active (prednisone, prednisolone, methylprednisolone, dexamethasone, "
            + "hydrocortisone…; topical, inhaled and other local forms do not count)",
            $"{Es}; {Aua}, statement 4 (chronic corticosteroid use); {Guidelines.Eaa2020}",
            static f => DrugCause(f.Glucocorticoids, Cause.Glucocorticoid)),
        new("CA-7", Cause.IronOverload,
            "Ferritin above {FERRITIN_HIGH} with a transferrin saturation above {TSAT_HIGH} when one was measured, or "
            + "haemochromatosis is coded",
            $"{Guidelines.Easl2022}; {Guidelines.Aasld2011}; {Es}",
            static f => IronFinding(f)),
        new("CA-8", Cause.Obesity,
            "Body mass index {BMI_OBESE} or more, or obesity is coded (functional: weight loss can raise testosterone)",
            $"{Guidelines.Eaa2020}; {Guidelines.Emas2010}",
            static f => f.Bmi is { } bmi && ThresholdComparison.IsBelow(bmi.Value, bmi.Comparator, f.Thresholds.BmiObesityKgPerM2) == false
                ? new CauseFinding(Cause.Obesity, DescribeValue("Body mass index", bmi), bmi.Time)
                : CodedCause(f, ConditionKind.Obesity, Cause.Obesity)),
        new("CA-9", Cause.Type2Diabetes,
            "Type 2 diabetes is coded (functional)",
            $"{Guidelines.Eaa2020}; {Es}",
            static f => CodedCause(f, ConditionKind.Type2Diabetes, Cause.Type2Diabetes)),
        new("CA-10", Cause.SleepApnea,
            "Obstructive sleep apnoea is coded, whatever its severity (functional; treat it before testosterone)",
            $"{Es}; {Guidelines.Eaa2020}",
            static f => CodedCause(f, ConditionKind.SleepApnea, Cause.SleepApnea)
                ?? CodedCause(f, ConditionKind.SevereSleepApneaUntreated, Cause.SleepApnea)),
    ];

    private static string AboveLimit(LabPick pick) =>
        pick.Result.ReferenceRange?.High is not null ? ", above its reference range" : ", above the default upper limit";

    private static CauseFinding? CodedCause(AssessmentFacts f, ConditionKind kind, Cause cause) =>
        f.Condition(kind) is { } condition
            ? new CauseFinding(cause, DescribeCondition(condition), AssessmentFacts.DateOf(condition))
            : null;

    private static CauseFinding? DrugCause(List<MedicationFact> medications, Cause cause)
    {
        if (medications.Count == 0)
        {
            return null;
        }

        var medication = medications[0];
        var name = medication.Display ?? ClinicalWords.Describe(cause);
        var evidence = medication.Start is { } start
            ? string.Concat(name, " (active since ", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ")")
            : string.Concat(name, " (active)");
        return new CauseFinding(cause, evidence, medication.Start);
    }

    // EASL 2022 / AASLD 2011: a raised ferritin alone is a weak signal (it rises with inflammation), so a measured
    // transferrin saturation must agree; with none measured the ferritin stands and HFE testing settles it.
    private static CauseFinding? IronFinding(AssessmentFacts f)
    {
        var t = f.Thresholds;
        if (f.Ferritin is { } ferritin
            && ThresholdComparison.IsAbove(ferritin.Value, ferritin.Comparator, t.FerritinHighNgPerMl) == true)
        {
            if (f.TransferrinSaturation is not { } saturation)
            {
                return new CauseFinding(Cause.IronOverload,
                    DescribeValue("Ferritin", ferritin) + "; transferrin saturation not measured", ferritin.Time);
            }

            if (ThresholdComparison.IsAbove(saturation.Value, saturation.Comparator, t.TransferrinSaturationHighPercent) == true)
            {
                return new CauseFinding(Cause.IronOverload,
                    string.Concat(DescribeValue("Ferritin", ferritin), "; ", DescribeValue("transferrin saturation", saturation)),
                    ferritin.Time);
            }
        }

        return CodedCause(f, ConditionKind.Hemochromatosis, Cause.IronOverload);
    }
}
