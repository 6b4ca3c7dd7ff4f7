using System.Text;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Warning: testosterone drafted although the diagnosis is not confirmed: the work-up is incomplete, only LH is high
/// (compensated), or testosterone is normal. Testosterone therapy needs two low morning values and an LH first
/// (AUA 2018 statements 2 and 6; ES 2018), so the card offers the missing tests. On fertility therapy (CLS-4) the
/// values reflect the drug, and switching to testosterone would stop the sperm production it supports.
/// </summary>
internal static class UnconfirmedDiagnosisCard
{
    private const CardKind Kind = CardKind.UnconfirmedDiagnosis;

    public static Card Write(CardContext card)
    {
        var missing = MissingLabs(card.Assessment);
        var detail = DetailBuilder.Rent();
        var summary = card.Assessment.Classification switch
        {
            Classification.InsufficientData => WorkupIncomplete(card, detail),
            Classification.Compensated => Compensated(card, detail),
            Classification.OnFertilityTherapy => OnFertilityTherapy(card, detail),
            _ => NotHypogonadal(card, detail),
        };

        DetailSections.AppendFunctionalCauses(detail, card.Assessment);
        DetailSections.AppendClosingSections(detail, card, comparison: false);

        var suggestions = new List<Suggestion>();
        if (missing.Count > 0)
        {
            suggestions.Add(Suggest(card, Kind, 0,
                "Order the missing tests: " + ClinicalWording.JoinAnd(missing.Select(ClinicalWording.MissingShort)),
                recommended: true, MissingLabOrders(card)));
        }

        var deletes = DeleteDrafts(card, DraftKinds.IsTestosterone);
        if (deletes.Count > 0)
        {
            suggestions.Add(Suggest(card, Kind, 1, "Cancel the testosterone order", recommended: null, deletes));
        }

        return CardShell.Make(card, Kind, CardIndicator.Warning, summary, detail, card.Guidelines.Aua,
            CardShell.AuaLabel, suggestions, overrideReasons: null);
    }

    private static string WorkupIncomplete(CardContext card, StringBuilder detail)
    {
        var missing = card.Assessment.MissingData;
        var summary = SummaryText.Fit(
            "Hypogonadism not confirmed – complete the work-up before testosterone",
            missing.IsDefaultOrEmpty ? null : "missing " + ClinicalWording.JoinAnd(missing.Select(ClinicalWording.MissingShort)),
            card.KeyValue(Analyte.TotalTestosterone, "TT"));
        detail.Append("**The diagnosis is not confirmed yet.** ");
        detail.Append(
            "Testosterone deficiency needs two early-morning total testosterone values on different days, both " +
            "low, and an LH to tell primary from secondary (AUA 2018 statements 2 and 6; ES 2018).\n\n");
        if (!missing.IsDefaultOrEmpty)
        {
            detail.Append("**Missing:** ").Append(ClinicalWording.MissingText(missing)).Append(".\n\n");
        }

        return summary;
    }

    private static string Compensated(CardContext card, StringBuilder detail)
    {
        var summary = SummaryText.Fit(
            "Testosterone not indicated – compensated hypogonadism",
            card.KeyValue(Analyte.TotalTestosterone, "TT"), card.KeyValue(Analyte.Lh, "LH"));
        detail.Append("**Testosterone is normal; only LH is high.** ");
        detail.Append(
            "Compensated hypogonadism is not associated with clear androgen deficiency and often reverts; it " +
            "does carry a higher risk of later primary hypogonadism, so repeat testosterone and LH if symptoms " +
            "persist (Eendebak et al. 2018, EMAS). Testosterone therapy is not recommended.\n\n");
        return summary;
    }

    private static string OnFertilityTherapy(CardContext card, StringBuilder detail)
    {
        var summary = SummaryText.Fit(
            "On fertility therapy – results reflect the drug; testosterone would stop sperm production",
            card.KeyValue(Analyte.TotalTestosterone, "TT"));
        detail.Append("**He is on fertility therapy, so his hormone values reflect the drug.** ");
        detail.Append(
            "Clomiphene, enclomiphene, hCG, FSH and aromatase inhibitors change LH, FSH and testosterone while they are " +
            "taken and for about 3 months after, so these results can neither confirm nor classify hypogonadism. " +
            "Switching to testosterone would suppress LH and FSH and stop the sperm production the fertility drug " +
            "supports (AUA 2018; ES 2018). Continue the current therapy with its monitoring, or re-test at least " +
            "3 months after stopping it before deciding on testosterone.\n\n");
        return summary;
    }

    private static string NotHypogonadal(CardContext card, StringBuilder detail)
    {
        // When free testosterone decided (grey zone or abnormal SHBG, rule AND-2) the total value may sit
        // below 300 ng/dL; naming it "normal" would contradict the number shown next to it.
        var summary = card.Assessment.RuleIds.Contains("AND-2")
            ? SummaryText.Fit(
                "Testosterone not indicated – free testosterone and LH are normal",
                card.KeyValue(Analyte.FreeTestosterone, "FT"), card.KeyValue(Analyte.TotalTestosterone, "TT"), card.KeyValue(Analyte.Lh, "LH"))
            : SummaryText.Fit(
                "Testosterone not indicated – testosterone and LH are normal",
                card.KeyValue(Analyte.TotalTestosterone, "TT"), card.KeyValue(Analyte.Lh, "LH"));
        detail.Append("**No biochemical hypogonadism.** ");
        detail.Append(
            "Testosterone therapy is not recommended for men whose testosterone is not low (ES 2018; the EAU: " +
            "do not treat eugonadal men).\n\n");
        return summary;
    }
}
