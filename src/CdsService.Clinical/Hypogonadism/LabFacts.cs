using System.Collections.Immutable;
using System.Globalization;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The laboratory facts the rule rows read: which results are used (the newest of each analyte within the lookback,
/// the two newest morning total testosterone values on different days), and what they say against the thresholds.
/// A result that cannot be used (future date, unit that cannot be converted, a comparator that leaves it on either
/// side of a limit, a free testosterone by an unreliable method) is listed as a <see cref="DataIssue"/>, never guessed
/// (docs/clinical/hypogonadism-rules.md §2).
/// </summary>
internal static class LabFacts
{
    public static void Gather(ImmutableArray<LabResult> labs, AssessmentFacts f, List<DataIssue> issues)
    {
        var series = PickResults(labs, f, issues);
        ReadTestosterone(f, series);
        ReadGonadotropinsAndProlactin(f);
    }

    /// <summary>Every usable SHBG, albumin and measured free testosterone: each morning draw is judged with the ones nearest to it.</summary>
    private sealed class Series
    {
        public List<LabPick> Shbg { get; } = [];

        public List<LabPick> Albumin { get; } = [];

        public List<LabPick> MeasuredFree { get; } = [];

        public List<LabPick>? Of(Analyte analyte) => analyte switch
        {
            Analyte.Shbg => Shbg,
            Analyte.Albumin => Albumin,
            Analyte.FreeTestosterone => MeasuredFree,
            _ => null,
        };
    }

    private static Series PickResults(ImmutableArray<LabResult> labs, AssessmentFacts f, List<DataIssue> issues)
    {
        var t = f.Thresholds;
        var series = new Series();
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
                case Analyte.TotalTestosterone when IsMorning(lab.EffectiveTime, f):
                    KeepTwoNewestOnDifferentDays(f, pick);
                    break;
                case Analyte.TotalTestosterone:
                    late = Newer(late, pick);
                    break;
                case Analyte.FreeTestosterone when UnreliableFree(lab) is { } reason:
                    issues.Add(new DataIssue("free-testosterone-method", reason));
                    break;
                case Analyte.FreeTestosterone when ThresholdComparison.IsBelow(value, lab.Comparator, FreeLimit(pick, t)) is null:
                    issues.Add(NotComparable(lab, "free testosterone limit"));
                    break;
                case Analyte.Lh when ThresholdComparison.IsAbove(value, lab.Comparator, t.LhHighIuPerL) is null:
                    issues.Add(NotComparable(lab, "LH limit"));
                    break;
                default:
                    series.Of(lab.Analyte)?.Add(pick);
                    f.KeepNewest(pick);
                    break;
            }
        }

        // Afternoon values are shown but not used (AUA 2018 statement 2: early-morning samples). One is shown only when
        // it is newer than every morning value, so the clinician sees why the newest total testosterone did not decide.
        f.LateTotal = late is { } l && (f.MorningTotal is not { } m || l.Time > m.Time) ? late : null;
        return series;
    }

    /// <summary>
    /// A sample's clock time in the patient's local time: a timestamp sent in UTC is read in the site's zone (EHRs and
    /// interfaces often normalise to UTC, and 13:30Z is a morning draw in New York); any other offset is the sample's own.
    /// </summary>
    internal static DateTime LocalTime(SampleTime time, AssessmentFacts f) =>
        time.TimeRecorded && time.Value.Offset == TimeSpan.Zero
            ? TimeZoneInfo.ConvertTime(time.Value, f.SiteTimeZone).DateTime
            : time.Value.DateTime;

    /// <summary>Whether a total testosterone was drawn in the morning (docs/clinical/hypogonadism-rules.md §2).</summary>
    internal static bool IsMorning(SampleTime time, AssessmentFacts f) =>
        time.TimeRecorded
            ? TimeOnly.FromDateTime(LocalTime(time, f)) < f.Thresholds.MorningCutoff
            : f.Thresholds.DateOnlyCountsAsMorning;

    private static DateOnly LocalDay(LabPick pick, AssessmentFacts f) => DateOnly.FromDateTime(LocalTime(pick.Result.EffectiveTime, f));

    private static LabPick? Newer(LabPick? current, LabPick candidate) =>
        current is not { } existing || candidate.Time > existing.Time ? candidate : current;

    // AUA 2018 statement 2 confirms a low value on a second morning, so "second" is the newest morning value on a
    // different calendar day (local to the patient) from the newest. An older value on the newest value's day can never
    // be needed: the newest dominates it.
    private static void KeepTwoNewestOnDifferentDays(AssessmentFacts f, LabPick candidate)
    {
        if (f.MorningTotal is not { } newest)
        {
            f.MorningTotal = candidate;
            return;
        }

        var candidateDay = LocalDay(candidate, f);
        if (candidate.Time > newest.Time)
        {
            if (LocalDay(newest, f) != candidateDay)
            {
                f.SecondMorningTotal = newest;
            }

            f.MorningTotal = candidate;
            return;
        }

        if (candidateDay != LocalDay(newest, f) && (f.SecondMorningTotal is not { } second || candidate.Time > second.Time))
        {
            f.SecondMorningTotal = candidate;
        }
    }

    // ES 2018: free testosterone by direct analog immunoassay is inaccurate; only equilibrium dialysis (or LC-MS/MS
    // after it) or a formula that tracks it may decide. A measured value whose method is not recorded may still be read
    // against its own laboratory's range, which is on the same method's scale; with neither it decides nothing.
    private static string? UnreliableFree(LabResult lab) => lab.Method switch
    {
        FreeTestosteroneMethod.DirectImmunoassay =>
            "Free testosterone by direct (analog) immunoassay is not reliable (ES 2018); not used, calculated free testosterone is used instead where possible.",
        FreeTestosteroneMethod.Unknown when !lab.IsCalculated && lab.ReferenceRange?.Low is null =>
            "Measured free testosterone with neither its method nor its reference range; not used, calculated free testosterone is used instead where possible.",
        _ => null,
    };

    // The fixed limit applies to calculated values and to equilibrium dialysis or LC-MS/MS; a value of unknown method is
    // compared with the low end of its own range (UnreliableFree guarantees there is one).
    private static decimal FreeLimit(LabPick pick, ClinicalThresholds t)
    {
        var result = pick.Result;
        if (result.Method == FreeTestosteroneMethod.Unknown && !result.IsCalculated && result.ReferenceRange?.Low is { } low
            && LabUnits.TryToCanonical(Analyte.FreeTestosterone, low.Value, low.Unit, out var ownLow))
        {
            return ownLow;
        }

        return t.FreeTestosteroneLowPmolPerL;
    }

    private static void ReadTestosterone(AssessmentFacts f, Series series)
    {
        var t = f.Thresholds;
        if (f.MorningTotal is { } newest)
        {
            var draw = JudgeDraw(newest, f, series);
            f.MorningTotalLow = draw.Low;
            f.GreyZone = draw.GreyZone;
            f.ShbgOutsideRange = draw.ShbgOutsideRange;
            f.FreeDecides = draw.FreeDecides;
            f.FreeLow = draw.FreeLow;
            f.FreeMeasured = draw.FreeMeasured;
            f.CalculatedFreePmolPerL = draw.FreeMeasured ? null : draw.FreePmolPerL;
            f.AlbuminAssumed = draw.AlbuminAssumed;
            f.AnyMorningTotalBelowVeryLow =
                ThresholdComparison.IsBelow(newest.Value, newest.Comparator, t.TotalTestosteroneVeryLowNgPerDl) == true;
        }
        else if (f.Shbg is { } shbg)
        {
            f.ShbgOutsideRange = ShbgOutside(shbg, t);
        }

        if (f.SecondMorningTotal is { } second)
        {
            var draw = JudgeDraw(second, f, series);
            f.SecondMorningTotalLow = draw.Low;
            f.SecondFreeDecides = draw.FreeDecides;
            f.SecondFreePmolPerL = draw.FreeDecides ? draw.FreePmolPerL : null;
            f.SecondFreeCalculated = draw.FreeDecides && !draw.FreeMeasured;
            f.AnyMorningTotalBelowVeryLow |=
                ThresholdComparison.IsBelow(second.Value, second.Comparator, t.TotalTestosteroneVeryLowNgPerDl) == true;
        }
    }

    private readonly record struct Draw(
        bool? Low, bool GreyZone, bool ShbgOutsideRange, bool FreeDecides, bool FreeLow, bool FreeMeasured, decimal? FreePmolPerL,
        bool AlbuminAssumed);

    // One morning draw judged on its own (AUA 2018 statement 2; ES 2018; BSSM 2023): its total against the low limit,
    // unless its total lies in the grey zone or the SHBG nearest to it is outside range, where its free testosterone
    // decides: measured on the same day by a reliable method, else calculated by Vermeulen from this draw's total and the
    // SHBG and albumin nearest in time to it.
    private static Draw JudgeDraw(LabPick draw, AssessmentFacts f, Series series)
    {
        var t = f.Thresholds;
        var totalLow = ThresholdComparison.IsBelow(draw.Value, draw.Comparator, t.TotalTestosteroneLowNgPerDl);

        // Grey zone bounds are defined in nmol/L (BSSM); compare in ng/dL with the exact factor so 8.0 nmol/L is inside.
        var greyZone = draw.Comparator == ValueComparator.Equal
            && draw.Value >= t.GreyZoneLowNmolPerL * LabUnits.TestosteroneNgPerDlPerNmolPerL
            && draw.Value <= t.GreyZoneHighNmolPerL * LabUnits.TestosteroneNgPerDlPerNmolPerL;
        var shbg = Nearest(series.Shbg, draw.Time);
        var shbgOutside = shbg is { } s && ShbgOutside(s, t);

        var drawDay = LocalDay(draw, f);
        LabPick? measured = null;
        foreach (var free in series.MeasuredFree)
        {
            if (LocalDay(free, f) == drawDay)
            {
                measured = Newer(measured, free);
            }
        }

        if (measured is { } m)
        {
            var low = ThresholdComparison.IsBelow(m.Value, m.Comparator, FreeLimit(m, t)) == true;
            var decides = greyZone || shbgOutside;
            return new Draw(decides ? low : totalLow, greyZone, shbgOutside, decides, low, true, m.Value, false);
        }

        if (draw is { Comparator: ValueComparator.Equal, Value: > 0 } && shbg is { Comparator: ValueComparator.Equal, Value: >= 0 } usedShbg)
        {
            var albuminPick = Nearest(series.Albumin, draw.Time);
            var useAlbumin = albuminPick is { Comparator: ValueComparator.Equal, Value: > 0 };
            var albumin = useAlbumin ? albuminPick!.Value.Value : t.DefaultAlbuminGPerDl;

            // Inputs too extreme to give a representable result leave free testosterone unavailable, so total
            // testosterone decides; a fallback number would be a guess.
            if (FreeTestosterone.TryCalculatePmolPerL(draw.Value / LabUnits.TestosteroneNgPerDlPerNmolPerL, usedShbg.Value, albumin,
                out var calculated))
            {
                var low = calculated < t.FreeTestosteroneLowPmolPerL;
                var decides = greyZone || shbgOutside;
                return new Draw(decides ? low : totalLow, greyZone, shbgOutside, decides, low, false, calculated, !useAlbumin);
            }
        }

        return new Draw(totalLow, greyZone, shbgOutside, false, false, false, null, false);
    }

    private static LabPick? Nearest(List<LabPick> picks, DateTimeOffset when)
    {
        LabPick? nearest = null;
        var distance = TimeSpan.MaxValue;
        foreach (var pick in picks)
        {
            var gap = (pick.Time - when).Duration();

            // Equal distance: the newer one, as everywhere else the newest result counts.
            if (gap < distance || (gap == distance && nearest is { } n && pick.Time > n.Time))
            {
                nearest = pick;
                distance = gap;
            }
        }

        return nearest;
    }

    private static bool ShbgOutside(LabPick shbg, ClinicalThresholds t)
    {
        var (low, high) = RangeOf(shbg.Result, Analyte.Shbg, t.ShbgLowNmolPerL, t.ShbgHighNmolPerL);
        return ThresholdComparison.IsBelow(shbg.Value, shbg.Comparator, low) == true
            || ThresholdComparison.IsAbove(shbg.Value, shbg.Comparator, high) == true;
    }

    private static void ReadGonadotropinsAndProlactin(AssessmentFacts f)
    {
        var t = f.Thresholds;
        if (f.Lh is { } lh)
        {
            f.LhHigh = ThresholdComparison.IsAbove(lh.Value, lh.Comparator, t.LhHighIuPerL);
        }

        // FSH and prolactin: the result's own upper limit first (assays differ), else the default limit.
        if (f.Fsh is { } fsh)
        {
            var (_, high) = RangeOf(fsh.Result, Analyte.Fsh, 0m, t.FshHighIuPerL);
            f.FshHigh = ThresholdComparison.IsAbove(fsh.Value, fsh.Comparator, high);
        }

        if (f.Prolactin is { } prolactin)
        {
            var (_, high) = RangeOf(prolactin.Result, Analyte.Prolactin, 0m, t.ProlactinHighNgPerMl);
            f.ProlactinHigh = ThresholdComparison.IsAbove(prolactin.Value, prolactin.Comparator, high) == true;
        }
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
