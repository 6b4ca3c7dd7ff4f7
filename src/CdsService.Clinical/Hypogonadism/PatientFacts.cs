using System.Collections.Immutable;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// Gathers the facts the rule rows read from one <see cref="PatientSnapshot"/>: who the patient is, what is being
/// ordered, recent androgen use, the coded conditions, the fertility intent, and (through <see cref="LabFacts"/>) the
/// laboratory results. The rows never read the snapshot themselves, so each condition they state in words is one
/// named fact of <see cref="AssessmentFacts"/>.
/// </summary>
internal static class PatientFacts
{
    public static AssessmentFacts Gather(PatientSnapshot snapshot, ClinicalThresholds thresholds, DateTimeOffset now, DateOnly today,
        List<DataIssue> issues)
    {
        var f = new AssessmentFacts(thresholds, now, today)
        {
            IsMale = snapshot.Sex == AdministrativeSex.Male,
            AgeYears = snapshot.BirthDate is { } birth ? AgeOn(birth, today) : null,
        };

        NoteDraftOrders(snapshot.DraftOrders, f);
        FindExogenousAndrogen(snapshot, f);
        foreach (var condition in snapshot.Conditions)
        {
            f.AddCondition(condition);
        }

        // After the conditions: a coded hyperprolactinaemia counts as prolactin above its range.
        LabFacts.Gather(snapshot.Labs, f, issues);
        FindFertilityIntent(snapshot, f);
        return f;
    }

    internal static int AgeOn(DateOnly birth, DateOnly day)
    {
        var age = day.Year - birth.Year;
        return day < birth.AddYears(age) ? age - 1 : age;
    }

    private static void NoteDraftOrders(ImmutableArray<DraftOrder> drafts, AssessmentFacts f)
    {
        foreach (var draft in drafts)
        {
            switch (draft.Class)
            {
                case MedicationClass.Testosterone or MedicationClass.AnabolicSteroid:
                    f.AndrogenDrafted = true;
                    break;
                case MedicationClass.Clomiphene or MedicationClass.Enclomiphene:
                    f.SermDrafted = true;
                    break;
                case MedicationClass.Hcg:
                    f.HcgDrafted = true;
                    break;
            }
        }
    }

    // Recent testosterone or anabolic steroid use suppresses LH and FSH, so the hormone results cannot be read (CLS-2).
    private static void FindExogenousAndrogen(PatientSnapshot snapshot, AssessmentFacts f)
    {
        var windowStart = f.Now.AddMonths(-f.Thresholds.ExogenousAndrogenWindowMonths);
        foreach (var medication in snapshot.Medications)
        {
            if (medication.Class is not (MedicationClass.Testosterone or MedicationClass.AnabolicSteroid)
                || IsDraftOrder(medication, snapshot.DraftOrders))
            {
                continue;
            }

            var recent = medication.State switch
            {
                // Active (or paused) counts unless its recorded end is already before the window.
                MedicationState.Active or MedicationState.OnHold => medication.End is not { } end || end >= windowStart,

                // A finished course counts when it was last taken within the window; with no date at all its timing
                // is unknown, and hormone results taken on androgens would be misread, so it counts too.
                _ => (medication.End ?? medication.Start) is not { } last || last >= windowStart,
            };

            if (recent)
            {
                f.ExogenousAndrogen = true;
                f.ExogenousAndrogenSource = medication;
                return;
            }
        }
    }

    // The FHIR layer should already leave the draft out of Medications; this guards against it appearing twice. The
    // order being signed is what the clinician means to start, not history: counted as history, every new testosterone
    // order would classify its own patient as on exogenous androgens (CLS-2 says "the order being signed does not count").
    private static bool IsDraftOrder(MedicationFact medication, ImmutableArray<DraftOrder> drafts)
    {
        if (medication.SourceId is not { } source)
        {
            return false;
        }

        foreach (var draft in drafts)
        {
            if (draft.ResourceId is not { Length: > 0 } id)
            {
                continue;
            }

            // The medication's source id is either the bare resource id or "ResourceType/id".
            if (string.Equals(source, id, StringComparison.Ordinal)
                || string.Equals(source, $"{draft.ResourceType}/{id}", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // INT-1 to INT-5: the newest of the documented answers within the window and the active infertility or
    // procreative-management conditions decides; on the same date "desired" wins, the answer that protects fertility.
    private static void FindFertilityIntent(PatientSnapshot snapshot, AssessmentFacts f)
    {
        var windowStart = f.Now.AddMonths(-f.Thresholds.FertilityIntentLookbackMonths);
        var latestAllowed = f.Now.AddDays(1);
        var intent = FertilityIntent.Unknown;
        DateTimeOffset? date = null;
        var found = false;
        var fromCondition = false;

        foreach (var record in snapshot.FertilityIntents)
        {
            if (record.RecordedAt < windowStart || record.RecordedAt > latestAllowed)
            {
                continue;
            }

            Consider(record.Intent, record.RecordedAt, condition: false);
        }

        // An active infertility or procreative-management condition is a standing "desired" as of when it was
        // recorded; it stays in force (it is active) until a newer documented answer says otherwise.
        foreach (var condition in snapshot.Conditions)
        {
            if (condition.Kind is ConditionKind.MaleInfertility or ConditionKind.ProcreativeManagement)
            {
                Consider(FertilityIntent.Desired, AssessmentFacts.DateOf(condition), condition: true);
            }
        }

        f.FertilityIntent = intent;
        f.IntentDate = date;
        f.IntentFromCondition = fromCondition;

        void Consider(FertilityIntent candidate, DateTimeOffset? when, bool condition)
        {
            var sortKey = when ?? DateTimeOffset.MinValue;
            var current = date ?? DateTimeOffset.MinValue;
            var newer = !found || sortKey > current;
            var sameDateAndProtectsFertility =
                sortKey == current && candidate == FertilityIntent.Desired && intent != FertilityIntent.Desired;
            if (newer || sameDateAndProtectsFertility)
            {
                intent = candidate;
                date = when;
                fromCondition = condition;
                found = true;
            }
        }
    }
}
