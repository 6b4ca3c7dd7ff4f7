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
    // One row a spelling: the unit it means and whether it is also a UCUM code (matched exactly when the Quantity says
    // it is UCUM). Printed spellings are compared case-insensitively after trimming; the micro sign has two code points
    // in the wild.
    private static readonly (string Spelling, LabUnit Unit, bool IsUcum)[] Spellings =
    [
        ("ng/dL", LabUnit.NanogramsPerDeciliter, true),
        ("nmol/L", LabUnit.NanomolesPerLiter, true),
        ("pg/mL", LabUnit.PicogramsPerMilliliter, true),
        ("pmol/L", LabUnit.PicomolesPerLiter, true),
        ("ng/mL", LabUnit.NanogramsPerMilliliter, true),
        ("ug/L", LabUnit.MicrogramsPerLiter, true),
        ("µg/L", LabUnit.MicrogramsPerLiter, false),
        ("μg/L", LabUnit.MicrogramsPerLiter, false),
        ("mcg/L", LabUnit.MicrogramsPerLiter, false),
        ("ug/dL", LabUnit.MicrogramsPerDeciliter, true),
        ("µg/dL", LabUnit.MicrogramsPerDeciliter, false),
        ("μg/dL", LabUnit.MicrogramsPerDeciliter, false),
        ("mcg/dL", LabUnit.MicrogramsPerDeciliter, false),
        ("IU/L", LabUnit.InternationalUnitsPerLiter, false),
        ("[IU]/L", LabUnit.InternationalUnitsPerLiter, true),
        ("mIU/mL", LabUnit.InternationalUnitsPerLiter, false),
        ("m[IU]/mL", LabUnit.InternationalUnitsPerLiter, true),
        ("mIU/L", LabUnit.MilliInternationalUnitsPerLiter, false),
        ("m[IU]/L", LabUnit.MilliInternationalUnitsPerLiter, true),
        ("%", LabUnit.Percent, true),
        ("percent", LabUnit.Percent, false),
        ("L/L", LabUnit.LitersPerLiter, true),
        ("g/dL", LabUnit.GramsPerDeciliter, true),
        ("g/L", LabUnit.GramsPerLiter, true),

        // Body mass index (LOINC 39156-5 is reported in kg/m2, UCUM "kg/m2").
        ("kg/m2", LabUnit.KilogramsPerSquareMeter, true),
        ("kg/m²", LabUnit.KilogramsPerSquareMeter, false),
    ];

    private static readonly FrozenDictionary<string, LabUnit> Ucum = Table(Spellings.Where(s => s.IsUcum), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, LabUnit> Printed = Table(Spellings, StringComparer.OrdinalIgnoreCase);

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

    // Ignoring case folds the two micro signs (U+00B5, U+03BC) into one key: a later row overwrites an earlier one
    // with the same unit rather than failing, as a dictionary initializer does.
    private static FrozenDictionary<string, LabUnit> Table(IEnumerable<(string Spelling, LabUnit Unit, bool IsUcum)> rows, StringComparer comparer)
    {
        var table = new Dictionary<string, LabUnit>(comparer);
        foreach (var row in rows)
        {
            table[row.Spelling] = row.Unit;
        }

        return table.ToFrozenDictionary(comparer);
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
