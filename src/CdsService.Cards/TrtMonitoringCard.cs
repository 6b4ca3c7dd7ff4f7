using CdsService.Clinical.Hypogonadism;
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

    // BSSM 2023: discuss the impact of testosterone on future fertility and its reversibility, and offer alternatives;
    // for a young man who does not want children now, sperm banking keeps the choice open.
    private static string SpermBanking(Assessment assessment) =>
        $"**Before the first dose:** he is {assessment.AgeYears} and does not want children now. Testosterone suppresses sperm production; " +
        "recovery after stopping usually takes months and is not certain. Discuss this and offer sperm banking, and " +
        "record his plans again if they change (BSSM 2023).\n\n";

    private static string OnTreatmentLead(Assessment assessment) =>
        (assessment.TestosteroneSince is { } since
            ? $"**He is on testosterone (since {MarkdownText.Date(DateOnly.FromDateTime(since.DateTime))}). "
            : "**He is on testosterone (start not recorded). ")
        + (assessment.IsTestosteroneRenewal ? "Renewal: monitor it as follows.**" : "Monitor it as follows.**")
        + " Due dates follow the results already in the record: a test is due a year after its last result on treatment, "
        + "and now when that is past.\n\n";

    // The alert a prescriber should see first in the summary, in table order (MA rows).
    private static string? FirstAlert(Assessment assessment) =>
        assessment.MonitoringAlerts.IsDefaultOrEmpty ? null : OnTherapyWords.InSentence(assessment.MonitoringAlerts[0].Code);

    public static Card Write(CardContext card)
    {
        var assessment = card.Assessment;
        var plan = card.PlanFor(TherapyKind.TestosteroneReplacement);
        var onTreatment = assessment.AndrogenExposure == AndrogenExposure.OnTestosterone;
        var symptomsMissing = !onTreatment && ClinicalWording.SymptomsMissing(assessment);
        var summary = SummaryText.Fit(
            symptomsMissing ? ConfirmSymptomsCore : card.MonitoringCore(onTreatment ? "On testosterone" : "Testosterone", plan),
            onTreatment ? FirstAlert(assessment) : ClinicalWording.ClassificationShort(assessment.Classification),
            card.KeyValue(Analyte.TotalTestosterone, "TT"));

        var detail = DetailBuilder.Rent();
        detail.Append(symptomsMissing ? ConfirmSymptomsLead : onTreatment ? OnTreatmentLead(assessment) : FitsLead);
        if (assessment.OfferSpermBanking)
        {
            detail.Append(SpermBanking(assessment));
        }

        OnTestosteroneAlertCard.AppendAlerts(detail, assessment, "**Results on testosterone**");
        if (onTreatment)
        {
            detail.Append("**Testosterone levels by formulation:** ").Append(OnTherapyWords.Sampling(assessment.Formulation)).Append(".\n\n");
        }

        DetailSections.AppendFunctionalCauses(detail, assessment);
        DetailSections.AppendPlan(detail, plan);
        detail.Append(
            "Aim for mid-normal testosterone (450–600 ng/dL, AUA 2018). Withhold testosterone if hematocrit rises above " +
            "54 %, and refer to urology if PSA rises more than 1.4 ng/mL within 12 months (ES 2018).\n\n");
        DetailSections.AppendClosingSections(detail, card, comparison: false);

        return CardShell.Make(card, Kind, CardIndicator.Info, summary, detail, card.Guidelines.EndocrineSociety,
            CardShell.EndocrineSocietyLabel, CardSuggestions.Monitoring(card, Kind, plan), overrideReasons: null);
    }
}
