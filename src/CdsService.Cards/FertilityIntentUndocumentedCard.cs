using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Cards;

/// <summary>
/// Warning: testosterone drafted while plans for children are unknown or unsure. The choice between testosterone and a
/// fertility-preserving therapy depends on the answer (AUA 2018; BSSM 2023), so the card shows both paths.
/// </summary>
internal static class FertilityIntentUndocumentedCard
{
    private const string NotDesired =
        "- **Does not want children in the near term:** testosterone replacement is an option, with the monitoring plan (ES 2018).\n";

    // AUA 2018 statement 3: without a coded symptom or sign, testosterone is not yet an option (docs/clinical/hypogonadism-rules.md, missing data).
    private const string NotDesiredConfirmSymptoms =
        "- **Does not want children in the near term:** confirm symptoms or signs of androgen deficiency first (none is coded; AUA 2018 statement 3); then testosterone replacement with the monitoring plan (ES 2018).\n";

    public static Card Write(CardContext card)
    {
        var assessment = card.Assessment;
        var summary = SummaryText.Fit(
            $"Plans for children {(assessment.FertilityIntent == FertilityIntent.Unsure ? "unsure" : "not documented")} – document them before starting testosterone",
            ClinicalWording.ClassificationShort(assessment.Classification),
            card.KeyValue(Analyte.TotalTestosterone, "TT"));

        var detail = DetailBuilder.Rent();
        detail.Append("**Ask whether he wants children in the next year, and record the answer, before starting testosterone.** ");
        detail.Append(
            "Testosterone suppresses sperm production for months, so the choice of treatment depends on it " +
            "(AUA 2018; BSSM 2023: discuss the impact of testosterone on fertility and offer alternatives).\n\n");
        detail.Append("**Both paths**\n\n");
        detail.Append(ClinicalWording.SymptomsMissing(assessment) ? NotDesiredConfirmSymptoms : NotDesired);
        detail.Append("- **Wants children or is unsure:** ").Append(ClinicalWording.InsteadFor(assessment)).Append('\n');
        detail.Append('\n');
        DetailSections.AppendFunctionalCauses(detail, assessment);
        DetailSections.AppendClosingSections(detail, card, comparison: true);

        return CardShell.Make(card, CardKind.FertilityIntentUndocumented, CardIndicator.Warning, summary, detail,
            card.Guidelines.Aua, CardShell.AuaLabel, suggestions: [], overrideReasons: null);
    }
}
