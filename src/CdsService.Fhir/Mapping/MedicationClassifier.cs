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
        ReadOnlySpan<CodingText> codings,
        ReadOnlySpan<string?> texts,
        out MedicationClass medicationClass,
        out string? display)
    {
        foreach (var coding in codings)
        {
            if (coding.System == CodeSystems.RxNorm
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
            // A text equal to a coding's display (CodeableConcept.text usually repeats it) was matched just above,
            // without success; matching the same string again cannot succeed, so the drug-name patterns are not run twice.
            if (!IsDisplayOf(text, codings) && terminology.TryMatchDrugName(text, out medicationClass))
            {
                display = text;
                return true;
            }
        }

        medicationClass = MedicationClass.Other;
        display = null;
        return false;
    }

    private static bool IsDisplayOf(string? text, ReadOnlySpan<CodingText> codings)
    {
        foreach (var coding in codings)
        {
            if (string.Equals(coding.Display, text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string? FirstText(ReadOnlySpan<string?> texts)
    {
        foreach (var text in texts)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return null;
    }
}
