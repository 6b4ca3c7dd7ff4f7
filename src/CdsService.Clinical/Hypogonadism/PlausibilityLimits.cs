using System.Globalization;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The physiologically possible range of each analyte, in the rules' canonical unit (<see cref="LabUnits.CanonicalUnit"/>),
/// and the oldest plausible age. A value outside its range is a data error (a typo, a unit slip, a test record), not a
/// patient state: <see cref="PlausibilityScreen"/> shows it as a data issue and no rule uses it. Without this, total
/// testosterone −5 or 0 ng/dL read as "secondary hypogonadism", 5,000,000 ng/dL as "eugonadal", and a birth date of
/// 0001-01-01 as an adult man.
/// </summary>
/// <remarks>
/// The ranges are deliberately wide: they must never discard a real result, however extreme (a castrate level, a
/// supraphysiological dose, a giant prolactinoma), only what no human body can produce. Each range states its basis;
/// where no published limit exists it says it is a conservative project choice. Sites override any bound in
/// configuration section <c>Clinical:Plausibility</c>; the bounds are inclusive.
/// </remarks>
public sealed record PlausibilityLimits
{
    /// <summary>Configuration section the Api binds this record from.</summary>
    public const string SectionName = "Clinical:Plausibility";

    public static PlausibilityLimits Default { get; } = new();

    public decimal TotalTestosteroneMinNgPerDl { get; init; } = 1m;

    public decimal TotalTestosteroneMaxNgPerDl { get; init; } = 10_000m;

    public decimal BioavailableTestosteroneMinNgPerDl { get; init; } = 0m;

    public decimal BioavailableTestosteroneMaxNgPerDl { get; init; } = 5_000m;

    public decimal FreeTestosteroneMinPmolPerL { get; init; } = 0m;

    public decimal FreeTestosteroneMaxPmolPerL { get; init; } = 10_000m;

    public decimal ShbgMinNmolPerL { get; init; } = 0.5m;

    public decimal ShbgMaxNmolPerL { get; init; } = 500m;

    public decimal AlbuminMinGPerDl { get; init; } = 0.5m;

    public decimal AlbuminMaxGPerDl { get; init; } = 8m;

    public decimal LhMinIuPerL { get; init; } = 0m;

    public decimal LhMaxIuPerL { get; init; } = 300m;

    public decimal FshMinIuPerL { get; init; } = 0m;

    public decimal FshMaxIuPerL { get; init; } = 300m;

    public decimal ProlactinMinNgPerMl { get; init; } = 0m;

    public decimal ProlactinMaxNgPerMl { get; init; } = 200_000m;

    public decimal EstradiolMinPgPerMl { get; init; } = 0m;

    public decimal EstradiolMaxPgPerMl { get; init; } = 20_000m;

    public decimal HematocritMinPercent { get; init; } = 5m;

    public decimal HematocritMaxPercent { get; init; } = 85m;

    public decimal PsaMinNgPerMl { get; init; } = 0m;

    public decimal PsaMaxNgPerMl { get; init; } = 100_000m;

    public decimal FerritinMinNgPerMl { get; init; } = 0m;

    public decimal FerritinMaxNgPerMl { get; init; } = 500_000m;

    public decimal TransferrinSaturationMinPercent { get; init; } = 0m;

    public decimal TransferrinSaturationMaxPercent { get; init; } = 100m;

    public decimal BmiMinKgPerM2 { get; init; } = 7m;

    public decimal BmiMaxKgPerM2 { get; init; } = 250m;

    /// <summary>An age above this (or a birth date after today) makes the birth date a data error and the age unknown.</summary>
    public int MaxAgeYears { get; init; } = 120;

    /// <summary>The inclusive range of <paramref name="analyte"/> in its canonical unit.</summary>
    public (decimal Min, decimal Max) For(Analyte analyte) => analyte switch
    {
        Analyte.TotalTestosterone => (TotalTestosteroneMinNgPerDl, TotalTestosteroneMaxNgPerDl),
        Analyte.BioavailableTestosterone => (BioavailableTestosteroneMinNgPerDl, BioavailableTestosteroneMaxNgPerDl),
        Analyte.FreeTestosterone => (FreeTestosteroneMinPmolPerL, FreeTestosteroneMaxPmolPerL),
        Analyte.Shbg => (ShbgMinNmolPerL, ShbgMaxNmolPerL),
        Analyte.Albumin => (AlbuminMinGPerDl, AlbuminMaxGPerDl),
        Analyte.Lh => (LhMinIuPerL, LhMaxIuPerL),
        Analyte.Fsh => (FshMinIuPerL, FshMaxIuPerL),
        Analyte.Prolactin => (ProlactinMinNgPerMl, ProlactinMaxNgPerMl),
        Analyte.Estradiol => (EstradiolMinPgPerMl, EstradiolMaxPgPerMl),
        Analyte.Hematocrit => (HematocritMinPercent, HematocritMaxPercent),
        Analyte.Psa => (PsaMinNgPerMl, PsaMaxNgPerMl),
        Analyte.Ferritin => (FerritinMinNgPerMl, FerritinMaxNgPerMl),
        Analyte.TransferrinSaturation => (TransferrinSaturationMinPercent, TransferrinSaturationMaxPercent),
        Analyte.Bmi => (BmiMinKgPerM2, BmiMaxKgPerM2),
        _ => throw new ArgumentOutOfRangeException(nameof(analyte), analyte, "No plausibility range for this analyte."),
    };

    /// <summary>Why each range is what it is, for the generated table in docs/clinical/plausibility-ranges.md.</summary>
    public static string Basis(Analyte analyte) => analyte switch
    {
        Analyte.TotalTestosterone =>
            "A measured total testosterone is never 0 or negative: below an assay's limit of quantitation (LC-MS/MS about 1–2 ng/dL) labs report \"<\" a limit, which stays usable. " +
            "Upper bound: conservative project choice, several times the highest supraphysiological levels reported with androgen misuse.",
        Analyte.BioavailableTestosterone => "Conservative project choice (no rule reads it): half the total testosterone upper bound.",
        Analyte.FreeTestosterone => "Conservative project choice: about 15× the upper reference limit of adult men (≈ 700 pmol/L).",
        Analyte.Shbg => "Conservative project choice: about 7× the adult male reference upper limit (71 nmol/L); hyperthyroidism and cirrhosis rarely exceed 200.",
        Analyte.Albumin => "Conservative project choice: serum albumin below 1 or above 6 g/dL is at the limit of survival; the bounds leave a margin.",
        Analyte.Lh or Analyte.Fsh =>
            "0 is kept (suppressed or undetectable gonadotropins on testosterone therapy); upper bound a conservative project choice above the highest castrate and primary-failure levels (about 100–150 IU/L).",
        Analyte.Prolactin => "0 is kept (undetectable); upper bound a conservative project choice above the highest giant-prolactinoma values reported (tens of thousands of ng/mL).",
        Analyte.Estradiol => "Conservative project choice: far above any non-tumour level in men (reference < 50 pg/mL).",
        Analyte.Hematocrit => "A hematocrit below 5 % or above 85 % is incompatible with life; the bounds are a conservative project choice around that.",
        Analyte.Psa => "0 is kept (undetectable after prostatectomy); metastatic prostate cancer reaches thousands of ng/mL, so the upper bound is a conservative project choice well above that.",
        Analyte.Ferritin => "Conservative project choice above the highest values reported in haemophagocytic lymphohistiocytosis (> 100,000 ng/mL).",
        Analyte.TransferrinSaturation => "A saturation is a percentage: 0–100 % by definition.",
        Analyte.Bmi => "Conservative project choice around the lowest and highest BMI recorded in adults (extreme case reports of about 7.5 and above 200 kg/m²).",
        _ => throw new ArgumentOutOfRangeException(nameof(analyte), analyte, "No plausibility range for this analyte."),
    };

    /// <summary>Every bound is a number, and each minimum is below its maximum; a nonsensical setting stops start-up.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var analyte in Enum.GetValues<Analyte>())
        {
            var (min, max) = For(analyte);
            if (min < 0 || min >= max)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"Clinical:Plausibility for {analyte}: the minimum ({min}) must be at least 0 and below the maximum ({max})."));
            }
        }

        if (MaxAgeYears is < 100 or > 150)
        {
            errors.Add("Clinical:Plausibility:MaxAgeYears must be between 100 and 150.");
        }

        return errors;
    }
}
