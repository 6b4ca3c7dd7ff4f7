using System.Collections.Immutable;
using System.Globalization;
using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Cards;

/// <summary>
/// The suggestions and actions the cards offer (CDS Hooks 2.0 §Suggestion, §Action): remove the drafted order, create
/// a referral, a clomiphene order or lab orders. Suggestion uuids are derived from the hookInstance, so they are stable
/// for one call and unique across calls.
/// </summary>
internal static class CardSuggestions
{
    public static Suggestion Suggest(
        CardContext card, CardKind kind, int index, string label, bool? recommended, IReadOnlyList<SuggestionAction> actions) =>
        new()
        {
            Label = label,
            Uuid = DeterministicUuid.Create(card.Request.HookInstance, $"{kind.ToCode()}/suggestion/{index}"),
            IsRecommended = recommended,
            Actions = actions,
        };

    /// <summary>One delete action per drafted order of the kind; drafts without an id cannot be named, so are skipped.</summary>
    public static List<SuggestionAction> DeleteDrafts(CardContext card, Func<DraftOrder, bool> which) =>
    [
        .. card.Snapshot.DraftOrders
            .Where(which)
            .Where(d => !string.IsNullOrEmpty(d.ResourceId))
            .Select(d => new SuggestionAction
            {
                Type = "delete",
                Description = $"Remove the draft {(d.Display is { Length: > 0 } display ? display : ClinicalWording.DrugNameInSentence(d.Class))} order",
                // CDS Hooks 2.0 §Action: delete uses resourceId (a relative reference), not resource (cds-resp-2).
                ResourceId = $"{d.ResourceType}/{d.ResourceId}",
            }),
    ];

    public static SuggestionAction ReferralAction(CardContext card) => new()
    {
        Type = "create",
        Description = "Refer to reproductive urology (semen analysis, karyotype, sperm banking)",
        Resource = SuggestedResources.ReproductiveUrologyReferral(
            card.Request.PatientId, ClinicalWording.ClassificationLong(card.Assessment.Classification)),
    };

    /// <summary>
    /// Referral to endocrinology for hyperprolactinaemia or pituitary disease (AUA 2018 statement 8; ES 2018), never
    /// with a SERM: the clomiphene label contraindicates it with a pituitary tumour.
    /// </summary>
    public static SuggestionAction EndocrinologyReferralAction(CardContext card) => new()
    {
        Type = "create",
        Description = "Refer to endocrinology (prolactin and pituitary; hCG with or without FSH if fertility is wanted)",
        Resource = SuggestedResources.EndocrinologyReferral(card.Request.PatientId, EndocrinologyReason(card.Assessment)),
    };

    /// <summary>The causes behind an endocrinology referral, in our words, e.g. "Hyperprolactinaemia and pituitary disease".</summary>
    private static string EndocrinologyReason(Assessment assessment)
    {
        var prolactin = assessment.Causes.Any(c => c.Code == Cause.Hyperprolactinemia);
        var pituitary = assessment.Causes.Any(c => c.Code == Cause.PituitaryDisease);
        return (prolactin, pituitary) switch
        {
            (true, true) => "Hyperprolactinaemia and pituitary disease with low testosterone",
            (true, false) => "Hyperprolactinaemia with low testosterone",
            (false, true) => "Pituitary disease with low testosterone",
            _ => ClinicalWording.ClassificationLong(assessment.Classification),
        };
    }

    /// <summary>The missing data a lab order can fill (symptoms are asked about, not ordered), in the engine's order.</summary>
    public static List<MissingData> MissingLabs(Assessment assessment)
    {
        var missingData = assessment.MissingData;
        var labs = new List<MissingData>(missingData.IsDefault ? 0 : missingData.Length);
        foreach (var missing in missingData.IsDefault ? [] : missingData)
        {
            if (ClinicalWording.IsLab(missing))
            {
                labs.Add(missing);
            }
        }

        return labs;
    }

    /// <summary>A lab order for each missing test, with the sampling instruction the guidelines give for testosterone.</summary>
    public static List<SuggestionAction> MissingLabOrders(CardContext card)
    {
        var missingLabs = MissingLabs(card.Assessment);
        var actions = new List<SuggestionAction>(missingLabs.Count);
        foreach (var missing in missingLabs)
        {
            var morning = missing is MissingData.MorningTotalTestosterone or MissingData.SecondMorningTotalTestosterone;
            actions.Add(new SuggestionAction
            {
                Type = "create",
                Description = "Order " + ClinicalWording.Missing(missing),
                Resource = SuggestedResources.LabOrder(
                    card.Request.PatientId,
                    CardTerminology.LoincFor(missing),
                    CardContext.Capitalise(ClinicalWording.Missing(missing)),
                    due: null,
                    // AUA 2018 statement 2: early-morning samples; BSSM 2023: fasting, before 11:00.
                    morning ? "Fasting sample before 11:00 in the morning" + (missing == MissingData.SecondMorningTotalTestosterone ? ", on a different day from the last one" : string.Empty) : null),
            });
        }

        return actions;
    }

    /// <summary>One suggestion ordering every plan item with a LOINC code: baseline items now, the others on their due date.</summary>
    public static List<Suggestion> Monitoring(CardContext card, CardKind kind, ImmutableArray<MonitoringItem> plan)
    {
        if (plan.IsDefaultOrEmpty)
        {
            return [];
        }

        var today = card.Today;
        var onTreatment = card.Assessment.AndrogenExposure == AndrogenExposure.OnTestosterone && card.Assessment.MonitoringFor == TherapyKind.TestosteroneReplacement;
        var actions = new List<SuggestionAction>(plan.Length);
        foreach (var item in plan)
        {
            if (string.IsNullOrEmpty(item.Loinc))
            {
                continue;
            }

            actions.Add(new SuggestionAction
            {
                Type = "create",
                Description = item.Due > today
                    ? string.Create(CultureInfo.InvariantCulture, $"Order {item.Test}, due {item.Due:yyyy-MM-dd}")
                    : onTreatment ? $"Order {item.Test} now (due)" : $"Order {item.Test} now (baseline)",
                Resource = SuggestedResources.LabOrder(
                    card.Request.PatientId,
                    // The plan carries the code but not LOINC's display; the test name goes in CodeableConcept.text.
                    new Coding { System = CardTerminology.Loinc, Code = item.Loinc },
                    item.Test,
                    // Baseline items are due now: no occurrence, the lab draws them with the next sample.
                    due: item.Due > today ? item.Due : null,
                    patientInstruction: null),
            });
        }

        return actions.Count == 0
            ? []
            : [Suggest(card, kind, 0, onTreatment
                ? plan.Any(item => item.Due <= today && !string.IsNullOrEmpty(item.Loinc))
                    ? $"Order the {actions.Count} monitoring tests (due now and follow-up)"
                    : $"Order the {actions.Count} monitoring tests (follow-up)"
                : $"Order the {actions.Count} monitoring tests (baseline and follow-up)", recommended: null, actions)];
    }
}
