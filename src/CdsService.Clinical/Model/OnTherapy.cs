namespace CdsService.Clinical.Model;

/// <summary>
/// A finding of the on-treatment monitoring rules for a man already on testosterone (docs/clinical/hypogonadism-rules.md,
/// monitoring alerts table, rows MA-1 to MA-9). Wire codes are kebab-case, e.g. "hematocrit-above-withhold".
/// </summary>
public enum MonitoringAlert
{
    /// <summary>Newest on-treatment hematocrit above the withhold limit (ES 2018 Table 8; AUA 2018): withhold testosterone.</summary>
    HematocritAboveWithhold,

    /// <summary>
    /// Newest on-treatment hematocrit above the starting limit but not above the withhold limit: not a contraindication
    /// on treatment (the starting limit is for starting), noted for closer monitoring.
    /// </summary>
    HematocritElevated,

    /// <summary>PSA rose by more than the referral limit within 12 months (ES 2018): urology evaluation.</summary>
    PsaRise,

    /// <summary>PSA on treatment above the limit (ES 2018: urology when confirmed).</summary>
    PsaAboveLimit,

    /// <summary>On-treatment total testosterone below the mid-normal target, read for the formulation's sampling time.</summary>
    TestosteroneBelowTarget,

    /// <summary>On-treatment total testosterone above the mid-normal target, read for the formulation's sampling time.</summary>
    TestosteroneAboveTarget,

    /// <summary>On testosterone for at least the first-check interval and no hematocrit since starting or in the last 12 months.</summary>
    OverdueHematocrit,

    /// <summary>As <see cref="OverdueHematocrit"/> for PSA, in the PSA monitoring age band.</summary>
    OverduePsa,

    /// <summary>As <see cref="OverdueHematocrit"/> for total testosterone.</summary>
    OverdueTestosterone,
}

/// <summary>A monitoring alert with the row that raised it, the value (or absence) behind it and its date.</summary>
public sealed record MonitoringAlertFinding(MonitoringAlert Code, string RuleId, string Evidence, DateTimeOffset? Date);

/// <summary>Testosterone or anabolic steroid use in the window (CLS-3), as the wording for the man needs it.</summary>
public enum AndrogenExposure
{
    /// <summary>No testosterone or anabolic steroid in the window.</summary>
    None,

    /// <summary>An active (or paused) testosterone prescription: a man on treatment.</summary>
    OnTestosterone,

    /// <summary>A testosterone course that was completed or stopped within the window.</summary>
    StoppedTestosterone,

    /// <summary>An anabolic steroid (not testosterone replacement): stop and counsel, never "continue".</summary>
    AnabolicSteroid,
}

/// <summary>
/// Testosterone formulations whose blood levels must be sampled at different times (ES 2018 Table 8), read from the
/// prescription's drug text.
/// </summary>
public enum TestosteroneFormulation
{
    Unknown,

    /// <summary>Testosterone cypionate or enanthate injections (short-acting esters).</summary>
    CypionateOrEnanthateInjection,

    /// <summary>Long-acting testosterone undecanoate injection.</summary>
    UndecanoateInjection,

    /// <summary>Oral testosterone undecanoate.</summary>
    OralUndecanoate,

    /// <summary>Transdermal gel, solution or patch.</summary>
    Transdermal,

    /// <summary>Subcutaneous pellets.</summary>
    Pellet,
}

/// <summary>The newest documented fertility answer when it is older than the window, so a card can say "last documented …".</summary>
public sealed record LastDocumentedIntent(FertilityIntent Intent, DateTimeOffset RecordedAt);
