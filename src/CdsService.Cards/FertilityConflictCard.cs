using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Critical: testosterone drafted for a man who wants children. Exogenous testosterone stops sperm production, and
/// ES 2018 Table 4 lists a wish for children in the near term as a contraindication (AUA 2018; EAU), so the card says
/// why and offers the fertility-preserving alternative for his classification.
/// </summary>
internal static class FertilityConflictCard
{
    private const CardKind Kind = CardKind.FertilityConflict;

    public static Card Write(CardContext card)
    {
        var assessment = card.Assessment;
        var summary = SummaryText.Fit(
            "Testosterone will suppress sperm production – patient wants children",
            ClinicalWording.ClassificationShort(assessment.Classification),
            card.KeyValue(Analyte.TotalTestosterone, "TT"));

        var detail = DetailBuilder.Rent();
        detail.Append("**He wants children, and testosterone stops sperm production.**\n\n");
        detail.Append(ClinicalWording.TestosteroneSuppressesSpermatogenesis).Append("\n\n");
        detail.Append("**What to do instead**\n\n").Append(ClinicalWording.InsteadFor(assessment)).Append("\n\n");
        DetailSections.AppendFunctionalCauses(detail, assessment);
        DetailSections.AppendClosingSections(detail, card, comparison: true);

        return CardShell.Make(card, Kind, CardIndicator.Critical, summary, detail, card.Guidelines.EndocrineSociety,
            CardShell.EndocrineSocietyLabel, Suggestions(card), CardTerminology.FertilityOverrideReasons);
    }

    private static List<Suggestion> Suggestions(CardContext card)
    {
        var deletes = DeleteDrafts(card, DraftKinds.IsTestosterone);
        var suggestions = new List<Suggestion>();
        switch (card.Assessment.Classification)
        {
            // Hyperprolactinaemia or pituitary disease: never clomiphene or enclomiphene (clomiphene label:
            // contraindicated with a pituitary tumour); endocrinology, and hCG with or without FSH for fertility.
            case Classification.Secondary when ClinicalWording.SermBarred(card.Assessment):
                suggestions.Add(Suggest(card, Kind, 0,
                    deletes.Count > 0
                        ? "Cancel testosterone and refer to endocrinology (hCG ± FSH, not clomiphene)"
                        : "Refer to endocrinology (remove the testosterone order yourself)",
                    recommended: true,
                    [.. deletes, EndocrinologyReferralAction(card)]));
                break;

            case Classification.Secondary:
                suggestions.Add(Suggest(card, Kind, 0,
                    deletes.Count > 0
                        ? "Replace with clomiphene citrate 25 mg daily"
                        : "Add clomiphene citrate 25 mg daily (remove the testosterone order yourself)",
                    recommended: true,
                    [.. deletes, new SuggestionAction
                    {
                        Type = "create",
                        Description = "Order clomiphene citrate 25 mg (half a 50 mg tablet) by mouth once daily",
                        Resource = SuggestedResources.ClomipheneOrder(card.Request.PatientId),
                    }]));
                break;

            case Classification.Primary or Classification.ExogenousAndrogen:
                suggestions.Add(Suggest(card, Kind, 0,
                    deletes.Count > 0
                        ? "Cancel testosterone and refer to reproductive urology"
                        : "Refer to reproductive urology (remove the testosterone order yourself)",
                    recommended: true,
                    [.. deletes, ReferralAction(card)]));
                break;

            default:
                if (deletes.Count > 0)
                {
                    suggestions.Add(Suggest(card, Kind, 0, "Cancel the testosterone order", recommended: true, deletes));
                }

                break;
        }

        return suggestions;
    }
}
