using System.Text;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Warning: testosterone drafted although the diagnosis is not confirmed: the work-up is incomplete, only LH is high
/// (compensated), or testosterone is normal. Testosterone therapy needs two low morning values and an LH first
/// (AUA 2018 statements 2 and 6; ES 2018), so the card offers the missing tests.
/// </summary>
internal static class UnconfirmedDiagnosisCard
{
    private const CardKind Kind = CardKind.UnconfirmedDiagnosis;

    public static Card Write(CardContext card)
    {
        var missing = card.Assessment.MissingData;
        var detail = DetailBuilder.Rent();
        var summary = card.Assessment.Classification switch
        {
            Classification.InsufficientData => WorkupIncomplete(card, detail),
            Classification.Compensated => Compensated(card, detail),
            _ => NotHypogonadal(card, detail),
        };

        DetailSections.AppendClosingSections(detail, card, comparison: false);

        var suggestions = new List<Suggestion>();
        if (!missing.IsDefaultOrEmpty)
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
