using CdsService.Clinical.Model;
using CdsService.Fhir.Terminology;

namespace CdsService.Fhir.Mapping;

/// <summary>A coding as read from any shape of input (Firely POCO or raw JSON).</summary>
internal readonly record struct CodingText(string? System, string? Code, string? Display);

/// <summary>
/// One rule for every input path (history, draft orders, prefetch, fetched): an RxNorm code in the drug-class
/// ValueSets decides; otherwise the drug-name patterns are matched against every display and text. Codes win over
/// text because a coded order is what the prescriber picked; text is the fallback for RxNorm levels no list covers.
/// </summary>
internal static class MedicationClassifier
{
    public static bool TryClassify(
        TerminologyCatalog terminology,
        IReadOnlyList<CodingText> codings,
        IReadOnlyList<string?> texts,
        out MedicationClass medicationClass,
        out string? display)
    {
        foreach (var coding in codings)
        {
            if (coding.System == TerminologyCatalog.RxNorm
                && terminology.TryGetMedicationClass(coding.System, coding.Code, out medicationClass))
            {
                display = coding.Display ?? FirstText(texts);
                return true;
            }
        }

        foreach (var coding in codings)
        {
            if (terminology.TryMatchDrugName(coding.Display, out medicationClass))
            {
                display = coding.Display;
                return true;
            }
        }

        foreach (var text in texts)
        {
            if (terminology.TryMatchDrugName(text, out medicationClass))
            {
                display = text;
                return true;
            }
        }

        medicationClass = MedicationClass.Other;
        display = null;
        return false;
    }

    private static string? FirstText(IReadOnlyList<string?> texts) => texts.FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
}
