using System.Collections.Immutable;
using System.Globalization;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>The contraindications table of <see cref="HypogonadismRules"/> and the words of its findings.</summary>
public static partial class HypogonadismRules
{
    /// <summary>
    /// TRT contraindications, checked whenever testosterone is ordered, recommended or contraindicated by the
    /// recommendation. Every matching row adds a finding with the value or diagnosis and its date; the engine lists
    /// absolute findings before relative ones (table order within each).
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
            "Newest PSA above {PSA_CI}, or above {PSA_CI_HIGH_RISK} when the record shows a high risk of prostate cancer: "
            + "Black or African American (US Core race, OMB category 2054-5), family history of prostate cancer (Z80.42), or "
            + "prostate cancer in a first-degree relative (FamilyMemberHistory). Nothing else is read as high risk: without "
            + "race or family history in the record the {PSA_CI} limit applies",
            $"{Es}, Table 4; {Guidelines.UsCoreRace}",
            static f => PsaFinding(f)),
        new("CI-4", TrtContraindication.ProstateCancer, "Active prostate cancer (C61; not the history code Z85.46, see CI-10)",
            $"{Es}, Table 4",
            static f => ConditionFinding(f, ConditionKind.ProstateCancer, TrtContraindication.ProstateCancer),
            ContraindicationSeverity.Absolute),
        new("CI-5", TrtContraindication.BreastCancer, "Breast cancer", $"{Es}, Table 4; {Guidelines.EauSrh}",
            static f => ConditionFinding(f, ConditionKind.BreastCancer, TrtContraindication.BreastCancer),
            ContraindicationSeverity.Absolute),
        new("CI-6", TrtContraindication.UntreatedSevereSleepApnea,
            "Obstructive sleep apnoea is coded (G47.33). The guideline's contraindication is untreated severe sleep apnoea; "
            + "the diagnosis code shows neither severity nor treatment, so the finding says \"severity and treatment not "
            + "recorded\" for the clinician to confirm",
            Es,
            static f => UnconfirmedDetailFinding(f, ConditionKind.SevereSleepApneaUntreated, TrtContraindication.UntreatedSevereSleepApnea,
                "severity and treatment not recorded")),
        new("CI-7", TrtContraindication.UncontrolledHeartFailure,
            "Heart failure is coded (I50). The guideline's contraindication is uncontrolled heart failure; the diagnosis code "
            + "does not show control, so the finding says \"control not recorded\" for the clinician to confirm",
            $"{Es}; {Guidelines.EauSrh}",
            static f => UnconfirmedDetailFinding(f, ConditionKind.UncontrolledHeartFailure, TrtContraindication.UncontrolledHeartFailure,
                "control not recorded")),
        new("CI-8", TrtContraindication.RecentMiOrStroke,
            "Myocardial infarction or stroke (cerebral infarction I63 or intracerebral haemorrhage I61) with onset within the "
            + "last {MI_WINDOW} (an event without a recorded date is flagged so the clinician can confirm it is older)",
            Es,
            static f => RecentEventFinding(f)),
        new("CI-9", TrtContraindication.VteOrThrombophilia,
            "Venous thromboembolism (pulmonary embolism I26, deep-vein thrombosis of the leg I82.4, personal history Z86.711 "
            + "or Z86.718) or thrombophilia (D68.5, D68.6), whatever its date",
            $"{Es}, Table 4 (thrombophilia); {Guidelines.FdaTestosteroneVte}",
            static f => NewestConditionFinding(f, TrtContraindication.VteOrThrombophilia, ConditionKind.VenousThromboembolism,
                ConditionKind.Thrombophilia)),
        new("CI-10", TrtContraindication.ProstateCancerHistory,
            "Personal history of prostate cancer (Z85.46) and no active prostate cancer coded: a relative contraindication, "
            + "testosterone only when the treating urologist agrees",
            $"{Guidelines.Bssm2023}; {Es}, Table 4",
            static f => f.Has(ConditionKind.ProstateCancer)
                ? null
                : ConditionFinding(f, ConditionKind.ProstateCancerHistory, TrtContraindication.ProstateCancerHistory)),
        new("CI-11", TrtContraindication.Polycythemia,
            "Polycythaemia vera (D45) or secondary polycythaemia (D75.1) is coded: testosterone raises the red-cell mass "
            + "further; have the haematologist agree first",
            $"{Es}, Table 4 (elevated hematocrit); {Aua}, Table 7",
            static f => ConditionFinding(f, ConditionKind.Polycythemia, TrtContraindication.Polycythemia)),
        new("CI-12", TrtContraindication.AndrogenDeprivation,
            "Androgen deprivation for prostate cancer (as CLS-2): testosterone would undo the treatment",
            $"{Es}, Table 4 (prostate cancer); {Guidelines.LeuprolideLabel}",
            static f => f.AndrogenDeprivationSource is { } drug
                ? new ContraindicationFinding(TrtContraindication.AndrogenDeprivation,
                    string.Concat(drug.Display ?? "Androgen deprivation therapy", drug.State == MedicationState.Active ? " (active)" : " (recent)"),
                    drug.Start)
                : null,
            ContraindicationSeverity.Absolute),
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

        if (f.HighProstateCancerRisk
            && ThresholdComparison.IsAbove(psa.Value, psa.Comparator, t.PsaContraindicationHighRiskNgPerMl) == true)
        {
            return LabFinding(TrtContraindication.PsaAbove4, "PSA", psa,
                string.Concat(" (high risk of prostate cancer: ", string.Join("; ", f.ProstateCancerRiskFactors), "; limit ",
                    ClinicalThresholds.Number(t.PsaContraindicationHighRiskNgPerMl), " ng/mL)"));
        }

        return null;
    }

    private static ContraindicationFinding? ConditionFinding(AssessmentFacts f, ConditionKind kind, TrtContraindication code) =>
        f.Condition(kind) is { } condition ? new ContraindicationFinding(code, DescribeCondition(condition), AssessmentFacts.DateOf(condition)) : null;

    // The code proves the diagnosis but not the qualifier the guideline attaches to it (severe and untreated, uncontrolled),
    // so the finding states what the record shows and what it does not.
    private static ContraindicationFinding? UnconfirmedDetailFinding(AssessmentFacts f, ConditionKind kind, TrtContraindication code,
        string notRecorded) =>
        f.Condition(kind) is { } condition
            ? new ContraindicationFinding(code, string.Concat(DescribeCondition(condition), "; ", notRecorded), AssessmentFacts.DateOf(condition))
            : null;

    // The most recently dated of several condition groups that make one finding (VTE or thrombophilia).
    private static ContraindicationFinding? NewestConditionFinding(AssessmentFacts f, TrtContraindication code, params ReadOnlySpan<ConditionKind> kinds)
    {
        ConditionFact? newest = null;
        foreach (var kind in kinds)
        {
            if (f.Condition(kind) is { } condition && (newest is null || AssessmentFacts.DateOf(condition) > AssessmentFacts.DateOf(newest)))
            {
                newest = condition;
            }
        }

        return newest is null ? null : new ContraindicationFinding(code, DescribeCondition(newest), AssessmentFacts.DateOf(newest));
    }

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

    internal static string DescribeCondition(ConditionFact condition)
    {
        var name = condition.Display ?? ClinicalWords.Describe(condition.Kind);
        var date = AssessmentFacts.DateOf(condition);
        return date is { } d
            ? string.Concat(name, condition.Onset is null ? " (recorded " : " (onset ",
                d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ")")
            : name;
    }
}
