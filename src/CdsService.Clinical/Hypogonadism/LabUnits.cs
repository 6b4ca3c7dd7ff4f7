using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// Unit conversion per analyte (clinical brief §1.4). Factors come from the molecular weight of testosterone
/// (288.4 g/mol: nmol/L × 28.84 = ng/dL, pmol/L × 0.2884 = pg/mL) and the LOINC mass/molar pairs published in
/// miracum/loinc-conversion data/conversion.tsv (estradiol pmol/L × 0.2724 = pg/mL; SHBG nmol/L × 9.5 = µg/dL).
/// A unit not listed for an analyte is not convertible: the result is ignored for decisions and reported,
/// never guessed: a wrong factor would change the advice unseen. Prolactin in mIU/L is converted with the factor of
/// the WHO 3rd International Standard 84/500 (<see cref="ProlactinMiuPerLPerNgPerMl"/>); a result that carries its own
/// reference range is compared with that range first, so the factor only decides when the lab sent no range.
/// </summary>
public static class LabUnits
{
    /// <summary>ng/dL per nmol/L of testosterone (MW 288.4 g/mol).</summary>
    public const decimal TestosteroneNgPerDlPerNmolPerL = 28.84m;

    /// <summary>pg/mL per pmol/L of testosterone (MW 288.4 g/mol).</summary>
    public const decimal TestosteronePgPerMlPerPmolPerL = 0.2884m;

    /// <summary>pg/mL per pmol/L of estradiol (MW 272.4 g/mol).</summary>
    public const decimal EstradiolPgPerMlPerPmolPerL = 0.2724m;

    /// <summary>
    /// mIU/L of prolactin per ng/mL under WHO IS 84/500 (the factor most immunoassays calibrated to that standard use;
    /// docs/clinical/evidence/confirmation-causes-scope.md §2).
    /// </summary>
    public const decimal ProlactinMiuPerLPerNgPerMl = 21.2m;

    /// <summary>µg/dL per nmol/L of SHBG (conversion.tsv row 13967-5 → 2942-1).</summary>
    public const decimal ShbgUgPerDlPerNmolPerL = 9.5m;

    /// <summary>The unit the rules compare in for each analyte.</summary>
    public static LabUnit CanonicalUnit(Analyte analyte) => analyte switch
    {
        Analyte.TotalTestosterone => LabUnit.NanogramsPerDeciliter,
        Analyte.BioavailableTestosterone => LabUnit.NanogramsPerDeciliter,
        Analyte.FreeTestosterone => LabUnit.PicomolesPerLiter,
        Analyte.Shbg => LabUnit.NanomolesPerLiter,
        Analyte.Albumin => LabUnit.GramsPerDeciliter,
        Analyte.Lh or Analyte.Fsh => LabUnit.InternationalUnitsPerLiter,
        Analyte.Prolactin or Analyte.Psa or Analyte.Ferritin => LabUnit.NanogramsPerMilliliter,
        Analyte.Estradiol => LabUnit.PicogramsPerMilliliter,
        Analyte.Hematocrit or Analyte.TransferrinSaturation => LabUnit.Percent,
        Analyte.Bmi => LabUnit.KilogramsPerSquareMeter,
        _ => throw new ArgumentOutOfRangeException(nameof(analyte), analyte, "No canonical unit for this analyte."),
    };

    /// <summary>Converts a value of <paramref name="analyte"/> into the rules' canonical unit.</summary>
    public static bool TryToCanonical(Analyte analyte, decimal value, LabUnit unit, out decimal canonical)
    {
        switch (ToCanonical(analyte, unit))
        {
            case (decimal multiply, decimal divide):
                // A value beyond decimal's range after conversion is not a lab result; it is reported as not
                // convertible rather than crashing the assessment.
                try
                {
                    canonical = value * multiply / divide;
                    return true;
                }
                catch (OverflowException)
                {
                    canonical = 0;
                    return false;
                }

            default:
                canonical = 0;
                return false;
        }
    }

    /// <summary>Converts between any two units the analyte supports.</summary>
    public static bool TryConvert(Analyte analyte, decimal value, LabUnit from, LabUnit to, out decimal converted)
    {
        converted = 0;
        if (!TryToCanonical(analyte, value, from, out var canonical) || ToCanonical(analyte, to) is not (decimal multiply, decimal divide))
        {
            return false;
        }

        try
        {
            converted = canonical * divide / multiply;
            return true;
        }
        catch (OverflowException)
        {
            converted = 0;
            return false;
        }
    }

    public static bool IsConvertible(Analyte analyte, LabUnit unit) => ToCanonical(analyte, unit) is not null;

    /// <summary>The printed (UCUM-style) symbol of a unit, for evidence tables.</summary>
    public static string Symbol(LabUnit unit) => unit switch
    {
        LabUnit.NanogramsPerDeciliter => "ng/dL",
        LabUnit.NanomolesPerLiter => "nmol/L",
        LabUnit.PicogramsPerMilliliter => "pg/mL",
        LabUnit.PicomolesPerLiter => "pmol/L",
        LabUnit.NanogramsPerMilliliter => "ng/mL",
        LabUnit.MicrogramsPerLiter => "µg/L",
        LabUnit.MicrogramsPerDeciliter => "µg/dL",
        LabUnit.InternationalUnitsPerLiter => "IU/L",
        LabUnit.MilliInternationalUnitsPerLiter => "mIU/L",
        LabUnit.Percent => "%",
        LabUnit.LitersPerLiter => "L/L",
        LabUnit.GramsPerDeciliter => "g/dL",
        LabUnit.GramsPerLiter => "g/L",
        LabUnit.KilogramsPerSquareMeter => "kg/m²",
        _ => unit.ToString(),
    };

    // (multiply, divide): canonical = value × multiply ÷ divide. Kept as a pair so factors published as
    // "canonical → other" (0.2884, 0.2724, 9.5) are written exactly as published instead of as rounded inverses.
    private static (decimal Multiply, decimal Divide)? ToCanonical(Analyte analyte, LabUnit unit) => (analyte, unit) switch
    {
        (Analyte.TotalTestosterone or Analyte.BioavailableTestosterone, LabUnit.NanogramsPerDeciliter) => (1m, 1m),
        (Analyte.TotalTestosterone or Analyte.BioavailableTestosterone, LabUnit.NanomolesPerLiter) =>
            (TestosteroneNgPerDlPerNmolPerL, 1m),
        (Analyte.TotalTestosterone or Analyte.BioavailableTestosterone, LabUnit.NanogramsPerMilliliter) => (100m, 1m),

        (Analyte.FreeTestosterone, LabUnit.PicomolesPerLiter) => (1m, 1m),
        (Analyte.FreeTestosterone, LabUnit.PicogramsPerMilliliter) => (1m, TestosteronePgPerMlPerPmolPerL),
        (Analyte.FreeTestosterone, LabUnit.NanogramsPerDeciliter) => (10m, TestosteronePgPerMlPerPmolPerL),
        (Analyte.FreeTestosterone, LabUnit.NanomolesPerLiter) => (1000m, 1m),

        (Analyte.Shbg, LabUnit.NanomolesPerLiter) => (1m, 1m),
        (Analyte.Shbg, LabUnit.MicrogramsPerDeciliter) => (1m, ShbgUgPerDlPerNmolPerL),

        (Analyte.Albumin, LabUnit.GramsPerDeciliter) => (1m, 1m),
        (Analyte.Albumin, LabUnit.GramsPerLiter) => (1m, 10m),

        // IU/L and mIU/mL are the same quantity (the snapshot maps both to InternationalUnitsPerLiter).
        (Analyte.Lh or Analyte.Fsh, LabUnit.InternationalUnitsPerLiter) => (1m, 1m),
        (Analyte.Lh or Analyte.Fsh, LabUnit.MilliInternationalUnitsPerLiter) => (1m, 1000m),

        (Analyte.Prolactin or Analyte.Psa or Analyte.Ferritin, LabUnit.NanogramsPerMilliliter) => (1m, 1m),
        (Analyte.Prolactin or Analyte.Psa or Analyte.Ferritin, LabUnit.MicrogramsPerLiter) => (1m, 1m),
        (Analyte.Prolactin, LabUnit.MilliInternationalUnitsPerLiter) => (1m, ProlactinMiuPerLPerNgPerMl),

        (Analyte.Estradiol, LabUnit.PicogramsPerMilliliter) => (1m, 1m),
        (Analyte.Estradiol, LabUnit.PicomolesPerLiter) => (EstradiolPgPerMlPerPmolPerL, 1m),

        (Analyte.Hematocrit, LabUnit.Percent) => (1m, 1m),
        (Analyte.Hematocrit, LabUnit.LitersPerLiter) => (100m, 1m),

        (Analyte.TransferrinSaturation, LabUnit.Percent) => (1m, 1m),
        (Analyte.Bmi, LabUnit.KilogramsPerSquareMeter) => (1m, 1m),

        _ => null,
    };
}
