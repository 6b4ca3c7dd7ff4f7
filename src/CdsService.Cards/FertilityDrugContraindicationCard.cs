using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Warning, critical with an absolute reason: clomiphene, enclomiphene, hCG or FSH drafted with a reason against it that
/// no other card shows — a label contraindication (clomiphene: pituitary tumour, liver disease; hCG: prostatic carcinoma
/// or another androgen-dependent neoplasm), VTE or thrombophilia, a visual disturbance, or an unconfirmed diagnosis
/// (rules document §10a).
/// </summary>
internal static class FertilityDrugContraindicationCard
{
    private const CardKind Kind = CardKind.FertilityDrugContraindication;

    public static bool IsCritical(Assessment assessment) =>
        assessment.OrderContraindications.Any(static f =>
            DraftKinds.IsFertilityTherapyClass(f.DrugClass) && f.Severity == ContraindicationSeverity.Absolute);

    public static Card Write(CardContext card)
    {
        var findings = FertilityDrugScreen.Uncovered(card.Assessment, card.Snapshot);
        var critical = findings.Any(static f => f.Severity == ContraindicationSeverity.Absolute);
        var classes = findings.Select(static f => f.DrugClass).Distinct().ToList();
        var drug = DrugScreenSection.DrugNames(classes);
        var first = findings[0];
        var reason = ClinicalWords.Describe(first.Code).ToLowerInvariant();
        var core = critical ? $"{drug} contraindicated: {reason}" : $"{drug}: check first – {reason}";
        // The evidence of a condition finding is the record's display text, noise in a summary (docs/cards.md, summaries):
        // the summary names the reason in our words and gives only the date; the detail shows the evidence in full.
        var firstDate = first.Date is { } date ? MarkdownText.Date(DateOnly.FromDateTime(date.DateTime)) : null;
        var summary = SummaryText.Fit(findings.Count == 1 ? core : $"{core} and {findings.Count - 1} more", firstDate);

        var detail = DetailBuilder.Rent();
        detail.Append(critical
            ? $"**{MarkdownText.Escape(drug)} must not be given: its label contraindicates it here.**\n\n"
            : $"**Reasons to reconsider the {MarkdownText.Escape(drug)} order.**\n\n");
        DrugScreenSection.AppendFindings(detail, findings);
        DrugScreenSection.AppendLabelStatus(detail, classes);
        detail.Append(
            "Sources: clomiphene prescribing information (pituitary tumour, liver disease, visual symptoms); hCG prescribing " +
            "information (prostatic carcinoma or other androgen-dependent neoplasm); EMA 2018 (enclomiphene, venous " +
            "thromboembolism); AUA 2018 and ES 2018 (confirm hypogonadism before treating it).\n\n");
        DetailSections.AppendClosingSections(detail, card, comparison: false);

        var deletes = DeleteDrafts(card, d => classes.Contains(d.Class));
        List<Suggestion> suggestions = deletes.Count > 0
            ? [Suggest(card, Kind, 0, $"Cancel the {string.Join("/", classes.Select(ClinicalWording.DrugNameInSentence))} order",
                recommended: critical ? true : null, deletes)]
            : [];

        return CardShell.Make(card, Kind, critical ? CardIndicator.Critical : CardIndicator.Warning, summary, detail,
            card.Guidelines.Aua, CardShell.AuaLabel, suggestions, CardTerminology.TestosteroneOverrideReasons);
    }
}
