using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Critical: testosterone or an anabolic steroid drafted while he is on androgen deprivation for prostate cancer
/// (docs/clinical/hypogonadism-rules.md, CLS-2). Low testosterone is the treatment's goal, and prostate cancer is a contraindication to
/// testosterone (ES 2018 Table 4; AUA 2018; EAU), so the card says why and offers to remove the draft.
/// </summary>
internal static class AndrogenDeprivationConflictCard
{
    private const CardKind Kind = CardKind.AndrogenDeprivationConflict;

    private const string Summary =
        "Testosterone during androgen deprivation for prostate cancer (low testosterone is the treatment's goal)";

    private const string Lead =
        "**He is on androgen deprivation for prostate cancer: low testosterone is the treatment's goal.**\n\n" +
        "GnRH agonists and antagonists lower testosterone, and anti-androgens block it, to slow the cancer; " +
        "testosterone or an anabolic steroid would work against that treatment. Prostate cancer is a contraindication " +
        "to testosterone (ES 2018 Table 4; AUA 2018; EAU). The low values are not hypogonadism to be treated; manage " +
        "the effects of androgen deprivation (bone health, metabolic risk, hot flushes) with the oncology or urology " +
        "team.\n\n";

    public static Card Write(CardContext card)
    {
        var detail = DetailBuilder.Rent();
        detail.Append(Lead);
        DetailSections.AppendClosingSections(detail, card, comparison: false);

        var deletes = DeleteDrafts(card, DraftKinds.IsAndrogen);
        List<Suggestion> suggestions = deletes.Count > 0
            ? [Suggest(card, Kind, 0, "Remove the testosterone order", recommended: true, deletes)]
            : [];

        return CardShell.Make(card, Kind, CardIndicator.Critical, Summary, detail, card.Guidelines.EndocrineSociety,
            CardShell.EndocrineSocietyLabel, suggestions, CardTerminology.TestosteroneOverrideReasons);
    }
}
