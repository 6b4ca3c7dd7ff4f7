using System.Collections.Immutable;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>The recommendation, missing-data and work-up tables of <see cref="HypogonadismRules"/>.</summary>
public static partial class HypogonadismRules
{
    /// <summary>
    /// Recommendation. First matching row wins. The states that are not disease come first, then the causes that need a
    /// specialist before anything else (they decide even when the work-up is incomplete), then the classification.
    /// </summary>
    public static ImmutableArray<DecisionRule<Recommendation>> RecommendationRules { get; } =
    [
        new("REC-1", Recommendation.NotApplicable,
            "Classification not-applicable",
            $"{Aua} and {Es} address adult men",
            static f => f.Classification == Classification.NotApplicable,
            "These rules do not apply to this patient; no advice is given."),
        new("REC-2", Recommendation.TestosteroneContraindicated,
            "Classification androgen-deprivation",
            $"{Es} (testosterone contraindicated in prostate cancer)",
            static f => f.Classification == Classification.AndrogenDeprivation,
            "Low testosterone is the aim of the prostate cancer treatment: no work-up for hypogonadism and no testosterone."),

        // Row ids are stable names (feedback, audit records and reasons cite them), not positions: a row inserted
        // between two others takes the next free number.
        new("REC-19", Recommendation.TestosteroneContraindicated,
            "Active prostate cancer (C61) or breast cancer is coded: an absolute contraindication to testosterone (CI-4, CI-5), "
            + "whatever the classification, the fertility wish or any testosterone already taken",
            $"{Es}, Table 4; {Guidelines.EauSrh}",
            static f => f.Has(ConditionKind.ProstateCancer) || f.Has(ConditionKind.BreastCancer),
            "No testosterone: do not start it, and stop it if he takes it. Hypogonadal symptoms are managed with his oncology "
            + "or urology team."),
        new("REC-3", Recommendation.FertilityRestoration,
            "Classification exogenous-androgen and fertility desired",
            $"{Es}, Table 4; {Guidelines.Kim2013}; {Guidelines.Esa2019Aas}",
            static f => f.Classification == Classification.ExogenousAndrogen && f.FertilityIntent == FertilityIntent.Desired,
            "Stop testosterone or anabolic steroids; restart the axis with hCG and/or clomiphene. Recovery of sperm production "
            + "takes months (after anabolic steroids LH recovers in about 9 months and sperm output in about 14)."),
        // Men on or just off androgens whose fertility is not in question: what they take decides the advice (ES 2018
        // Table 8 for a man on testosterone; the rows below REC-3 and above REC-4, so "continue" is said only to a man on
        // testosterone whose on-treatment hematocrit allows it).
        new("REC-22", Recommendation.WithholdTestosterone,
            "Classification exogenous-androgen, on testosterone, and the newest hematocrit taken on treatment above "
            + "{HCT_WITHHOLD} (MA-1)",
            $"{Es}, Table 8; {Aua}, Table 7",
            static f => f.Classification == Classification.ExogenousAndrogen && f.HematocritAboveWithhold,
            "Withhold testosterone until hematocrit falls to a safe level; evaluate for hypoxia and sleep apnoea; restart at a "
            + "reduced dose."),
        new("REC-23", Recommendation.NoTestosteroneTherapy,
            "Classification exogenous-androgen from an anabolic steroid (not testosterone replacement)",
            $"{Guidelines.Esa2019Aas}; {Es} (testosterone only for hypogonadism confirmed off androgens)",
            static f => f.Classification == Classification.ExogenousAndrogen && f.AndrogenExposure == AndrogenExposure.AnabolicSteroid,
            "Stop the anabolic steroid and counsel him (harms, slow recovery of his own axis: LH about 9 months). Repeat "
            + "morning testosterone and LH no sooner than {WASHOUT} after the last dose before judging his own axis; no "
            + "testosterone meanwhile."),
        new("REC-24", Recommendation.CompleteWorkup,
            "Classification exogenous-androgen from a testosterone course that was completed or stopped (not current)",
            $"{Aua} (after stopping, recheck in 3–6 months); {Guidelines.Esa2019Aas}",
            static f => f.Classification == Classification.ExogenousAndrogen && f.AndrogenExposure == AndrogenExposure.StoppedTestosterone,
            "He has stopped testosterone: repeat morning total testosterone and LH after a washout of at least {WASHOUT} from "
            + "the last dose, then assess as for a man not on androgens."),
        new("REC-4", Recommendation.ContinueWithMonitoring,
            "Classification exogenous-androgen and fertility not desired, unsure or unknown",
            $"{Es} (monitoring of men on testosterone)",
            static f => f.Classification == Classification.ExogenousAndrogen,
            "Hormone results cannot be interpreted on androgens. Continue under the testosterone monitoring plan and "
            + "document the patient's fertility plans."),
        new("REC-5", Recommendation.ContinueWithMonitoring,
            "Classification on-fertility-therapy",
            $"{Es}; {Guidelines.Liel2017}",
            static f => f.Classification == Classification.OnFertilityTherapy,
            "Continue the fertility therapy under its monitoring plan (testosterone, estradiol, LH, semen analysis); judge "
            + "the response, not the starting rules."),
        new("REC-6", Recommendation.TreatUnderlyingCause,
            "Hyperprolactinaemia, with or without a coded pituitary disease (whatever the fertility wish; even when the work-up is "
            + "incomplete)",
            $"{Aua}, statements 7–8; {Es}",
            static f => f.HasCause(Cause.Hyperprolactinemia),
            "Refer to endocrinology: repeat prolactin, pituitary MRI; a dopamine agonist usually restores testosterone and "
            + "fertility. No testosterone and no clomiphene meanwhile."),
        new("REC-7", Recommendation.FertilityPreserving,
            "Pituitary disease is coded and fertility is desired (even when the work-up is incomplete)",
            $"{Guidelines.ClomipheneLabel} (contraindicated with a pituitary tumour); {Es}; {Guidelines.EauSrh}",
            static f => f.HasCause(Cause.PituitaryDisease) && f.FertilityIntent == FertilityIntent.Desired,
            "Fertility-preserving therapy under endocrinology: hCG, adding FSH if sperm output stays low. Not clomiphene or "
            + "enclomiphene (label contraindication with a pituitary tumour). No testosterone."),
        new("REC-8", Recommendation.TreatUnderlyingCause,
            "Pituitary disease is coded and fertility is not desired, unsure or unknown (even when the work-up is incomplete)",
            $"{Es}; {Aua}, statement 8",
            static f => f.HasCause(Cause.PituitaryDisease),
            "Refer to endocrinology: pituitary function, imaging and treatment of the disease come before any hormone therapy."),
        new("REC-9", Recommendation.CompleteWorkup,
            "Classification insufficient-data",
            $"{Aua}, statement 2; {Es}",
            static f => f.Classification == Classification.InsufficientData,
            "Order what is missing (see missing data) before deciding on therapy."),
        new("REC-10", Recommendation.NoTestosteroneTherapy,
            "Classification eugonadal",
            $"{Guidelines.EauSrh} (do not treat eugonadal men); {Es}",
            static f => f.Classification == Classification.Eugonadal,
            "Testosterone levels are normal; testosterone therapy is not indicated."),
        new("REC-11", Recommendation.NoTestosteroneTherapy,
            "Classification compensated",
            $"{Guidelines.Emas2010}; {Guidelines.Eaa2020}",
            static f => f.Classification == Classification.Compensated,
            "Testosterone is normal with a high LH (compensated): no testosterone therapy; address comorbidities and repeat "
            + "testosterone and LH in 6–12 months."),
        new("REC-12", Recommendation.ReferReproductiveUrology,
            "Classification primary and fertility desired",
            $"{Aua} (fertility statements); {Es}, Table 4; {Guidelines.EauSrh}",
            static f => f.Classification == Classification.Primary && f.FertilityIntent == FertilityIntent.Desired,
            "Refer to reproductive urology: semen analysis, karyotype, sperm banking or micro-TESE. SERMs and hCG are not "
            + "effective when the testes fail (LH is already high); avoid testosterone until sperm is banked."),
        new("REC-13", Recommendation.TestosteroneReplacement,
            "Classification primary and fertility not desired",
            $"{Aua}; {Es}",
            static f => f.Classification == Classification.Primary && f.FertilityIntent == FertilityIntent.NotDesired,
            "Testosterone replacement, after checking contraindications, with the testosterone monitoring plan."),
        new("REC-14", Recommendation.AssessFertilityIntent,
            "Classification primary and fertility intent unsure or unknown",
            $"{Aua}, statement 10 (ask about fertility before treatment); {Es}, Table 4",
            static f => f.Classification == Classification.Primary,
            "Ask about and document fertility plans before choosing: reproductive urology referral if children are wanted, "
            + "testosterone replacement if not."),
        new("REC-15", Recommendation.FertilityPreserving,
            "Classification secondary and fertility desired (a drug or iron cause is still named and reviewed)",
            $"{Aua} (SERMs, hCG off-label for men desiring fertility); {Guidelines.Liel2017}; {Es}, Table 4",
            static f => f.Classification == Classification.Secondary && f.FertilityIntent == FertilityIntent.Desired,
            "Fertility-preserving therapy: clomiphene citrate 25 mg daily or 50 mg every other day (off-label in men); "
            + "enclomiphene where available (not FDA-approved); hCG ± FSH when a SERM fails or the pituitary is not intact. "
            + "No testosterone."),
        new("REC-16", Recommendation.TreatUnderlyingCause,
            "Classification secondary with an opioid, a systemic glucocorticoid or iron overload, and fertility not desired, "
            + "unsure or unknown",
            $"{Es} (opioids and glucocorticoids suppress the axis: review the drug first); {Guidelines.Eaa2020}; "
            + $"{Guidelines.Aasld2011}",
            static f => f.Classification == Classification.Secondary
                && (f.HasCause(Cause.Opioid) || f.HasCause(Cause.Glucocorticoid) || f.HasCause(Cause.IronOverload)),
            "Treat the cause first: review whether the opioid or glucocorticoid can be reduced or stopped; for iron overload, "
            + "HFE genotype and hepatology. Reassess testosterone afterwards."),
        new("REC-17", Recommendation.TestosteroneReplacement,
            "Classification secondary and fertility not desired",
            $"{Aua}; {Es}",
            static f => f.Classification == Classification.Secondary && f.FertilityIntent == FertilityIntent.NotDesired,
            "Testosterone replacement, after checking contraindications; a SERM (clomiphene) remains a documented "
            + "alternative if the patient prefers."),
        new("REC-18", Recommendation.AssessFertilityIntent,
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
            "No morning total testosterone within the last {LOOKBACK}",
            $"{Aua}, statement 2",
            static f => IsClassifiable(f) && f.AndrogenRuleId == "AND-6"),
        new("MD-2", MissingData.SecondMorningTotalTestosterone,
            "Androgen status unconfirmed: one low morning value, or two that disagree; repeat on another morning",
            $"{Aua}, statement 2",
            static f => IsClassifiable(f) && f.AndrogenStatus == AndrogenStatus.Unconfirmed),
        new("MD-3", MissingData.Lh,
            "No LH within the last {LOOKBACK}",
            $"{Aua}, statement 6 (measure LH in men with low testosterone)",
            static f => IsClassifiable(f) && f.LhHigh is null),
        new("MD-4", MissingData.Fsh,
            "No FSH within the last {LOOKBACK}, and the classification is insufficient-data, primary or secondary",
            $"{Es}; clinical brief §3.4 (order LH and FSH together to complete the work-up)",
            static f => f.Fsh is null && f.Classification is Classification.InsufficientData or Classification.Primary
                or Classification.Secondary),
        new("MD-5", MissingData.Shbg,
            "The newest morning total testosterone lies in the grey zone {GREY_ZONE}, no usable measured free testosterone "
            + "and no SHBG: free testosterone cannot be calculated",
            $"{Guidelines.Bssm2023}; {Es}",
            static f => IsClassifiable(f) && f.GreyZone && f.Shbg is null && !f.FreeMeasured),
        new("MD-6", MissingData.Prolactin,
            "Classification insufficient-data, androgen status low or unconfirmed, LH not high, and no prolactin within the "
            + "last {LOOKBACK}",
            $"{Aua}, statement 7 (prolactin when testosterone is low and LH low or normal)",
            static f => f.Classification == Classification.InsufficientData
                && f.AndrogenStatus is AndrogenStatus.Low or AndrogenStatus.Unconfirmed
                && f.LhHigh != true && f.Prolactin is null),
        new("MD-7", MissingData.Symptoms,
            "Androgen status low or unconfirmed and no symptom or sign of androgen deficiency is coded (erectile dysfunction, "
            + "reduced libido, fatigue, gynaecomastia, osteoporosis or low-trauma fracture, hot flushes, infertility): the "
            + "diagnosis needs them, so confirm symptoms before treating",
            $"{Aua}, statement 3 (Moderate, Evidence B); {Es}",
            static f => IsClassifiable(f) && f.AndrogenStatus is AndrogenStatus.Low or AndrogenStatus.Unconfirmed
                && f.Symptoms.Count == 0),
    ];

    /// <summary>Further tests, independent of the primary recommendation. Every matching row adds its code.</summary>
    public static ImmutableArray<DecisionRule<AdditionalWorkup>> WorkupRules { get; } =
    [
        new("WU-1", AdditionalWorkup.Prolactin,
            "Secondary hypogonadism and no prolactin within the last {LOOKBACK}",
            $"{Aua}, statement 7",
            static f => f.Classification == Classification.Secondary && f.Prolactin is null),
        new("WU-2", AdditionalWorkup.PituitaryMri,
            "Hyperprolactinaemia, or confirmed secondary hypogonadism with a morning total testosterone below {TT_VERY_LOW} "
            + "(a single very low value stays unconfirmed and adds nothing until it is confirmed)",
            $"{Es} (pituitary imaging); {Aua}, statement 8",
            static f => IsClassifiable(f)
                && (f.HasCause(Cause.Hyperprolactinemia)
                    || (f.Classification == Classification.Secondary && f.AnyMorningTotalBelowVeryLow))),
        new("WU-3", AdditionalWorkup.EndocrinologyReferral,
            "Hyperprolactinaemia or pituitary disease",
            $"{Aua}, statement 8; {Es}",
            static f => IsClassifiable(f) && (f.HasCause(Cause.Hyperprolactinemia) || f.HasCause(Cause.PituitaryDisease))),
        new("WU-4", AdditionalWorkup.IronStudies,
            "Secondary hypogonadism and no ferritin within the last {LOOKBACK} (haemochromatosis)",
            $"{Es}; clinical brief §2.2",
            static f => f.Classification == Classification.Secondary && f.Ferritin is null),
        new("WU-5", AdditionalWorkup.HfeGenotype,
            "Iron overload found (see causes)",
            $"{Guidelines.Aasld2011}; {Guidelines.Easl2022}",
            static f => IsClassifiable(f) && f.HasCause(Cause.IronOverload)),
        new("WU-6", AdditionalWorkup.SemenAnalysis,
            "Fertility desired",
            $"{Aua}, statement 10 (reproductive evaluation before treatment)",
            static f => f.IsAdultMale && f.Classification != Classification.AndrogenDeprivation
                && f.FertilityIntent == FertilityIntent.Desired),
        new("WU-7", AdditionalWorkup.Estradiol,
            "Active breast symptoms or gynecomastia",
            $"{Aua}, statement 9",
            static f => f.IsAdultMale && f.Classification != Classification.AndrogenDeprivation && f.Has(ConditionKind.BreastSymptoms)),
        new("WU-8", AdditionalWorkup.Karyotype,
            "Primary hypogonadism with neither Klinefelter syndrome nor a testicular cause coded (Klinefelter syndrome is the "
            + "commonest cause)",
            $"{Es}; clinical brief §2.2",
            static f => f.Classification == Classification.Primary && !f.Has(ConditionKind.Klinefelter)
                && !f.Has(ConditionKind.TesticularCause)),
    ];
}
