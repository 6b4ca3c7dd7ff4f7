using System.Collections.Immutable;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The evidence table of an assessment: every result the rules used, each with how the rules read it, in a fixed
/// order (morning and late total testosterone, free testosterone, SHBG, albumin, LH, FSH, prolactin, estradiol,
/// ferritin, hematocrit, PSA). Texts that depend only on the thresholds are filled once per assessor: filling is
/// string replacement over every placeholder (<see cref="RuleText.Fill"/>).
/// </summary>
internal sealed class EvidenceTable
{
    private const string DateOnlyMorning = "; date only, time not recorded (counted as a morning sample)";
    private const string MorningSample = "; morning sample";
    private const string AlbuminUsed = "used to calculate free testosterone";
    private const string ProlactinAboveOwnRange = "above its reference range";
    private const string FshAboveOwnRange = "above its reference range";
    private const string DateOnlyNotMorning = "not used: time not recorded, and this site does not count date-only values as morning samples";

    private readonly ClinicalThresholds thresholds;
    private readonly string totalLow;
    private readonly string totalNotLow;
    private readonly string inGreyZone;
    private readonly string lateTotal;
    private readonly string freeLow;
    private readonly string freeNotLow;
    private readonly string calculatedBy;
    private readonly string albuminAssumed;
    private readonly string shbgOutside;
    private readonly string shbgWithin;
    private readonly string lhHigh;
    private readonly string lhNotHigh;
    private readonly string hematocritHigh;
    private readonly string hematocritNotHigh;
    private readonly string psaHigh;
    private readonly string psaNotHigh;
    private readonly string prolactinAboveDefault;
    private readonly string fshAboveDefault;
    private readonly string ferritinHigh;
    private readonly string saturationHigh;
    private readonly string obese;

    public EvidenceTable(ClinicalThresholds thresholds)
    {
        this.thresholds = thresholds;
        string Fill(string template) => RuleText.Fill(template, thresholds);

        totalLow = Fill("below {TT_LOW}");
        totalNotLow = Fill("not below {TT_LOW}");
        inGreyZone = Fill("; in the grey zone {GREY_ZONE}");
        lateTotal = Fill("not used: taken at or after {MORNING}, not a morning sample");
        freeLow = Fill("below {FT_LOW}");
        freeNotLow = Fill("not below {FT_LOW}");
        calculatedBy = "; calculated by the service (Vermeulen) from this morning total testosterone and the SHBG and albumin nearest to it";
        albuminAssumed = Fill(" (no albumin result: {ALBUMIN} assumed)");
        shbgOutside = Fill("outside its reference range (default {SHBG_RANGE}): free testosterone decides");
        shbgWithin = Fill("within its reference range (default {SHBG_RANGE})");
        lhHigh = Fill("above {LH_HIGH} (high)");
        lhNotHigh = Fill("at or below {LH_HIGH}");
        hematocritHigh = Fill("above {HCT_CI}");
        hematocritNotHigh = Fill("not above {HCT_CI}");
        psaHigh = Fill("above {PSA_CI}");
        psaNotHigh = Fill("not above {PSA_CI}");
        prolactinAboveDefault = Fill("above {PRL_HIGH} (no reference range sent)");
        fshAboveDefault = Fill("above {FSH_HIGH} (no reference range sent)");
        ferritinHigh = Fill("above {FERRITIN_HIGH}");
        saturationHigh = Fill("above {TSAT_HIGH}");
        obese = Fill("{BMI_OBESE} or more (obesity)");
    }

    /// <summary>A coded symptom as the evidence table lists it: its name and when it was recorded.</summary>
    public static string DescribeSymptom(ConditionFact condition)
    {
        var name = condition.Display ?? ClinicalWords.Describe(condition.Kind);
        return AssessmentFacts.DateOf(condition) is { } date
            ? string.Concat(name, " (", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ")")
            : name;
    }

    public ImmutableArray<EvidenceItem> Build(AssessmentFacts f)
    {
        var items = new List<EvidenceItem>();
        if (f.MorningTotal is { } newest)
        {
            items.Add(Item(newest, true, MorningTotal(f.MorningTotalLow == true, newest, f.GreyZone)));
        }

        // The grey zone is judged on the newest value only (it decides whether free testosterone decides).
        if (f.SecondMorningTotal is { } second)
        {
            items.Add(Item(second, true, MorningTotal(f.SecondMorningTotalLow == true, second, greyZone: false)));
        }

        if (f.LateTotal is { } late)
        {
            items.Add(Item(late, false, late.Result.EffectiveTime.TimeRecorded ? lateTotal : DateOnlyNotMorning));
        }

        if (f.MeasuredFree is { } free)
        {
            items.Add(Item(free, null, (f.FreeLow ? freeLow : freeNotLow) + MethodNote(free.Result)));
        }

        if (f.CalculatedFreePmolPerL is { } calculated)
        {
            // Calculated from the newest morning total, so it carries that sample's time and no source of its own.
            items.Add(new EvidenceItem
            {
                Analyte = Analyte.FreeTestosterone,
                Quantity = new LabQuantity(calculated, LabUnit.PicomolesPerLiter),
                EffectiveTime = f.MorningTotal!.Value.Result.EffectiveTime,
                CalculatedByService = true,
                Interpretation = (f.FreeLow ? freeLow : freeNotLow) + calculatedBy + (f.AlbuminAssumed ? albuminAssumed : string.Empty),
            });
        }

        if (f.Shbg is { } shbg)
        {
            items.Add(Item(shbg, null, f.ShbgOutsideRange ? shbgOutside : shbgWithin));
        }

        if (f.Albumin is { } albumin)
        {
            items.Add(Item(albumin, null, f.CalculatedFreePmolPerL is null ? null : AlbuminUsed));
        }

        if (f.Lh is { } lh)
        {
            items.Add(Item(lh, null, f.LhHigh == true ? lhHigh : lhNotHigh));
        }

        // The second draw's own free testosterone, when it decided that draw (AND-1: each draw judged on its own).
        if (f.SecondFreeDecides && f.SecondFreePmolPerL is { } secondFree && f.SecondMorningTotal is { } secondDraw)
        {
            items.Add(new EvidenceItem
            {
                Analyte = Analyte.FreeTestosterone,
                Quantity = new LabQuantity(secondFree, LabUnit.PicomolesPerLiter),
                EffectiveTime = secondDraw.Result.EffectiveTime,
                CalculatedByService = f.SecondFreeCalculated,
                Interpretation = (f.SecondMorningTotalLow == true ? freeLow : freeNotLow)
                    + (f.SecondFreeCalculated ? calculatedBy : "; measured the same day"),
            });
        }

        if (f.Fsh is { } fsh)
        {
            var ownRange = fsh.Result.ReferenceRange?.High is not null;
            items.Add(Item(fsh, null, f.FshHigh == true ? (ownRange ? FshAboveOwnRange : fshAboveDefault) : null));
        }

        if (f.Prolactin is { } prolactin)
        {
            var ownRange = prolactin.Result.ReferenceRange?.High is not null;
            items.Add(Item(prolactin, null, f.ProlactinHigh ? (ownRange ? ProlactinAboveOwnRange : prolactinAboveDefault) : null));
        }

        if (f.Estradiol is { } estradiol)
        {
            items.Add(Item(estradiol, null, null));
        }

        AddAgainstUpperLimit(items, f.Ferritin, thresholds.FerritinHighNgPerMl, ferritinHigh, null);
        AddAgainstUpperLimit(items, f.TransferrinSaturation, thresholds.TransferrinSaturationHighPercent, saturationHigh, null);

        if (f.Bmi is { } bmi)
        {
            var obesity = ThresholdComparison.IsBelow(bmi.Value, bmi.Comparator, thresholds.BmiObesityKgPerM2) == false;
            items.Add(Item(bmi, null, obesity ? obese : null));
        }

        AddAgainstUpperLimit(items, f.Hematocrit, thresholds.HematocritContraindicationPercent, hematocritHigh, hematocritNotHigh);
        AddAgainstUpperLimit(items, f.Psa, thresholds.PsaContraindicationNgPerMl, psaHigh, psaNotHigh);

        return [.. items];
    }

    // A date-only sample is counted as a morning sample (LabFacts); the evidence says so, so the clinician can judge it.
    private string MorningTotal(bool low, LabPick pick, bool greyZone) =>
        (low ? totalLow : totalNotLow)
        + (greyZone ? inGreyZone : string.Empty)
        + (pick.Result.EffectiveTime.TimeRecorded ? MorningSample : DateOnlyMorning);

    private static string MethodNote(LabResult free) => free.Method switch
    {
        FreeTestosteroneMethod.EquilibriumDialysis => "; equilibrium dialysis",
        FreeTestosteroneMethod.MassSpectrometry => "; LC-MS/MS",
        FreeTestosteroneMethod.Calculated => "; calculated by the laboratory",
        _ => "; method not recorded: compared with its own reference range",
    };

    // A result read against a fixed upper limit: one wording above it, another (or none) at or below it.
    private static void AddAgainstUpperLimit(List<EvidenceItem> items, LabPick? pick, decimal limit, string above, string? notAbove)
    {
        if (pick is { } p)
        {
            var high = ThresholdComparison.IsAbove(p.Value, p.Comparator, limit) == true;
            items.Add(Item(p, null, high ? above : notAbove));
        }
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
}
