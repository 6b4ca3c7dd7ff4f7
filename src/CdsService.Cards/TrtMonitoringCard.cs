using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Cards;

/// <summary>
/// Info: testosterone fits the assessment; the monitoring plan and its lab orders (ES 2018: hematocrit and PSA limits;
/// AUA 2018: mid-normal target). When no symptom or sign is coded it says to confirm symptoms first instead of saying
/// testosterone fits (AUA 2018 statement 3; docs/clinical/hypogonadism-rules.md, MD-7).
/// </summary>
internal static class TrtMonitoringCard
{
    private const CardKind Kind = CardKind.TrtMonitoring;

    private const string ConfirmSymptomsCore = "Confirm symptoms before testosterone – none is coded (AUA 2018)";

    private const string FitsLead = "**Testosterone fits this assessment. Monitor it as follows.**\n\n";

    private const string ConfirmSymptomsLead =
        "**Confirm symptoms before starting testosterone.** " + ClinicalWording.SymptomsNotCoded +
        ": the diagnosis needs symptoms or signs as well as the low values. If they are confirmed, monitor testosterone as follows.\n\n";

    public static Card Write(CardContext card)
    {
        var plan = card.PlanFor(TherapyKind.TestosteroneReplacement);
        var symptomsMissing = ClinicalWording.SymptomsMissing(card.Assessment);
        var summary = SummaryText.Fit(
            symptomsMissing ? ConfirmSymptomsCore : card.MonitoringCore("Testosterone", plan),
            ClinicalWording.ClassificationShort(card.Assessment.Classification),
            card.KeyValue(Analyte.TotalTestosterone, "TT"));

        var detail = DetailBuilder.Rent();
        detail.Append(symptomsMissing ? ConfirmSymptomsLead : FitsLead);
        DetailSections.AppendFunctionalCauses(detail, card.Assessment);
        DetailSections.AppendPlan(detail, plan);
        detail.Append(
            "Aim for mid-normal testosterone (450–600 ng/dL, AUA 2018). Withhold testosterone if hematocrit rises above " +
            "54 %, and refer to urology if PSA rises more than 1.4 ng/mL within 12 months (ES 2018).\n\n");
        DetailSections.AppendClosingSections(detail, card, comparison: false);

        return CardShell.Make(card, Kind, CardIndicator.Info, summary, detail, card.Guidelines.EndocrineSociety,
            CardShell.EndocrineSocietyLabel, CardSuggestions.Monitoring(card, Kind, plan), overrideReasons: null);
    }
}
