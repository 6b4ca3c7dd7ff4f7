using System.Collections.Immutable;
using System.Globalization;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The hypogonadism decision tables, each row citing its guideline source. Each table is evaluated top to bottom by
/// <see cref="HypogonadismAssessor"/>; for classification, androgen status and recommendation the first matching
/// row wins, for missing data, work-up and contraindications every matching row adds its code.
/// docs/clinical/hypogonadism-rules.md is generated from these rows (RulesDocumentTests), so the document a
/// clinician signs off and the code that runs cannot drift apart.
/// </summary>
public static class HypogonadismRules
{
    /// <summary>
    /// Version of the rule content. Bump it whenever a row, a threshold default or a monitoring step changes; it is
    /// returned with every assessment so an answer can be traced to the rules that produced it.
    /// </summary>
    public const string Version = "1.0.0";

    private const string Aua = Guidelines.Aua2018;
    private const string Es = Guidelines.Es2018;

    /// <summary>
    /// Androgen status, which classification reads. First matching row wins, so free testosterone (AND-1, AND-2) overrides
    /// total testosterone when SHBG is outside its range or the value is in the grey zone.
    /// </summary>
    public static ImmutableArray<DecisionRule<AndrogenStatus>> AndrogenStatusRules { get; } =
    [
        new("AND-1", AndrogenStatus.Low,
            "Free testosterone decides (the newest SHBG is outside its reference range, default {SHBG_RANGE}, or the newest "
            + "morning total testosterone lies in the grey zone {GREY_ZONE}) and the free testosterone (newest measured, else "
            + "calculated by Vermeulen from total testosterone, SHBG and albumin, {ALBUMIN} if albumin is missing) is below {FT_LOW}",
            $"{Es}; {Guidelines.EauSrh}; {Guidelines.Bssm2023}; {Guidelines.Vermeulen1999}",
            static f => f.FreeDecides && f.FreeLow),
        new("AND-2", AndrogenStatus.Normal,
            "Free testosterone decides (as in AND-1) and the free testosterone is not below {FT_LOW}",
            $"{Es}; {Guidelines.EauSrh}; {Guidelines.Bssm2023}",
            static f => f.FreeDecides && !f.FreeLow),
        new("AND-3", AndrogenStatus.Low,
            "The two most recent morning total testosterone values on different days are both below {TT_LOW}",
            $"{Aua}, statements 1–2 (two early-morning values on separate occasions)",
            static f => f.MorningTotalCount == 2 && f.MorningTotalLow == true && f.SecondMorningTotalLow == true),
        new("AND-4", AndrogenStatus.Normal,
            "The two most recent morning total testosterone values on different days are both at or above {TT_LOW}",
            $"{Aua}, statements 1–2",
            static f => f.MorningTotalCount == 2 && f.MorningTotalLow == false && f.SecondMorningTotalLow == false),
        new("AND-5", AndrogenStatus.Unconfirmed,
            "The two most recent morning total testosterone values on different days disagree (one low, one not)",
            $"{Aua}, statement 2; {Es} (repeat to confirm)",
            static f => f.MorningTotalCount == 2),
        new("AND-6", AndrogenStatus.Normal,
            "Only one morning total testosterone value, and it is at or above {TT_LOW}",
            $"{Aua}, statement 1",
            static f => f.MorningTotalCount == 1 && f.MorningTotalLow == false),
        new("AND-7", AndrogenStatus.Unconfirmed,
            "Only one morning total testosterone value, and it is below {TT_LOW}: a low value must be confirmed on another morning",
            $"{Aua}, statement 2 (Strong recommendation, Evidence level A)",
            static f => f.MorningTotalCount == 1),
        new("AND-8", AndrogenStatus.Unknown,
            "No morning total testosterone (sampled before {MORNING}) within the last {LOOKBACK}",
            $"{Aua}, statement 2; {Guidelines.Bssm2023} (fasting, before 11 am)",
            static _ => true),
    ];

    /// <summary>
    /// Classification. First matching row wins: scope and exogenous androgens come first because either makes the
    /// hormone results irrelevant or uninterpretable, then missing data, then the LH split of EMAS.
    /// </summary>
    public static ImmutableArray<DecisionRule<Classification>> ClassificationRules { get; } =
    [
        new("CLS-1", Classification.NotApplicable,
            "The patient is not male, is younger than {ADULT_AGE}, or has no recorded birth date",
            "Issue 3 scope: the guidelines address adult men",
            static f => !f.IsAdultMale),
        new("CLS-2", Classification.ExogenousAndrogen,
            "Testosterone or an anabolic steroid was taken within the last {ANDROGEN_WINDOW} (active, or completed/stopped "
            + "within the window; the order being signed does not count). LH and FSH are suppressed by the drug, so the "
            + "hormone results cannot be interpreted",
            $"{Guidelines.Esa2019Aas}; clinical brief §2.4",
            static f => f.ExogenousAndrogen),
        new("CLS-3", Classification.InsufficientData,
            "Androgen status is unknown or unconfirmed (see androgen status rules)",
            $"{Aua}, statement 2; {Es}",
            static f => f.AndrogenStatus is AndrogenStatus.Unknown or AndrogenStatus.Unconfirmed),
        new("CLS-4", Classification.InsufficientData,
            "No LH result within the last {LOOKBACK}: primary and secondary cannot be told apart",
            $"{Aua} (measure LH in men with low testosterone); {Guidelines.Emas2010}",
            static f => f.LhHigh is null),
        new("CLS-5", Classification.Primary,
            "Androgen status low and the most recent LH above {LH_HIGH}",
            Guidelines.Emas2010,
            static f => f.AndrogenStatus == AndrogenStatus.Low && f.LhHigh == true),
        new("CLS-6", Classification.Secondary,
            "Androgen status low and the most recent LH at or below {LH_HIGH}",
            Guidelines.Emas2010,
            static f => f.AndrogenStatus == AndrogenStatus.Low),
        new("CLS-7", Classification.Compensated,
            "Androgen status normal and the most recent LH above {LH_HIGH}",
            Guidelines.Emas2010,
            static f => f.LhHigh == true),
        new("CLS-8", Classification.Eugonadal,
            "Androgen status normal and the most recent LH at or below {LH_HIGH}",
            Guidelines.Emas2010,
            static _ => true),
    ];

    /// <summary>
    /// How the fertility intent is decided: the newest of the documented answers within
    /// the window and the active infertility/procreative-management conditions wins; on the same date "desired" wins.
    /// The engine reports which of these rows produced the intent.
    /// </summary>
    public static IReadOnlyList<FertilityIntentRule> FertilityIntentRules { get; } =
    [
        new("INT-1", FertilityIntent.Desired,
            "The newest documented answer within the last {INTENT_WINDOW} is 'wants to become pregnant' or 'OK either way'",
            Guidelines.UsCorePregnancyIntent),
        new("INT-2", FertilityIntent.Desired,
            "An active male-infertility or procreative-management condition, with no newer documented answer (an active "
            + "condition stays in force whatever its age)",
            $"Issue 3; {Aua}, statement 10"),
        new("INT-3", FertilityIntent.NotDesired,
            "The newest documented answer within the last {INTENT_WINDOW} is 'does not want to become pregnant'",
            Guidelines.UsCorePregnancyIntent),
        new("INT-4", FertilityIntent.Unsure,
            "The newest documented answer within the last {INTENT_WINDOW} is 'unsure'",
            Guidelines.UsCorePregnancyIntent),
        new("INT-5", FertilityIntent.Unknown,
            "No documented answer (or only 'unknown') within the last {INTENT_WINDOW} and no active infertility or "
            + "procreative-management condition",
            Guidelines.UsCorePregnancyIntent),
    ];

    /// <summary>Recommendation, from the classification and the fertility intent. First matching row wins.</summary>
    public static ImmutableArray<DecisionRule<Recommendation>> RecommendationRules { get; } =
    [
        new("REC-1", Recommendation.NotApplicable,
            "Classification not-applicable",
            "Issue 3 scope",
            static f => f.Classification == Classification.NotApplicable,
            "These rules do not apply to this patient; no advice is given."),
        new("REC-2", Recommendation.FertilityRestoration,
            "Classification exogenous-androgen and fertility desired",
            $"{Es}, Table 4; {Guidelines.Kim2013}; {Guidelines.Esa2019Aas}",
            static f => f.Classification == Classification.ExogenousAndrogen && f.FertilityIntent == FertilityIntent.Desired,
            "Stop testosterone or anabolic steroids; restart the axis with hCG and/or clomiphene. Recovery of sperm production "
            + "takes months (after anabolic steroids LH recovers in about 9 months and sperm output in about 14)."),
        new("REC-3", Recommendation.ContinueWithMonitoring,
            "Classification exogenous-androgen and fertility not desired, unsure or unknown",
            $"{Es} (monitoring of men on testosterone)",
            static f => f.Classification == Classification.ExogenousAndrogen,
            "Hormone results cannot be interpreted on androgens. Continue under the testosterone monitoring plan and "
            + "document the patient's fertility plans."),
        new("REC-4", Recommendation.CompleteWorkup,
            "Classification insufficient-data",
            $"{Aua}, statement 2; {Es}",
            static f => f.Classification == Classification.InsufficientData,
            "Order what is missing (see missing data) before deciding on therapy."),
        new("REC-5", Recommendation.NoTestosteroneTherapy,
            "Classification eugonadal",
            $"{Guidelines.EauSrh} (do not treat eugonadal men); {Es}",
            static f => f.Classification == Classification.Eugonadal,
            "Testosterone levels are normal; testosterone therapy is not indicated."),
        new("REC-6", Recommendation.NoTestosteroneTherapy,
            "Classification compensated",
            $"{Guidelines.Emas2010}; clinical brief §3.4",
            static f => f.Classification == Classification.Compensated,
            "Testosterone is normal with a high LH (compensated): no testosterone therapy; address comorbidities and repeat "
            + "testosterone and LH in 6–12 months."),
        new("REC-7", Recommendation.ReferReproductiveUrology,
            "Classification primary and fertility desired",
            $"{Aua} (fertility statements); {Es}, Table 4; {Guidelines.EauSrh}",
            static f => f.Classification == Classification.Primary && f.FertilityIntent == FertilityIntent.Desired,
            "Refer to reproductive urology: semen analysis, karyotype, sperm banking or micro-TESE. SERMs and hCG are not "
            + "effective when the testes fail (LH is already high); avoid testosterone until sperm is banked."),
        new("REC-8", Recommendation.TestosteroneReplacement,
            "Classification primary and fertility not desired",
            $"{Aua}; {Es}",
            static f => f.Classification == Classification.Primary && f.FertilityIntent == FertilityIntent.NotDesired,
            "Testosterone replacement, after checking contraindications, with the testosterone monitoring plan."),
        new("REC-9", Recommendation.AssessFertilityIntent,
            "Classification primary and fertility intent unsure or unknown",
            $"{Aua}, statement 10 (ask about fertility before treatment); {Es}, Table 4",
            static f => f.Classification == Classification.Primary,
            "Ask about and document fertility plans before choosing: reproductive urology referral if children are wanted, "
            + "testosterone replacement if not."),
        new("REC-10", Recommendation.FertilityPreserving,
            "Classification secondary and fertility desired",
            $"{Aua} (SERMs, hCG off-label for men desiring fertility); {Guidelines.Liel2017}; {Es}, Table 4",
            static f => f.Classification == Classification.Secondary && f.FertilityIntent == FertilityIntent.Desired,
            "Fertility-preserving therapy: clomiphene citrate 25 mg daily or 50 mg every other day; enclomiphene where "
            + "available; hCG ± FSH when a SERM fails or the pituitary is not intact. No testosterone."),
        new("REC-11", Recommendation.TestosteroneReplacement,
            "Classification secondary and fertility not desired",
            $"{Aua}; {Es}",
            static f => f.Classification == Classification.Secondary && f.FertilityIntent == FertilityIntent.NotDesired,
            "Testosterone replacement, after checking contraindications; a SERM (clomiphene) remains a documented "
            + "alternative if the patient prefers."),
        new("REC-12", Recommendation.AssessFertilityIntent,
            "Classification secondary and fertility intent unsure or unknown",
            $"{Aua}, statement 10; {Es}, Table 4",
            static f => f.Classification == Classification.Secondary,
            "Ask about and document fertility plans before choosing: clomiphene (fertility-preserving) if children may be "
            + "wanted, testosterone replacement if not."),
    ];

    /// <summary>What would complete the work-up. Every matching row adds its code.</summary>
    public static ImmutableArray<DecisionRule<MissingData>> MissingDataRules { get; } =
    [
        new("MD-1", MissingData.MorningTotalTestosterone,
            "No morning total testosterone within the last {LOOKBACK} and free testosterone did not decide",
            $"{Aua}, statement 2",
            static f => IsClassifiable(f) && f.AndrogenRuleId == "AND-8"),
        new("MD-2", MissingData.SecondMorningTotalTestosterone,
            "Androgen status unconfirmed: one low morning value, or two that disagree; repeat on another morning",
            $"{Aua}, statement 2",
            static f => IsClassifiable(f) && f.AndrogenStatus == AndrogenStatus.Unconfirmed),
        new("MD-3", MissingData.Lh,
            "No LH within the last {LOOKBACK}",
            $"{Aua} (measure LH in men with low testosterone)",
            static f => IsClassifiable(f) && f.LhHigh is null),
        new("MD-4", MissingData.Fsh,
            "No FSH within the last {LOOKBACK}, and the classification is insufficient-data, primary or secondary",
            "Clinical brief §3.4 (order LH and FSH together to complete the work-up)",
            static f => f.Fsh is null && f.Classification is Classification.InsufficientData or Classification.Primary
                or Classification.Secondary),
        new("MD-5", MissingData.Shbg,
            "The newest morning total testosterone lies in the grey zone {GREY_ZONE}, no measured free testosterone and no "
            + "SHBG: free testosterone cannot be calculated",
            $"{Guidelines.Bssm2023}; {Es}",
            static f => IsClassifiable(f) && f.GreyZone && f.Shbg is null && f.MeasuredFree is null),
        new("MD-6", MissingData.Prolactin,
            "Classification insufficient-data, androgen status low or unconfirmed, LH not high, and no prolactin within the "
            + "last {LOOKBACK}",
            $"{Aua}, statement 7 (prolactin when testosterone is low and LH low or normal)",
            static f => f.Classification == Classification.InsufficientData
                && f.AndrogenStatus is AndrogenStatus.Low or AndrogenStatus.Unconfirmed
                && f.LhHigh != true && f.Prolactin is null),
    ];

    /// <summary>Further tests, independent of the primary recommendation. Every matching row adds its code.</summary>
    public static ImmutableArray<DecisionRule<AdditionalWorkup>> WorkupRules { get; } =
    [
        new("WU-1", AdditionalWorkup.Prolactin,
            "Secondary hypogonadism and no prolactin within the last {LOOKBACK}",
            $"{Aua}, statement 7",
            static f => f.Classification == Classification.Secondary && f.Prolactin is null),
        new("WU-2", AdditionalWorkup.PituitaryMri,
            "Secondary hypogonadism and a morning total testosterone below {TT_VERY_LOW}, or the newest prolactin above its "
            + "reference range",
            $"{Es} (pituitary imaging)",
            static f => f.Classification == Classification.Secondary && (f.AnyMorningTotalBelowVeryLow || f.ProlactinAboveRange)),
        new("WU-3", AdditionalWorkup.IronStudies,
            "Secondary hypogonadism and no ferritin within the last {LOOKBACK} (haemochromatosis)",
            $"{Es}; clinical brief §2.2",
            static f => f.Classification == Classification.Secondary && f.Ferritin is null),
        new("WU-4", AdditionalWorkup.SemenAnalysis,
            "Fertility desired",
            $"{Aua}, statement 10 (reproductive evaluation before treatment)",
            static f => f.IsAdultMale && f.FertilityIntent == FertilityIntent.Desired),
        new("WU-5", AdditionalWorkup.Estradiol,
            "Active breast symptoms or gynecomastia",
            $"{Aua}, statement 9",
            static f => f.IsAdultMale && f.Has(ConditionKind.BreastSymptoms)),
        new("WU-6", AdditionalWorkup.Karyotype,
            "Primary hypogonadism (Klinefelter syndrome is the commonest cause)",
            $"{Es}; clinical brief §2.2",
            static f => f.Classification == Classification.Primary),
    ];

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

    internal static bool IsClassifiable(AssessmentFacts f) =>
        f.Classification is not Classification.NotApplicable and not Classification.ExogenousAndrogen;

    internal static string DescribeValue(string name, LabPick pick)
    {
        var quantity = pick.Result.Quantity;
        var date = pick.Result.EffectiveTime.LocalDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return string.Concat(name, " ", ThresholdComparison.Symbol(pick.Comparator),
            quantity.Value.ToString("0.####", CultureInfo.InvariantCulture), " ", LabUnits.Symbol(quantity.Unit), " on ", date);
    }

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

/// <summary>One way the fertility intent can be decided, for reasons and the rules document.</summary>
public sealed record FertilityIntentRule(string Id, FertilityIntent Intent, string Basis, string Source);
