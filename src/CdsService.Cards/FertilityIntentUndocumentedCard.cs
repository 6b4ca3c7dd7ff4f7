using System.Globalization;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// Testosterone drafted while plans for children are unknown or unsure. The choice between testosterone and a
/// fertility-preserving therapy depends on the answer (AUA 2018; BSSM 2023), so the card shows both paths and offers
/// each answer as a one-click suggestion that records it (a final US Core pregnancy-intent Observation, LOINC 86645-9)
/// together with the order change it implies. A warning before starting testosterone; info on a renewal, where the
/// man is already on it and the answer shapes the next review rather than this order.
/// </summary>
internal static class FertilityIntentUndocumentedCard
{
    private const CardKind Kind = CardKind.FertilityIntentUndocumented;

    private const string NotDesired =
        "- **Does not want children in the near term:** testosterone replacement is an option, with the monitoring plan (ES 2018).\n";

    // AUA 2018 statement 3: without a coded symptom or sign, testosterone is not yet an option (docs/clinical/hypogonadism-rules.md, missing data).
    private const string NotDesiredConfirmSymptoms =
        "- **Does not want children in the near term:** confirm symptoms or signs of androgen deficiency first (none is coded; AUA 2018 statement 3); then testosterone replacement with the monitoring plan (ES 2018).\n";

    private const string RenewalNotDesired =
        "- **Does not want children in the near term:** continue testosterone with its monitoring plan (ES 2018).\n";

    public static Card Write(CardContext card)
    {
        var assessment = card.Assessment;
        var renewal = assessment.IsTestosteroneRenewal;
        var unsure = assessment.FertilityIntent == FertilityIntent.Unsure;
        var last = assessment.LastDocumentedIntent;
        var core = (unsure, last, renewal) switch
        {
            (true, _, false) => "Plans for children unsure – document them before starting testosterone",
            (true, _, true) => "Plans for children unsure – record them at this testosterone renewal",
            (false, { } old, false) => string.Create(CultureInfo.InvariantCulture,
                $"Plans for children last documented {old.RecordedAt:yyyy-MM-dd} – confirm them before starting testosterone"),
            (false, { } old, true) => string.Create(CultureInfo.InvariantCulture,
                $"Plans for children last documented {old.RecordedAt:yyyy-MM-dd} – confirm them at this renewal"),
            (false, null, false) => "Plans for children not documented – document them before starting testosterone",
            (false, null, true) => "Plans for children not documented – record them at this testosterone renewal",
        };
        var summary = SummaryText.Fit(core, ClinicalWording.ClassificationShort(assessment.Classification),
            card.KeyValue(Analyte.TotalTestosterone, "TT"));

        var detail = DetailBuilder.Rent();
        detail.Append(renewal
            ? "**Ask whether he wants children in the next year, and record the answer.** He is already on testosterone, which suppresses sperm production; if he wants children the plan changes to stopping it and restarting his own production. "
            : "**Ask whether he wants children in the next year, and record the answer, before starting testosterone.** ");
        detail.Append(
            "Testosterone suppresses sperm production for months, so the choice of treatment depends on it " +
            "(AUA 2018; BSSM 2023: discuss the impact of testosterone on fertility and offer alternatives).\n\n");
        if (last is not null)
        {
            detail.Append(CultureInfo.InvariantCulture,
                $"**Last documented:** {ClinicalWording.IntentText(last.Intent)} on {last.RecordedAt:yyyy-MM-dd}, more than 12 months ago; an answer about the next year is out of date after a year (US Core pregnancy intent).\n\n");
        }

        detail.Append("**Both paths**\n\n");
        detail.Append(renewal ? RenewalNotDesired : ClinicalWording.SymptomsMissing(assessment) ? NotDesiredConfirmSymptoms : NotDesired);
        detail.Append("- **Wants children or is unsure:** ").Append(ClinicalWording.InsteadFor(assessment)).Append('\n');
        detail.Append('\n');
        detail.Append("Each suggestion records his answer in the chart (a final Observation, LOINC 86645-9) together with the order change it means.\n\n");
        DetailSections.AppendFunctionalCauses(detail, assessment);
        DetailSections.AppendClosingSections(detail, card, comparison: true);

        return CardShell.Make(card, Kind, renewal ? CardIndicator.Info : CardIndicator.Warning, summary, detail,
            card.Guidelines.Aua, CardShell.AuaLabel, Suggestions(card), overrideReasons: null);
    }

    // One suggestion per answer; at most one can be chosen (the card's selectionBehavior), since the answers exclude
    // each other. The US Core answer codes are SNOMED CT (US Core Pregnancy Intent Codes value set).
    private static List<Suggestion> Suggestions(CardContext card)
    {
        var recordedAt = card.Assessment.EvaluatedAt;
        var patient = card.Request.PatientId;
        var wants = FertilityIntentCodes.All.First(c => c.Intent == FertilityIntent.Desired && c.System == FertilityIntentCodes.Snomed);
        var doesNot = FertilityIntentCodes.All.First(c => c.Intent == FertilityIntent.NotDesired && c.System == FertilityIntentCodes.Snomed);

        var wantsActions = new List<SuggestionAction>
        {
            new()
            {
                Type = "create",
                Description = "Record: wants children in the next year",
                Resource = SuggestedResources.FertilityIntentObservation(patient, wants, recordedAt),
            },
        };
        wantsActions.AddRange(DeleteDrafts(card, DraftKinds.IsTestosterone));
        if (FertilityAlternative(card) is { } alternative)
        {
            wantsActions.Add(alternative);
        }

        var doesNotActions = new List<SuggestionAction>
        {
            new()
            {
                Type = "create",
                Description = "Record: does not want children in the next year",
                Resource = SuggestedResources.FertilityIntentObservation(patient, doesNot, recordedAt),
            },
        };

        return
        [
            Suggest(card, Kind, 0, "Wants children in the next year: record it and " + WantsChange(card), recommended: null, wantsActions),
            Suggest(card, Kind, 1,
                card.Assessment.IsTestosteroneRenewal
                    ? "Does not want children in the next year: record it and keep the renewal"
                    : "Does not want children in the next year: record it and keep the testosterone order",
                recommended: null, doesNotActions),
        ];
    }

    private static string WantsChange(CardContext card) => card.Assessment.Classification switch
    {
        Classification.Secondary when ClinicalWording.SermBarred(card.Assessment) => "replace testosterone with an endocrinology referral",
        Classification.Secondary => "replace testosterone with clomiphene",
        Classification.Primary or Classification.ExogenousAndrogen => "replace testosterone with a reproductive urology referral",
        _ => "cancel the testosterone order",
    };

    // The fertility-preserving order that matches the classification (as the fertility-conflict card advises): a SERM
    // for secondary, endocrinology when a prolactin or pituitary cause bars it (clomiphene label), reproductive
    // urology for primary or after androgens; none while the diagnosis is unconfirmed.
    private static SuggestionAction? FertilityAlternative(CardContext card) => card.Assessment.Classification switch
    {
        Classification.Secondary when ClinicalWording.SermBarred(card.Assessment) => EndocrinologyReferralAction(card),
        Classification.Secondary => new SuggestionAction
        {
            Type = "create",
            Description = "Order clomiphene citrate 25 mg (half a 50 mg tablet) by mouth once daily",
            Resource = SuggestedResources.ClomipheneOrder(card.Request.PatientId),
        },
        Classification.Primary or Classification.ExogenousAndrogen => ReferralAction(card),
        _ => null,
    };
}
