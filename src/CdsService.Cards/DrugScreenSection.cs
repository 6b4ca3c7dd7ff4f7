using System.Text;
using CdsService.Clinical.Model;

namespace CdsService.Cards;

/// <summary>
/// The parts every drafted-drug screen card shares (rules document §10a): the findings table (drug, reason, severity,
/// finding, date) and the drug's regulatory status in plain words.
/// </summary>
internal static class DrugScreenSection
{
    public static void AppendFindings(StringBuilder detail, IEnumerable<OrderContraindicationFinding> findings) =>
        MarkdownText.AppendTable(detail, ["Drug", "Reason", "Severity", "Finding", "Date"], findings.Select(f => (IReadOnlyList<string>)
        [
            ClinicalWording.DrugName(f.DrugClass),
            ClinicalWording.OrderReason(f.Code),
            ClinicalWording.Severity(f.Severity),
            MarkdownText.Escape(f.Evidence),
            f.Date is { } d ? MarkdownText.Date(DateOnly.FromDateTime(d.DateTime)) : "not applicable",
        ]));

    /// <summary>One sentence per drafted class whose licence a prescriber must know (off-label, not approved).</summary>
    public static void AppendLabelStatus(StringBuilder detail, IEnumerable<MedicationClass> drugs)
    {
        var any = false;
        foreach (var drug in drugs.Distinct())
        {
            if (ClinicalWording.LabelStatus(drug) is { } status)
            {
                detail.Append(any ? " " : "**Licence:** ").Append(status);
                any = true;
            }
        }

        if (any)
        {
            detail.Append("\n\n");
        }
    }

    /// <summary>"Clomiphene/hCG" for the drafted classes a card is about, in draft order.</summary>
    public static string DrugNames(IEnumerable<MedicationClass> drugs) =>
        string.Join("/", drugs.Distinct().Select(ClinicalWording.DrugName));
}
