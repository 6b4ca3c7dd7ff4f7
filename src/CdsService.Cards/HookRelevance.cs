using System.Collections.Immutable;
using CdsService.Clinical.Model;

namespace CdsService.Cards;

/// <summary>
/// When a service answers at all: only for orders and charts this service has advice on, because a card on an
/// unrelated order is noise (alert fatigue). Checked before anything is fetched for order hooks, so an unrelated order
/// costs the EHR one JSON read, and after the snapshot is built for patient-view.
/// </summary>
public static class HookRelevance
{
    /// <summary>
    /// order-select / order-sign answer only when the selected or drafted orders include testosterone in any form,
    /// clomiphene, enclomiphene, hCG or an aromatase inhibitor. Anabolic steroids and FSH count too: they act on the
    /// same axis and carry the same fertility and safety questions.
    /// </summary>
    public static bool IsRelevantOrder(ImmutableArray<DraftOrder> drafts)
    {
        foreach (var draft in drafts)
        {
            if (draft.Class != MedicationClass.Other)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// patient-view answers for patients with hypogonadism-relevant data: a testosterone result, a hypogonadism
    /// diagnosis, or testosterone therapy. Anyone else gets no card, so the service stays silent on unrelated charts
    /// (alert fatigue is a safety problem of its own). Sex and age are the engine's first rule, not checked here.
    /// </summary>
    public static bool IsRelevantForPatientView(PatientSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);

        foreach (var lab in snapshot.Labs)
        {
            if (lab.Analyte is Analyte.TotalTestosterone or Analyte.FreeTestosterone or Analyte.BioavailableTestosterone)
            {
                return true;
            }
        }

        foreach (var condition in snapshot.Conditions)
        {
            if (condition.Kind is ConditionKind.Hypogonadism or ConditionKind.PrimaryHypogonadismCause
                or ConditionKind.SecondaryHypogonadismCause)
            {
                return true;
            }
        }

        foreach (var medication in snapshot.Medications)
        {
            if (medication.Class is MedicationClass.Testosterone or MedicationClass.AnabolicSteroid)
            {
                return true;
            }
        }

        return false;
    }
}
