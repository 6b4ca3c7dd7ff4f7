using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Warning: a cause of low testosterone must be treated before the drafted hormone (docs/clinical/hypogonadism-rules.md, recommendation
/// treat-underlying-cause: hyperprolactinaemia and pituitary disease go to endocrinology, AUA 2018 statement 8 and
/// ES 2018; an opioid or glucocorticoid is reviewed first; iron overload gets HFE testing and hepatology), or a SERM is
/// drafted with a prolactin or pituitary cause (clomiphene label: contraindicated with a pituitary tumour). The card
/// leads with what to do, then the evidence; its suggestions never order clomiphene or enclomiphene.
/// </summary>
internal static class UnderlyingCauseCard
{
    private const CardKind Kind = CardKind.UnderlyingCause;

    private const string SermLine =
        "Clomiphene and enclomiphene are not used here: the clomiphene label contraindicates it with a pituitary " +
        "tumour, and hyperprolactinaemia is treated with a dopamine agonist. For fertility, hCG with or without FSH " +
        "under endocrinology (ES 2018).\n\n";

    private const string TreatFirstLine =
        "Testosterone, clomiphene or hCG would treat the number, not its cause; the cause comes first, and testosterone " +
        "often recovers once it is treated (ES 2018; AUA 2018).\n\n";

    public static Card Write(CardContext card)
    {
        var assessment = card.Assessment;
        var objected = UnderlyingCause.Objected(assessment);
        var drafts = card.Snapshot.DraftOrders.Where(objected).ToList();
        var drugInSentence = string.Join("/", drafts.Select(d => ClinicalWording.DrugNameInSentence(d.Class)).Distinct(StringComparer.Ordinal));
        var treatFirst = assessment.Recommendation == Recommendation.TreatUnderlyingCause;
        var cause = ClinicalWording.FirstManagementCause(assessment);
        var endocrinology = ClinicalWording.SermBarred(assessment);

        // Summaries use our own words for the cause (ClinicalWords), never the coded condition's display text.
        var summary = (treatFirst, cause) switch
        {
            (true, { } first) => SummaryText.Fit(
                $"{ClinicalWords.Describe(first)}: {SummaryAction(first)} before {drugInSentence}"),
            (true, null) => SummaryText.Fit($"Treat the underlying cause before {drugInSentence}"),
            _ => SummaryText.Fit($"{ClinicalWording.DrugName(drafts[0].Class)} not advised with a prolactin or pituitary cause – endocrinology first"),
        };

        var detail = DetailBuilder.Rent();
        var steps = ClinicalWording.TreatFirst(assessment);
        if (steps.Count == 1)
        {
            detail.Append("**").Append(steps[0]).Append(".**\n\n");
        }
        else
        {
            detail.Append("**Treat the cause first.**\n\n");
            foreach (var step in steps)
            {
                detail.Append("- ").Append(step).Append(".\n");
            }

            detail.Append('\n');
        }

        detail.Append(treatFirst ? TreatFirstLine : string.Empty);
        if (endocrinology && drafts.Any(DraftKinds.IsSerm))
        {
            detail.Append(SermLine);
        }

        DetailSections.AppendFunctionalCauses(detail, assessment);
        DetailSections.AppendClosingSections(detail, card, comparison: false);

        var deletes = DeleteDrafts(card, objected);
        var suggestions = new List<Suggestion>(1);
        if (endocrinology)
        {
            suggestions.Add(Suggest(card, Kind, 0,
                deletes.Count > 0 ? $"Cancel {drugInSentence} and refer to endocrinology" : "Refer to endocrinology",
                recommended: true, [.. deletes, EndocrinologyReferralAction(card)]));
        }
        else if (deletes.Count > 0)
        {
            suggestions.Add(Suggest(card, Kind, 0, $"Cancel the {drugInSentence} order", recommended: true, deletes));
        }

        return CardShell.Make(card, Kind, CardIndicator.Warning, summary, detail, card.Guidelines.EndocrineSociety,
            CardShell.EndocrineSocietyLabel, suggestions, overrideReasons: null);
    }

    private static string SummaryAction(Cause cause) => cause switch
    {
        Cause.Hyperprolactinemia or Cause.PituitaryDisease => "refer to endocrinology",
        Cause.Opioid => "review the opioid",
        Cause.Glucocorticoid => "review the glucocorticoid",
        _ => "HFE genotype and hepatology",
    };
}
