using System.Collections.Immutable;
using System.Globalization;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The monitoring-alert table of <see cref="HypogonadismRules"/>: what the results of a man already on testosterone say
/// (ES 2018 Table 8 "Monitoring of men receiving testosterone therapy"; AUA 2018 Table 7). Checked only while he is on
/// testosterone (an active prescription that is not the order being signed); every matching row adds a finding. On
/// treatment the starting limits of CI-2 (hematocrit) and CI-3 (PSA) are not contraindications: these rows judge the
/// same results against the on-treatment limits instead.
/// </summary>
public static partial class HypogonadismRules
{
    /// <summary>The contraindication rows that are limits for starting testosterone, replaced on treatment by the MA rows.</summary>
    public static ImmutableArray<TrtContraindication> StartingOnlyContraindications { get; } =
        [TrtContraindication.HematocritAbove48, TrtContraindication.PsaAbove4];

    public static ImmutableArray<MonitoringAlertRule> MonitoringAlertRules { get; } =
    [
        new("MA-1", MonitoringAlert.HematocritAboveWithhold,
            "On testosterone, the newest hematocrit taken on treatment (since starting, within the last {RECHECK}) is above "
            + "{HCT_WITHHOLD}: withhold testosterone until it falls to a safe level, evaluate for hypoxia and sleep apnoea, and "
            + "restart at a reduced dose (recommendation withhold-testosterone, REC-22)",
            $"{Es}, Table 8; {Aua}, Table 7",
            static f => f.HematocritAboveWithhold
                ? Alert(MonitoringAlert.HematocritAboveWithhold, "MA-1", DescribeValue("Hematocrit", f.HematocritOnTreatment!.Value),
                    f.HematocritOnTreatment.Value.Time)
                : null),
        new("MA-2", MonitoringAlert.HematocritElevated,
            "On testosterone, the newest hematocrit taken on treatment is above {HCT_CI} but not above {HCT_WITHHOLD}: not a "
            + "contraindication on treatment ({HCT_CI} is the limit for starting, CI-2); noted for closer monitoring: the next "
            + "hematocrit is due {FIRST_CHECK} after it instead of {RECHECK}",
            $"{Es}, Tables 4 and 8; {Guidelines.EauSrh} (48–54 % relative, above 54 % absolute)",
            static f => f.HematocritOnTreatment is { } hct && !f.HematocritAboveWithhold
                && ThresholdComparison.IsAbove(hct.Value, hct.Comparator, f.Thresholds.HematocritContraindicationPercent) == true
                ? Alert(MonitoringAlert.HematocritElevated, "MA-2", DescribeValue("Hematocrit", hct)
                    + " (above the starting limit, below the withhold limit)", hct.Time)
                : null),
        new("MA-3", MonitoringAlert.PsaRise,
            "On testosterone, the newest PSA taken on treatment is more than {PSA_RISE} above a PSA taken within the "
            + "{PSA_RISE_WINDOW} before it (the baseline included): urology evaluation",
            $"{Es}, Table 8 (confirmed increase above baseline)",
            static f => PsaRiseFinding(f)),
        new("MA-4", MonitoringAlert.PsaAboveLimit,
            "On testosterone, the newest PSA taken on treatment is above {PSA_ON_TREATMENT}: urology evaluation once confirmed "
            + "by another PSA on treatment on a different day (the finding says whether it is; if not, repeat PSA)",
            $"{Es}, Table 8 (confirmed PSA above 4.0 ng/mL); {Aua}",
            static f => PsaAboveLimitFinding(f)),
        new("MA-5", MonitoringAlert.TestosteroneBelowTarget,
            "On testosterone, the newest total testosterone taken at least {FIRST_CHECK} after starting (and within the last "
            + "{RECHECK}) is below the mid-normal target {TRT_TARGET}; read it for the formulation's sampling time before "
            + "changing the dose",
            $"{Aua} (450–600 ng/dL); {Es}, Table 8 (sampling time by formulation)",
            static f => TargetFinding(f, below: true)),
        new("MA-6", MonitoringAlert.TestosteroneAboveTarget,
            "On testosterone, the newest total testosterone taken at least {FIRST_CHECK} after starting is above the "
            + "mid-normal target {TRT_TARGET}; read it for the formulation's sampling time before changing the dose",
            $"{Aua} (450–600 ng/dL); {Es}, Table 8 (sampling time by formulation)",
            static f => TargetFinding(f, below: false)),
        new("MA-7", MonitoringAlert.OverdueHematocrit,
            "On testosterone for at least {FIRST_CHECK} (or for an unrecorded time) and no hematocrit since starting within "
            + "the last {RECHECK}",
            $"{Es}, Table 8 (at 3 months, then annually); {Aua}, Table 7",
            static f => f.OnTestosterone && f.PastFirstCheck && f.HematocritOnTreatment is null
                ? Overdue(f, MonitoringAlert.OverdueHematocrit, "MA-7", "hematocrit")
                : null),
        new("MA-8", MonitoringAlert.OverduePsa,
            "On testosterone for at least {FIRST_CHECK} (or for an unrecorded time), aged {PSA_AGES} ({PSA_HIGH_RISK_AGES} at high "
            + "risk of prostate cancer), and no PSA since "
            + "starting within the last {RECHECK}",
            $"{Es}, Table 8 (PSA at 3–12 months, then per prostate cancer screening)",
            static f => f.OnTestosterone && f.PastFirstCheck && f.PsaOnTreatment is null
                && MonitoringPlans.InPsaAgeBand(f)
                ? Overdue(f, MonitoringAlert.OverduePsa, "MA-8", "PSA")
                : null),
        new("MA-9", MonitoringAlert.OverdueTestosterone,
            "On testosterone for at least {FIRST_CHECK} (or for an unrecorded time) and no total testosterone since starting "
            + "within the last {RECHECK}",
            $"{Es}, Table 8 (2–3 months after starting, then annually); {Aua}, Table 7",
            static f => f.OnTestosterone && f.PastFirstCheck && !f.AnyTotalOnTreatment
                ? Overdue(f, MonitoringAlert.OverdueTestosterone, "MA-9", "total testosterone")
                : null),
    ];

    private static MonitoringAlertFinding Alert(MonitoringAlert code, string id, string evidence, DateTimeOffset? date) =>
        new(code, id, evidence, date);

    // The lowest PSA within the window before the newest is the baseline a rise is measured from; only values sent as
    // exact numbers are subtracted ("< 0.1" minus nothing is not a rise).
    private static MonitoringAlertFinding? PsaRiseFinding(AssessmentFacts f)
    {
        if (f.PsaOnTreatment is not { Comparator: ValueComparator.Equal } newest)
        {
            return null;
        }

        var windowStart = newest.Time.AddMonths(-f.Thresholds.PsaRiseWindowMonths);
        LabPick? lowest = null;
        foreach (var earlier in f.PsaHistory)
        {
            if (earlier.Comparator == ValueComparator.Equal && earlier.Time >= windowStart && earlier.Time < newest.Time
                && (lowest is not { } low || earlier.Value < low.Value))
            {
                lowest = earlier;
            }
        }

        if (lowest is not { } baseline || newest.Value - baseline.Value <= f.Thresholds.PsaRiseReferralNgPerMl)
        {
            return null;
        }

        var rise = (newest.Value - baseline.Value).ToString("0.##", CultureInfo.InvariantCulture);
        return Alert(MonitoringAlert.PsaRise, "MA-3",
            $"{DescribeValue("PSA", newest)}, up {rise} ng/mL from {DescribeValue("PSA", baseline)}", newest.Time);
    }

    private static MonitoringAlertFinding? PsaAboveLimitFinding(AssessmentFacts f)
    {
        var limit = f.Thresholds.PsaOnTreatmentReferralNgPerMl;
        if (f.PsaOnTreatment is not { } newest || ThresholdComparison.IsAbove(newest.Value, newest.Comparator, limit) != true)
        {
            return null;
        }

        var onTreatmentFrom = f.TestosteroneStart ?? f.Now.AddMonths(-f.Thresholds.OnTreatmentRecheckMonths);
        LabPick? confirming = null;
        foreach (var earlier in f.PsaHistory)
        {
            if (earlier.Time >= onTreatmentFrom && earlier.Result.EffectiveTime.LocalDate != newest.Result.EffectiveTime.LocalDate
                && earlier.Time < newest.Time && ThresholdComparison.IsAbove(earlier.Value, earlier.Comparator, limit) == true)
            {
                confirming = earlier;
            }
        }

        var evidence = confirming is { } second
            ? $"{DescribeValue("PSA", newest)}, confirmed by {DescribeValue("PSA", second)}"
            : $"{DescribeValue("PSA", newest)}, not yet confirmed: repeat PSA";
        return Alert(MonitoringAlert.PsaAboveLimit, "MA-4", evidence, newest.Time);
    }

    private static MonitoringAlertFinding? TargetFinding(AssessmentFacts f, bool below)
    {
        if (f.TotalOnTreatment is not { } total)
        {
            return null;
        }

        var t = f.Thresholds;
        var outside = below
            ? ThresholdComparison.IsBelow(total.Value, total.Comparator, t.TrtTargetLowNgPerDl) == true
            : ThresholdComparison.IsAbove(total.Value, total.Comparator, t.TrtTargetHighNgPerDl) == true;
        if (!outside)
        {
            return null;
        }

        var code = below ? MonitoringAlert.TestosteroneBelowTarget : MonitoringAlert.TestosteroneAboveTarget;
        return Alert(code, below ? "MA-5" : "MA-6",
            $"{DescribeValue("Total testosterone", total)} ({(below ? "below" : "above")} "
            + $"{ClinicalThresholds.Number(t.TrtTargetLowNgPerDl)}–{ClinicalThresholds.Number(t.TrtTargetHighNgPerDl)} ng/dL); "
            + OnTherapyWords.Sampling(f.Formulation),
            total.Time);
    }

    private static MonitoringAlertFinding Overdue(AssessmentFacts f, MonitoringAlert code, string id, string test)
    {
        var since = f.TestosteroneStart is { } start
            ? " (on testosterone since " + start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ")"
            : " (start of testosterone not recorded)";
        return Alert(code, id,
            $"No {test} since starting testosterone within the last {f.Thresholds.OnTreatmentRecheckMonths} months{since}", null);
    }
}

/// <summary>A monitoring-alert check: condition in words for the rules document, plus how to find it for the engine.</summary>
public sealed class MonitoringAlertRule : FindingRule<MonitoringAlert, MonitoringAlertFinding>
{
    internal MonitoringAlertRule(string id, MonitoringAlert code, string condition, string source,
        Func<AssessmentFacts, MonitoringAlertFinding?> find)
        : base(id, code, condition, source, find)
    {
    }
}
