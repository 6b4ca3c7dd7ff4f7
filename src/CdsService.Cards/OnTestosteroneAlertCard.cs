using System.Text;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Testosterone renewed for a man already on it whose on-treatment results need action (ES 2018 Table 8; AUA 2018
/// Table 7). Critical when hematocrit is above the withhold limit: the suggestion cancels the renewal. Warning for a PSA
/// rise or a PSA above the limit: the suggestion adds a urology referral. Either way the suggested action changes the
/// order, which is what earns the interruption.
/// </summary>
internal static class OnTestosteroneAlertCard
{
    private const CardKind Kind = CardKind.OnTestosteroneAlert;

    public static Card Write(CardContext card)
    {
        var assessment = card.Assessment;
        var withhold = OnTestosteroneAlert.Withhold(assessment);
        var actionable = assessment.MonitoringAlerts.Where(a => OnTestosteroneAlert.IsActionable(a.Code)).ToList();
        var psa = actionable.FirstOrDefault(a => a.Code is MonitoringAlert.PsaRise or MonitoringAlert.PsaAboveLimit);

        var hematocrit = actionable.FirstOrDefault(a => a.Code == MonitoringAlert.HematocritAboveWithhold);
        var summary = withhold
            ? SummaryText.Fit("Withhold testosterone – hematocrit above the withhold limit on treatment", hematocrit!.Evidence)
            : SummaryText.Fit("Refer to urology before renewing testosterone – " + OnTherapyWords.InSentence(psa!.Code),
                psa.Evidence);

        var detail = DetailBuilder.Rent();
        if (withhold)
        {
            detail.Append("**Withhold testosterone: his hematocrit on treatment is above the withhold limit.** ")
                .Append("Stop until hematocrit falls to a safe level, evaluate for hypoxia and sleep apnoea, and restart at a ")
                .Append("reduced dose (ES 2018, Table 8; AUA 2018). Hematocrit between the starting limit and the withhold limit ")
                .Append("would not be a reason to stop; this value is above both.\n\n");
        }

        if (psa is not null)
        {
            detail.Append("**Urology evaluation for the PSA on testosterone.** The Endocrine Society recommends a urological ")
                .Append("consultation for a confirmed PSA rise above 1.4 ng/mL within 12 months or a confirmed PSA above ")
                .Append("4.0 ng/mL on treatment (ES 2018, Table 8). An unconfirmed value is repeated first.\n\n");
        }

        AppendAlerts(detail, assessment, "**Results on testosterone**");
        DetailSections.AppendClosingSections(detail, card, comparison: false);

        var suggestions = new List<Suggestion>();
        if (withhold)
        {
            var deletes = DeleteDrafts(card, DraftKinds.IsTestosterone);
            if (deletes.Count > 0)
            {
                suggestions.Add(Suggest(card, Kind, 0, "Withhold testosterone: cancel this renewal", recommended: true, deletes));
            }
        }

        if (psa is not null)
        {
            suggestions.Add(Suggest(card, Kind, 1, "Refer to urology (PSA on testosterone)", recommended: !withhold,
            [
                new SuggestionAction
                {
                    Type = "create",
                    Description = "Refer to urology for the PSA finding on testosterone",
                    Resource = SuggestedResources.UrologyReferral(card.Request.PatientId, "PSA finding on testosterone therapy: " + psa.Evidence),
                },
            ]));
        }

        return CardShell.Make(card, Kind, withhold ? CardIndicator.Critical : CardIndicator.Warning, summary, detail,
            card.Guidelines.EndocrineSociety, CardShell.EndocrineSocietyLabel, suggestions, CardTerminology.TestosteroneOverrideReasons);
    }

    /// <summary>The monitoring alerts as a table: what, the value (or absence) behind it, the date and the row id.</summary>
    public static void AppendAlerts(StringBuilder detail, Assessment assessment, string heading)
    {
        if (assessment.MonitoringAlerts.IsDefaultOrEmpty)
        {
            return;
        }

        detail.Append(heading).Append("\n\n");
        MarkdownText.AppendTable(detail, ["Finding", "Value", "Date", "Rule"], assessment.MonitoringAlerts.Select(a => (IReadOnlyList<string>)
        [
            OnTherapyWords.Describe(a.Code),
            MarkdownText.Escape(a.Evidence),
            a.Date is { } d ? MarkdownText.Date(DateOnly.FromDateTime(d.DateTime)) : "none on record",
            a.RuleId,
        ]));
    }
}
