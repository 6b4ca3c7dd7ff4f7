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

    public int PsaMonitoringFromAgeYears { get; init; } = 40;

    public int PsaMonitoringToAgeYears { get; init; } = 69;

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
            "Issue 3 default adult male range; the result's own reference range takes precedence"),
        new(nameof(ShbgHighNmolPerL), "SHBG reference range (when the lab sends none) up to", Number(ShbgHighNmolPerL), "nmol/L",
            "Issue 3 default adult male range; the result's own reference range takes precedence"),
        new(nameof(DefaultAlbuminGPerDl), "Albumin assumed for calculated free testosterone when none is measured",
            Number(DefaultAlbuminGPerDl), "g/dL", Guidelines.Vermeulen1999),
        new(nameof(MorningCutoff), "A sample counts as a morning sample when taken before", MorningCutoff.ToString("HH:mm",
            CultureInfo.InvariantCulture), "local time of the sample",
            $"{Guidelines.Aua2018}, statement 2 (early morning); {Guidelines.Bssm2023} (before 11 am); EAU (7–11 am)"),
        new(nameof(LabLookbackMonths), "Laboratory results are used when taken within the last", Number(LabLookbackMonths),
            "months", "Issue 3 default; AUA 2018 statement 2 and ES 2018 require recent confirmatory values"),
        new(nameof(ExogenousAndrogenWindowMonths), "Testosterone or anabolic steroid use makes hormone results uninterpretable for",
            Number(ExogenousAndrogenWindowMonths), "months", $"Issue 3 default; {Guidelines.Esa2019Aas}"),
        new(nameof(FertilityIntentLookbackMonths), "A documented fertility intent is current for", Number(FertilityIntentLookbackMonths),
            "months", $"{Guidelines.UsCorePregnancyIntent}: intention 'in the next year'"),
        new(nameof(AdultAgeYears), "The rules apply to men aged at least", Number(AdultAgeYears), "years",
            "Issue 3 scope: adult men (AUA and ES guidelines address adult men)"),
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
        new(nameof(PsaMonitoringFromAgeYears), "PSA monitoring on testosterone from age", Number(PsaMonitoringFromAgeYears), "years",
            $"{Guidelines.Es2018} (men 40–69 at increased risk, 55–69 who opt in)"),
        new(nameof(PsaMonitoringToAgeYears), "PSA monitoring on testosterone up to age", Number(PsaMonitoringToAgeYears), "years",
            Guidelines.Es2018),
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
        Within(errors, PsaMonitoringToAgeYears, 18, 120, nameof(PsaMonitoringToAgeYears), "years");
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
