using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>The words about a man on (or off) testosterone that the rules and the cards share.</summary>
public static class OnTherapyWords
{
    /// <summary>
    /// When a testosterone level means something for the formulation (ES 2018 Table 8: cypionate and enanthate midway
    /// between injections; undecanoate injection just before the next; oral undecanoate 3–5 hours after a dose; gel
    /// 2–8 hours after application per the clinical brief; pellets at the end of the dosing interval).
    /// </summary>
    public static string Sampling(TestosteroneFormulation formulation) => formulation switch
    {
        TestosteroneFormulation.CypionateOrEnanthateInjection =>
            "cypionate/enanthate injections: interpret as a mid-interval (or trough, just before the next injection) level (ES 2018)",
        TestosteroneFormulation.UndecanoateInjection =>
            "undecanoate injection: interpret as a level taken just before the next injection (ES 2018)",
        TestosteroneFormulation.OralUndecanoate =>
            "oral undecanoate: interpret as a level taken 3–5 hours after a dose (ES 2018)",
        TestosteroneFormulation.Transdermal =>
            "gel: interpret as a level taken 2–8 hours after application (ES 2018)",
        TestosteroneFormulation.Pellet =>
            "pellets: interpret as a level taken at the end of the dosing interval (ES 2018)",
        _ => "formulation not recorded: check when the sample was taken against the dose before changing it (ES 2018)",
    };

    /// <summary>The alert's words inside a sentence: first letter lower-cased unless it starts an abbreviation ("PSA rise").</summary>
    public static string InSentence(MonitoringAlert alert)
    {
        var words = Describe(alert);
        return words.Length > 1 && char.IsUpper(words[1]) ? words : char.ToLowerInvariant(words[0]) + words[1..];
    }

    /// <summary>Describes a monitoring alert in a few words, e.g. "Hematocrit above the withhold limit".</summary>
    public static string Describe(MonitoringAlert alert) => alert switch
    {
        MonitoringAlert.HematocritAboveWithhold => "Hematocrit above the withhold limit",
        MonitoringAlert.HematocritElevated => "Hematocrit raised (watch closely)",
        MonitoringAlert.PsaRise => "PSA rise",
        MonitoringAlert.PsaAboveLimit => "PSA above the referral limit",
        MonitoringAlert.TestosteroneBelowTarget => "Testosterone below target",
        MonitoringAlert.TestosteroneAboveTarget => "Testosterone above target",
        MonitoringAlert.OverdueHematocrit => "Hematocrit overdue",
        MonitoringAlert.OverduePsa => "PSA overdue",
        MonitoringAlert.OverdueTestosterone => "Testosterone level overdue",
        _ => throw new ArgumentOutOfRangeException(nameof(alert), alert, null),
    };
}
