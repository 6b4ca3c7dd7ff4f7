using System.Globalization;
using System.Text;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// One row of a decision table: an id a clinician can cite, the condition in words, the outcome and its source.
/// The engine evaluates <see cref="Applies"/>; the rules document prints the words. Both come from this one row.
/// Words may hold threshold placeholders such as <c>{TT_LOW}</c>, filled from <see cref="ClinicalThresholds"/>.
/// </summary>
public sealed class DecisionRule<TOutcome>
{
    internal DecisionRule(string id, TOutcome outcome, string condition, string source, Func<AssessmentFacts, bool> applies,
        string? advice = null)
    {
        Id = id;
        Outcome = outcome;
        Condition = condition;
        Source = source;
        Applies = applies;
        Advice = advice;
    }

    public string Id { get; }

    public TOutcome Outcome { get; }

    public string Condition { get; }

    /// <summary>What to do, in words, when the outcome is a recommendation.</summary>
    public string? Advice { get; }

    public string Source { get; }

    internal Func<AssessmentFacts, bool> Applies { get; }
}

/// <summary>
/// A check that finds something in the facts (a cause, a contraindication): an id a clinician can cite, the condition in
/// words and its source for the rules document, and how to find it and word its evidence for the engine.
/// </summary>
public abstract class FindingRule<TCode, TFinding>
    where TFinding : class
{
    private protected FindingRule(string id, TCode code, string condition, string source, Func<AssessmentFacts, TFinding?> find)
    {
        Id = id;
        Code = code;
        Condition = condition;
        Source = source;
        Find = find;
    }

    public string Id { get; }

    public TCode Code { get; }

    public string Condition { get; }

    public string Source { get; }

    internal Func<AssessmentFacts, TFinding?> Find { get; }
}

/// <summary>A TRT contraindication check: condition in words, plus how to find it and word its evidence.</summary>
public sealed class ContraindicationRule : FindingRule<TrtContraindication, ContraindicationFinding>
{
    internal ContraindicationRule(string id, TrtContraindication code, string condition, string source,
        Func<AssessmentFacts, ContraindicationFinding?> find, ContraindicationSeverity severity = ContraindicationSeverity.Relative)
        : base(id, code, condition, source, find)
    {
        Severity = severity;
    }

    /// <summary>Absolute (never give testosterone) or relative (weigh it, or have the named specialist agree).</summary>
    public ContraindicationSeverity Severity { get; }
}

/// <summary>The value or diagnosis that showed a reason against a drafted drug, and its date.</summary>
public sealed record ScreenEvidence(string Evidence, DateTimeOffset? Date);

/// <summary>
/// A check of a drafted drug other than testosterone (clomiphene, enclomiphene, hCG, FSH, aromatase inhibitor, anabolic
/// steroid): which drug classes it screens, the reason code and its severity, the condition in words and its source.
/// </summary>
public sealed class OrderContraindicationRule : FindingRule<OrderContraindication, ScreenEvidence>
{
    internal OrderContraindicationRule(string id, OrderContraindication code, ContraindicationSeverity severity,
        IReadOnlyList<MedicationClass> drugClasses, string condition, string source, Func<AssessmentFacts, ScreenEvidence?> find)
        : base(id, code, condition, source, find)
    {
        Severity = severity;
        DrugClasses = drugClasses;
    }

    public ContraindicationSeverity Severity { get; }

    /// <summary>The drafted drug classes this row screens.</summary>
    public IReadOnlyList<MedicationClass> DrugClasses { get; }
}

/// <summary>A cause check: condition in words, plus how to find it and word its evidence.</summary>
public sealed class CauseRule : FindingRule<Cause, CauseFinding>
{
    internal CauseRule(string id, Cause code, string condition, string source, Func<AssessmentFacts, CauseFinding?> find)
        : base(id, code, condition, source, find)
    {
    }
}

/// <summary>One monitoring step of a therapy's plan; the due date is the evaluation date plus the offset.</summary>
public sealed class MonitoringRule
{
    internal MonitoringRule(TherapyKind therapy, string test, string? loinc, int dueAfterMonths, int dueAfterDays, string when,
        string reason, string source, string? appliesTo = null, Func<AssessmentFacts, bool>? applies = null)
    {
        Therapy = therapy;
        Test = test;
        Loinc = loinc;
        DueAfterMonths = dueAfterMonths;
        DueAfterDays = dueAfterDays;
        When = when;
        Reason = reason;
        Source = source;
        AppliesTo = appliesTo;
        Applies = applies;
    }

    public TherapyKind Therapy { get; }

    public string Test { get; }

    /// <summary>LOINC order/result code; null where no single verified code exists (e.g. semen analysis).</summary>
    public string? Loinc { get; }

    public int DueAfterMonths { get; }

    public int DueAfterDays { get; }

    public string When { get; }

    public string Reason { get; }

    public string Source { get; }

    /// <summary>Who the step is for, in words, when not every patient on the therapy.</summary>
    public string? AppliesTo { get; }

    internal Func<AssessmentFacts, bool>? Applies { get; }

    internal DateOnly DueFrom(DateOnly today) => today.AddMonths(DueAfterMonths).AddDays(DueAfterDays);

    /// <summary>A step due before the first dose (no offset): past for a man already on the therapy.</summary>
    internal bool IsBaseline => DueAfterMonths == 0 && DueAfterDays == 0;
}

/// <summary>Fills threshold placeholders in rule words with the configured values and their units.</summary>
public static class RuleText
{
    public static string Fill(string template, ClinicalThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        var t = thresholds;
        return new StringBuilder(template)
            .Replace("{TT_LOW}", $"{N(t.TotalTestosteroneLowNgPerDl)} ng/dL ({N(Nmol(t.TotalTestosteroneLowNgPerDl))} nmol/L)")
            .Replace("{TT_VERY_LOW}", $"{N(t.TotalTestosteroneVeryLowNgPerDl)} ng/dL ({N(Nmol(t.TotalTestosteroneVeryLowNgPerDl))} nmol/L)")
            .Replace("{GREY_ZONE}", $"{N(t.GreyZoneLowNmolPerL)}–{N(t.GreyZoneHighNmolPerL)} nmol/L "
                + $"({N(Ng(t.GreyZoneLowNmolPerL))}–{N(Ng(t.GreyZoneHighNmolPerL))} ng/dL)")
            .Replace("{LH_HIGH}", $"{N(t.LhHighIuPerL)} IU/L")
            .Replace("{FT_LOW}", $"{N(t.FreeTestosteroneLowPmolPerL)} pmol/L "
                + $"({N(Math.Round(t.FreeTestosteroneLowPmolPerL * LabUnits.TestosteronePgPerMlPerPmolPerL, 1))} pg/mL)")
            .Replace("{SHBG_RANGE}", $"{N(t.ShbgLowNmolPerL)}–{N(t.ShbgHighNmolPerL)} nmol/L")
            .Replace("{ALBUMIN}", $"{N(t.DefaultAlbuminGPerDl)} g/dL")
            .Replace("{MORNING}", t.MorningCutoff.ToString("HH:mm", CultureInfo.InvariantCulture))
            .Replace("{LOOKBACK}", $"{t.LabLookbackMonths} months")
            .Replace("{ANDROGEN_WINDOW}", $"{t.ExogenousAndrogenWindowMonths} months")
            .Replace("{INTENT_WINDOW}", $"{t.FertilityIntentLookbackMonths} months")
            .Replace("{ADULT_AGE}", $"{t.AdultAgeYears} years")
            .Replace("{HCT_CI}", $"{N(t.HematocritContraindicationPercent)} %")
            .Replace("{PSA_CI}", $"{N(t.PsaContraindicationNgPerMl)} ng/mL")
            .Replace("{PSA_CI_HIGH_RISK}", $"{N(t.PsaContraindicationHighRiskNgPerMl)} ng/mL")
            .Replace("{MI_WINDOW}", $"{t.RecentMiOrStrokeMonths} months")
            .Replace("{HCT_WITHHOLD}", $"{N(t.HematocritWithholdPercent)} %")
            .Replace("{PSA_RISE}", $"{N(t.PsaRiseReferralNgPerMl)} ng/mL")
            .Replace("{TRT_TARGET}", $"{N(t.TrtTargetLowNgPerDl)}–{N(t.TrtTargetHighNgPerDl)} ng/dL")
            .Replace("{FSH_HIGH}", $"{N(t.FshHighIuPerL)} IU/L")
            .Replace("{PRL_HIGH}", $"{N(t.ProlactinHighNgPerMl)} ng/mL ({N(t.ProlactinHighNgPerMl * LabUnits.ProlactinMiuPerLPerNgPerMl)} mIU/L)")
            .Replace("{FERRITIN_HIGH}", $"{N(t.FerritinHighNgPerMl)} ng/mL")
            .Replace("{TSAT_HIGH}", $"{N(t.TransferrinSaturationHighPercent)} %")
            .Replace("{BMI_OBESE}", $"{N(t.BmiObesityKgPerM2)} kg/m²")
            .Replace("{ADT_WINDOW}", $"{t.AndrogenDeprivationWindowMonths} months")
            .Replace("{FERTILITY_WINDOW}", $"{t.FertilityTherapyWindowMonths} months")
            .Replace("{PSA_AGES}", $"{t.PsaMonitoringFromAgeYears}–{t.PsaMonitoringToAgeYears}")
            .Replace("{PSA_HIGH_RISK_AGES}", $"{t.PsaMonitoringHighRiskFromAgeYears}–{t.PsaMonitoringToAgeYears}")
            .Replace("{PSA_BASELINE_AGE}", $"{t.PsaBaselineFromAgeYears}")
            .Replace("{PSA_ON_TREATMENT}", $"{N(t.PsaOnTreatmentReferralNgPerMl)} ng/mL")
            .Replace("{PSA_RISE_WINDOW}", $"{t.PsaRiseWindowMonths} months")
            .Replace("{FIRST_CHECK}", $"{t.OnTreatmentFirstCheckMonths} months")
            .Replace("{RECHECK}", $"{t.OnTreatmentRecheckMonths} months")
            .Replace("{WASHOUT}", $"{t.TestosteroneWashoutWeeks} weeks")
            .ToString();
    }

    private static decimal Nmol(decimal ngPerDl) => Math.Round(ngPerDl / LabUnits.TestosteroneNgPerDlPerNmolPerL, 1);

    private static decimal Ng(decimal nmolPerL) => Math.Round(nmolPerL * LabUnits.TestosteroneNgPerDlPerNmolPerL, 0);

    private static string N(decimal value) => ClinicalThresholds.Number(value);
}
