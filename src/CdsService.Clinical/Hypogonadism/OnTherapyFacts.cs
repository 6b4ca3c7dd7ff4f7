using System.Collections.Immutable;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// Gathers what the on-treatment monitoring rules (MA rows, REC-22) read for a man who takes, or took, testosterone:
/// which situation he is in (on treatment, stopped, anabolic steroids), the formulation, how long he has been treated,
/// and the hematocrit, PSA and testosterone taken on treatment (ES 2018 Table 8; AUA 2018 Table 7). Also the fertility
/// answer that aged out of the window, which a card shows as "last documented". Reads the snapshot once, after
/// <see cref="PatientFacts"/> and <see cref="LabFacts"/>.
/// </summary>
internal static class OnTherapyFacts
{
    public static void Gather(PatientSnapshot snapshot, AssessmentFacts f)
    {
        FindLastDocumentedIntent(snapshot, f);
        if (!f.IsAdultMale)
        {
            return;
        }

        var source = CurrentTestosterone(snapshot, f) ?? f.ExogenousAndrogenSource;
        if (source is null)
        {
            return;
        }

        f.AndrogenExposure = source.Class == MedicationClass.AnabolicSteroid
            ? AndrogenExposure.AnabolicSteroid
            : IsCurrent(source, f.Now) ? AndrogenExposure.OnTestosterone : AndrogenExposure.StoppedTestosterone;
        if (source.Class == MedicationClass.Testosterone)
        {
            f.Formulation = FormulationOf(source.Display);
            f.TestosteroneStart = source.Start;
            f.TestosteroneStopped = f.AndrogenExposure == AndrogenExposure.StoppedTestosterone ? source.End : null;
        }

        if (f.OnTestosterone)
        {
            ReadOnTreatmentResults(snapshot.Labs, f);
        }
    }

    /// <summary>
    /// The formulation, from the prescription's drug text (the sampling time depends on it: ES 2018 Table 8). Text, not
    /// codes: the RxNorm concepts of each formulation are not all verified (clinical brief §5.4), and the drug text names
    /// the ester and form in every prescription the service has seen; anything else stays <see cref="TestosteroneFormulation.Unknown"/>.
    /// </summary>
    internal static TestosteroneFormulation FormulationOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return TestosteroneFormulation.Unknown;
        }

        bool Has(string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);
        if (Has("cypionate") || Has("enanthate"))
        {
            return TestosteroneFormulation.CypionateOrEnanthateInjection;
        }

        if (Has("undecanoate"))
        {
            return Has("oral") || Has("capsule") ? TestosteroneFormulation.OralUndecanoate : TestosteroneFormulation.UndecanoateInjection;
        }

        if (Has("pellet") || Has("implant"))
        {
            return TestosteroneFormulation.Pellet;
        }

        return Has("gel") || Has("topical") || Has("transdermal") || Has("patch")
            ? TestosteroneFormulation.Transdermal
            : TestosteroneFormulation.Unknown;
    }

    // An active testosterone prescription comes before an older finished course, whichever the record lists first.
    private static MedicationFact? CurrentTestosterone(PatientSnapshot snapshot, AssessmentFacts f)
    {
        foreach (var medication in snapshot.Medications)
        {
            if (medication.Class == MedicationClass.Testosterone && IsCurrent(medication, f.Now)
                && !PatientFacts.IsDraftOrder(medication, snapshot.DraftOrders))
            {
                return medication;
            }
        }

        return null;
    }

    private static bool IsCurrent(MedicationFact medication, DateTimeOffset now) =>
        medication.State is MedicationState.Active or MedicationState.OnHold && (medication.End is not { } end || end >= now);

    // On treatment: taken since he started and within the recheck interval (a result from before the first dose is a
    // baseline, not a treatment value). The testosterone used against the target is one taken after the first-check
    // interval, when levels are steady (ES 2018 Table 8: "2 or 3 months after initiation").
    private static void ReadOnTreatmentResults(ImmutableArray<LabResult> labs, AssessmentFacts f)
    {
        var t = f.Thresholds;
        var start = f.TestosteroneStart;
        var recheckStart = f.Now.AddMonths(-t.OnTreatmentRecheckMonths);
        var onTreatmentFrom = start is { } s && s > recheckStart ? s : recheckStart;
        var steadyFrom = start is { } begun ? begun.AddMonths(t.OnTreatmentFirstCheckMonths) : onTreatmentFrom;
        if (steadyFrom < onTreatmentFrom)
        {
            steadyFrom = onTreatmentFrom;
        }

        f.PastFirstCheck = start is not { } first || first <= f.Now.AddMonths(-t.OnTreatmentFirstCheckMonths);
        var historyFrom = onTreatmentFrom.AddMonths(-t.PsaRiseWindowMonths);
        var latestAllowed = f.Now.AddDays(1);

        foreach (var lab in labs)
        {
            var when = lab.EffectiveTime.Value;
            if (when > latestAllowed || lab.Analyte is not (Analyte.Hematocrit or Analyte.Psa or Analyte.TotalTestosterone)
                || !LabUnits.TryToCanonical(lab.Analyte, lab.Quantity.Value, lab.Quantity.Unit, out var value))
            {
                continue;
            }

            var pick = new LabPick(lab, value);
            switch (lab.Analyte)
            {
                case Analyte.Hematocrit when when >= onTreatmentFrom:
                    f.HematocritOnTreatment = Newer(f.HematocritOnTreatment, pick);
                    break;
                case Analyte.TotalTestosterone when when >= onTreatmentFrom:
                    // Any result on treatment counts as done (MA-9); only a steady-state one is read against the target.
                    f.AnyTotalOnTreatment = true;
                    if (when >= steadyFrom)
                    {
                        f.TotalOnTreatment = Newer(f.TotalOnTreatment, pick);
                    }

                    break;
                case Analyte.Psa when when >= historyFrom:
                    if (when >= onTreatmentFrom)
                    {
                        f.PsaOnTreatment = Newer(f.PsaOnTreatment, pick);
                    }

                    f.PsaHistory.Add(pick);
                    break;
            }
        }

        f.PsaHistory.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        f.HematocritAboveWithhold = f.HematocritOnTreatment is { } hct
            && ThresholdComparison.IsAbove(hct.Value, hct.Comparator, t.HematocritWithholdPercent) == true;
    }

    private static LabPick? Newer(LabPick? current, LabPick candidate) =>
        current is not { } existing || candidate.Time > existing.Time ? candidate : current;

    // Only when no answer is current: the newest answer (not "unknown") recorded before the window.
    private static void FindLastDocumentedIntent(PatientSnapshot snapshot, AssessmentFacts f)
    {
        if (f.FertilityIntent != FertilityIntent.Unknown)
        {
            return;
        }

        var windowStart = f.Now.AddMonths(-f.Thresholds.FertilityIntentLookbackMonths);
        FertilityIntentRecord? newest = null;
        foreach (var record in snapshot.FertilityIntents)
        {
            if (record.Intent != FertilityIntent.Unknown && record.RecordedAt < windowStart
                && (newest is null || record.RecordedAt > newest.RecordedAt))
            {
                newest = record;
            }
        }

        f.LastDocumentedIntent = newest is null ? null : new LastDocumentedIntent(newest.Intent, newest.RecordedAt);
    }
}
