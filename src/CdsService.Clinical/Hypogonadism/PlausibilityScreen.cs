using System.Globalization;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// Takes out of a snapshot what no patient can have (<see cref="PlausibilityLimits"/>) before any rule reads it: a lab
/// value outside its analyte's physiological range, and a birth date in the future or more than
/// <see cref="PlausibilityLimits.MaxAgeYears"/> ago. Each becomes a <see cref="DataIssue"/> on the card, so the clinician
/// sees which record to correct; the value itself is never used, never clamped, never guessed (the rules then see the
/// result as absent, or the age as unknown).
/// </summary>
public static class PlausibilityScreen
{
    public const string ImplausibleValue = "implausible-value";

    public const string ImplausibleBirthDate = "implausible-birth-date";

    public static PatientSnapshot Screen(PatientSnapshot snapshot, PlausibilityLimits limits, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(limits);
        List<DataIssue>? issues = null;
        var labs = snapshot.Labs.IsDefault ? [] : snapshot.Labs;
        var kept = labs.Where(lab =>
        {
            if (IsPlausible(lab, limits))
            {
                return true;
            }

            (issues ??= []).Add(Implausible(lab, limits));
            return false;
        }).ToList();

        var birthDate = snapshot.BirthDate;
        if (birthDate is { } birth && (birth > today || PatientFacts.AgeOn(birth, today) > limits.MaxAgeYears))
        {
            birthDate = null;
            (issues ??= []).Add(new DataIssue(ImplausibleBirthDate, string.Create(CultureInfo.InvariantCulture,
                $"The birth date {birth:yyyy-MM-dd} is {(birth > today ? "in the future" : $"more than {limits.MaxAgeYears} years ago")}; the age is treated as unknown. Check the patient's record.")));
        }

        if (issues is null)
        {
            return snapshot;
        }

        var existing = snapshot.DataIssues.IsDefault ? [] : snapshot.DataIssues;
        return snapshot with
        {
            Labs = [.. kept],
            BirthDate = birthDate,
            DataIssues = [.. existing, .. issues],
        };
    }

    /// <summary>
    /// Whether the result's number lies in its analyte's range. A unit the rules cannot convert is left to the rules,
    /// which report it ("unit-not-convertible"); a comparator ("&lt; 20") does not change the check: the number the lab
    /// wrote must itself be possible.
    /// </summary>
    public static bool IsPlausible(LabResult lab, PlausibilityLimits limits)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(limits);
        if (!LabUnits.TryToCanonical(lab.Analyte, lab.Quantity.Value, lab.Quantity.Unit, out var canonical))
        {
            return true;
        }

        var (min, max) = limits.For(lab.Analyte);
        return canonical >= min && canonical <= max;
    }

    private static DataIssue Implausible(LabResult lab, PlausibilityLimits limits)
    {
        var (min, max) = limits.For(lab.Analyte);
        var canonical = LabUnits.Symbol(LabUnits.CanonicalUnit(lab.Analyte));
        return new DataIssue(ImplausibleValue, string.Create(CultureInfo.InvariantCulture,
            $"A {ClinicalWords.Describe(lab.Analyte)} result of {lab.Quantity.Value:0.###} {LabUnits.Symbol(lab.Quantity.Unit)} on {lab.EffectiveTime.LocalDate:yyyy-MM-dd} is outside the physiologically possible range ({min:0.###}–{max:0.###} {canonical}) and was not used. Check the result."));
    }
}
