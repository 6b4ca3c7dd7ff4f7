using System.Collections.Immutable;
using System.Globalization;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The laboratory facts the rule rows read: which results are used (the newest of each analyte within the lookback,
/// the two newest morning total testosterone values on different days), and what they say against the thresholds.
/// A result that cannot be used (future date, unit that cannot be converted, a comparator that leaves it on either
/// side of a limit) is listed as a <see cref="DataIssue"/>, never guessed (docs/clinical/hypogonadism-rules.md §2).
/// </summary>
internal static class LabFacts
{
    public static void Gather(ImmutableArray<LabResult> labs, AssessmentFacts f, List<DataIssue> issues)
    {
        PickResults(labs, f, issues);
        ReadTestosterone(f);
        ReadFreeTestosterone(f);
        ReadGonadotropinsAndProlactin(f);
    }

    private static void PickResults(ImmutableArray<LabResult> labs, AssessmentFacts f, List<DataIssue> issues)
    {
        var t = f.Thresholds;
        var lookbackStart = f.Now.AddMonths(-t.LabLookbackMonths);
        var latestAllowed = f.Now.AddDays(1);
        LabPick? late = null;

        foreach (var lab in labs)
        {
            // No rule reads bioavailable testosterone.
            var when = lab.EffectiveTime.Value;
            if (when < lookbackStart || lab.Analyte == Analyte.BioavailableTestosterone)
            {
                continue;
            }

            if (when > latestAllowed)
            {
                issues.Add(new DataIssue("future-date", $"{ClinicalWords.Describe(lab.Analyte)} result dated in the future; not used."));
                continue;
            }

            if (!LabUnits.TryToCanonical(lab.Analyte, lab.Quantity.Value, lab.Quantity.Unit, out var value))
            {
                issues.Add(new DataIssue("unit-not-convertible",
                    $"{ClinicalWords.Describe(lab.Analyte)} result in {LabUnits.Symbol(lab.Quantity.Unit)} cannot be converted for the rules; not used."));
                continue;
            }

            // A result compared with a limit must be certainly on one side of it: "< 500" could be either side of 300.
            var pick = new LabPick(lab, value);
            switch (lab.Analyte)
            {
                case Analyte.TotalTestosterone when ThresholdComparison.IsBelow(value, lab.Comparator, t.TotalTestosteroneLowNgPerDl) is null:
                    issues.Add(NotComparable(lab, "total testosterone limit"));
                    break;
                case Analyte.TotalTestosterone when IsMorning(lab.EffectiveTime, t):
                    KeepTwoNewestOnDifferentDays(f, pick);
                    break;
                case Analyte.TotalTestosterone:
                    late = Newer(late, pick);
                    break;
                case Analyte.FreeTestosterone when ThresholdComparison.IsBelow(value, lab.Comparator, t.FreeTestosteroneLowPmolPerL) is null:
                    issues.Add(NotComparable(lab, "free testosterone limit"));
                    break;
                case Analyte.FreeTestosterone:
                    f.MeasuredFree = Newer(f.MeasuredFree, pick);
                    break;
                case Analyte.Lh when ThresholdComparison.IsAbove(value, lab.Comparator, t.LhHighIuPerL) is null:
                    issues.Add(NotComparable(lab, "LH limit"));
                    break;
                case Analyte.Lh:
                    f.Lh = Newer(f.Lh, pick);
                    break;
                case Analyte.Fsh:
                    f.Fsh = Newer(f.Fsh, pick);
                    break;
                case Analyte.Shbg:
                    f.Shbg = Newer(f.Shbg, pick);
                    break;
                case Analyte.Albumin:
                    f.Albumin = Newer(f.Albumin, pick);
                    break;
                case Analyte.Prolactin:
                    f.Prolactin = Newer(f.Prolactin, pick);
                    break;
                case Analyte.Ferritin:
                    f.Ferritin = Newer(f.Ferritin, pick);
                    break;
                case Analyte.Estradiol:
                    f.Estradiol = Newer(f.Estradiol, pick);
                    break;
                case Analyte.Hematocrit:
                    f.Hematocrit = Newer(f.Hematocrit, pick);
                    break;
                case Analyte.Psa:
                    f.Psa = Newer(f.Psa, pick);
                    break;
            }
        }

        // Afternoon values are shown but not used (AUA 2018 statement 2: early-morning samples). One is shown only when
        // it is newer than every morning value, so the clinician sees why the newest total testosterone did not decide.
        f.LateTotal = late is { } l && (f.MorningTotal is not { } m || l.Time > m.Time) ? late : null;
    }

    // A result with a date but no time counts as a morning sample and is shown as "time not recorded"
    // (docs/clinical/hypogonadism-rules.md §2 Which results count).
    private static bool IsMorning(SampleTime time, ClinicalThresholds t) =>
        !time.TimeRecorded || TimeOnly.FromTimeSpan(time.Value.TimeOfDay) < t.MorningCutoff;

    private static LabPick? Newer(LabPick? current, LabPick candidate) =>
        current is not { } existing || candidate.Time > existing.Time ? candidate : current;

    // AUA 2018 statement 2 confirms a low value on a second morning, so "second" is the newest morning value on a
    // different calendar day (in the sample's own time zone) from the newest. An older value on the newest value's
    // day can never be needed: the newest dominates it.
    private static void KeepTwoNewestOnDifferentDays(AssessmentFacts f, LabPick candidate)
    {
        if (f.MorningTotal is not { } newest)
        {
            f.MorningTotal = candidate;
            return;
        }

        var candidateDay = candidate.Result.EffectiveTime.LocalDate;
        if (candidate.Time > newest.Time)
        {
            if (newest.Result.EffectiveTime.LocalDate != candidateDay)
            {
                f.SecondMorningTotal = newest;
            }

            f.MorningTotal = candidate;
            return;
        }

        if (candidateDay != newest.Result.EffectiveTime.LocalDate
            && (f.SecondMorningTotal is not { } second || candidate.Time > second.Time))
        {
            f.SecondMorningTotal = candidate;
        }
    }

    private static void ReadTestosterone(AssessmentFacts f)
    {
        var t = f.Thresholds;
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
    }

    // Free testosterone decides (AND-1, AND-2) when SHBG is outside its range or total testosterone is in the grey
    // zone: measured if there is one, else calculated by Vermeulen.
    private static void ReadFreeTestosterone(AssessmentFacts f)
    {
        var t = f.Thresholds;
        var freeAvailable = false;
        if (f.MeasuredFree is { } measured)
        {
            freeAvailable = true;
            f.FreeLow = ThresholdComparison.IsBelow(measured.Value, measured.Comparator, t.FreeTestosteroneLowPmolPerL) == true;
        }
        else if (f.MorningTotal is { Comparator: ValueComparator.Equal, Value: > 0 } total
            && f.Shbg is { Comparator: ValueComparator.Equal, Value: >= 0 } shbg)
        {
            var useAlbumin = f.Albumin is { Comparator: ValueComparator.Equal, Value: > 0 };
            var albumin = useAlbumin ? f.Albumin!.Value.Value : t.DefaultAlbuminGPerDl;
            f.AlbuminAssumed = !useAlbumin;

            // Inputs too extreme to give a representable result leave free testosterone unavailable, so total
            // testosterone decides; a fallback number would be a guess.
            if (FreeTestosterone.TryCalculatePmolPerL(total.Value / LabUnits.TestosteroneNgPerDlPerNmolPerL, shbg.Value, albumin,
                out var calculated))
            {
                f.CalculatedFreePmolPerL = calculated;
                f.FreeLow = calculated < t.FreeTestosteroneLowPmolPerL;
                freeAvailable = true;
            }
        }

        f.FreeDecides = freeAvailable && (f.ShbgOutsideRange || f.GreyZone);
    }

    private static void ReadGonadotropinsAndProlactin(AssessmentFacts f)
    {
        if (f.Lh is { } lh)
        {
            f.LhHigh = ThresholdComparison.IsAbove(lh.Value, lh.Comparator, f.Thresholds.LhHighIuPerL);
        }

        // Prolactin has no default limit (its mIU/L factor depends on the assay, see LabUnits), so "above" is judged
        // only against the result's own reference range.
        if (f.Prolactin is { } prolactin && prolactin.Result.ReferenceRange?.High is { } highLimit
            && LabUnits.TryToCanonical(Analyte.Prolactin, highLimit.Value, highLimit.Unit, out var prolactinHigh))
        {
            f.ProlactinAboveRange = ThresholdComparison.IsAbove(prolactin.Value, prolactin.Comparator, prolactinHigh) == true;
        }

        // A coded hyperprolactinaemia counts as "prolactin above its range" too (ES 2018: imaging for hyperprolactinaemia).
        f.ProlactinAboveRange |= f.Has(ConditionKind.Hyperprolactinemia);
    }

    // The result's own reference range takes precedence over the default (ClinicalThresholds.ShbgLowNmolPerL).
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

    private static DataIssue NotComparable(LabResult lab, string limit) =>
        new("value-not-comparable",
            $"{ClinicalWords.Describe(lab.Analyte)} {ThresholdComparison.Symbol(lab.Comparator)}"
            + $"{lab.Quantity.Value.ToString("0.####", CultureInfo.InvariantCulture)} {LabUnits.Symbol(lab.Quantity.Unit)} "
            + $"cannot be compared with the {limit}; not used.");
}
