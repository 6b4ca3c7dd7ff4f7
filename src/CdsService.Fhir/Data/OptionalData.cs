using CdsService.Clinical.Model;
using CdsService.Fhir.Prefetch;

namespace CdsService.Fhir.Data;

/// <summary>
/// Optional data that could not be had (a best-effort query that failed) as data issues on the snapshot: the card then
/// says what was not checked, instead of a 412 for data the rules can do without, or silence.
/// </summary>
internal static class OptionalData
{
    public static PatientSnapshot WithUnavailable(PatientSnapshot snapshot, IReadOnlyList<(string Key, string Reason)> unavailable)
    {
        var issues = snapshot.DataIssues.ToList();
        foreach (var (key, reason) in unavailable)
        {
            issues.Add(new DataIssue("optional-data-unavailable", Describe(key) + $" could not be read from the FHIR server ({reason}); " + Consequence(key)));
        }

        // The mapper's canonical order (kind, then text), so the same data gives the same snapshot.
        return snapshot with
        {
            DataIssues = [.. issues.Distinct().OrderBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.Description, StringComparer.Ordinal)],
        };
    }

    private static string Describe(string key) => key switch
    {
        PrefetchCatalog.MedicationStatementsKey => "Medication statements (outside or self-reported medicines)",
        _ => $"The optional '{key}' data",
    };

    private static string Consequence(string key) => key switch
    {
        PrefetchCatalog.MedicationStatementsKey => "a drug recorded only there (such as testosterone or anabolic steroids bought elsewhere) was not checked; ask the patient.",
        _ => "what is recorded only there was not checked.",
    };
}
