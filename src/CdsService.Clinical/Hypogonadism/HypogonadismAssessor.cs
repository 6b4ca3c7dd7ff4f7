using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The hypogonadism engine (issue 3): gathers the facts of one <see cref="PatientSnapshot"/> in a single pass and
/// evaluates the decision tables of <see cref="HypogonadismRules"/> and <see cref="MonitoringPlans"/> against them.
/// Immutable after construction and safe to share between requests; all per-call state lives in
/// <see cref="AssessmentFacts"/>. Every text that does not depend on the patient's values is built once here, so an
/// assessment allocates little beyond its result.
/// </summary>
public sealed class HypogonadismAssessor
{
    /// <summary>Version of the rule content, returned with every assessment (see <see cref="HypogonadismRules.Version"/>).</summary>
    public const string RulesVersion = HypogonadismRules.Version;

    private const int MaxFired = 48;

    private readonly ClinicalThresholds thresholds;
    private readonly TimeProvider timeProvider;
    private readonly string rulesVersion;

    // Flattened rule ids and reasons; each table starts at its offset.
    private readonly string[] ruleIds;
    private readonly string[] reasons;
    private readonly int androgenOffset;
    private readonly int classificationOffset;
    private readonly int recommendationOffset;
    private readonly int missingOffset;
    private readonly int workupOffset;
    private readonly int contraindicationOffset;
    private readonly int intentOffset;
    private readonly int monitoringOffset;

    private readonly MonitoringItem[] monitoringTemplates;
    private readonly Interpretations text;

    public HypogonadismAssessor(ClinicalThresholds thresholds, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var errors = thresholds.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid clinical thresholds: " + string.Join(" ", errors), nameof(thresholds));
        }

        this.thresholds = thresholds;
        this.timeProvider = timeProvider;
        rulesVersion = EffectiveVersion(thresholds);

        string Fill(string template) => RuleText.Fill(template, thresholds);

        var ids = new List<string>();
        var words = new List<string>();
        androgenOffset = ids.Count;
        foreach (var rule in HypogonadismRules.AndrogenStatusRules)
        {
            ids.Add(rule.Id);
            words.Add(Reason(rule.Id, $"Androgen status {ClinicalWords.Describe(rule.Outcome)}", Fill(rule.Condition), rule.Source));
        }

        classificationOffset = ids.Count;
        foreach (var rule in HypogonadismRules.ClassificationRules)
        {
            ids.Add(rule.Id);
            words.Add(Reason(rule.Id, ClinicalWords.Describe(rule.Outcome), Fill(rule.Condition), rule.Source));
        }

        recommendationOffset = ids.Count;
        foreach (var rule in HypogonadismRules.RecommendationRules)
        {
            ids.Add(rule.Id);
            words.Add(Reason(rule.Id, ClinicalWords.Describe(rule.Outcome), Fill(rule.Advice ?? rule.Condition), rule.Source));
        }

        missingOffset = ids.Count;
        foreach (var rule in HypogonadismRules.MissingDataRules)
        {
            ids.Add(rule.Id);
            words.Add(Reason(rule.Id, $"Missing: {ClinicalWords.Describe(rule.Outcome)}", Fill(rule.Condition), rule.Source));
        }

        workupOffset = ids.Count;
        foreach (var rule in HypogonadismRules.WorkupRules)
        {
            ids.Add(rule.Id);
            words.Add(Reason(rule.Id, $"Further work-up: {ClinicalWords.Describe(rule.Outcome)}", Fill(rule.Condition), rule.Source));
        }

        contraindicationOffset = ids.Count;
        foreach (var rule in HypogonadismRules.ContraindicationRules)
        {
            ids.Add(rule.Id);
            words.Add(Reason(rule.Id, $"Testosterone contraindicated: {ClinicalWords.Describe(rule.Code)}", Fill(rule.Condition), rule.Source));
        }

        intentOffset = ids.Count;
        foreach (var rule in HypogonadismRules.FertilityIntentRules)
        {
            ids.Add(rule.Id);
            words.Add(Reason(rule.Id, $"Fertility intent {ClinicalWords.Describe(rule.Intent)}", Fill(rule.Basis), rule.Source));
        }

        monitoringOffset = ids.Count;
        foreach (var therapy in Enum.GetValues<TherapyKind>())
        {
            ids.Add("MON-" + therapy.ToCode());
            words.Add($"Monitoring plan: {ClinicalWords.Describe(therapy)} (see the monitoring steps and their sources).");
        }

        ruleIds = [.. ids];
        reasons = [.. words];

        monitoringTemplates = new MonitoringItem[MonitoringPlans.Rules.Length];
        for (var i = 0; i < monitoringTemplates.Length; i++)
        {
            var rule = MonitoringPlans.Rules[i];
            monitoringTemplates[i] = new MonitoringItem
            {
                Test = rule.Test,
                Loinc = rule.Loinc,
                Due = DateOnly.MinValue,
                When = RuleText.Fill(rule.When, thresholds),
                Reason = RuleText.Fill(rule.Reason, thresholds),
                Source = rule.Source,
            };
        }

        text = new Interpretations(thresholds);
    }

    public ClinicalThresholds Thresholds => thresholds;

    /// <summary>Version of the rules this assessor applies, with a suffix when thresholds differ from the defaults.</summary>
    public string EffectiveRulesVersion => rulesVersion;

    public Assessment Assess(PatientSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);

        // A snapshot built with `default` arrays (not via the initialisers) means "none", never a crash.
        if (snapshot.Labs.IsDefault || snapshot.Conditions.IsDefault || snapshot.Medications.IsDefault
            || snapshot.FertilityIntents.IsDefault || snapshot.DraftOrders.IsDefault)
        {
            snapshot = snapshot with
            {
                Labs = OrEmpty(snapshot.Labs),
                Conditions = OrEmpty(snapshot.Conditions),
                Medications = OrEmpty(snapshot.Medications),
                FertilityIntents = OrEmpty(snapshot.FertilityIntents),
                DraftOrders = OrEmpty(snapshot.DraftOrders),
            };
        }

        var now = timeProvider.GetUtcNow();
        var today = DateOnly.FromDateTime(timeProvider.GetLocalNow().DateTime);
        var f = new AssessmentFacts(thresholds, now, today);
        List<DataIssue>? issues = null;

        f.IsMale = snapshot.Sex == AdministrativeSex.Male;
        f.AgeYears = snapshot.BirthDate is { } birth ? AgeOn(birth, today) : null;

        foreach (var draft in snapshot.DraftOrders)
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

        FindExogenousAndrogen(snapshot, f);
        foreach (var condition in snapshot.Conditions)
        {
            f.AddCondition(condition);
        }

        GatherLabs(snapshot, f, ref issues);
        DeriveLabFacts(f);
        FindFertilityIntent(snapshot, f);

        Span<int> fired = stackalloc int[MaxFired];
        var firedCount = 0;

        var androgenIndex = FirstMatch(HypogonadismRules.AndrogenStatusRules, f);
        f.AndrogenStatus = HypogonadismRules.AndrogenStatusRules[androgenIndex].Outcome;
        f.AndrogenRuleId = HypogonadismRules.AndrogenStatusRules[androgenIndex].Id;

        var classificationIndex = FirstMatch(HypogonadismRules.ClassificationRules, f);
        f.Classification = HypogonadismRules.ClassificationRules[classificationIndex].Outcome;
        var classifiable = HypogonadismRules.IsClassifiable(f);
        if (classifiable)
        {
            fired[firedCount++] = androgenOffset + androgenIndex;
        }

        fired[firedCount++] = classificationOffset + classificationIndex;
        if (f.IsAdultMale)
        {
            fired[firedCount++] = intentOffset + IntentReasonIndex(f);
        }

        var recommendationIndex = FirstMatch(HypogonadismRules.RecommendationRules, f);
        f.Recommendation = HypogonadismRules.RecommendationRules[recommendationIndex].Outcome;
        fired[firedCount++] = recommendationOffset + recommendationIndex;

        var missing = Matching(HypogonadismRules.MissingDataRules, f, fired, ref firedCount, missingOffset);
        var workup = Matching(HypogonadismRules.WorkupRules, f, fired, ref firedCount, workupOffset);
        var contraindications = FindContraindications(f, fired, ref firedCount);

        var monitoringFor = MonitoringFor(f);
        var monitoring = ImmutableArray<MonitoringItem>.Empty;
        if (monitoringFor is { } therapy)
        {
            fired[firedCount++] = monitoringOffset + (int)therapy;
            monitoring = BuildMonitoring(f, therapy);
        }

        var firedSpan = fired[..firedCount];
        var firedIds = new string[firedCount];
        var firedReasons = new string[firedCount];
        for (var i = 0; i < firedSpan.Length; i++)
        {
            firedIds[i] = ruleIds[firedSpan[i]];
            firedReasons[i] = reasons[firedSpan[i]];
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
            MonitoringFor = monitoringFor,
            MonitoringPlan = monitoring,
            Evidence = f.IsAdultMale ? BuildEvidence(f) : [],
            DataIssues = MergeIssues(snapshot.DataIssues, issues),
            RuleIds = ImmutableCollectionsMarshal.AsImmutableArray(firedIds),
            Reasons = ImmutableCollectionsMarshal.AsImmutableArray(firedReasons),
            EvaluatedAt = now,
            RulesVersion = rulesVersion,
        };
    }

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;

    internal static int AgeOn(DateOnly birth, DateOnly day)
    {
        var age = day.Year - birth.Year;
        return day < birth.AddYears(age) ? age - 1 : age;
    }

    private static string Reason(string id, string outcome, string because, string source) =>
        $"{id} {outcome}: {because} ({source}).";

    private static string EffectiveVersion(ClinicalThresholds thresholds)
    {
        if (thresholds == ClinicalThresholds.Default)
        {
            return HypogonadismRules.Version;
        }

        // Locally changed thresholds change the advice, so the version says so (and which configuration it was).
        var canonical = new StringBuilder();
        foreach (var description in thresholds.Describe())
        {
            canonical.Append(description.Key).Append('=').Append(description.Value).Append(';');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return $"{HypogonadismRules.Version}+local.{Convert.ToHexStringLower(hash.AsSpan(0, 4))}";
    }

    private static int FirstMatch<TOutcome>(ImmutableArray<DecisionRule<TOutcome>> rules, AssessmentFacts f)
    {
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Applies(f))
            {
                return i;
            }
        }

        // Every first-match table ends with a catch-all row (tested), so this is a programming error.
        throw new InvalidOperationException("Decision table has no matching row.");
    }

    private static ImmutableArray<TOutcome> Matching<TOutcome>(ImmutableArray<DecisionRule<TOutcome>> rules, AssessmentFacts f,
        Span<int> fired, ref int firedCount, int offset)
    {
        var start = firedCount;
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Applies(f))
            {
                fired[firedCount++] = offset + i;
            }
        }

        if (firedCount == start)
        {
            return [];
        }

        var outcomes = new TOutcome[firedCount - start];
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = rules[fired[start + i] - offset].Outcome;
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(outcomes);
    }

    private ImmutableArray<ContraindicationFinding> FindContraindications(AssessmentFacts f, Span<int> fired, ref int firedCount)
    {
        if (!f.IsAdultMale || !f.TestosteroneOrderedOrRecommended)
        {
            return [];
        }

        var rules = HypogonadismRules.ContraindicationRules;
        ContraindicationFinding[]? found = null;
        var count = 0;
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Find(f) is { } finding)
            {
                found ??= new ContraindicationFinding[rules.Length];
                found[count++] = finding;
                fired[firedCount++] = contraindicationOffset + i;
            }
        }

        return found is null ? [] : ImmutableArray.Create(found, 0, count);
    }

    private static TherapyKind? MonitoringFor(AssessmentFacts f)
    {
        if (!f.IsAdultMale)
        {
            return null;
        }

        // A drafted order is what the clinician is about to start, so its plan comes first; testosterone first among
        // drafts because it carries the most safety monitoring.
        if (f.AndrogenDrafted)
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

        return f.Recommendation switch
        {
            Recommendation.TestosteroneReplacement or Recommendation.ContinueWithMonitoring => TherapyKind.TestosteroneReplacement,
            Recommendation.FertilityPreserving => TherapyKind.Serm,
            _ => null,
        };
    }

    private ImmutableArray<MonitoringItem> BuildMonitoring(AssessmentFacts f, TherapyKind therapy)
    {
        var rules = MonitoringPlans.Rules;
        var count = 0;
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Therapy == therapy && (rules[i].Applies is null || rules[i].Applies!(f)))
            {
                count++;
            }
        }

        var items = new MonitoringItem[count];
        var next = 0;
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Therapy == therapy && (rules[i].Applies is null || rules[i].Applies!(f)))
            {
                items[next++] = monitoringTemplates[i] with { Due = rules[i].DueFrom(f.Today) };
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(items);
    }

    private static int IntentReasonIndex(AssessmentFacts f) => f.FertilityIntent switch
    {
        FertilityIntent.Desired => f.IntentFromCondition ? 1 : 0,
        FertilityIntent.NotDesired => 2,
        FertilityIntent.Unsure => 3,
        _ => 4,
    };

    private void FindExogenousAndrogen(PatientSnapshot snapshot, AssessmentFacts f)
    {
        var windowStart = f.Now.AddMonths(-thresholds.ExogenousAndrogenWindowMonths);
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

    // The FHIR layer should already leave the draft out of Medications; this guards against it appearing twice
    // (issue 3: the order under evaluation never counts as exogenous-androgen history).
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

            if (string.Equals(source, id, StringComparison.Ordinal)
                || (source.Length == draft.ResourceType.Length + 1 + id.Length
                    && source.StartsWith(draft.ResourceType, StringComparison.Ordinal)
                    && source[draft.ResourceType.Length] == '/'
                    && source.EndsWith(id, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private void GatherLabs(PatientSnapshot snapshot, AssessmentFacts f, ref List<DataIssue>? issues)
    {
        var t = thresholds;
        var lookbackStart = f.Now.AddMonths(-t.LabLookbackMonths);
        var latestAllowed = f.Now.AddDays(1);
        LabPick? morning = null, second = null, late = null, free = null, lh = null, fsh = null, shbg = null, albumin = null;
        LabPick? prolactin = null, ferritin = null, estradiol = null, hematocrit = null, psa = null;

        foreach (var lab in snapshot.Labs)
        {
            var when = lab.EffectiveTime.Value;
            if (when < lookbackStart || lab.Analyte == Analyte.BioavailableTestosterone)
            {
                continue;
            }

            if (when > latestAllowed)
            {
                AddIssue(ref issues, "future-date", $"{ClinicalWords.Describe(lab.Analyte)} result dated in the future; not used.");
                continue;
            }

            if (!LabUnits.TryToCanonical(lab.Analyte, lab.Quantity.Value, lab.Quantity.Unit, out var value))
            {
                AddIssue(ref issues, "unit-not-convertible",
                    $"{ClinicalWords.Describe(lab.Analyte)} result in {LabUnits.Symbol(lab.Quantity.Unit)} cannot be converted for the rules; not used.");
                continue;
            }

            var pick = new LabPick(lab, value);
            switch (lab.Analyte)
            {
                case Analyte.TotalTestosterone:
                    if (ThresholdComparison.IsBelow(value, lab.Comparator, t.TotalTestosteroneLowNgPerDl) is null)
                    {
                        AddNotComparable(ref issues, lab, "total testosterone limit");
                    }
                    else if (IsMorning(lab.EffectiveTime))
                    {
                        KeepTwoNewestOnDifferentDays(ref morning, ref second, pick);
                    }
                    else
                    {
                        late = Newer(late, pick);
                    }

                    break;
                case Analyte.FreeTestosterone:
                    if (ThresholdComparison.IsBelow(value, lab.Comparator, t.FreeTestosteroneLowPmolPerL) is null)
                    {
                        AddNotComparable(ref issues, lab, "free testosterone limit");
                    }
                    else
                    {
                        free = Newer(free, pick);
                    }

                    break;
                case Analyte.Lh:
                    if (ThresholdComparison.IsAbove(value, lab.Comparator, t.LhHighIuPerL) is null)
                    {
                        AddNotComparable(ref issues, lab, "LH limit");
                    }
                    else
                    {
                        lh = Newer(lh, pick);
                    }

                    break;
                case Analyte.Fsh:
                    fsh = Newer(fsh, pick);
                    break;
                case Analyte.Shbg:
                    shbg = Newer(shbg, pick);
                    break;
                case Analyte.Albumin:
                    albumin = Newer(albumin, pick);
                    break;
                case Analyte.Prolactin:
                    prolactin = Newer(prolactin, pick);
                    break;
                case Analyte.Ferritin:
                    ferritin = Newer(ferritin, pick);
                    break;
                case Analyte.Estradiol:
                    estradiol = Newer(estradiol, pick);
                    break;
                case Analyte.Hematocrit:
                    hematocrit = Newer(hematocrit, pick);
                    break;
                case Analyte.Psa:
                    psa = Newer(psa, pick);
                    break;
            }
        }

        f.MorningTotal = morning;
        f.SecondMorningTotal = second;
        f.LateTotal = late is { } l && (morning is not { } m || l.Time > m.Time) ? late : null;
        f.MeasuredFree = free;
        f.Lh = lh;
        f.Fsh = fsh;
        f.Shbg = shbg;
        f.Albumin = albumin;
        f.Prolactin = prolactin;
        f.Ferritin = ferritin;
        f.Estradiol = estradiol;
        f.Hematocrit = hematocrit;
        f.Psa = psa;
    }

    private bool IsMorning(SampleTime time) =>
        !time.TimeRecorded || TimeOnly.FromTimeSpan(time.Value.TimeOfDay) < thresholds.MorningCutoff;

    private static LabPick? Newer(LabPick? current, LabPick candidate) =>
        current is not { } existing || candidate.Time > existing.Time ? candidate : current;

    // Single pass: "newest" is the newest morning value; "second" the newest on a different calendar day (in the
    // sample's own time zone). An older value on the newest value's day can never be needed: the newest dominates it.
    private static void KeepTwoNewestOnDifferentDays(ref LabPick? newest, ref LabPick? second, LabPick candidate)
    {
        if (newest is not { } top)
        {
            newest = candidate;
            return;
        }

        var candidateDay = candidate.Result.EffectiveTime.LocalDate;
        if (candidate.Time > top.Time)
        {
            if (top.Result.EffectiveTime.LocalDate != candidateDay)
            {
                second = top;
            }

            newest = candidate;
            return;
        }

        if (candidateDay != top.Result.EffectiveTime.LocalDate && (second is not { } runnerUp || candidate.Time > runnerUp.Time))
        {
            second = candidate;
        }
    }

    private void DeriveLabFacts(AssessmentFacts f)
    {
        var t = thresholds;
        if (f.MorningTotal is { } newest)
        {
            f.MorningTotalLow = ThresholdComparison.IsBelow(newest.Value, newest.Comparator, t.TotalTestosteroneLowNgPerDl);
            f.AnyMorningTotalBelowVeryLow =
                ThresholdComparison.IsBelow(newest.Value, newest.Comparator, t.TotalTestosteroneVeryLowNgPerDl) == true;

            // Grey zone bounds are defined in nmol/L (BSSM); compare in ng/dL with the exact factor so 8.0 nmol/L is inside.
            f.GreyZone = newest.Comparator == ValueComparator.Equal
                && newest.Value >= t.GreyZoneLowNmolPerL * LabUnits.TestosteroneNgPerDlPerNmolPerL
                && newest.Value <= t.GreyZoneHighNmolPerL * LabUnits.TestosteroneNgPerDlPerNmolPerL;
        }

        if (f.SecondMorningTotal is { } second)
        {
            f.SecondMorningTotalLow = ThresholdComparison.IsBelow(second.Value, second.Comparator, t.TotalTestosteroneLowNgPerDl);
            f.AnyMorningTotalBelowVeryLow |=
                ThresholdComparison.IsBelow(second.Value, second.Comparator, t.TotalTestosteroneVeryLowNgPerDl) == true;
        }

        if (f.Shbg is { } shbg)
        {
            var (low, high) = RangeOf(shbg.Result, Analyte.Shbg, t.ShbgLowNmolPerL, t.ShbgHighNmolPerL);
            f.ShbgOutsideRange = ThresholdComparison.IsBelow(shbg.Value, shbg.Comparator, low) == true
                || ThresholdComparison.IsAbove(shbg.Value, shbg.Comparator, high) == true;
        }

        var freeAvailable = false;
        if (f.MeasuredFree is { } measured)
        {
            freeAvailable = true;
            f.FreeLow = ThresholdComparison.IsBelow(measured.Value, measured.Comparator, t.FreeTestosteroneLowPmolPerL) == true;
        }
        else if (f.MorningTotal is { Comparator: ValueComparator.Equal, Value: > 0 } total
            && f.Shbg is { Comparator: ValueComparator.Equal, Value: >= 0 } shbgForCalc)
        {
            var useAlbumin = f.Albumin is { Comparator: ValueComparator.Equal, Value: > 0 };
            var albumin = useAlbumin ? f.Albumin!.Value.Value : t.DefaultAlbuminGPerDl;
            f.AlbuminAssumed = !useAlbumin;
            // Inputs too extreme to give a representable result leave free testosterone unavailable, so total
            // testosterone decides; a fallback number would be a guess.
            if (FreeTestosterone.TryCalculatePmolPerL(total.Value / LabUnits.TestosteroneNgPerDlPerNmolPerL,
                shbgForCalc.Value, albumin, out var calculated))
            {
                f.CalculatedFreePmolPerL = calculated;
                f.FreeLow = calculated < t.FreeTestosteroneLowPmolPerL;
                freeAvailable = true;
            }
        }

        f.FreeDecides = freeAvailable && (f.ShbgOutsideRange || f.GreyZone);

        if (f.Lh is { } lh)
        {
            f.LhHigh = ThresholdComparison.IsAbove(lh.Value, lh.Comparator, t.LhHighIuPerL);
        }

        if (f.Prolactin is { } prolactin && prolactin.Result.ReferenceRange?.High is { } highLimit
            && LabUnits.TryToCanonical(Analyte.Prolactin, highLimit.Value, highLimit.Unit, out var prolactinHigh))
        {
            f.ProlactinAboveRange = ThresholdComparison.IsAbove(prolactin.Value, prolactin.Comparator, prolactinHigh) == true;
        }

        // A coded hyperprolactinaemia counts as "prolactin above its range" too (ES 2018: imaging for hyperprolactinaemia).
        f.ProlactinAboveRange |= f.Has(ConditionKind.Hyperprolactinemia);
    }

    private static (decimal Low, decimal High) RangeOf(LabResult result, Analyte analyte, decimal defaultLow, decimal defaultHigh)
    {
        var low = defaultLow;
        var high = defaultHigh;
        if (result.ReferenceRange is { } range)
        {
            if (range.Low is { } l && LabUnits.TryToCanonical(analyte, l.Value, l.Unit, out var lowValue))
            {
                low = lowValue;
            }

            if (range.High is { } h && LabUnits.TryToCanonical(analyte, h.Value, h.Unit, out var highValue))
            {
                high = highValue;
            }
        }

        return (low, high);
    }

    private void FindFertilityIntent(PatientSnapshot snapshot, AssessmentFacts f)
    {
        var windowStart = f.Now.AddMonths(-thresholds.FertilityIntentLookbackMonths);
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

            // Newest wins; on the same date "desired" wins, the answer that protects fertility.
            if (!found || sortKey > current || (sortKey == current && candidate == FertilityIntent.Desired && intent != FertilityIntent.Desired))
            {
                intent = candidate;
                date = when;
                fromCondition = condition;
                found = true;
            }
        }
    }

    private ImmutableArray<EvidenceItem> BuildEvidence(AssessmentFacts f)
    {
        var count = Count(f.MorningTotal) + Count(f.SecondMorningTotal) + Count(f.LateTotal) + Count(f.MeasuredFree)
            + (f.CalculatedFreePmolPerL is null ? 0 : 1) + Count(f.Shbg) + Count(f.Albumin) + Count(f.Lh) + Count(f.Fsh)
            + Count(f.Prolactin) + Count(f.Estradiol) + Count(f.Ferritin) + Count(f.Hematocrit) + Count(f.Psa);
        if (count == 0)
        {
            return [];
        }

        var items = new EvidenceItem[count];
        var i = 0;
        if (f.MorningTotal is { } newest)
        {
            items[i++] = Item(newest, true, text.Total(f.MorningTotalLow == true, !newest.Result.EffectiveTime.TimeRecorded, f.GreyZone));
        }

        if (f.SecondMorningTotal is { } second)
        {
            items[i++] = Item(second, true, text.Total(f.SecondMorningTotalLow == true, !second.Result.EffectiveTime.TimeRecorded, false));
        }

        if (f.LateTotal is { } late)
        {
            items[i++] = Item(late, false, text.LateTotal);
        }

        if (f.MeasuredFree is { } free)
        {
            items[i++] = Item(free, null, f.FreeLow ? text.FreeLow : text.FreeNotLow);
        }
        else if (f.CalculatedFreePmolPerL is { } calculated)
        {
            items[i++] = new EvidenceItem
            {
                Analyte = Analyte.FreeTestosterone,
                Quantity = new LabQuantity(calculated, LabUnit.PicomolesPerLiter),
                EffectiveTime = f.MorningTotal!.Value.Result.EffectiveTime,
                CalculatedByService = true,
                Interpretation = text.Calculated(f.FreeLow, f.AlbuminAssumed),
            };
        }

        if (f.Shbg is { } shbg)
        {
            items[i++] = Item(shbg, null, f.ShbgOutsideRange ? text.ShbgOutside : text.ShbgWithin);
        }

        if (f.Albumin is { } albumin)
        {
            items[i++] = Item(albumin, null, f.CalculatedFreePmolPerL is null ? null : text.AlbuminUsed);
        }

        if (f.Lh is { } lh)
        {
            items[i++] = Item(lh, null, f.LhHigh == true ? text.LhHigh : text.LhNotHigh);
        }

        if (f.Fsh is { } fsh)
        {
            items[i++] = Item(fsh, null, null);
        }

        if (f.Prolactin is { } prolactin)
        {
            items[i++] = Item(prolactin, null, f.ProlactinAboveRange && prolactin.Result.ReferenceRange?.High is not null ? text.ProlactinHigh : null);
        }

        if (f.Estradiol is { } estradiol)
        {
            items[i++] = Item(estradiol, null, null);
        }

        if (f.Ferritin is { } ferritin)
        {
            items[i++] = Item(ferritin, null, null);
        }

        if (f.Hematocrit is { } hct)
        {
            items[i++] = Item(hct, null,
                ThresholdComparison.IsAbove(hct.Value, hct.Comparator, thresholds.HematocritContraindicationPercent) == true
                    ? text.HematocritHigh : text.HematocritNotHigh);
        }

        if (f.Psa is { } psa)
        {
            items[i++] = Item(psa, null,
                ThresholdComparison.IsAbove(psa.Value, psa.Comparator, thresholds.PsaContraindicationNgPerMl) == true
                    ? text.PsaHigh : text.PsaNotHigh);
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(items);

        static int Count(LabPick? pick) => pick is null ? 0 : 1;
    }

    private static EvidenceItem Item(LabPick pick, bool? morning, string? interpretation) => new()
    {
        Analyte = pick.Result.Analyte,
        Quantity = pick.Result.Quantity,
        Comparator = pick.Result.Comparator,
        EffectiveTime = pick.Result.EffectiveTime,
        IsMorning = morning,
        Interpretation = interpretation,
        SourceId = pick.Result.SourceId,
    };

    private static void AddIssue(ref List<DataIssue>? issues, string kind, string description) =>
        (issues ??= []).Add(new DataIssue(kind, description));

    private static void AddNotComparable(ref List<DataIssue>? issues, LabResult lab, string limit) =>
        AddIssue(ref issues, "value-not-comparable",
            $"{ClinicalWords.Describe(lab.Analyte)} {ThresholdComparison.Symbol(lab.Comparator)}"
            + $"{lab.Quantity.Value.ToString("0.####", CultureInfo.InvariantCulture)} {LabUnits.Symbol(lab.Quantity.Unit)} "
            + $"cannot be compared with the {limit}; not used.");

    private static ImmutableArray<DataIssue> MergeIssues(ImmutableArray<DataIssue> fromSnapshot, List<DataIssue>? found)
    {
        if (found is null)
        {
            return fromSnapshot.IsDefault ? [] : fromSnapshot;
        }

        return fromSnapshot.IsDefaultOrEmpty ? [.. found] : fromSnapshot.AddRange(found);
    }

    /// <summary>Interpretation texts for the evidence table, built once per assessor from the thresholds.</summary>
    private sealed class Interpretations
    {
        private readonly string[] total = new string[8];
        private readonly string[] calculated = new string[4];

        public Interpretations(ClinicalThresholds t)
        {
            var ttLow = RuleText.Fill("{TT_LOW}", t);
            var grey = RuleText.Fill("{GREY_ZONE}", t);
            var ftLow = RuleText.Fill("{FT_LOW}", t);
            for (var i = 0; i < 8; i++)
            {
                var low = (i & 1) != 0;
                var dateOnly = (i & 2) != 0;
                var inGrey = (i & 4) != 0;
                total[i] = (low ? "below " : "not below ") + ttLow
                    + (inGrey ? $"; in the grey zone {grey}" : string.Empty)
                    + (dateOnly ? "; date only, time not recorded (counted as a morning sample)" : "; morning sample");
            }

            for (var i = 0; i < 4; i++)
            {
                var low = (i & 1) != 0;
                var assumed = (i & 2) != 0;
                calculated[i] = (low ? "below " : "not below ") + ftLow
                    + "; calculated by the service (Vermeulen) from the newest morning total testosterone, SHBG and albumin"
                    + (assumed ? RuleText.Fill(" (no albumin result: {ALBUMIN} assumed)", t) : string.Empty);
            }

            LateTotal = RuleText.Fill("not used: taken at or after {MORNING}, not a morning sample", t);
            FreeLow = "below " + ftLow;
            FreeNotLow = "not below " + ftLow;
            ShbgOutside = RuleText.Fill("outside its reference range (default {SHBG_RANGE}): free testosterone decides", t);
            ShbgWithin = RuleText.Fill("within its reference range (default {SHBG_RANGE})", t);
            AlbuminUsed = "used to calculate free testosterone";
            LhHigh = RuleText.Fill("above {LH_HIGH} (high)", t);
            LhNotHigh = RuleText.Fill("at or below {LH_HIGH}", t);
            ProlactinHigh = "above its reference range";
            HematocritHigh = RuleText.Fill("above {HCT_CI}", t);
            HematocritNotHigh = RuleText.Fill("not above {HCT_CI}", t);
            PsaHigh = RuleText.Fill("above {PSA_CI}", t);
            PsaNotHigh = RuleText.Fill("not above {PSA_CI}", t);
        }

        public string LateTotal { get; }

        public string FreeLow { get; }

        public string FreeNotLow { get; }

        public string ShbgOutside { get; }

        public string ShbgWithin { get; }

        public string AlbuminUsed { get; }

        public string LhHigh { get; }

        public string LhNotHigh { get; }

        public string ProlactinHigh { get; }

        public string HematocritHigh { get; }

        public string HematocritNotHigh { get; }

        public string PsaHigh { get; }

        public string PsaNotHigh { get; }

        public string Total(bool low, bool dateOnly, bool greyZone) =>
            total[(low ? 1 : 0) | (dateOnly ? 2 : 0) | (greyZone ? 4 : 0)];

        public string Calculated(bool low, bool albuminAssumed) => calculated[(low ? 1 : 0) | (albuminAssumed ? 2 : 0)];
    }
}
