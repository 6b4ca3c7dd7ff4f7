using System.Collections.Immutable;
using System.Globalization;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The hypogonadism decision tables, each row citing its guideline source. Each table is evaluated top to bottom by
/// <see cref="HypogonadismAssessor"/>; for classification, androgen status and recommendation the first matching
/// row wins, for causes, missing data, work-up and contraindications every matching row adds its code.
/// docs/clinical/hypogonadism-rules.md is generated from these rows (RulesDocumentTests), so the document a
/// clinician signs off and the code that runs cannot drift apart.
/// </summary>
public static partial class HypogonadismRules
{
    /// <summary>
    /// Version of the rule content. Bump it whenever a row, a threshold default or a monitoring step changes; it is
    /// returned with every assessment so an answer can be traced to the rules that produced it.
    /// </summary>
    public const string Version = "2.1.0";

    private const string Aua = Guidelines.Aua2018;
    private const string Es = Guidelines.Es2018;

    /// <summary>
    /// Androgen status (AUA 2018 statement 2: two early-morning values on separate occasions). Each of the two newest
    /// morning draws on different days is judged on its own; first matching row wins.
    /// </summary>
    public static ImmutableArray<DecisionRule<AndrogenStatus>> AndrogenStatusRules { get; } =
    [
        new("AND-1", AndrogenStatus.Low,
            "The two most recent morning total testosterone draws on different days are both low. Each draw is judged on its "
            + "own: its total below {TT_LOW}; or, when that draw's total lies in the grey zone {GREY_ZONE} or the SHBG nearest "
            + "in time to it is outside its range (default {SHBG_RANGE}), its free testosterone below {FT_LOW} — measured the "
            + "same day by equilibrium dialysis or LC-MS/MS (or against the result's own range when the method is not "
            + "recorded), else calculated by Vermeulen from that draw's total with the SHBG and albumin nearest to it ({ALBUMIN} "
            + "if albumin is missing)",
            $"{Aua}, statement 2 (Strong, Evidence A); {Es}; {Guidelines.EauSrh}; {Guidelines.Bssm2023}; {Guidelines.Vermeulen1999}",
            static f => f.MorningTotalCount == 2 && f.MorningTotalLow == true && f.SecondMorningTotalLow == true),
        new("AND-2", AndrogenStatus.Normal,
            "The two most recent morning draws on different days are both not low (each judged as in AND-1)",
            $"{Aua}, statements 1–2",
            static f => f.MorningTotalCount == 2 && f.MorningTotalLow == false && f.SecondMorningTotalLow == false),
        new("AND-3", AndrogenStatus.Unconfirmed,
            "The two most recent morning draws on different days disagree (one low, one not)",
            $"{Aua}, statement 2; {Es} (repeat to confirm)",
            static f => f.MorningTotalCount == 2),
        new("AND-4", AndrogenStatus.Normal,
            "Only one morning draw, and it is not low (judged as in AND-1)",
            $"{Aua}, statement 1",
            static f => f.MorningTotalCount == 1 && f.MorningTotalLow == false),
        new("AND-5", AndrogenStatus.Unconfirmed,
            "Only one morning draw, and it is low — whatever its free testosterone: a low value must be confirmed on another "
            + "morning (a single value below {TT_VERY_LOW} too)",
            $"{Aua}, statement 2 (Strong recommendation, Evidence level A)",
            static f => f.MorningTotalCount == 1),
        new("AND-6", AndrogenStatus.Unknown,
            "No morning total testosterone (sampled before {MORNING}) within the last {LOOKBACK}",
            $"{Aua}, statement 2; {Guidelines.Bssm2023} (fasting, before 11 am)",
            static _ => true),
    ];

    /// <summary>Classification (EMAS gonadal-status categories, with the states that are not disease first). First matching row wins.</summary>
    public static ImmutableArray<DecisionRule<Classification>> ClassificationRules { get; } =
    [
        new("CLS-1", Classification.NotApplicable,
            "The record does not show a man these rules are written for: sex for clinical use not male-typical; or, without it, "
            + "a female birth sex, a gender identity other than male, or an administrative gender other than male; or younger "
            + "than {ADULT_AGE}. A patient with no recorded birth date is assessed as an adult of unknown age",
            $"{Aua} and {Es} address adult men; {Guidelines.SexForClinicalUse}; {Guidelines.UsCorePatient} (birth sex). "
            + "Gender-affirming testosterone is outside these rules",
            static f => !f.IsAdultMale),
        new("CLS-2", Classification.AndrogenDeprivation,
            "A GnRH agonist or antagonist (leuprolide, goserelin, triptorelin, histrelin, degarelix, relugolix), an "
            + "anti-androgen or abiraterone is active or was last given within {ADT_WINDOW}: low testosterone is the goal of the "
            + "prostate cancer treatment, not a disease",
            $"{Es} (testosterone is contraindicated in prostate cancer); {Guidelines.LeuprolideLabel}",
            static f => f.AndrogenDeprivationSource is not null),
        new("CLS-3", Classification.ExogenousAndrogen,
            "Testosterone or an anabolic steroid was taken within the last {ANDROGEN_WINDOW} (active, or completed/stopped "
            + "within the window; the order being signed does not count). LH and FSH are suppressed by the drug, so the "
            + "hormone results cannot be interpreted",
            $"{Guidelines.Esa2019Aas}; clinical brief §2.4",
            static f => f.ExogenousAndrogen),
        new("CLS-4", Classification.OnFertilityTherapy,
            "Clomiphene, enclomiphene, hCG, FSH or an aromatase inhibitor is active or stopped within {FERTILITY_WINDOW} (the "
            + "order being signed does not count): the hormone values reflect the drug",
            $"{Es}; {Guidelines.Kim2013}",
            static f => f.FertilityTherapySource is not null),
        new("CLS-5", Classification.InsufficientData,
            "Androgen status is unknown or unconfirmed (see androgen status rules)",
            $"{Aua}, statement 2; {Es}",
            static f => f.AndrogenStatus is AndrogenStatus.Unknown or AndrogenStatus.Unconfirmed),
        new("CLS-6", Classification.Primary,
            "Androgen status low and Klinefelter syndrome or a testicular cause (orchiectomy, bilateral cryptorchidism, "
            + "orchitis, chemotherapy or radiotherapy) is coded, whatever the LH",
            $"{Es}; {Guidelines.EauSrh}",
            static f => f.AndrogenStatus == AndrogenStatus.Low && (f.Has(ConditionKind.Klinefelter) || f.Has(ConditionKind.TesticularCause))),
        new("CLS-7", Classification.InsufficientData,
            "No LH result within the last {LOOKBACK}: primary and secondary cannot be told apart",
            $"{Aua}, statement 6 (measure LH in men with low testosterone); {Guidelines.Emas2010}",
            static f => f.LhHigh is null),
        new("CLS-8", Classification.Primary,
            "Androgen status low and the most recent LH above {LH_HIGH}",
            Guidelines.Emas2010,
            static f => f.AndrogenStatus == AndrogenStatus.Low && f.LhHigh == true),
        new("CLS-9", Classification.Primary,
            "Androgen status low, LH not high, and the most recent FSH above its own reference range (default {FSH_HIGH}): the "
            + "testes fail first in their sperm-producing part",
            $"{Es}; {Guidelines.LabReferenceRanges}",
            static f => f.AndrogenStatus == AndrogenStatus.Low && f.FshHigh == true),
        new("CLS-10", Classification.Secondary,
            "Androgen status low and the most recent LH at or below {LH_HIGH}",
            Guidelines.Emas2010,
            static f => f.AndrogenStatus == AndrogenStatus.Low),
        new("CLS-11", Classification.Compensated,
            "Androgen status normal and the most recent LH above {LH_HIGH}",
            Guidelines.Emas2010,
            static f => f.LhHigh == true),
        new("CLS-12", Classification.Eugonadal,
            "Androgen status normal and the most recent LH at or below {LH_HIGH}",
            Guidelines.Emas2010,
            static _ => true),
    ];

    /// <summary>
    /// How the fertility intent is decided: the newest of the documented answers within the window and the active
    /// infertility/procreative-management conditions wins; on the same date "desired" wins. The engine reports which of
    /// these rows produced the intent.
    /// </summary>
    public static IReadOnlyList<FertilityIntentRule> FertilityIntentRules { get; } =
    [
        new("INT-1", FertilityIntent.Desired,
            "The newest documented answer within the last {INTENT_WINDOW} is 'wants to become pregnant' or 'OK either way'",
            Guidelines.UsCorePregnancyIntent),
        new("INT-2", FertilityIntent.Desired,
            "An active male-infertility or procreative-management condition, with no newer documented answer (an active "
            + "condition stays in force whatever its age)",
            $"{Aua}, statement 10 (infertility evaluation before treatment)"),
        new("INT-3", FertilityIntent.NotDesired,
            "The newest documented answer within the last {INTENT_WINDOW} is 'does not want to become pregnant'",
            Guidelines.UsCorePregnancyIntent),
        new("INT-4", FertilityIntent.Unsure,
            "The newest documented answer within the last {INTENT_WINDOW} is 'unsure'",
            Guidelines.UsCorePregnancyIntent),
        new("INT-5", FertilityIntent.Unknown,
            "No documented answer (or only 'unknown') within the last {INTENT_WINDOW} and no active infertility or "
            + "procreative-management condition",
            Guidelines.UsCorePregnancyIntent),
    ];

    internal static bool IsClassifiable(AssessmentFacts f) =>
        f.Classification is not Classification.NotApplicable and not Classification.ExogenousAndrogen
            and not Classification.AndrogenDeprivation and not Classification.OnFertilityTherapy;

    internal static string DescribeValue(string name, LabPick pick)
    {
        var quantity = pick.Result.Quantity;
        var date = pick.Result.EffectiveTime.LocalDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return string.Concat(name, " ", ThresholdComparison.Symbol(pick.Comparator),
            quantity.Value.ToString("0.####", CultureInfo.InvariantCulture), " ", LabUnits.Symbol(quantity.Unit), " on ", date);
    }
}

/// <summary>One way the fertility intent can be decided, for reasons and the rules document.</summary>
public sealed record FertilityIntentRule(string Id, FertilityIntent Intent, string Basis, string Source);
