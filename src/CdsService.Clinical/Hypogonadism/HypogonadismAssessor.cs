using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The hypogonadism engine: evaluates the decision tables of <see cref="HypogonadismRules"/> and
/// <see cref="MonitoringPlans"/> against the facts of one <see cref="PatientSnapshot"/>, in the order
/// docs/clinical/hypogonadism-rules.md lists them ("How the rules run"). The facts are gathered by
/// <see cref="PatientFacts"/> and <see cref="LabFacts"/>, the results used are listed by <see cref="EvidenceTable"/>,
/// and the words of each row come from <see cref="RuleWording"/>.
/// Immutable after construction and safe to share between requests; all per-call state lives in
/// <see cref="AssessmentFacts"/>.
/// </summary>
public sealed class HypogonadismAssessor
{
    /// <summary>Version of the rule content, returned with every assessment (see <see cref="HypogonadismRules.Version"/>).</summary>
    public const string RulesVersion = HypogonadismRules.Version;

    private readonly ClinicalThresholds thresholds;
    private readonly TimeProvider timeProvider;
    private readonly string rulesVersion;
    private readonly RuleWording wording;
    private readonly EvidenceTable evidence;
    private readonly TimeZoneInfo siteTimeZone;

    private readonly PlausibilityLimits plausibility;

    /// <param name="thresholds">The thresholds in force (validated here).</param>
    /// <param name="timeProvider">The evaluation clock.</param>
    /// <param name="plausibility">Physiologically possible ranges (<see cref="PlausibilityScreen"/>); null: the defaults.</param>
    public HypogonadismAssessor(ClinicalThresholds thresholds, TimeProvider timeProvider, PlausibilityLimits? plausibility = null)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.plausibility = plausibility ?? PlausibilityLimits.Default;
        var errors = thresholds.Validate().Concat(this.plausibility.Validate()).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid clinical thresholds: " + string.Join(" ", errors), nameof(thresholds));
        }

        this.thresholds = thresholds;
        this.timeProvider = timeProvider;
        rulesVersion = EffectiveVersion(thresholds);
        wording = new RuleWording(thresholds);
        evidence = new EvidenceTable(thresholds);
        siteTimeZone = thresholds.ResolveSiteTimeZone();
    }

    public ClinicalThresholds Thresholds => thresholds;

    /// <summary>Version of the rules this assessor applies, with a suffix when thresholds differ from the defaults.</summary>
    public string EffectiveRulesVersion => rulesVersion;

    public Assessment Assess(PatientSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        snapshot = WithEmptyListsForDefaults(snapshot);

        var now = timeProvider.GetUtcNow();
        var today = DateOnly.FromDateTime(timeProvider.GetLocalNow().DateTime);
        snapshot = PlausibilityScreen.Screen(snapshot, plausibility, today);
        var issues = new List<DataIssue>();
        var f = PatientFacts.Gather(snapshot, thresholds, now, today, siteTimeZone, issues);

        // The ids of the rows that fired, in the order the reasons are listed.
        var fired = new List<string>();

        // Androgen status, then classification, which reads it: first matching row wins in both.
        var androgen = FirstMatch(HypogonadismRules.AndrogenStatusRules, f);
        f.AndrogenStatus = androgen.Outcome;
        f.AndrogenRuleId = androgen.Id;

        var classification = FirstMatch(HypogonadismRules.ClassificationRules, f);
        f.Classification = classification.Outcome;

        // Outside the rules' scope (CLS-1) or on androgens (CLS-2) the hormone results do not decide, so the androgen
        // status is neither reported nor given as a reason.
        var classifiable = HypogonadismRules.IsClassifiable(f);
        if (classifiable)
        {
            fired.Add(androgen.Id);
        }

        fired.Add(classification.Id);

        // Causes are read before the recommendation, which some of them decide. On androgen deprivation low
        // testosterone is the treatment's goal, so nothing is looked for as its cause.
        if (f.IsAdultMale && f.Classification != Classification.AndrogenDeprivation)
        {
            foreach (var rule in HypogonadismRules.CauseRules)
            {
                if (rule.Find(f) is { } cause)
                {
                    f.Causes.Add(cause);
                    fired.Add(rule.Id);
                }
            }
        }

        if (f.IsAdultMale)
        {
            fired.Add(FertilityIntentRuleId(f));
        }

        // Recommendation reads the classification and the fertility intent: first matching row wins.
        var recommendation = FirstMatch(HypogonadismRules.RecommendationRules, f);
        f.Recommendation = recommendation.Outcome;
        fired.Add(recommendation.Id);

        // Missing data, work-up and contraindications: every matching row adds its code.
        var missing = AllMatching(HypogonadismRules.MissingDataRules, f, fired);
        var workup = AllMatching(HypogonadismRules.WorkupRules, f, fired);
        var contraindications = Contraindications(f, fired);
        var orderContraindications = OrderContraindications(f, fired);
        var alerts = MonitoringAlerts(f, fired);

        var monitoringFor = MonitoringFor(f);
        var monitoring = ImmutableArray<MonitoringItem>.Empty;
        if (monitoringFor is { } therapy)
        {
            fired.Add(RuleWording.MonitoringPlanId(therapy));
            monitoring = MonitoringPlan(f, therapy);
        }

        return new Assessment
        {
            Classification = f.Classification,
            FertilityIntent = f.FertilityIntent,
            Recommendation = f.Recommendation,
            AndrogenStatus = classifiable ? f.AndrogenStatus : AndrogenStatus.Unknown,
            MissingData = missing,
            AdditionalWorkup = workup,
            TrtContraindications = contraindications,
            OrderContraindications = orderContraindications,
            ProstateCancerRiskFactors = f.IsAdultMale ? [.. f.ProstateCancerRiskFactors] : [],
            Causes = [.. f.Causes],
            Symptoms = f.IsAdultMale ? [.. f.Symptoms.Select(EvidenceTable.DescribeSymptom)] : [],
            AgeYears = f.AgeYears,
            MonitoringFor = monitoringFor,
            MonitoringPlan = monitoring,
            Evidence = f.IsAdultMale ? evidence.Build(f) : [],
            DataIssues = MergeIssues(snapshot.DataIssues, issues),
            RuleIds = [.. fired],
            Reasons = [.. fired.Select(wording.Reason)],
            EvaluatedAt = now,
            RulesVersion = rulesVersion,
            AndrogenExposure = f.AndrogenExposure,
            Formulation = f.Formulation,
            TestosteroneSince = f.TestosteroneStart,
            RetestAfterWashoutFrom = RetestFrom(f),
            IsTestosteroneRenewal = f.TestosteroneRenewal,
            MonitoringAlerts = alerts,
            LastDocumentedIntent = f.IsAdultMale ? f.LastDocumentedIntent : null,
            WashoutWeeks = f.AndrogenExposure is AndrogenExposure.StoppedTestosterone or AndrogenExposure.AnabolicSteroid
                ? thresholds.TestosteroneWashoutWeeks
                : null,
            OfferSpermBanking = OfferSpermBanking(f),
        };
    }

    private static DecisionRule<TOutcome> FirstMatch<TOutcome>(ImmutableArray<DecisionRule<TOutcome>> rules, AssessmentFacts f)
    {
        foreach (var rule in rules)
        {
            if (rule.Applies(f))
            {
                return rule;
            }
        }

        // Every first-match table ends with a catch-all row (tested), so this is a programming error.
        throw new InvalidOperationException("Decision table has no matching row.");
    }

    private static ImmutableArray<TOutcome> AllMatching<TOutcome>(ImmutableArray<DecisionRule<TOutcome>> rules, AssessmentFacts f,
        List<string> fired)
    {
        var outcomes = new List<TOutcome>();
        foreach (var rule in rules)
        {
            if (rule.Applies(f))
            {
                outcomes.Add(rule.Outcome);
                fired.Add(rule.Id);
            }
        }

        return [.. outcomes];
    }

    // Which INT row decided the intent. PatientFacts decides the intent itself (newest wins, "desired" on a tie); the
    // rows word that decision for the reasons and the rules document.
    private static string FertilityIntentRuleId(AssessmentFacts f) => f.FertilityIntent switch
    {
        FertilityIntent.Desired when !f.IntentFromCondition => "INT-1",
        FertilityIntent.Desired => "INT-2",
        FertilityIntent.NotDesired => "INT-3",
        FertilityIntent.Unsure => "INT-4",
        _ => "INT-5",
    };

    // Contraindications matter only when testosterone is about to be given: drafted now, or what the rules advise
    // (HypogonadismRules.ContraindicationRules).
    private static ImmutableArray<ContraindicationFinding> Contraindications(AssessmentFacts f, List<string> fired)
    {
        if (!f.IsAdultMale || !f.TestosteroneOrderedOrRecommended)
        {
            return [];
        }

        var findings = new List<ContraindicationFinding>();
        foreach (var rule in HypogonadismRules.ContraindicationRules)
        {
            // On treatment the starting limits are not contraindications; the MA rows judge the same results.
            if (f.OnTestosterone && HypogonadismRules.StartingOnlyContraindications.Contains(rule.Code))
            {
                continue;
            }

            if (rule.Find(f) is { } finding)
            {
                findings.Add(finding with { Severity = rule.Severity });
                fired.Add(rule.Id);
            }
        }

        // Absolute before relative, table order within each (OrderBy is stable): the card and the patient summary lead
        // with what forbids testosterone, not with what needs weighing.
        return [.. findings.OrderBy(static c => c.Severity)];
    }

    // The drafted-drug screen (HypogonadismRules.OrderContraindicationRules): each drafted class other than testosterone
    // is checked against the rows that screen it. Grouped by class in draft order; absolute before relative in a class.
    private static ImmutableArray<OrderContraindicationFinding> OrderContraindications(AssessmentFacts f, List<string> fired)
    {
        if (!f.IsAdultMale)
        {
            return [];
        }

        var findings = new List<OrderContraindicationFinding>();
        foreach (var drugClass in f.DraftedClasses)
        {
            if (!HypogonadismRules.ScreenedDrugClasses.Contains(drugClass))
            {
                continue;
            }

            var forClass = new List<OrderContraindicationFinding>();
            foreach (var rule in HypogonadismRules.OrderContraindicationRules)
            {
                if (!rule.DrugClasses.Contains(drugClass) || rule.Find(f) is not { } evidence)
                {
                    continue;
                }

                forClass.Add(new OrderContraindicationFinding(drugClass, rule.Code, evidence.Evidence, evidence.Date, rule.Severity));
                if (!fired.Contains(rule.Id))
                {
                    fired.Add(rule.Id);
                }
            }

            findings.AddRange(forClass.OrderBy(static c => c.Severity));
        }

        return [.. findings];
    }

    // MA rows: only for a man on testosterone (an active prescription that is not the order being signed).
    private static ImmutableArray<MonitoringAlertFinding> MonitoringAlerts(AssessmentFacts f, List<string> fired)
    {
        if (!f.OnTestosterone || f.Classification != Classification.ExogenousAndrogen)
        {
            return [];
        }

        var findings = new List<MonitoringAlertFinding>();
        foreach (var rule in HypogonadismRules.MonitoringAlertRules)
        {
            if (rule.Find(f) is { } finding)
            {
                findings.Add(finding);
                fired.Add(rule.Id);
            }
        }

        return [.. findings];
    }

    // Starting testosterone (drafted or advised, not already on it) under the age limit without wanting children now.
    private static bool OfferSpermBanking(AssessmentFacts f) =>
        f.IsAdultMale && !f.OnTestosterone && f.FertilityIntent == FertilityIntent.NotDesired
        && f.AgeYears is { } age && age < f.Thresholds.SpermBankingOfferUnderAgeYears
        && (f.AndrogenDrafted || f.Recommendation == Recommendation.TestosteroneReplacement);

    // The first day a repeat morning testosterone and LH reflect his own axis after stopping: the washout, and never
    // inside the CLS-3 window (a value taken inside it would still be read as on androgens).
    private static DateOnly? RetestFrom(AssessmentFacts f)
    {
        if (f.AndrogenExposure != AndrogenExposure.StoppedTestosterone || f.TestosteroneStopped is not { } stopped)
        {
            return null;
        }

        var washout = stopped.AddDays(7 * f.Thresholds.TestosteroneWashoutWeeks);
        var window = stopped.AddMonths(f.Thresholds.ExogenousAndrogenWindowMonths).AddDays(1);
        return DateOnly.FromDateTime((washout > window ? washout : window).Date);
    }

    private static TherapyKind? MonitoringFor(AssessmentFacts f)
    {
        if (!f.IsAdultMale || f.Classification == Classification.AndrogenDeprivation)
        {
            return null;
        }

        // A drafted order is what the clinician is about to start, so its plan comes first; testosterone first among
        // drafts because it carries the most safety monitoring.
        // Not when testosterone is absolutely contraindicated: a plan for a drug that must not be given reads as consent.
        // Testosterone drafted for a man who wants children: the fertility-conflict card advises the fertility therapy
        // instead, so the plan is that therapy's (or none when the advice is a referral or a cause to treat first), never
        // the drafted testosterone's (ES 2018 Table 4; AUA 2018).
        var testosteroneAllowed = f.Recommendation != Recommendation.TestosteroneContraindicated;
        if (f.AndrogenDrafted && testosteroneAllowed && f.FertilityIntent == FertilityIntent.Desired)
        {
            return RecommendedFertilityTherapy(f);
        }

        if (f.AndrogenDrafted && testosteroneAllowed)
        {
            return TherapyKind.TestosteroneReplacement;
        }

        if (f.SermDrafted)
        {
            return TherapyKind.Serm;
        }

        if (f.HcgDrafted)
        {
            return TherapyKind.Hcg;
        }

        // On fertility therapy the plan is that therapy's; with pituitary disease the fertility therapy is hCG, never a
        // SERM (clomiphene label); the aromatase inhibitor is followed with the SERM plan (testosterone, estradiol, LH).
        if (f.Classification == Classification.OnFertilityTherapy)
        {
            return f.FertilityTherapySource?.Class is MedicationClass.Hcg or MedicationClass.Fsh ? TherapyKind.Hcg : TherapyKind.Serm;
        }

        return f.Recommendation switch
        {
            Recommendation.TestosteroneReplacement or Recommendation.ContinueWithMonitoring or Recommendation.WithholdTestosterone
                => TherapyKind.TestosteroneReplacement,
            Recommendation.FertilityPreserving when f.HasCause(Cause.PituitaryDisease) => TherapyKind.Hcg,
            Recommendation.FertilityPreserving => TherapyKind.Serm,
            _ => null,
        };
    }

    // The fertility therapy the recommendation names: hCG with pituitary disease (never a SERM, clomiphene label) and
    // to restart the axis after androgens (REC-3); a SERM otherwise; none for a referral or a cause to treat first.
    private static TherapyKind? RecommendedFertilityTherapy(AssessmentFacts f) => f.Recommendation switch
    {
        Recommendation.FertilityPreserving when f.HasCause(Cause.PituitaryDisease) => TherapyKind.Hcg,
        Recommendation.FertilityPreserving => TherapyKind.Serm,
        Recommendation.FertilityRestoration => TherapyKind.Hcg,
        _ => null,
    };

    // The therapy's steps in table order, each due from today (MonitoringPlans); for a man already on testosterone the
    // baseline steps are past and each follow-up is due from the results already in the record (OnTreatmentDue).
    private ImmutableArray<MonitoringItem> MonitoringPlan(AssessmentFacts f, TherapyKind therapy)
    {
        var onTreatment = therapy == TherapyKind.TestosteroneReplacement && f.OnTestosterone;
        var plan = new List<MonitoringItem>();
        foreach (var step in MonitoringPlans.Rules)
        {
            if (step.Therapy != therapy || (step.Applies is not null && !step.Applies(f)))
            {
                continue;
            }

            if (onTreatment && step.IsBaseline)
            {
                continue;
            }

            var due = onTreatment ? OnTreatmentDue(f, step) : step.DueFrom(f.Today);
            plan.Add(wording.MonitoringStep(step) with { Due = due });
        }

        return [.. plan];
    }

    // On treatment: a test is due one recheck interval after its newest on-treatment result, today when that is past
    // (overdue); with no result since starting, at the first check (start + first-check interval) or today when that has
    // passed. A step without a result to read (the symptom review) recurs from the first check every recheck interval.
    private static DateOnly OnTreatmentDue(AssessmentFacts f, MonitoringRule step)
    {
        var t = f.Thresholds;
        var today = f.Today;
        DateOnly? firstCheck = f.TestosteroneStart is { } start
            ? DateOnly.FromDateTime(start.Date).AddMonths(t.OnTreatmentFirstCheckMonths)
            : null;
        LabPick? newest = step.Loinc switch
        {
            Loinc.Hematocrit => f.HematocritOnTreatment,
            Loinc.Psa => f.PsaOnTreatment,
            Loinc.TotalTestosterone => f.TotalOnTreatment,
            _ => null,
        };

        if (step.Loinc is null)
        {
            if (firstCheck is not { } next)
            {
                return today;
            }

            while (next < today)
            {
                next = next.AddMonths(t.OnTreatmentRecheckMonths);
            }

            return next;
        }

        if (newest is { } result)
        {
            // Hematocrit above the starting limit (MA-2) is watched closely: the next one at the first-check interval.
            var closer = step.Loinc == Loinc.Hematocrit
                && ThresholdComparison.IsAbove(result.Value, result.Comparator, t.HematocritContraindicationPercent) == true;
            var due = result.Result.EffectiveTime.LocalDate.AddMonths(closer ? t.OnTreatmentFirstCheckMonths : t.OnTreatmentRecheckMonths);
            return due > today ? due : today;
        }

        // A total testosterone taken before steady state counts as done for MA-9 but not as the first-check level.
        return firstCheck is { } first && first > today ? first : today;
    }

    // A snapshot built with `default` arrays (not via the initialisers) means "none", never a crash.
    private static PatientSnapshot WithEmptyListsForDefaults(PatientSnapshot snapshot)
    {
        if (!snapshot.Labs.IsDefault && !snapshot.Conditions.IsDefault && !snapshot.Medications.IsDefault
            && !snapshot.FertilityIntents.IsDefault && !snapshot.DraftOrders.IsDefault && !snapshot.RaceCategories.IsDefault
            && !snapshot.FamilyHistory.IsDefault)
        {
            return snapshot;
        }

        return snapshot with
        {
            Labs = OrEmpty(snapshot.Labs),
            Conditions = OrEmpty(snapshot.Conditions),
            Medications = OrEmpty(snapshot.Medications),
            FertilityIntents = OrEmpty(snapshot.FertilityIntents),
            DraftOrders = OrEmpty(snapshot.DraftOrders),
            RaceCategories = OrEmpty(snapshot.RaceCategories),
            FamilyHistory = OrEmpty(snapshot.FamilyHistory),
        };
    }

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;

    private static ImmutableArray<DataIssue> MergeIssues(ImmutableArray<DataIssue> fromSnapshot, List<DataIssue> found)
    {
        if (found.Count == 0)
        {
            return fromSnapshot.IsDefault ? [] : fromSnapshot;
        }

        return fromSnapshot.IsDefaultOrEmpty ? [.. found] : fromSnapshot.AddRange(found);
    }

    private static string EffectiveVersion(ClinicalThresholds thresholds)
    {
        // The site's time zone is where the site is, not a choice about the rules: every deployment sets it, and a
        // version suffix on all of them would hide the one site that really changed a threshold.
        var rules = thresholds with { SiteTimeZone = string.Empty };
        if (rules == ClinicalThresholds.Default)
        {
            return HypogonadismRules.Version;
        }

        // Locally changed thresholds change the advice, so the version says so (and which configuration it was).
        var canonical = new StringBuilder();
        foreach (var description in rules.Describe())
        {
            canonical.Append(description.Key).Append('=').Append(description.Value).Append(';');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return $"{HypogonadismRules.Version}+local.{Convert.ToHexStringLower(hash.AsSpan(0, 4))}";
    }
}
