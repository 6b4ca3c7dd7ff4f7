using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Info, patient-view: the one card that hook gets, summing up classification, next step, contraindications, results,
/// plan and reasons, so the chart shows the assessment before any order is drafted.
/// </summary>
internal static class PatientSummaryCard
{
    private const CardKind Kind = CardKind.PatientSummary;

    public static Card Write(CardContext card)
    {
        var assessment = card.Assessment;
        var summary = SummaryText.Fit(
            CardContext.Capitalise(ClinicalWording.ClassificationShort(assessment.Classification)) + " – next: "
                + ClinicalWording.NextStepShort(assessment),
            card.KeyValue(Analyte.TotalTestosterone, "TT"), card.KeyValue(Analyte.Lh, "LH"));

        var detail = DetailBuilder.Rent();
        detail.Append("**").Append(ClinicalWording.ClassificationLong(assessment.Classification)).Append(".**\n\n");
        detail.Append("**Next step:** ").Append(ClinicalWording.NextStep(assessment)).Append("\n\n");
        DetailSections.AppendFunctionalCauses(detail, assessment);
        detail.Append("**Patient:** ").Append(ClinicalWording.Age(assessment.AgeYears)).Append(". ");
        DetailSections.AppendAssessment(detail, assessment, classification: false);
        if (!assessment.TrtContraindications.IsDefaultOrEmpty)
        {
            detail.Append("**Against testosterone:** ")
                .AppendJoin("; ", assessment.TrtContraindications.Select(c =>
                    ClinicalWording.Contraindication(c.Code) + ": " + MarkdownText.Escape(c.Evidence)))
                .Append("\n\n");
        }

        OnTestosteroneAlertCard.AppendAlerts(detail, assessment, "**On testosterone: results to act on**");
        if (assessment.AndrogenExposure == AndrogenExposure.OnTestosterone)
        {
            detail.Append("**Testosterone levels by formulation:** ").Append(OnTherapyWords.Sampling(assessment.Formulation)).Append(".\n\n");
        }

        EvidenceSection.Append(detail, assessment, card.Snapshot);
        if (!assessment.MonitoringPlan.IsDefaultOrEmpty)
        {
            DetailSections.AppendPlan(detail, assessment.MonitoringPlan);
        }

        DetailSections.AppendReasons(detail, assessment);
        if (assessment.Classification is Classification.Primary or Classification.Secondary)
        {
            DetailSections.AppendComparison(detail);
        }

        DetailSections.AppendFooter(detail, assessment);

        var suggestions = new List<Suggestion>();
        var missingLabs = MissingLabs(assessment);
        if (missingLabs.Count > 0)
        {
            suggestions.Add(Suggest(card, Kind, 0,
                "Order the missing tests: " + ClinicalWording.JoinAnd(missingLabs.Select(ClinicalWording.MissingShort)),
                recommended: true, MissingLabOrders(card)));
        }
        else if (assessment.Classification != Classification.AndrogenDeprivation // CLS-2: no work-up, no referral
            && (assessment.AdditionalWorkup.Contains(AdditionalWorkup.EndocrinologyReferral) || ClinicalWording.SermBarred(assessment)))
        {
            suggestions.Add(Suggest(card, Kind, 0, "Refer to endocrinology", recommended: true, [EndocrinologyReferralAction(card)]));
        }
        else if (assessment.Recommendation is Recommendation.ReferReproductiveUrology or Recommendation.FertilityRestoration)
        {
            suggestions.Add(Suggest(card, Kind, 0, "Refer to reproductive urology", recommended: true, [ReferralAction(card)]));
        }
        else if (assessment.MonitoringAlerts.Any(a => a.Code is MonitoringAlert.OverdueHematocrit or MonitoringAlert.OverduePsa
            or MonitoringAlert.OverdueTestosterone))
        {
            // On testosterone with tests overdue: the plan's due-now items and the follow-ups, in one click.
            suggestions.AddRange(Monitoring(card, Kind, assessment.MonitoringPlan));
        }

        return CardShell.Make(card, Kind, CardIndicator.Info, summary, detail, card.Guidelines.Aua,
            CardShell.AuaLabel, suggestions, overrideReasons: null);
    }
}
