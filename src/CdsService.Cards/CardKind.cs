namespace CdsService.Cards;

/// <summary>
/// The card types the service sends, one per clinical situation <see cref="CardSelector"/> recognises. The wire code (card topic) is the kebab-case name, e.g. "fertility-conflict",
/// in the CodeSystem <see cref="CardTerminology.CardTopicSystem"/>.
/// </summary>
public enum CardKind
{
    /// <summary>Critical: testosterone drafted for a man who wants children.</summary>
    FertilityConflict,

    /// <summary>Critical: testosterone or an anabolic steroid drafted during androgen deprivation for prostate cancer.</summary>
    AndrogenDeprivationConflict,

    /// <summary>
    /// Warning: testosterone, clomiphene/enclomiphene or hCG drafted while a cause must be treated first
    /// (hyperprolactinaemia, pituitary disease, opioid, glucocorticoid, iron overload), or a SERM drafted with a
    /// prolactin or pituitary cause.
    /// </summary>
    UnderlyingCause,

    /// <summary>Warning: testosterone drafted despite a contraindication (other than fertility).</summary>
    TrtContraindication,

    /// <summary>Warning: testosterone drafted but the diagnosis is not confirmed (insufficient data, eugonadal, compensated).</summary>
    UnconfirmedDiagnosis,

    /// <summary>Warning: testosterone drafted with fertility plans unknown or unsure.</summary>
    FertilityIntentUndocumented,

    /// <summary>Info: testosterone is appropriate; the monitoring plan and its lab orders.</summary>
    TrtMonitoring,

    /// <summary>Info: clomiphene, enclomiphene or hCG drafted; their monitoring plan.</summary>
    FertilityTherapyMonitoring,

    /// <summary>
    /// Warning: clomiphene, enclomiphene or hCG drafted although the testes fail (primary), the patient takes
    /// testosterone, or he is on androgen deprivation for prostate cancer (the drug would raise testosterone).
    /// </summary>
    FertilityTherapyMismatch,

    /// <summary>Info: the patient-view summary.</summary>
    PatientSummary,

    /// <summary>
    /// Warning (critical with an absolute contraindication): clomiphene, enclomiphene, hCG or FSH drafted with a reason
    /// against it that no other card already shows (liver disease, VTE, visual disturbance, cancer, unconfirmed diagnosis).
    /// </summary>
    FertilityDrugContraindication,

    /// <summary>Warning: an aromatase inhibitor drafted for a man (off-label; estradiol and bone density).</summary>
    AromataseInhibitorOrder,

    /// <summary>Critical when fertility is desired, else warning: an anabolic steroid drafted (not a hypogonadism treatment).</summary>
    AnabolicSteroidOrder,

    /// <summary>
    /// Testosterone renewal (drafted while he is already on it) with an on-treatment result that needs action: critical
    /// when hematocrit is above the withhold limit (withhold: cancel the renewal), warning for a PSA rise or a PSA above
    /// the limit (urology referral). ES 2018 Table 8; AUA 2018.
    /// </summary>
    OnTestosteroneAlert,
}
