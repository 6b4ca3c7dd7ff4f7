using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Warning: testosterone drafted despite a contraindication other than a wish for children (which has the critical
/// card), each listed with its finding and date (ES 2018 Table 4; EAU hematocrit limits).
/// </summary>
internal static class TrtContraindicationCard
{
    private const CardKind Kind = CardKind.TrtContraindication;

    /// <summary>Critical when a testosterone order meets an absolute contraindication (active prostate or breast cancer, androgen deprivation).</summary>
    public static bool IsCritical(Assessment assessment) =>
        assessment.TrtContraindications.Any(static c => c.Severity == ContraindicationSeverity.Absolute);

    public static Card Write(CardContext card)
    {
        var findings = card.Assessment.TrtContraindications
            .Where(c => c.Code != TrtContraindication.FertilityDesired)
            .ToList();
        var first = ClinicalWording.ContraindicationShort(findings[0].Code);
        var critical = IsCritical(card.Assessment);
        var core = findings.Count == 1
            ? $"Testosterone contraindicated: {first}"
            : $"Testosterone contraindicated: {first} and {findings.Count - 1} more";
        var firstDate = findings[0].Date is { } date ? MarkdownText.Date(DateOnly.FromDateTime(date.DateTime)) : null;

        // The engine's evidence usually names its own date ("Hematocrit 50.5 % on 2026-10-09", "… (onset
        // 2025-11-03)"); repeating it would spend summary characters on noise.
        // A condition's evidence is the record's display text ("Obstructive sleep apnea (adult) (pediatric)"), which reads
        // as noise in a summary; the summary names the contraindication in our words and gives only the date. A lab
        // finding's evidence is the service's own wording of the value, which is worth the characters.
        var labFinding = findings[0].Code is TrtContraindication.HematocritAbove48 or TrtContraindication.PsaAbove4;
        var summary = SummaryText.Fit(
            core,
            labFinding ? findings[0].Evidence : null,
            firstDate is not null && !(labFinding && findings[0].Evidence.Contains(firstDate, StringComparison.Ordinal)) ? firstDate : null);

        var detail = DetailBuilder.Rent();
        detail.Append(critical
            ? "**Testosterone must not be given: an absolute contraindication is recorded.**\n\n"
            : "**Testosterone is contraindicated or needs evaluation first.**\n\n");
        MarkdownText.AppendTable(detail, ["Contraindication", "Severity", "Finding", "Date"], findings.Select(f => (IReadOnlyList<string>)
        [
            ClinicalWording.Contraindication(f.Code),
            ClinicalWording.Severity(f.Severity),
            MarkdownText.Escape(f.Evidence),
            f.Date is { } d ? MarkdownText.Date(DateOnly.FromDateTime(d.DateTime)) : "date not recorded",
        ]));
        detail.Append(
            "These are the Endocrine Society (2018, Table 4) conditions in which testosterone should not be started " +
            "without specialist evaluation; the EAU treats hematocrit 48–50 % as a relative and above 54 % as an " +
            "absolute contraindication.\n\n");
        DetailSections.AppendClosingSections(detail, card, comparison: false);

        var deletes = DeleteDrafts(card, DraftKinds.IsTestosterone);
        List<Suggestion> suggestions = deletes.Count > 0
            ? [Suggest(card, Kind, 0, "Cancel the testosterone order", recommended: true, deletes)]
            : [];

        return CardShell.Make(card, Kind, critical ? CardIndicator.Critical : CardIndicator.Warning, summary, detail, card.Guidelines.EndocrineSociety,
            CardShell.EndocrineSocietyLabel, suggestions, CardTerminology.TestosteroneOverrideReasons);
    }
}
