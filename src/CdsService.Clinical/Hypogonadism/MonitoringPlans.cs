using System.Collections.Immutable;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// Monitoring plans as data (clinical brief §4), so the rules document prints the steps the engine attaches. Due dates are the evaluation date plus
/// each step's offset: the first due date of a step, the "when" column gives the schedule after it.
/// </summary>
public static class MonitoringPlans
{
    public const string LoincTotalTestosterone = Loinc.TotalTestosterone;
    public const string LoincHematocrit = Loinc.Hematocrit;
    public const string LoincPsa = Loinc.Psa;
    public const string LoincEstradiol = Loinc.Estradiol;
    public const string LoincLh = Loinc.Lh;
    public const string LoincFsh = Loinc.Fsh;

    private const string Aua = Guidelines.Aua2018;
    private const string Es = Guidelines.Es2018;
    private const string PsaAges = "Men aged {PSA_AGES}, or {PSA_HIGH_RISK_AGES} when the record shows a high risk of prostate "
        + "cancer (Black or African American, family history of prostate cancer); not when the age is unknown";
    private const string PsaBaselineAges = "Men aged {PSA_BASELINE_AGE} or over, with no upper age, and men whose age is not recorded";

    public static ImmutableArray<MonitoringRule> Rules { get; } =
    [
        // Testosterone replacement: ES 2018 monitoring table; AUA 2018 Table 7 (clinical brief §4.1).
        new(TherapyKind.TestosteroneReplacement, "Hematocrit", LoincHematocrit, 0, 0,
            "Baseline, before the first dose",
            "Testosterone raises red-cell mass; do not start when hematocrit is above {HCT_CI}",
            $"{Es}; {Aua}, Table 7"),
        // AUA 2018 statement 13 asks for a PSA before testosterone in every man over 40, without an upper age, to exclude
        // a prostate cancer diagnosis; unlike ongoing monitoring it is not a screening decision.
        new(TherapyKind.TestosteroneReplacement, "PSA", LoincPsa, 0, 0,
            "Baseline, before the first dose",
            "Exclude prostate cancer before starting: do not start with an unevaluated PSA above {PSA_CI} ({PSA_CI_HIGH_RISK} at high risk)",
            $"{Aua}, statement 13; {Es}, Table 4", PsaBaselineAges,
            static f => f.AgeYears is not { } age || age >= f.Thresholds.PsaBaselineFromAgeYears),
        new(TherapyKind.TestosteroneReplacement, "Total testosterone", LoincTotalTestosterone, 3, 0,
            "At 3–6 months, then every 12 months. Sample by formulation: cypionate or enanthate injections mid-interval (or at "
            + "trough, just before the next injection), undecanoate injection just before the next injection, gel 2–8 hours "
            + "after application",
            "Titrate to the mid-normal target {TRT_TARGET}",
            $"{Aua}, Table 7; {Es}"),
        new(TherapyKind.TestosteroneReplacement, "Hematocrit", LoincHematocrit, 3, 0,
            "At 3–6 months, then every 12 months",
            "Withhold testosterone when hematocrit is above {HCT_WITHHOLD}; evaluate for hypoxia and sleep apnea",
            $"{Es}; {Aua}, Table 7"),
        new(TherapyKind.TestosteroneReplacement, "PSA", LoincPsa, 3, 0,
            "At 3–12 months, then per prostate cancer screening",
            "Refer to urology if PSA rises by more than {PSA_RISE} within 12 months or is confirmed above {PSA_CI}; after the "
            + "first year PSA follows prostate cancer screening, which ES 2018 offers men {PSA_AGES} ({PSA_HIGH_RISK_AGES} at "
            + "high risk), the ages at which screening's benefit outweighs its harm",
            Es, PsaAges, static f => InPsaAgeBand(f)),
        new(TherapyKind.TestosteroneReplacement, "Symptom and benefit review", null, 3, 0,
            "At 3–12 months, then every 12 months",
            "Ask whether the symptoms that led to treatment have improved, about adverse effects and adherence; stop "
            + "testosterone if there is no benefit",
            $"{Es}, Table 8 (evaluate response 3 months after starting, then annually); {Aua} (discuss stopping when symptoms "
            + "do not improve at target levels)"),
        new(TherapyKind.TestosteroneReplacement, "Bone density (DXA)", null, 12, 0,
            "After 1–2 years of testosterone",
            "Osteoporosis or a low-trauma fracture is coded: measure lumbar spine and/or femoral neck bone density",
            $"{Es}, Table 8", "Men with osteoporosis or a low-trauma fracture coded",
            static f => f.Has(ConditionKind.Osteoporosis)),

        // Clomiphene / enclomiphene (clinical brief §4.2).
        new(TherapyKind.Serm, "Semen analysis (baseline)", null, 0, 0,
            "Before starting",
            "Records sperm output before treatment so that the response can be judged",
            $"{Guidelines.ClinicalBrief} §4.2; {Aua}, statement 10 (reproductive evaluation before treatment)"),
        new(TherapyKind.Serm, "Total testosterone", LoincTotalTestosterone, 0, 28,
            "4–8 weeks after starting, then every 3–6 months while titrating",
            "Confirm the response; titrate toward {TRT_TARGET}",
            $"{Guidelines.Liel2017}; {Aua}, Table 7"),
        new(TherapyKind.Serm, "Estradiol", LoincEstradiol, 0, 28,
            "With the first testosterone check",
            "SERMs raise estradiol together with testosterone",
            $"{Aua}, Table 7"),
        new(TherapyKind.Serm, "LH", LoincLh, 0, 28,
            "4 weeks after starting; again if testosterone falls after an initial response",
            "Confirms that the pituitary responds to the SERM",
            $"{Aua}, Table 7"),
        new(TherapyKind.Serm, "FSH", LoincFsh, 0, 28,
            "4 weeks after starting, with LH",
            "FSH drives sperm production and should rise on a SERM",
            $"{Aua}, Table 7"),
        new(TherapyKind.Serm, "Symptom review", null, 0, 28,
            "At every visit",
            "Ask about visual disturbances (stop clomiphene if they occur) and mood changes",
            "Clomiphene prescribing information; clinical brief §4.2"),
        new(TherapyKind.Serm, "Semen analysis", null, 3, 0,
            "About every 3 months while trying to conceive (one cycle of sperm production takes about 74 days)",
            "Shows whether sperm production responds",
            "Clinical brief §4.2"),
        new(TherapyKind.Serm, "Hematocrit", LoincHematocrit, 3, 0,
            "Periodically (baseline, then every 6–12 months)",
            "Clomiphene can raise hematocrit modestly",
            $"{Guidelines.Chandrapal2016}; {Guidelines.ClinicalBrief} §4.2"),
        new(TherapyKind.Serm, "PSA", LoincPsa, 3, 0,
            "Periodically (baseline, then every 6–12 months)",
            "Clomiphene can raise PSA modestly",
            $"{Guidelines.Chandrapal2016}; {Guidelines.ClinicalBrief} §4.2",
            PsaAges, static f => InPsaAgeBand(f)),

        // hCG (clinical brief §4.2).
        new(TherapyKind.Hcg, "Semen analysis (baseline)", null, 0, 0,
            "Before starting",
            "Records sperm output before treatment so that the response can be judged",
            $"{Guidelines.ClinicalBrief} §4.2; {Aua}, statement 10 (reproductive evaluation before treatment)"),
        new(TherapyKind.Hcg, "Total testosterone", LoincTotalTestosterone, 0, 28,
            "4–6 weeks after starting or changing the dose",
            "Titrate to mid-normal {TRT_TARGET}",
            "Clinical brief §4.2"),
        new(TherapyKind.Hcg, "Estradiol", LoincEstradiol, 0, 28,
            "With the testosterone check",
            "hCG stimulates testicular aromatase; estradiol can rise",
            "Clinical brief §4.2"),
        new(TherapyKind.Hcg, "Hematocrit", LoincHematocrit, 0, 28,
            "With the testosterone check, then periodically",
            "hCG-driven testosterone can raise hematocrit; withhold above {HCT_WITHHOLD}",
            $"Clinical brief §4.2; {Es}"),
        new(TherapyKind.Hcg, "Semen analysis", null, 2, 0,
            "Every 2–3 months while trying to conceive; add FSH if still azoospermic after 3–6 months",
            "Shows whether sperm production is induced",
            "Clinical brief §4.2"),
        new(TherapyKind.Hcg, "PSA", LoincPsa, 0, 28,
            "With the testosterone check, then periodically",
            "hCG raises his own testosterone, so the prostate is watched as on testosterone",
            $"{Es}, Table 8 (PSA in men 40 and over on treatment); {Guidelines.ClinicalBrief} §4.2",
            "Men aged {PSA_BASELINE_AGE} or older", static f => f.AgeYears is not { } age || age >= f.Thresholds.PsaBaselineFromAgeYears),
    ];

    // ES 2018: ongoing PSA monitoring for men 55–69, and 40–69 at increased risk of prostate cancer.
    internal static bool InPsaAgeBand(AssessmentFacts f) =>
        f.AgeYears is { } age && age <= f.Thresholds.PsaMonitoringToAgeYears
            && (age >= f.Thresholds.PsaMonitoringFromAgeYears
                || (f.HighProstateCancerRisk && age >= f.Thresholds.PsaMonitoringHighRiskFromAgeYears));
}
