using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Warning: an aromatase inhibitor (anastrozole, letrozole) drafted for a man. Off-label in men (AUA 2018 allows it to
/// preserve fertility; routine use is not recommended, Kim 2013); estradiol must be measured (AUA 2018 Table 7) and, on
/// long use, bone density, because estradiol keeps the male skeleton (anastrozole label: bone mineral density falls).
/// Osteoporosis, when coded, is listed as a reason against it (rules document §10a, OCI-9).
/// </summary>
internal static class AromataseInhibitorOrderCard
{
    private const CardKind Kind = CardKind.AromataseInhibitorOrder;

    public static Card Write(CardContext card)
    {
        var findings = card.Assessment.OrderContraindications
            .Where(static f => f.DrugClass == MedicationClass.AromataseInhibitor)
            .ToList();
        var osteoporosis = findings.Any(static f => f.Code == OrderContraindication.Osteoporosis);
        var summary = SummaryText.Fit(
            osteoporosis
                ? "Aromatase inhibitor with osteoporosis coded – lowers estradiol; off-label in men"
                : "Aromatase inhibitor for a man: off-label – measure estradiol; bone density on long use",
            card.KeyValue(Analyte.Estradiol, "E2"));

        var detail = DetailBuilder.Rent();
        detail.Append("**An aromatase inhibitor is off-label in men; it needs estradiol and bone monitoring.**\n\n");
        DrugScreenSection.AppendLabelStatus(detail, [MedicationClass.AromataseInhibitor]);
        detail.Append(
            "AUA 2018 allows aromatase inhibitors, with SERMs or hCG, for men with testosterone deficiency who want to keep " +
            "their fertility; routine use is not recommended (Kim 2013: no long-term data). It lowers estradiol, which the " +
            "male skeleton needs: measure estradiol with the first testosterone check (AUA 2018 Table 7) and bone density " +
            "(DXA) on long use.\n\n");
        if (findings.Count > 0)
        {
            DrugScreenSection.AppendFindings(detail, findings);
        }

        DetailSections.AppendClosingSections(detail, card, comparison: false);

        var deletes = DeleteDrafts(card, static d => d.Class == MedicationClass.AromataseInhibitor);
        List<Suggestion> suggestions = deletes.Count > 0
            ? [Suggest(card, Kind, 0, "Cancel the aromatase inhibitor order", recommended: osteoporosis ? true : null, deletes)]
            : [];

        return CardShell.Make(card, Kind, CardIndicator.Warning, summary, detail, card.Guidelines.Aua, CardShell.AuaLabel,
            suggestions, CardTerminology.TestosteroneOverrideReasons);
    }
}
