using System.Collections.Frozen;
using CdsService.Clinical.Model;

namespace CdsService.Fhir.Terminology;

/// <summary>
/// Maps a result's unit to a <see cref="LabUnit"/>: the UCUM code when the Quantity says it is UCUM, else the printed
/// unit in the spellings labs actually send. Anything else is unknown and the result is reported, never guessed
/// (docs/clinical/hypogonadism-rules.md §2 Which results count). A table is used rather than a UCUM library because the service needs an exact, reviewable mapping to
/// the dozen units its rules understand, not general unit arithmetic (clinical brief §5.1 "UCUM notes").
/// </summary>
public static class UnitNormalizer
{
    private static readonly FrozenDictionary<string, LabUnit> Ucum = new Dictionary<string, LabUnit>(StringComparer.Ordinal)
    {
        ["ng/dL"] = LabUnit.NanogramsPerDeciliter,
        ["nmol/L"] = LabUnit.NanomolesPerLiter,
        ["pg/mL"] = LabUnit.PicogramsPerMilliliter,
        ["pmol/L"] = LabUnit.PicomolesPerLiter,
        ["ng/mL"] = LabUnit.NanogramsPerMilliliter,
        ["ug/L"] = LabUnit.MicrogramsPerLiter,
        ["ug/dL"] = LabUnit.MicrogramsPerDeciliter,
        ["[IU]/L"] = LabUnit.InternationalUnitsPerLiter,
        ["m[IU]/mL"] = LabUnit.InternationalUnitsPerLiter,
        ["m[IU]/L"] = LabUnit.MilliInternationalUnitsPerLiter,
        ["%"] = LabUnit.Percent,
        ["L/L"] = LabUnit.LitersPerLiter,
        ["g/dL"] = LabUnit.GramsPerDeciliter,
        ["g/L"] = LabUnit.GramsPerLiter,

        // Body mass index (LOINC 39156-5 is reported in kg/m2, UCUM "kg/m2").
        ["kg/m2"] = LabUnit.KilogramsPerSquareMeter,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Printed spellings, compared case-insensitively after trimming; the micro sign has two code points in the wild.
    private static readonly FrozenDictionary<string, LabUnit> Printed = new Dictionary<string, LabUnit>(StringComparer.OrdinalIgnoreCase)
    {
        ["ng/dL"] = LabUnit.NanogramsPerDeciliter,
        ["nmol/L"] = LabUnit.NanomolesPerLiter,
        ["pg/mL"] = LabUnit.PicogramsPerMilliliter,
        ["pmol/L"] = LabUnit.PicomolesPerLiter,
        ["ng/mL"] = LabUnit.NanogramsPerMilliliter,
        ["ug/L"] = LabUnit.MicrogramsPerLiter,
        ["µg/L"] = LabUnit.MicrogramsPerLiter,
        ["μg/L"] = LabUnit.MicrogramsPerLiter,
        ["mcg/L"] = LabUnit.MicrogramsPerLiter,
        ["ug/dL"] = LabUnit.MicrogramsPerDeciliter,
        ["µg/dL"] = LabUnit.MicrogramsPerDeciliter,
        ["μg/dL"] = LabUnit.MicrogramsPerDeciliter,
        ["mcg/dL"] = LabUnit.MicrogramsPerDeciliter,
        ["IU/L"] = LabUnit.InternationalUnitsPerLiter,
        ["[IU]/L"] = LabUnit.InternationalUnitsPerLiter,
        ["mIU/mL"] = LabUnit.InternationalUnitsPerLiter,
        ["m[IU]/mL"] = LabUnit.InternationalUnitsPerLiter,
        ["mIU/L"] = LabUnit.MilliInternationalUnitsPerLiter,
        ["m[IU]/L"] = LabUnit.MilliInternationalUnitsPerLiter,
        ["%"] = LabUnit.Percent,
        ["percent"] = LabUnit.Percent,
        ["L/L"] = LabUnit.LitersPerLiter,
        ["g/dL"] = LabUnit.GramsPerDeciliter,
        ["g/L"] = LabUnit.GramsPerLiter,
        ["kg/m2"] = LabUnit.KilogramsPerSquareMeter,
        ["kg/m²"] = LabUnit.KilogramsPerSquareMeter,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // LH and FSH are reported by many labs in "U/L" or "mU/mL": for these two analytes the unit is the WHO
    // international unit (clinical brief §5.1: m[IU]/mL ≡ [IU]/L). For any other analyte "U/L" is an enzyme unit and
    // stays unknown.
    private static readonly FrozenDictionary<string, LabUnit> GonadotropinOnly = new Dictionary<string, LabUnit>(StringComparer.OrdinalIgnoreCase)
    {
        ["U/L"] = LabUnit.InternationalUnitsPerLiter,
        ["mU/mL"] = LabUnit.InternationalUnitsPerLiter,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Every unit spelling the tables know, for readers that compare a unit in place (UTF-8) before allocating a string
    /// for it (no string per result on the prefetch path); matching here is only a shortcut, <see cref="TryNormalize"/> still decides.
    /// </summary>
    public static IReadOnlyList<string> KnownSpellings { get; } =
        [.. Ucum.Keys.Concat(Printed.Keys).Concat(GonadotropinOnly.Keys).Distinct(StringComparer.Ordinal)];

    /// <summary>Normalises a unit; <paramref name="system"/> and <paramref name="code"/> are Quantity.system/code, <paramref name="unit"/> is Quantity.unit.</summary>
    public static bool TryNormalize(Analyte analyte, string? system, string? code, string? unit, out LabUnit labUnit)
    {
        if (system == CodeSystems.Ucum && !string.IsNullOrWhiteSpace(code))
        {
            // A coded UCUM unit is authoritative: when we do not know it, the printed unit is not consulted, because
            // a disagreement between the two is exactly the case that must not be guessed.
            return Ucum.TryGetValue(code, out labUnit) || TryPrinted(analyte, code, out labUnit);
        }

        if (TryPrinted(analyte, code, out labUnit))
        {
            return true;
        }

        return TryPrinted(analyte, unit, out labUnit);
    }

    private static bool TryPrinted(Analyte analyte, string? text, out LabUnit labUnit)
    {
        labUnit = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        return Printed.TryGetValue(trimmed, out labUnit)
            || (analyte is Analyte.Lh or Analyte.Fsh && GonadotropinOnly.TryGetValue(trimmed, out labUnit));
    }
}
