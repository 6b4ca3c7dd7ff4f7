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
        TimeZoneInfo siteTimeZone, List<DataIssue> issues)
    {
        var f = new AssessmentFacts(thresholds, now, today, siteTimeZone)
        {
            IsMale = MaleReferenceRangesApply(snapshot),
            AgeYears = snapshot.BirthDate is { } birth ? AgeOn(birth, today) : null,
        };

        NoteDraftOrders(snapshot.DraftOrders, f);
        FindExogenousAndrogen(snapshot, f);
        FindOtherMedications(snapshot, f);
        foreach (var condition in snapshot.Conditions)
        {
            f.AddCondition(condition);
            if (condition.Kind is ConditionKind.AndrogenDeficiencySymptom or ConditionKind.BreastSymptoms or ConditionKind.MaleInfertility)
            {
                f.Symptoms.Add(condition);
            }
        }

        f.Symptoms.Sort(static (a, b) => Nullable.Compare(AssessmentFacts.DateOf(b), AssessmentFacts.DateOf(a)));
        LabFacts.Gather(snapshot.Labs, f, issues);
        FindFertilityIntent(snapshot, f);
        FindProstateCancerRisk(snapshot, f);
        OnTherapyFacts.Gather(snapshot, f);
        return f;
    }

    /// <summary>
    /// Whether the male rules apply (CLS-1). The sex parameter for clinical use, where recorded, is the record's own
    /// statement of which reference ranges apply (HL7 Sex Parameter for Clinical Use); otherwise a female birth sex (US
    /// Core) or a gender identity other than male means these rules, written for men with male physiology, do not apply
    /// (gender-affirming testosterone is outside them); otherwise Patient.gender decides. Unknown stays out of scope.
    /// </summary>
    internal static bool MaleReferenceRangesApply(PatientSnapshot snapshot)
    {
        if (snapshot.SexForClinicalUse is { } clinical)
        {
            return clinical == AdministrativeSex.Male;
        }

        if (snapshot.BirthSex == AdministrativeSex.Female)
        {
            return false;
        }

        if (snapshot.GenderIdentity is { } identity && identity != AdministrativeSex.Male)
        {
            return false;
        }

        return snapshot.Sex == AdministrativeSex.Male;
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
            if (!f.DraftedClasses.Contains(draft.Class))
            {
                f.DraftedClasses.Add(draft.Class);
            }

            switch (draft.Class)
            {
                // An anabolic steroid is screened as the drug it is (OCI rows), not as testosterone replacement: it has
                // no testosterone monitoring plan because it is not a treatment for hypogonadism.
                case MedicationClass.Testosterone:
                    f.AndrogenDrafted = true;
                    break;
                case MedicationClass.Clomiphene or MedicationClass.Enclomiphene:
                    f.SermDrafted = true;
                    break;

                // FSH is given with hCG in men (never alone to raise testosterone), so it follows the hCG plan.
                case MedicationClass.Hcg or MedicationClass.Fsh:
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

            // Taken within the window (TakenSince); unlike the other drug windows, a finished course with no date at all
            // counts too: its timing is unknown, and hormone results taken on androgens would be misread.
            var recent = TakenSince(medication, windowStart)
                || (medication.State is not (MedicationState.Active or MedicationState.OnHold)
                    && medication.End is null && medication.Start is null);

            if (recent)
            {
                f.ExogenousAndrogen = true;
                f.ExogenousAndrogenSource = medication;
                return;
            }
        }
    }

    // Drugs that change what the hormone results mean (CLS-2, CLS-4) or that suppress the axis (causes table).
    private static void FindOtherMedications(PatientSnapshot snapshot, AssessmentFacts f)
    {
        var deprivationStart = f.Now.AddMonths(-f.Thresholds.AndrogenDeprivationWindowMonths);
        var fertilityStart = f.Now.AddMonths(-f.Thresholds.FertilityTherapyWindowMonths);
        foreach (var medication in snapshot.Medications)
        {
            if (IsDraftOrder(medication, snapshot.DraftOrders))
            {
                continue;
            }

            switch (medication.Class)
            {
                // A depot GnRH analogue acts for up to six months after the last injection (leuprolide label).
                case MedicationClass.AndrogenDeprivation when TakenSince(medication, deprivationStart):
                    f.AndrogenDeprivationSource ??= medication;
                    break;
                case MedicationClass.Clomiphene or MedicationClass.Enclomiphene or MedicationClass.Hcg or MedicationClass.Fsh
                    or MedicationClass.AromataseInhibitor when TakenSince(medication, fertilityStart):
                    f.FertilityTherapySource ??= medication;
                    break;
                case MedicationClass.Opioid when IsCurrent(medication, f.Now):
                    f.Opioids.Add(medication);
                    break;
                case MedicationClass.Glucocorticoid when IsCurrent(medication, f.Now):
                    f.Glucocorticoids.Add(medication);
                    break;
            }
        }
    }

    // Active (or paused) and not recorded as ended: what the patient takes now.
    private static bool IsCurrent(MedicationFact medication, DateTimeOffset now) =>
        medication.State is MedicationState.Active or MedicationState.OnHold && (medication.End is not { } end || end >= now);

    // Taken at some time since the window start: current, or a finished course whose last known date is inside the
    // window. A finished course with no date at all is not counted (its timing is unknown and usually old).
    private static bool TakenSince(MedicationFact medication, DateTimeOffset windowStart) =>
        medication.State is MedicationState.Active or MedicationState.OnHold
            ? medication.End is not { } end || end >= windowStart
            : (medication.End ?? medication.Start) is { } last && last >= windowStart;

    // The FHIR layer should already leave the draft out of Medications; this guards against it appearing twice. The
    // order being signed is what the clinician means to start, not history: counted as history, every new testosterone
    // order would classify its own patient as on exogenous androgens (CLS-2 says "the order being signed does not count").
    internal static bool IsDraftOrder(MedicationFact medication, ImmutableArray<DraftOrder> drafts)
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

    // First-degree relatives in HL7 v3 RoleCode (FamilyMemberHistory.relationship): parents, siblings, children, natural
    // and twin variants. Step, adoptive and more distant relatives are not first-degree (ES 2018 names a first-degree
    // relative with prostate cancer as high risk).
    private static readonly HashSet<string> FirstDegreeRelatives = new(StringComparer.Ordinal)
    {
        "FTH", "NFTH", "PRN", "NPRN", "BRO", "NBRO", "TWINBRO", "FTWINBRO", "ITWINBRO", "SIB", "NSIB", "TWIN", "FTWIN",
        "ITWIN", "SON", "CHILD", "NCHILD",
    };

    // ES 2018 Table 4 lowers the PSA limit to 3 ng/mL for men at high risk: Black or African American men and men with a
    // first-degree relative with prostate cancer. Only what the record shows is claimed: US Core race (OMB category
    // 2054-5), Z80.42 "Family history of malignant neoplasm of prostate", or a FamilyMemberHistory naming prostate cancer
    // in a first-degree relative. A relative whose relationship is not coded, or not first-degree, is not counted.
    private static void FindProstateCancerRisk(PatientSnapshot snapshot, AssessmentFacts f)
    {
        if (snapshot.RaceCategories.Contains(CodeSystems.OmbBlackOrAfricanAmerican))
        {
            f.ProstateCancerRiskFactors.Add("Black or African American (US Core race)");
        }

        if (f.Condition(ConditionKind.ProstateCancerHighRisk) is { } familyCode)
        {
            f.ProstateCancerRiskFactors.Add(string.Concat("Family history of prostate cancer coded (",
                familyCode.Code ?? "Z80.42", "; relative not named)"));
        }

        foreach (var relative in snapshot.FamilyHistory)
        {
            if (relative.Kind == ConditionKind.ProstateCancer && relative.Relationship is { } code && FirstDegreeRelatives.Contains(code))
            {
                f.ProstateCancerRiskFactors.Add(string.Concat("Prostate cancer in a first-degree relative (",
                    relative.RelationshipDisplay ?? code, ", family history)"));
                break;
            }
        }
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
