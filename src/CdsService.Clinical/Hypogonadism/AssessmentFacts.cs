using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>A usable result and its value in the analyte's canonical unit (<see cref="LabUnits.CanonicalUnit"/>).</summary>
internal readonly record struct LabPick(LabResult Result, decimal Value)
{
    public DateTimeOffset Time => Result.EffectiveTime.Value;

    public ValueComparator Comparator => Result.Comparator;
}

/// <summary>
/// What the rule rows look at, gathered from one snapshot in a single pass. The rule tables in
/// <see cref="HypogonadismRules"/> read these facts; they never read the snapshot directly, so every condition a
/// rule states in words maps to one named fact here.
/// </summary>
internal sealed partial class AssessmentFacts
{
    private readonly ConditionFact?[] conditions = new ConditionFact?[ConditionKindCount];

    // The newest usable result of each analyte (total testosterone aside: LabFacts keeps its morning values apart).
    private readonly LabPick?[] newest = new LabPick?[Enum.GetValues<Analyte>().Length];

    public AssessmentFacts(ClinicalThresholds thresholds, DateTimeOffset now, DateOnly today, TimeZoneInfo siteTimeZone)
    {
        Thresholds = thresholds;
        Now = now;
        Today = today;
        SiteTimeZone = siteTimeZone;
    }

    private static int ConditionKindCount { get; } = Enum.GetValues<ConditionKind>().Length;

    public ClinicalThresholds Thresholds { get; }

    public DateTimeOffset Now { get; }

    public DateOnly Today { get; }

    /// <summary>The site's zone: a sample timestamped in UTC is read in it before the morning rule.</summary>
    public TimeZoneInfo SiteTimeZone { get; }

    /// <summary>The record says the male reference ranges apply (sex for clinical use, birth sex, gender identity, gender).</summary>
    public bool IsMale { get; set; }

    /// <summary>Age in whole years; null when no birth date is recorded (then assessed as an adult of unknown age).</summary>
    public int? AgeYears { get; set; }

    public bool IsAdultMale => IsMale && (AgeYears is not { } age || age >= Thresholds.AdultAgeYears);

    /// <summary>An active (or recent depot) GnRH agonist or antagonist, anti-androgen or abiraterone (CLS-2).</summary>
    public MedicationFact? AndrogenDeprivationSource { get; set; }

    /// <summary>Clomiphene, enclomiphene, hCG, FSH or an aromatase inhibitor active or stopped within the window (CLS-4).</summary>
    public MedicationFact? FertilityTherapySource { get; set; }

    public List<MedicationFact> Opioids { get; } = [];

    public List<MedicationFact> Glucocorticoids { get; } = [];

    /// <summary>Every coded symptom or sign of androgen deficiency (AUA 2018 statement 3), newest first.</summary>
    public List<ConditionFact> Symptoms { get; } = [];

    /// <summary>The causes found (HypogonadismRules.CauseRules), in table order.</summary>
    public List<CauseFinding> Causes { get; } = [];

    public bool HasCause(Cause cause) => Causes.Exists(c => c.Code == cause);

    public bool ExogenousAndrogen { get; set; }

    public MedicationFact? ExogenousAndrogenSource { get; set; }

    /// <summary>Newest and second-newest (on another calendar day) morning total testosterone, in ng/dL.</summary>
    public LabPick? MorningTotal { get; set; }

    public LabPick? SecondMorningTotal { get; set; }

    /// <summary>A total testosterone taken at or after the morning cut-off that is newer than every morning value.</summary>
    public LabPick? LateTotal { get; set; }

    /// <summary>The newest morning draw judged on its own: its total, or its free testosterone where free decides for it.</summary>
    public bool? MorningTotalLow { get; set; }

    /// <summary>The second morning draw judged on its own, as <see cref="MorningTotalLow"/>.</summary>
    public bool? SecondMorningTotalLow { get; set; }

    /// <summary>Free testosterone decided the second draw (grey zone or SHBG outside range near that draw).</summary>
    public bool SecondFreeDecides { get; set; }

    /// <summary>The free testosterone used for the second draw, pmol/L, and whether it was calculated by the service.</summary>
    public decimal? SecondFreePmolPerL { get; set; }

    public bool SecondFreeCalculated { get; set; }

    public LabPick? Lh => newest[(int)Analyte.Lh];

    public LabPick? Fsh => newest[(int)Analyte.Fsh];

    public LabPick? Shbg => newest[(int)Analyte.Shbg];

    public LabPick? Albumin => newest[(int)Analyte.Albumin];

    public LabPick? MeasuredFree => newest[(int)Analyte.FreeTestosterone];

    public LabPick? Prolactin => newest[(int)Analyte.Prolactin];

    public LabPick? Ferritin => newest[(int)Analyte.Ferritin];

    public LabPick? TransferrinSaturation => newest[(int)Analyte.TransferrinSaturation];

    public LabPick? Bmi => newest[(int)Analyte.Bmi];

    /// <summary>The newest FSH is above its own range, else above the default limit; null when there is no FSH.</summary>
    public bool? FshHigh { get; set; }

    /// <summary>The newest prolactin is above its own range, else above the default limit (mIU/L converted).</summary>
    public bool ProlactinHigh { get; set; }

    public LabPick? Estradiol => newest[(int)Analyte.Estradiol];

    public LabPick? Hematocrit => newest[(int)Analyte.Hematocrit];

    public LabPick? Psa => newest[(int)Analyte.Psa];

    public bool GreyZone { get; set; }

    public bool ShbgOutsideRange { get; set; }

    public decimal? CalculatedFreePmolPerL { get; set; }

    public bool AlbuminAssumed { get; set; }

    /// <summary>The free testosterone used for the newest draw was measured (not calculated by the service).</summary>
    public bool FreeMeasured { get; set; }

    /// <summary>True when the free-testosterone override applies to the newest draw and a free value was available.</summary>
    public bool FreeDecides { get; set; }

    public bool FreeLow { get; set; }

    public bool? LhHigh { get; set; }

    public AndrogenStatus AndrogenStatus { get; set; }

    public string AndrogenRuleId { get; set; } = string.Empty;

    public Classification Classification { get; set; }

    public FertilityIntent FertilityIntent { get; set; }

    public bool IntentFromCondition { get; set; }

    public DateTimeOffset? IntentDate { get; set; }

    public Recommendation Recommendation { get; set; }

    /// <summary>Testosterone is drafted in this call (anabolic steroids have their own screen, <see cref="DraftedClasses"/>).</summary>
    public bool AndrogenDrafted { get; set; }

    /// <summary>Every drug class drafted in this call, once each, in draft order.</summary>
    public List<MedicationClass> DraftedClasses { get; } = [];

    /// <summary>
    /// What in the record shows a high risk of prostate cancer (ES 2018 Table 4: Black or African American, a
    /// first-degree relative with prostate cancer), each in words; empty when the record shows neither.
    /// </summary>
    public List<string> ProstateCancerRiskFactors { get; } = [];

    public bool HighProstateCancerRisk => ProstateCancerRiskFactors.Count > 0;

    public bool SermDrafted { get; set; }

    public bool HcgDrafted { get; set; }

    /// <summary>
    /// Testosterone is ordered (a draft) or is what the rules recommend or continue ("continue with monitoring" means
    /// testosterone only for a man already on androgens; on fertility therapy it continues that therapy).
    /// </summary>
    public bool TestosteroneOrderedOrRecommended =>
        AndrogenDrafted
        || Recommendation == Recommendation.TestosteroneReplacement

        // Contraindicated: the findings are the reason, so they are listed (patient-view shows them too).
        || Recommendation == Recommendation.TestosteroneContraindicated
        || (Recommendation == Recommendation.ContinueWithMonitoring && Classification == Classification.ExogenousAndrogen);

    public bool AnyMorningTotalBelowVeryLow { get; set; }

    public int MorningTotalCount => MorningTotal is null ? 0 : SecondMorningTotal is null ? 1 : 2;

    public ConditionFact? Condition(ConditionKind kind) => conditions[(int)kind];

    public bool Has(ConditionKind kind) => conditions[(int)kind] is not null;

    /// <summary>Keeps the most recently dated fact of each kind (the one a reader would want as evidence).</summary>
    public void AddCondition(ConditionFact condition)
    {
        var index = (int)condition.Kind;
        if ((uint)index >= (uint)conditions.Length)
        {
            return;
        }

        var existing = conditions[index];
        if (existing is null || DateOf(condition) > DateOf(existing))
        {
            conditions[index] = condition;
        }
    }

    /// <summary>Keeps the newest usable result of its analyte (the one the rules and the evidence read).</summary>
    public void KeepNewest(LabPick pick)
    {
        ref var current = ref newest[(int)pick.Result.Analyte];
        if (current is not { } existing || pick.Time > existing.Time)
        {
            current = pick;
        }
    }

    public static DateTimeOffset? DateOf(ConditionFact condition) => condition.Onset ?? condition.Recorded;
}
