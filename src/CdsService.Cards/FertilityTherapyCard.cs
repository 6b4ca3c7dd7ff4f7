using System.Collections.Immutable;
using System.Text;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Clomiphene, enclomiphene or hCG drafted. Info with the monitoring plan when the drug can work; a warning instead
/// (mismatch) when the testes cannot respond (primary hypogonadism), testosterone keeps LH and FSH suppressed
/// (ES 2018; AUA 2018; McBride and Coward 2016), or he is on androgen deprivation for prostate cancer, which the drug
/// would counteract by raising testosterone (docs/clinical/hypogonadism-rules.md, CLS-2).
/// </summary>
internal static class FertilityTherapyCard
{
    public static Card Write(CardContext card, bool mismatch)
    {
        var kind = mismatch ? CardKind.FertilityTherapyMismatch : CardKind.FertilityTherapyMonitoring;
        var assessment = card.Assessment;
        var drafts = card.Snapshot.DraftOrders.Where(DraftKinds.IsFertilityTherapy).ToList();
        var drug = string.Join("/", drafts.Select(d => ClinicalWording.DrugName(d.Class)).Distinct(StringComparer.Ordinal));
        var drugInSentence = string.Join("/", drafts.Select(d => ClinicalWording.DrugNameInSentence(d.Class)).Distinct(StringComparer.Ordinal));
        var drafted = drafts.Select(d => d.Class is MedicationClass.Hcg or MedicationClass.Fsh ? TherapyKind.Hcg : TherapyKind.Serm).ToHashSet();
        var therapy = assessment.MonitoringFor is { } planned && drafted.Contains(planned) ? planned : drafted.First();
        var plan = card.PlanFor(therapy);
        var primary = assessment.Classification == Classification.Primary;
        var androgenDeprivation = assessment.Classification == Classification.AndrogenDeprivation;

        var detail = DetailBuilder.Rent();
        var summary = (mismatch, primary) switch
        {
            (true, _) when androgenDeprivation => CounteractsAndrogenDeprivation(detail, drug),
            (true, true) => CannotRespond(card, detail, drug),
            (true, false) => OnTestosterone(card, detail, drug, drafts),
            _ => Monitoring(card, detail, drug, plan),
        };

        // During androgen deprivation there is no plan to follow and no choice between therapies to compare.
        if (!androgenDeprivation)
        {
            DetailSections.AppendPlan(detail, plan);
        }

        DetailSections.AppendClosingSections(detail, card, comparison: !androgenDeprivation);

        var suggestions = new List<Suggestion>();
        if (mismatch && androgenDeprivation)
        {
            var deletes = DeleteDrafts(card, DraftKinds.IsFertilityTherapy);
            if (deletes.Count > 0)
            {
                suggestions.Add(Suggest(card, kind, 0, $"Cancel the {drugInSentence} order", recommended: true, deletes));
            }
        }
        else if (mismatch && primary)
        {
            var deletes = DeleteDrafts(card, DraftKinds.IsFertilityTherapy);
            suggestions.Add(Suggest(card, kind, 0,
                deletes.Count > 0 ? $"Cancel {drugInSentence} and refer to reproductive urology" : "Refer to reproductive urology",
                recommended: true, [.. deletes, ReferralAction(card)]));
        }
        else if (!mismatch)
        {
            suggestions.AddRange(CardSuggestions.Monitoring(card, kind, plan));
        }

        return CardShell.Make(card, kind, mismatch ? CardIndicator.Warning : CardIndicator.Info, summary, detail,
            card.Guidelines.Aua, CardShell.AuaLabel, suggestions, overrideReasons: null);
    }

    private static string CounteractsAndrogenDeprivation(StringBuilder detail, string drug)
    {
        var summary = SummaryText.Fit($"{drug} would counteract androgen deprivation for prostate cancer");
        detail.Append($"**{MarkdownText.Escape(drug)} would raise testosterone during androgen deprivation for prostate cancer.** ");
        detail.Append(
            "Clomiphene and enclomiphene raise LH and testosterone, and hCG stimulates the testes directly; during " +
            "androgen deprivation low testosterone is the treatment's goal, so these drugs work against it (prostate " +
            "cancer: ES 2018 Table 4; AUA 2018). Discuss fertility with the oncology or urology team (sperm banking).\n\n");
        return summary;
    }

    private static string CannotRespond(CardContext card, StringBuilder detail, string drug)
    {
        var summary = SummaryText.Fit(
            $"{drug} is unlikely to work – primary hypogonadism: the testes cannot respond",
            card.KeyValue(Analyte.Lh, "LH"), card.KeyValue(Analyte.TotalTestosterone, "TT"));
        detail.Append($"**{MarkdownText.Escape(drug)} is unlikely to help: the testes are failing.** ");
        detail.Append(
            "Clomiphene and enclomiphene work by raising LH and FSH, and hCG by acting like LH. In primary " +
            "hypogonadism LH is already high and the testes cannot respond, so these drugs are not effective " +
            "(ES 2018; MKSAP: clomiphene works only when the axis is intact). For fertility, refer to reproductive " +
            "urology (semen analysis, karyotype, sperm banking, micro-TESE).\n\n");
        return summary;
    }

    private static string OnTestosterone(CardContext card, StringBuilder detail, string drug, List<DraftOrder> drafts)
    {
        var assessment = card.Assessment;
        var summary = SummaryText.Fit(
            $"{drug} ordered while on testosterone – testosterone keeps LH/FSH suppressed",
            ClinicalWording.ClassificationShort(assessment.Classification));
        detail.Append(card.Snapshot.DraftOrders.Any(DraftKinds.IsTestosterone)
            ? "**Testosterone is being ordered at the same time.** "
            : assessment.Classification == Classification.ExogenousAndrogen
                ? "**He has taken testosterone or anabolic steroids in the last 6 months.** "
                : "**He is taking testosterone.** ");
        detail.Append(drafts.All(d => d.Class == MedicationClass.Hcg)
            ? "hCG acts like LH and can support the testes while testosterone continues, but testosterone still " +
              "suppresses FSH. "
            : "Exogenous testosterone suppresses LH and FSH, so a SERM cannot restore them while it continues. ");
        detail.Append(
            "If the goal is conception, stop testosterone; hCG and/or clomiphene can then restart sperm production, " +
            "and recovery takes months (McBride and Coward 2016; AUA 2018).\n\n");
        return summary;
    }

    private static string Monitoring(CardContext card, StringBuilder detail, string drug, ImmutableArray<MonitoringItem> plan)
    {
        var summary = SummaryText.Fit(
            card.MonitoringCore(drug, plan),
            ClinicalWording.ClassificationShort(card.Assessment.Classification),
            card.KeyValue(Analyte.TotalTestosterone, "TT"));
        detail.Append($"**{MarkdownText.Escape(drug)} monitoring.** ");
        detail.Append(
            "Check the response at 4–8 weeks and titrate to mid-normal testosterone; ask about visual disturbances " +
            "(stop the SERM) and mood changes (AUA 2018 Table 7; Liel 2017).\n\n");
        DrugScreenSection.AppendLabelStatus(detail, card.Snapshot.DraftOrders.Where(DraftKinds.IsFertilityTherapy).Select(d => d.Class));
        return summary;
    }
}
