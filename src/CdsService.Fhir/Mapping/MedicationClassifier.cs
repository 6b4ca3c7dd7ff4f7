using System.Text.Json;
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

    /// <summary>
    /// The route filter: a product of a class that has local forms (systemic glucocorticoids only: evidence note
    /// docs/clinical/evidence/confirmation-causes-scope.md §6.1, "count only systemic routes") is not of that class when
    /// a coding display, a CodeableConcept.text, or one of <paramref name="formTexts"/> (Medication.form, dosage route
    /// and text) names a non-systemic form word ("Topical Cream", "Inhalation Suspension", "nasal spray"). An
    /// ingredient-only coding with no form or route stays systemic. The caller then treats the product as
    /// <see cref="MedicationClass.Other"/>.
    /// </summary>
    public static bool IsNonSystemic(
        TerminologyCatalog terminology,
        MedicationClass medicationClass,
        ReadOnlySpan<CodingText> codings,
        ReadOnlySpan<string?> texts,
        ReadOnlySpan<string?> formTexts)
    {
        if (!terminology.HasNonSystemicForms(medicationClass))
        {
            return false;
        }

        foreach (var coding in codings)
        {
            if (terminology.IsNonSystemicForm(medicationClass, coding.Display))
            {
                return true;
            }
        }

        foreach (var text in texts)
        {
            if (!IsDisplayOf(text, codings) && terminology.IsNonSystemicForm(medicationClass, text))
            {
                return true;
            }
        }

        foreach (var text in formTexts)
        {
            if (terminology.IsNonSystemicForm(medicationClass, text))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <see cref="TryClassify"/> then the route filter (<see cref="IsNonSystemic"/>), as every input path applies them: a
    /// product whose class has local forms and that names one is not of that class (returns false, class Other). Form and
    /// route are read only for the classes that need them, so other drugs cost nothing more.
    /// </summary>
    public static bool TryClassifySystemic(
        TerminologyCatalog terminology,
        JsonElement resource,
        JsonElement medication,
        ReadOnlySpan<CodingText> codings,
        ReadOnlySpan<string?> texts,
        out MedicationClass medicationClass,
        out string? display)
    {
        if (!TryClassify(terminology, codings, texts, out medicationClass, out display))
        {
            return false;
        }

        if (!terminology.HasNonSystemicForms(medicationClass))
        {
            return true;
        }

        var forms = default(PooledList<string?>);
        try
        {
            AddFormTexts(resource, medication, ref forms);
            if (!IsNonSystemic(terminology, medicationClass, codings, texts, forms.Items))
            {
                return true;
            }
        }
        finally
        {
            forms.Dispose();
        }

        medicationClass = MedicationClass.Other;
        display = null;
        return false;
    }

    /// <summary>
    /// Medication.form (displays and text) of the product's Medication, and the route (displays and text) and text of
    /// each dosage: <c>MedicationRequest.dosageInstruction</c>, <c>MedicationStatement.dosage</c> (both Dosage, R4).
    /// </summary>
    public static void AddFormTexts(JsonElement resource, JsonElement medication, ref PooledList<string?> forms)
    {
        AddConceptTexts(FhirJson.Object(medication, "form"u8), ref forms);
        AddDosageTexts(FhirJson.Array(resource, "dosageInstruction"u8), ref forms);
        AddDosageTexts(FhirJson.Array(resource, "dosage"u8), ref forms);
    }

    private static void AddDosageTexts(JsonElement.ArrayEnumerator dosages, ref PooledList<string?> forms)
    {
        foreach (var dosage in dosages)
        {
            forms.Add(FhirJson.String(dosage, "text"u8));
            AddConceptTexts(FhirJson.Object(dosage, "route"u8), ref forms);
        }
    }

    private static void AddConceptTexts(JsonElement concept, ref PooledList<string?> forms)
    {
        if (!FhirJson.IsObject(concept))
        {
            return;
        }

        forms.Add(FhirJson.String(concept, "text"u8));
        foreach (var coding in FhirJson.Array(concept, "coding"u8))
        {
            forms.Add(FhirJson.String(coding, "display"u8));
        }
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
