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
internal sealed class AssessmentFacts
{
    private readonly ConditionFact?[] conditions = new ConditionFact?[ConditionKindCount];

    public AssessmentFacts(ClinicalThresholds thresholds, DateTimeOffset now, DateOnly today)
    {
        Thresholds = thresholds;
        Now = now;
        Today = today;
    }

    private static int ConditionKindCount { get; } = Enum.GetValues<ConditionKind>().Length;

    public ClinicalThresholds Thresholds { get; }

    public DateTimeOffset Now { get; }

    public DateOnly Today { get; }

    public bool IsMale { get; set; }

    public int? AgeYears { get; set; }

    public bool IsAdultMale => IsMale && AgeYears >= Thresholds.AdultAgeYears;

    public bool ExogenousAndrogen { get; set; }

    public MedicationFact? ExogenousAndrogenSource { get; set; }

    /// <summary>Newest and second-newest (on another calendar day) morning total testosterone, in ng/dL.</summary>
    public LabPick? MorningTotal { get; set; }

    public LabPick? SecondMorningTotal { get; set; }

    /// <summary>A total testosterone taken at or after the morning cut-off that is newer than every morning value.</summary>
    public LabPick? LateTotal { get; set; }

    public bool? MorningTotalLow { get; set; }

    public bool? SecondMorningTotalLow { get; set; }

    public LabPick? Lh { get; set; }

    public LabPick? Fsh { get; set; }

    public LabPick? Shbg { get; set; }

    public LabPick? Albumin { get; set; }

    public LabPick? MeasuredFree { get; set; }

    public LabPick? Prolactin { get; set; }

    public LabPick? Ferritin { get; set; }

    public LabPick? Estradiol { get; set; }

    public LabPick? Hematocrit { get; set; }

    public LabPick? Psa { get; set; }

    public bool GreyZone { get; set; }

    public bool ShbgOutsideRange { get; set; }

    public decimal? CalculatedFreePmolPerL { get; set; }

    public bool AlbuminAssumed { get; set; }

    /// <summary>True when the free-testosterone override applies and a free value was available.</summary>
    public bool FreeDecides { get; set; }

    public bool FreeLow { get; set; }

    public bool? LhHigh { get; set; }

    public bool ProlactinAboveRange { get; set; }

    public AndrogenStatus AndrogenStatus { get; set; }

    public string AndrogenRuleId { get; set; } = string.Empty;

    public Classification Classification { get; set; }

    public FertilityIntent FertilityIntent { get; set; }

    public bool IntentFromCondition { get; set; }

    public DateTimeOffset? IntentDate { get; set; }

    public Recommendation Recommendation { get; set; }

    public bool AndrogenDrafted { get; set; }

    public bool SermDrafted { get; set; }

    public bool HcgDrafted { get; set; }

    /// <summary>Testosterone is ordered (a draft) or is what the rules recommend or continue.</summary>
    public bool TestosteroneOrderedOrRecommended =>
        AndrogenDrafted
        || Recommendation is Recommendation.TestosteroneReplacement or Recommendation.ContinueWithMonitoring;

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

    public static DateTimeOffset? DateOf(ConditionFact condition) => condition.Onset ?? condition.Recorded;
}
