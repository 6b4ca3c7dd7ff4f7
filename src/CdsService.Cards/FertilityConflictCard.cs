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

        // Action first (two lines a prescriber reads before signing), then the evidence, then the background: the physiology is
        // there for whoever wants it, not in the way of what to do (style anchors: lead with the action).
        var detail = DetailBuilder.Rent();
        detail.Append("**He wants children, and testosterone stops sperm production.**\n\n");
        detail.Append("**What to do instead**\n\n").Append(WhatToDo(assessment)).Append('\n');
        DetailSections.AppendFunctionalCauses(detail, assessment);
        DetailSections.AppendAssessment(detail, assessment);
        EvidenceSection.Append(detail, assessment, card.Snapshot);
        DetailSections.AppendReasons(detail, assessment);
        detail.Append("**Background**\n\n").Append(ClinicalWording.InsteadFor(assessment)).Append("\n\n");
        detail.Append(ClinicalWording.TestosteroneSuppressesSpermatogenesis).Append("\n\n");
        DetailSections.AppendComparison(detail);
        DetailSections.AppendFooter(detail, assessment);

        return CardShell.Make(card, Kind, CardIndicator.Critical, summary, detail, card.Guidelines.EndocrineSociety,
            CardShell.EndocrineSocietyLabel, Suggestions(card), CardTerminology.FertilityOverrideReasons);
    }

    /// <summary>The two lines that lead the card: what to do now, and the alternative (the background follows the evidence).</summary>
    private static string WhatToDo(Assessment assessment) => assessment.Classification switch
    {
        Classification.Secondary when ClinicalWording.SermBarred(assessment) =>
            "- Do not start testosterone; refer to endocrinology for the prolactin or pituitary cause.\n" +
            "- For fertility: hCG with or without FSH – not clomiphene or enclomiphene.\n",
        Classification.Secondary =>
            "- Do not start testosterone; start clomiphene citrate 25 mg daily instead.\n" +
            "- Or hCG (if a SERM fails or is not tolerated), or enclomiphene where available (not FDA-approved).\n",
        Classification.Primary =>
            "- Do not start testosterone; refer to reproductive urology first.\n" +
            "- Semen analysis, karyotype and sperm banking come before any testosterone.\n",
        Classification.ExogenousAndrogen =>
            "- Stop testosterone and anabolic steroids; do not add more.\n" +
            "- hCG and/or clomiphene can restart sperm production; recovery takes months.\n",
        Classification.OnFertilityTherapy =>
            "- Do not switch to testosterone; continue the fertility therapy.\n" +
            "- Keep to its monitoring plan.\n",
        Classification.InsufficientData when ClinicalWording.SermBarred(assessment) =>
            "- Do not start testosterone; refer to endocrinology first.\n" +
            "- For fertility: hCG with or without FSH – not clomiphene or enclomiphene.\n",
        Classification.InsufficientData =>
            "- Do not start testosterone; complete the work-up first.\n" +
            "- If confirmed: a SERM for secondary, a reproductive-urology referral for primary.\n",
        _ =>
            "- Do not start testosterone.\n" +
            "- If fertility is a concern: semen analysis and a referral to reproductive urology.\n",
    };

    /// <remarks>
    /// Within a suggestion every action comes before the deletes: create first, then delete. CDS Hooks 2.0 §Suggestion
    /// says a suggestion's actions are "logically AND'd together", but clients do not all apply every action: the CDS
    /// Hooks sandbox applies only the first one, and a client that stops at the first failure stops there too. With the
    /// delete first such a client empties the draft and never creates the replacement – the patient leaves with no
    /// order at all; with the create first the worst case is both orders side by side in the basket, which the
    /// prescriber sees and fixes before signing (docs/integration/cds-hooks-sandbox.md, "Suggestions and action order").
    /// </remarks>
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
                    [EndocrinologyReferralAction(card), .. deletes]));
                break;

            case Classification.Secondary:
                suggestions.Add(Suggest(card, Kind, 0,
                    deletes.Count > 0
                        ? "Replace with clomiphene citrate 25 mg daily"
                        : "Add clomiphene citrate 25 mg daily (remove the testosterone order yourself)",
                    recommended: true,
                    [new SuggestionAction
                    {
                        Type = "create",
                        Description = "Order clomiphene citrate 25 mg (half a 50 mg tablet) by mouth once daily",
                        Resource = SuggestedResources.ClomipheneOrder(card.Request.PatientId),
                    }, .. deletes]));

                // The alternatives the detail names, one click away too; the card's selectionBehavior is at-most-one,
                // so the prescriber takes one of the three (CDS Hooks 2.0 §Card selectionBehavior).
                suggestions.Add(Suggest(card, Kind, 1,
                    deletes.Count > 0
                        ? "Replace with hCG injections (dose set by the prescriber)"
                        : "Add hCG injections (remove the testosterone order yourself)",
                    recommended: null,
                    [new SuggestionAction
                    {
                        Type = "create",
                        Description = "Order chorionic gonadotropin (hCG) injections; dose set by the prescriber",
                        Resource = SuggestedResources.HcgOrder(card.Request.PatientId),
                    }, .. deletes]));
                suggestions.Add(Suggest(card, Kind, 2,
                    deletes.Count > 0
                        ? "Replace with enclomiphene 12.5 mg daily – where available, not FDA-approved"
                        : "Add enclomiphene 12.5 mg daily – where available, not FDA-approved (remove the testosterone order yourself)",
                    recommended: null,
                    [new SuggestionAction
                    {
                        Type = "create",
                        Description = "Order enclomiphene citrate 12.5 mg by mouth once daily (not FDA-approved; only where legally available)",
                        Resource = SuggestedResources.EnclomipheneOrder(card.Request.PatientId),
                    }, .. deletes]));
                break;

            case Classification.Primary or Classification.ExogenousAndrogen:
                suggestions.Add(Suggest(card, Kind, 0,
                    deletes.Count > 0
                        ? "Cancel testosterone and refer to reproductive urology"
                        : "Refer to reproductive urology (remove the testosterone order yourself)",
                    recommended: true,
                    [ReferralAction(card), .. deletes]));
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
