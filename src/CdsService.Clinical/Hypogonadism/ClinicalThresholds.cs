using System.Globalization;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// Every number the hypogonadism rules decide with, in one place, so a site can change any of them by configuration
/// and the rules document shows the values in force. The unit is part of each
/// property name so a value bound from configuration section <c>Clinical</c> cannot be read in the wrong unit.
/// <see cref="Describe"/> gives each default's source for the rules document.
/// </summary>
public sealed record ClinicalThresholds
{
    /// <summary>Configuration section the Api binds this record from.</summary>
    public const string SectionName = "Clinical";

    public static ClinicalThresholds Default { get; } = new();

    public decimal TotalTestosteroneLowNgPerDl { get; init; } = 300m;

    public decimal TotalTestosteroneVeryLowNgPerDl { get; init; } = 150m;

    public decimal GreyZoneLowNmolPerL { get; init; } = 8m;

    public decimal GreyZoneHighNmolPerL { get; init; } = 12m;

    public decimal LhHighIuPerL { get; init; } = 9.4m;

    public decimal FreeTestosteroneLowPmolPerL { get; init; } = 220m;

    public decimal ShbgLowNmolPerL { get; init; } = 13m;

    public decimal ShbgHighNmolPerL { get; init; } = 71m;

    public decimal DefaultAlbuminGPerDl { get; init; } = 4.3m;

    /// <summary>Samples taken strictly before this local time of day count as morning samples.</summary>
    public TimeOnly MorningCutoff { get; init; } = new(11, 0);

    public int LabLookbackMonths { get; init; } = 12;

    public int ExogenousAndrogenWindowMonths { get; init; } = 6;

    public int FertilityIntentLookbackMonths { get; init; } = 12;

    public int AdultAgeYears { get; init; } = 18;

    public decimal HematocritContraindicationPercent { get; init; } = 48m;

    public decimal PsaContraindicationNgPerMl { get; init; } = 4m;

    public decimal PsaContraindicationHighRiskNgPerMl { get; init; } = 3m;

    public int RecentMiOrStrokeMonths { get; init; } = 6;

    public decimal HematocritWithholdPercent { get; init; } = 54m;

    public decimal PsaRiseReferralNgPerMl { get; init; } = 1.4m;

    public decimal TrtTargetLowNgPerDl { get; init; } = 450m;

    public decimal TrtTargetHighNgPerDl { get; init; } = 600m;

    /// <summary>Ongoing PSA monitoring on testosterone from this age for every man (ES 2018: 55–69).</summary>
    public int PsaMonitoringFromAgeYears { get; init; } = 55;

    /// <summary>Ongoing PSA monitoring from this age for men at high risk of prostate cancer (ES 2018: 40–69).</summary>
    public int PsaMonitoringHighRiskFromAgeYears { get; init; } = 40;

    /// <summary>Baseline PSA before the first testosterone dose from this age, with no upper age (AUA 2018 statement 13).</summary>
    public int PsaBaselineFromAgeYears { get; init; } = 40;

    public int PsaMonitoringToAgeYears { get; init; } = 69;

    /// <summary>Prolactin above this (when the result has no reference range of its own) is hyperprolactinaemia.</summary>
    public decimal ProlactinHighNgPerMl { get; init; } = 20m;

    /// <summary>FSH above this (when the result has no range of its own) points to the testes (primary).</summary>
    public decimal FshHighIuPerL { get; init; } = 12.4m;

    public decimal FerritinHighNgPerMl { get; init; } = 300m;

    public decimal TransferrinSaturationHighPercent { get; init; } = 45m;

    public decimal BmiObesityKgPerM2 { get; init; } = 30m;

    public int AndrogenDeprivationWindowMonths { get; init; } = 6;

    public int FertilityTherapyWindowMonths { get; init; } = 3;

    /// <summary>
    /// IANA time zone of the site (e.g. America/New_York). A timestamp sent in UTC is converted to it before the morning
    /// rule; a timestamp with any other offset keeps its own. Empty: the server's zone.
    /// </summary>
    public string SiteTimeZone { get; init; } = string.Empty;

    /// <summary>A result with a date but no time counts as a morning sample (shown as "time not recorded").</summary>
    public bool DateOnlyCountsAsMorning { get; init; } = true;

    // Men already on testosterone (monitoring alerts, MA rows; ES 2018 Table 8 "Monitoring of men receiving testosterone
    // therapy"; AUA 2018 Table 7).

    /// <summary>On treatment, refer to urology when PSA is above this (confirmed by a second value).</summary>
    public decimal PsaOnTreatmentReferralNgPerMl { get; init; } = 4m;

    /// <summary>PSA rises are judged between values at most this far apart (ES 2018: "within 12 months").</summary>
    public int PsaRiseWindowMonths { get; init; } = 12;

    /// <summary>The first on-treatment check (testosterone, hematocrit, PSA, symptoms) is due this long after starting.</summary>
    public int OnTreatmentFirstCheckMonths { get; init; } = 3;

    /// <summary>After the first check, each monitoring test is repeated at this interval; longer without one is overdue.</summary>
    public int OnTreatmentRecheckMonths { get; init; } = 12;

    /// <summary>After stopping testosterone, morning testosterone and LH reflect his own axis only after this washout.</summary>
    public int TestosteroneWashoutWeeks { get; init; } = 26;

    /// <summary>A man younger than this starting testosterone without wanting children now is offered sperm banking.</summary>
    public int SpermBankingOfferUnderAgeYears { get; init; } = 40;

    /// <summary>The zone <see cref="SiteTimeZone"/> names, or the server's zone when it is empty.</summary>
    public TimeZoneInfo ResolveSiteTimeZone() =>
        string.IsNullOrWhiteSpace(SiteTimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(SiteTimeZone);

    /// <summary>
    /// Each threshold with its configuration key, meaning, value, unit and source, in the order the rules document
    /// lists them. The Api can serve this with the configured values.
    /// </summary>
    public IReadOnlyList<ThresholdDescription> Describe() =>
    [
        new(nameof(TotalTestosteroneLowNgPerDl), "Total testosterone is low below", Number(TotalTestosteroneLowNgPerDl), "ng/dL",
            $"{Guidelines.Aua2018}, statement 1 (300 ng/dL = 10.4 nmol/L)"),
        new(nameof(TotalTestosteroneVeryLowNgPerDl), "Very low total testosterone (pituitary imaging) below",
            Number(TotalTestosteroneVeryLowNgPerDl), "ng/dL", $"{Guidelines.Es2018} (150 ng/dL = 5.2 nmol/L)"),
        new(nameof(GreyZoneLowNmolPerL), "Grey zone of total testosterone (free testosterone decides) from",
            Number(GreyZoneLowNmolPerL), "nmol/L", $"{Guidelines.Bssm2023}: measure free T if total T 8–12 nmol/L (231–346 ng/dL)"),
        new(nameof(GreyZoneHighNmolPerL), "Grey zone of total testosterone, up to and including", Number(GreyZoneHighNmolPerL),
            "nmol/L", Guidelines.Bssm2023),
        new(nameof(LhHighIuPerL), "LH is high above", Number(LhHighIuPerL), "IU/L (= mIU/mL)",
            $"{Guidelines.Emas2010}; 9.4 itself is not high"),
        new(nameof(FreeTestosteroneLowPmolPerL), "Free testosterone is low below", Number(FreeTestosteroneLowPmolPerL),
            "pmol/L", $"{Guidelines.EauSrh}: 220 pmol/L (≈ 63.4 pg/mL; pmol/L × 0.2884 = pg/mL)"),
        new(nameof(ShbgLowNmolPerL), "SHBG reference range (when the lab sends none) from", Number(ShbgLowNmolPerL), "nmol/L",
            "Adult male laboratory reference range used when the result sends none (project default); the result's own reference range takes precedence"),
        new(nameof(ShbgHighNmolPerL), "SHBG reference range (when the lab sends none) up to", Number(ShbgHighNmolPerL), "nmol/L",
            "Adult male laboratory reference range used when the result sends none (project default); the result's own reference range takes precedence"),
        new(nameof(DefaultAlbuminGPerDl), "Albumin assumed for calculated free testosterone when none is measured",
            Number(DefaultAlbuminGPerDl), "g/dL", Guidelines.Vermeulen1999),
        new(nameof(MorningCutoff), "A sample counts as a morning sample when taken before", MorningCutoff.ToString("HH:mm",
            CultureInfo.InvariantCulture), "local time of the sample",
            $"{Guidelines.Aua2018}, statement 2 (early morning); {Guidelines.Bssm2023} (before 11 am); EAU (7–11 am)"),
        new(nameof(LabLookbackMonths), "Laboratory results are used when taken within the last", Number(LabLookbackMonths),
            "months", "Project default; AUA 2018 statement 2 and ES 2018 require recent confirmatory values"),
        new(nameof(ExogenousAndrogenWindowMonths), "Testosterone or anabolic steroid use makes hormone results uninterpretable for",
            Number(ExogenousAndrogenWindowMonths), "months", $"Project default; {Guidelines.Esa2019Aas} (LH recovers about 9 months after anabolic steroids)"),
        new(nameof(FertilityIntentLookbackMonths), "A documented fertility intent is current for", Number(FertilityIntentLookbackMonths),
            "months", $"{Guidelines.UsCorePregnancyIntent}: intention 'in the next year'"),
        new(nameof(AdultAgeYears), "The rules apply to men aged at least", Number(AdultAgeYears), "years",
            "AUA 2018 and ES 2018 address adult men"),
        new(nameof(HematocritContraindicationPercent), "Testosterone is contraindicated when hematocrit is above",
            Number(HematocritContraindicationPercent), "%", $"{Guidelines.Es2018}, Table 4 (> 48 %; > 50 % at high altitude)"),
        new(nameof(PsaContraindicationNgPerMl), "Testosterone is contraindicated when unevaluated PSA is above",
            Number(PsaContraindicationNgPerMl), "ng/mL", $"{Guidelines.Es2018}, Table 4"),
        new(nameof(PsaContraindicationHighRiskNgPerMl), "…or, in men at high risk of prostate cancer, above",
            Number(PsaContraindicationHighRiskNgPerMl), "ng/mL",
            $"{Guidelines.Es2018}, Table 4 (African American men, first-degree relative with prostate cancer)"),
        new(nameof(RecentMiOrStrokeMonths), "Myocardial infarction or stroke counts as recent within", Number(RecentMiOrStrokeMonths),
            "months", $"{Guidelines.Es2018}, recommendation against testosterone"),
        new(nameof(HematocritWithholdPercent), "On testosterone, withhold therapy when hematocrit is above",
            Number(HematocritWithholdPercent), "%", $"{Guidelines.Es2018} monitoring; {Guidelines.Aua2018} Table 7"),
        new(nameof(PsaRiseReferralNgPerMl), "On testosterone, refer to urology when PSA rises within 12 months by more than",
            Number(PsaRiseReferralNgPerMl), "ng/mL", $"{Guidelines.Es2018} monitoring"),
        new(nameof(TrtTargetLowNgPerDl), "Testosterone therapy target (mid-normal) from", Number(TrtTargetLowNgPerDl), "ng/dL",
            $"{Guidelines.Aua2018} (450–600 ng/dL)"),
        new(nameof(TrtTargetHighNgPerDl), "Testosterone therapy target (mid-normal) up to", Number(TrtTargetHighNgPerDl), "ng/dL",
            Guidelines.Aua2018),
        new(nameof(PsaBaselineFromAgeYears), "Baseline PSA before testosterone for every man from age (no upper age)",
            Number(PsaBaselineFromAgeYears), "years",
            $"{Guidelines.Aua2018}, statement 13 (measure PSA in men over 40 before starting testosterone)"),
        new(nameof(PsaMonitoringFromAgeYears), "PSA monitoring on testosterone from age", Number(PsaMonitoringFromAgeYears), "years",
            $"{Guidelines.Es2018} (men 55–69 who choose monitoring after shared decision-making)"),
        new(nameof(PsaMonitoringHighRiskFromAgeYears), "…and, at high risk of prostate cancer, from age",
            Number(PsaMonitoringHighRiskFromAgeYears), "years",
            $"{Guidelines.Es2018} (men 40–69 at increased risk: Black or African American, first-degree relative with prostate cancer)"),
        new(nameof(PsaMonitoringToAgeYears), "PSA monitoring on testosterone up to age", Number(PsaMonitoringToAgeYears), "years",
            Guidelines.Es2018),
        new(nameof(ProlactinHighNgPerMl), "Prolactin is high (when the result has no reference range) above",
            Number(ProlactinHighNgPerMl), "ng/mL (mIU/L ÷ 21.2)",
            $"{Guidelines.LabReferenceRanges}: adult male upper limits 17.7–19.4 ng/mL, rounded up so a normal result is "
            + $"never called high; {Guidelines.WhoProlactinStandard} for mIU/L; {Guidelines.Aua2018}, statements 7–8"),
        new(nameof(FshHighIuPerL), "FSH is high (when the result has no reference range) above", Number(FshHighIuPerL),
            "IU/L (= mIU/mL)", $"{Guidelines.LabReferenceRanges} (Roche Elecsys adult male 1.5–12.4 IU/L); {Guidelines.Es2018}"),
        new(nameof(FerritinHighNgPerMl), "Ferritin suggests iron overload above", Number(FerritinHighNgPerMl), "ng/mL (= µg/L)",
            $"{Guidelines.Easl2022} (men > 300 µg/L)"),
        new(nameof(TransferrinSaturationHighPercent), "…together with a transferrin saturation above (when measured)",
            Number(TransferrinSaturationHighPercent), "%", $"{Guidelines.Aasld2011} (≥ 45 % → HFE testing)"),
        new(nameof(BmiObesityKgPerM2), "Obesity from a body mass index of", Number(BmiObesityKgPerM2), "kg/m²",
            $"WHO obesity definition; {Guidelines.Eaa2020} (functional hypogonadism)"),
        new(nameof(AndrogenDeprivationWindowMonths), "Androgen deprivation counts for (after the last depot or dose)",
            Number(AndrogenDeprivationWindowMonths), "months", $"{Guidelines.LeuprolideLabel} (longest depot: 6 months)"),
        new(nameof(FertilityTherapyWindowMonths), "Fertility therapy (SERM, hCG, FSH, aromatase inhibitor) still shapes the "
            + "hormone results for", Number(FertilityTherapyWindowMonths), "months after it stopped",
            $"{Guidelines.Es2018}; {Guidelines.Kim2013} (spermatogenesis cycle ≈ 3 months)"),
        new(nameof(SiteTimeZone), "Site time zone for results sent in UTC",
            string.IsNullOrWhiteSpace(SiteTimeZone) ? "server's zone" : SiteTimeZone, "IANA zone id",
            $"{Guidelines.Aua2018}, statement 2: \"early morning\" is the patient's local morning"),
        new(nameof(DateOnlyCountsAsMorning), "A result with a date but no time counts as a morning sample",
            DateOnlyCountsAsMorning ? "yes" : "no", "flagged \"time not recorded\" on the card",
            "Most laboratories draw testosterone in the morning; a site whose records say otherwise can turn this off"),
        new(nameof(PsaOnTreatmentReferralNgPerMl), "On testosterone, refer to urology when PSA (confirmed) is above",
            Number(PsaOnTreatmentReferralNgPerMl), "ng/mL",
            $"{Guidelines.Es2018}, Table 8: urological consultation for a confirmed PSA > 4.0 ng/mL"),
        new(nameof(PsaRiseWindowMonths), "A PSA rise is judged between values at most this far apart", Number(PsaRiseWindowMonths),
            "months", $"{Guidelines.Es2018}, Table 8: confirmed increase > 1.4 ng/mL above baseline within 12 months"),
        new(nameof(OnTreatmentFirstCheckMonths), "On testosterone, the first check (testosterone, hematocrit, PSA, symptoms) is due after",
            Number(OnTreatmentFirstCheckMonths), "months",
            $"{Guidelines.Es2018}, Table 8 (evaluate 3 months after starting, then annually; hematocrit at 3 months); {Guidelines.Aua2018} Table 7"),
        new(nameof(OnTreatmentRecheckMonths), "On testosterone, each monitoring test is repeated (and overdue after)",
            Number(OnTreatmentRecheckMonths), "months", $"{Guidelines.Es2018}, Table 8 (then annually); {Guidelines.Aua2018} Table 7"),
        new(nameof(TestosteroneWashoutWeeks), "After stopping testosterone, repeat morning testosterone and LH no sooner than",
            Number(TestosteroneWashoutWeeks), "weeks",
            $"Project default: {Guidelines.Aua2018} (after stopping, recheck testosterone in 3–6 months; the upper bound, which "
            + "matches the exogenous-androgen window so the repeat values are read as his own); no "
            + "guideline gives formulation-specific washout times (docs/clinical/evidence/therapy-screens-monitoring.md §6); "
            + "recovery after long-acting undecanoate or anabolic steroids can take much longer"),
        new(nameof(SpermBankingOfferUnderAgeYears), "Starting testosterone without wanting children now, offer sperm banking below age",
            Number(SpermBankingOfferUnderAgeYears), "years",
            $"Project default; {Guidelines.Bssm2023}: discuss the impact of testosterone on future fertility and its reversibility "
            + "and offer alternatives (an explicit age was not found: docs/clinical/evidence/therapy-screens-monitoring.md §7)"),
    ];

    /// <summary>
    /// Rejects values that would make the rules unsafe or meaningless (negative, inverted ranges, absurd windows).
    /// The Api runs this at start-up so a bad configuration stops the service instead of producing wrong advice.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Positive(errors, TotalTestosteroneLowNgPerDl, nameof(TotalTestosteroneLowNgPerDl));
        Positive(errors, TotalTestosteroneVeryLowNgPerDl, nameof(TotalTestosteroneVeryLowNgPerDl));
        Positive(errors, GreyZoneLowNmolPerL, nameof(GreyZoneLowNmolPerL));
        Positive(errors, LhHighIuPerL, nameof(LhHighIuPerL));
        Positive(errors, FreeTestosteroneLowPmolPerL, nameof(FreeTestosteroneLowPmolPerL));
        Positive(errors, ShbgLowNmolPerL, nameof(ShbgLowNmolPerL));
        Positive(errors, DefaultAlbuminGPerDl, nameof(DefaultAlbuminGPerDl));
        Positive(errors, HematocritContraindicationPercent, nameof(HematocritContraindicationPercent));
        Positive(errors, PsaContraindicationNgPerMl, nameof(PsaContraindicationNgPerMl));
        Positive(errors, PsaContraindicationHighRiskNgPerMl, nameof(PsaContraindicationHighRiskNgPerMl));
        Positive(errors, PsaRiseReferralNgPerMl, nameof(PsaRiseReferralNgPerMl));
        Positive(errors, TrtTargetLowNgPerDl, nameof(TrtTargetLowNgPerDl));

        Ordered(errors, TotalTestosteroneVeryLowNgPerDl, TotalTestosteroneLowNgPerDl,
            nameof(TotalTestosteroneVeryLowNgPerDl), nameof(TotalTestosteroneLowNgPerDl));
        Ordered(errors, GreyZoneLowNmolPerL, GreyZoneHighNmolPerL, nameof(GreyZoneLowNmolPerL), nameof(GreyZoneHighNmolPerL));
        Ordered(errors, ShbgLowNmolPerL, ShbgHighNmolPerL, nameof(ShbgLowNmolPerL), nameof(ShbgHighNmolPerL));
        if (PsaContraindicationHighRiskNgPerMl > PsaContraindicationNgPerMl)
        {
            errors.Add($"Clinical:{nameof(PsaContraindicationHighRiskNgPerMl)} ({Number(PsaContraindicationHighRiskNgPerMl)}) "
                + $"must not exceed Clinical:{nameof(PsaContraindicationNgPerMl)} ({Number(PsaContraindicationNgPerMl)}).");
        }

        Ordered(errors, HematocritContraindicationPercent, HematocritWithholdPercent,
            nameof(HematocritContraindicationPercent), nameof(HematocritWithholdPercent));
        Ordered(errors, TrtTargetLowNgPerDl, TrtTargetHighNgPerDl, nameof(TrtTargetLowNgPerDl), nameof(TrtTargetHighNgPerDl));
        Ordered(errors, PsaMonitoringFromAgeYears, PsaMonitoringToAgeYears,
            nameof(PsaMonitoringFromAgeYears), nameof(PsaMonitoringToAgeYears));
        Ordered(errors, PsaMonitoringHighRiskFromAgeYears, PsaMonitoringToAgeYears,
            nameof(PsaMonitoringHighRiskFromAgeYears), nameof(PsaMonitoringToAgeYears));

        // Physiological plausibility: catches a value entered in the wrong unit (e.g. 10.4 meant as nmol/L).
        Within(errors, TotalTestosteroneLowNgPerDl, 100m, 1000m, nameof(TotalTestosteroneLowNgPerDl), "ng/dL");
        Within(errors, LhHighIuPerL, 1m, 50m, nameof(LhHighIuPerL), "IU/L");
        Within(errors, FreeTestosteroneLowPmolPerL, 100m, 1000m, nameof(FreeTestosteroneLowPmolPerL), "pmol/L");
        Within(errors, DefaultAlbuminGPerDl, 1m, 7m, nameof(DefaultAlbuminGPerDl), "g/dL");
        Within(errors, HematocritContraindicationPercent, 30m, 70m, nameof(HematocritContraindicationPercent), "%");
        Within(errors, HematocritWithholdPercent, 30m, 70m, nameof(HematocritWithholdPercent), "%");
        Within(errors, MorningCutoff.Hour, 6, 14, nameof(MorningCutoff), "hour of day");
        Within(errors, LabLookbackMonths, 1, 60, nameof(LabLookbackMonths), "months");
        Within(errors, ExogenousAndrogenWindowMonths, 1, 60, nameof(ExogenousAndrogenWindowMonths), "months");
        Within(errors, FertilityIntentLookbackMonths, 1, 60, nameof(FertilityIntentLookbackMonths), "months");
        Within(errors, RecentMiOrStrokeMonths, 1, 60, nameof(RecentMiOrStrokeMonths), "months");
        Within(errors, AdultAgeYears, 16, 25, nameof(AdultAgeYears), "years");
        Within(errors, PsaMonitoringFromAgeYears, 18, 100, nameof(PsaMonitoringFromAgeYears), "years");
        Within(errors, PsaMonitoringHighRiskFromAgeYears, 18, 100, nameof(PsaMonitoringHighRiskFromAgeYears), "years");
        Within(errors, PsaBaselineFromAgeYears, 18, 100, nameof(PsaBaselineFromAgeYears), "years");
        Within(errors, PsaMonitoringToAgeYears, 18, 120, nameof(PsaMonitoringToAgeYears), "years");
        Within(errors, ProlactinHighNgPerMl, 5m, 100m, nameof(ProlactinHighNgPerMl), "ng/mL");
        Within(errors, FshHighIuPerL, 5m, 40m, nameof(FshHighIuPerL), "IU/L");
        Within(errors, FerritinHighNgPerMl, 100m, 2000m, nameof(FerritinHighNgPerMl), "ng/mL");
        Within(errors, TransferrinSaturationHighPercent, 20m, 90m, nameof(TransferrinSaturationHighPercent), "%");
        Within(errors, BmiObesityKgPerM2, 20m, 50m, nameof(BmiObesityKgPerM2), "kg/m²");
        Within(errors, AndrogenDeprivationWindowMonths, 1, 24, nameof(AndrogenDeprivationWindowMonths), "months");
        Within(errors, FertilityTherapyWindowMonths, 1, 24, nameof(FertilityTherapyWindowMonths), "months");
        Within(errors, PsaOnTreatmentReferralNgPerMl, 1m, 20m, nameof(PsaOnTreatmentReferralNgPerMl), "ng/mL");
        Within(errors, PsaRiseWindowMonths, 1, 36, nameof(PsaRiseWindowMonths), "months");
        Within(errors, OnTreatmentFirstCheckMonths, 1, 12, nameof(OnTreatmentFirstCheckMonths), "months");
        Within(errors, OnTreatmentRecheckMonths, 3, 24, nameof(OnTreatmentRecheckMonths), "months");
        Within(errors, TestosteroneWashoutWeeks, 1, 104, nameof(TestosteroneWashoutWeeks), "weeks");
        Within(errors, SpermBankingOfferUnderAgeYears, 18, 70, nameof(SpermBankingOfferUnderAgeYears), "years");
        if (!string.IsNullOrWhiteSpace(SiteTimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(SiteTimeZone, out _))
        {
            errors.Add($"Clinical:{nameof(SiteTimeZone)} '{SiteTimeZone}' is not a time zone this server knows (IANA id, e.g. America/New_York).");
        }

        return errors;
    }

    internal static string Number(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    internal static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Positive(List<string> errors, decimal value, string name)
    {
        if (value <= 0)
        {
            errors.Add($"Clinical:{name} must be greater than zero (was {Number(value)}).");
        }
    }

    private static void Ordered(List<string> errors, decimal lower, decimal upper, string lowerName, string upperName)
    {
        if (lower >= upper)
        {
            errors.Add($"Clinical:{lowerName} ({Number(lower)}) must be below Clinical:{upperName} ({Number(upper)}).");
        }
    }

    private static void Within(List<string> errors, decimal value, decimal min, decimal max, string name, string unit)
    {
        if (value < min || value > max)
        {
            errors.Add($"Clinical:{name} must be between {Number(min)} and {Number(max)} {unit} (was {Number(value)}).");
        }
    }
}

/// <summary>One threshold as the rules document shows it.</summary>
public sealed record ThresholdDescription(string Key, string Meaning, string Value, string Unit, string Source);
