using System.Collections.Immutable;
using System.Globalization;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>The contraindications table of <see cref="HypogonadismRules"/> and the words of its findings.</summary>
public static partial class HypogonadismRules
{
    /// <summary>
    /// TRT contraindications, checked whenever testosterone is ordered or recommended.
    /// Every matching row adds a finding with the value or diagnosis and its date.
    /// </summary>
    public static ImmutableArray<ContraindicationRule> ContraindicationRules { get; } =
    [
        new("CI-1", TrtContraindication.FertilityDesired,
            "Fertility desired (documented intent or an active male-infertility or procreative-management condition)",
            $"{Es}, Table 4; {Guidelines.EauSrh}; {Aua}",
            static f => f.FertilityIntent != FertilityIntent.Desired
                ? null
                : new ContraindicationFinding(TrtContraindication.FertilityDesired,
                    f.IntentFromCondition ? "Active male-infertility or procreative-management condition" : "Fertility intent documented as desired",
                    f.IntentDate)),
        new("CI-2", TrtContraindication.HematocritAbove48,
            "Newest hematocrit above {HCT_CI}",
            $"{Es}, Table 4",
            static f => f.Hematocrit is { } hct
                && ThresholdComparison.IsAbove(hct.Value, hct.Comparator, f.Thresholds.HematocritContraindicationPercent) == true
                ? LabFinding(TrtContraindication.HematocritAbove48, "Hematocrit", hct, null)
                : null),
        new("CI-3", TrtContraindication.PsaAbove4,
            "Newest PSA above {PSA_CI}, or above {PSA_CI_HIGH_RISK} with a high-risk flag (e.g. African American, "
            + "first-degree relative with prostate cancer)",
            $"{Es}, Table 4",
            static f => PsaFinding(f)),
        new("CI-4", TrtContraindication.ProstateCancer, "Active prostate cancer", $"{Es}, Table 4",
            static f => ConditionFinding(f, ConditionKind.ProstateCancer, TrtContraindication.ProstateCancer)),
        new("CI-5", TrtContraindication.BreastCancer, "Active breast cancer", $"{Es}, Table 4; {Guidelines.EauSrh}",
            static f => ConditionFinding(f, ConditionKind.BreastCancer, TrtContraindication.BreastCancer)),
        new("CI-6", TrtContraindication.UntreatedSevereSleepApnea, "Untreated severe obstructive sleep apnea", Es,
            static f => ConditionFinding(f, ConditionKind.SevereSleepApneaUntreated, TrtContraindication.UntreatedSevereSleepApnea)),
        new("CI-7", TrtContraindication.UncontrolledHeartFailure, "Uncontrolled heart failure", $"{Es}; {Guidelines.EauSrh}",
            static f => ConditionFinding(f, ConditionKind.UncontrolledHeartFailure, TrtContraindication.UncontrolledHeartFailure)),
        new("CI-8", TrtContraindication.RecentMiOrStroke,
            "Myocardial infarction or stroke with onset within the last {MI_WINDOW} (an event without a recorded date is "
            + "flagged so the clinician can confirm it is older)",
            Es,
            static f => RecentEventFinding(f)),
        new("CI-9", TrtContraindication.Thrombophilia, "Thrombophilia", Es,
            static f => ConditionFinding(f, ConditionKind.Thrombophilia, TrtContraindication.Thrombophilia)),
    ];

    private static ContraindicationFinding LabFinding(TrtContraindication code, string name, LabPick pick, string? suffix) =>
        new(code, suffix is null ? DescribeValue(name, pick) : string.Concat(DescribeValue(name, pick), suffix), pick.Time);

    private static ContraindicationFinding? PsaFinding(AssessmentFacts f)
    {
        if (f.Psa is not { } psa)
        {
            return null;
        }

        var t = f.Thresholds;
        if (ThresholdComparison.IsAbove(psa.Value, psa.Comparator, t.PsaContraindicationNgPerMl) == true)
        {
            return LabFinding(TrtContraindication.PsaAbove4, "PSA", psa, null);
        }

        if (f.Has(ConditionKind.ProstateCancerHighRisk)
            && ThresholdComparison.IsAbove(psa.Value, psa.Comparator, t.PsaContraindicationHighRiskNgPerMl) == true)
        {
            return LabFinding(TrtContraindication.PsaAbove4, "PSA", psa,
                string.Concat(" (high risk of prostate cancer: limit ", ClinicalThresholds.Number(t.PsaContraindicationHighRiskNgPerMl),
                    " ng/mL)"));
        }

        return null;
    }

    private static ContraindicationFinding? ConditionFinding(AssessmentFacts f, ConditionKind kind, TrtContraindication code) =>
        f.Condition(kind) is { } condition ? new ContraindicationFinding(code, DescribeCondition(condition), AssessmentFacts.DateOf(condition)) : null;

    private static ContraindicationFinding? RecentEventFinding(AssessmentFacts f)
    {
        var windowStart = f.Now.AddMonths(-f.Thresholds.RecentMiOrStrokeMonths);
        ContraindicationFinding? finding = null;
        foreach (var kind in (ReadOnlySpan<ConditionKind>)[ConditionKind.MyocardialInfarction, ConditionKind.Stroke])
        {
            if (f.Condition(kind) is not { } condition)
            {
                continue;
            }

            var date = AssessmentFacts.DateOf(condition);
            if (date is null)
            {
                finding ??= new ContraindicationFinding(TrtContraindication.RecentMiOrStroke,
                    string.Concat(DescribeCondition(condition), "; date not recorded, confirm it was more than ",
                        ClinicalThresholds.Number(f.Thresholds.RecentMiOrStrokeMonths), " months ago"), null);
            }
            else if (date >= windowStart)
            {
                return new ContraindicationFinding(TrtContraindication.RecentMiOrStroke, DescribeCondition(condition), date);
            }
        }

        return finding;
    }

    private static string DescribeCondition(ConditionFact condition)
    {
        var name = condition.Display ?? ClinicalWords.Describe(condition.Kind);
        var date = AssessmentFacts.DateOf(condition);
        return date is { } d
            ? string.Concat(name, condition.Onset is null ? " (recorded " : " (onset ",
                d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ")")
            : name;
    }
}
