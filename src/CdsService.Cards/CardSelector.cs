using System.Collections.Immutable;
using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Cards;

/// <summary>
/// Which cards a hook call gets, every rule in one table, so a clinician-informaticist can check the card logic line by
/// line in one place (docs/cards.md shows one rendered example of each card). Order of the result is the order the EHR shows: critical, then warnings, then info.
/// </summary>
public static class CardSelector
{
    public static ImmutableArray<CardKind> Select(HookKind hook, Assessment assessment, PatientSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(snapshot);

        // The rules cover adult men only (rules document, row CLS-1: the guidelines address adult men); no advice rather than advice built on the wrong physiology.
        if (assessment.Classification == Classification.NotApplicable)
        {
            return [];
        }

        if (hook == HookKind.PatientView)
        {
            // Opening a chart is not a decision point: one info card summing up the assessment, never a warning that
            // would interrupt the clinician (the patient-view hook fires when the chart is opened).
            return [CardKind.PatientSummary];
        }

        var drafts = DraftKinds.Of(snapshot);
        var cards = ImmutableArray.CreateBuilder<CardKind>();

        // CLS-2, androgen deprivation for prostate cancer: low testosterone is the treatment's goal. Testosterone or
        // an anabolic steroid drafted → critical (ES 2018 Table 4: prostate cancer); a SERM or hCG drafted → warning
        // that it would raise testosterone against the treatment. No other card: the rest of the advice assumes a
        // disease, and there is none to treat.
        if (assessment.Classification == Classification.AndrogenDeprivation)
        {
            if (drafts.Androgen)
            {
                cards.Add(CardKind.AndrogenDeprivationConflict);
            }

            if (drafts.FertilityTherapy)
            {
                cards.Add(CardKind.FertilityTherapyMismatch);
            }

            // An aromatase inhibitor is no androgen and raises testosterone only a little, but it is still off-label in men
            // and is screened like any other draft (every drafted drug in scope gets a card).
            if (drafts.AromataseInhibitor)
            {
                cards.Add(CardKind.AromataseInhibitorOrder);
            }

            return Ordered(cards, assessment);
        }

        var underlyingCause = UnderlyingCause.Applies(assessment, drafts);

        if (drafts.Testosterone)
        {
            var fertilityDesired = assessment.FertilityIntent == FertilityIntent.Desired
                || assessment.TrtContraindications.Any(c => c.Code == TrtContraindication.FertilityDesired);
            var otherContraindications = assessment.TrtContraindications.Any(c => c.Code != TrtContraindication.FertilityDesired);

            // On fertility therapy (CLS-4) the hormone values reflect the drug, so testosterone is treated like an
            // unconfirmed diagnosis: a warning, never the monitoring card.
            var unconfirmed = assessment.Classification is Classification.InsufficientData
                or Classification.Eugonadal or Classification.Compensated or Classification.OnFertilityTherapy;

            // Testosterone renewed for a man already on it with an on-treatment result that needs action → critical when
            // hematocrit is above the withhold limit (the card cancels the renewal), warning for a PSA finding (the card
            // adds a urology referral); ES 2018 Table 8.
            if (OnTestosteroneAlert.Applies(assessment))
            {
                cards.Add(CardKind.OnTestosteroneAlert);
            }

            // Testosterone drafted and fertility desired → critical: the order would stop sperm production for months
            // (ES 2018 Table 4 lists it as a contraindication; AUA 2018; EAU).
            if (fertilityDesired)
            {
                cards.Add(CardKind.FertilityConflict);
            }

            // Another contraindication present (ES 2018 Table 4) → warning listing each (fertility has its own critical card above).
            if (otherContraindications)
            {
                cards.Add(CardKind.TrtContraindication);
            }

            // Diagnosis not confirmed (insufficient data, eugonadal, compensated, on fertility therapy) → warning:
            // testosterone needs a confirmed biochemical deficiency first (AUA 2018 statements 2 and 6; ES 2018).
            if (unconfirmed)
            {
                cards.Add(CardKind.UnconfirmedDiagnosis);
            }

            // Fertility intent unknown or unsure → warning, since it decides between testosterone and a SERM (AUA 2018);
            // info on a renewal, where testosterone is already suppressing sperm production and the answer changes the
            // next review, not this order (FertilityIntentUndocumented.Indicator).
            // Not added while the diagnosis is unconfirmed or a cause must be treated first: that comes first, and a
            // second warning would only dilute the first (alert fatigue).
            // Not when testosterone is absolutely contraindicated either: that card's advice ("testosterone is an option if
            // he does not want children") would contradict the contraindication.
            if (!unconfirmed && !underlyingCause && assessment.Recommendation != Recommendation.TestosteroneContraindicated
                && assessment.FertilityIntent is FertilityIntent.Unknown or FertilityIntent.Unsure)
            {
                cards.Add(CardKind.FertilityIntentUndocumented);
            }

            // Testosterone appropriate → info with the monitoring plan (ES 2018: hematocrit and PSA checks). "Appropriate" means the engine
            // recommends it (or continued therapy) and none of the cards above objected. When no symptom is coded the
            // card says to confirm symptoms first (AUA 2018 statement 3).
            var appropriate = assessment.Recommendation is Recommendation.TestosteroneReplacement
                or Recommendation.ContinueWithMonitoring;
            if (appropriate && !underlyingCause && cards.All(kind => IndicatorRank(kind, assessment) == 2))
            {
                cards.Add(CardKind.TrtMonitoring);
            }
        }

        // A cause to treat first (docs/clinical/hypogonadism-rules.md, recommendation treat-underlying-cause: hyperprolactinaemia, pituitary
        // disease, opioid, glucocorticoid, iron overload) with testosterone, a SERM or hCG drafted, or a SERM drafted
        // with a prolactin or pituitary cause (clomiphene label: contraindicated with a pituitary tumour) → warning.
        if (underlyingCause)
        {
            cards.Add(CardKind.UnderlyingCause);
        }

        if (drafts.FertilityTherapy)
        {
            // SERM/hCG drafted → info with its monitoring plan, or a warning instead when it cannot work
            // (primary: LH is already high and the testes cannot respond) or testosterone keeps LH/FSH suppressed.
            // The monitoring card is left out when the underlying-cause warning objects to the drug.
            // A reason against the drug that no other card shows (liver disease, VTE, visual disturbance, cancer,
            // unconfirmed diagnosis: the drafted-drug screen, rules document §10a) → its own warning, critical when the
            // reason is absolute; the monitoring card is then left out, as with the underlying-cause warning.
            var mismatch = FertilityTherapyMismatch.Applies(assessment, snapshot);
            var screen = FertilityDrugScreen.Uncovered(assessment, mismatch, underlyingCause);
            if (mismatch)
            {
                cards.Add(CardKind.FertilityTherapyMismatch);
            }

            if (screen.Count > 0)
            {
                cards.Add(CardKind.FertilityDrugContraindication);
            }
            else if (!underlyingCause && !mismatch)
            {
                cards.Add(CardKind.FertilityTherapyMonitoring);
            }
        }

        // Aromatase inhibitors: off-label in men, with their own estradiol and bone questions (AUA 2018) → warning.
        if (drafts.AromataseInhibitor)
        {
            cards.Add(CardKind.AromataseInhibitorOrder);
        }

        // Anabolic steroids are no treatment for hypogonadism → warning; critical when he wants children (they stop
        // sperm production like testosterone: ES 2018 Table 4).
        if (drafts.AnabolicSteroid)
        {
            cards.Add(CardKind.AnabolicSteroidOrder);
        }

        return Ordered(cards, assessment);
    }

    /// <summary>
    /// Why an order hook with a drafted drug in scope got no card, for the log: a drafted drug that triggered a data fetch
    /// never ends in silence without a stated reason. The only reason today is that the patient is outside the rules'
    /// scope (CLS-1); "no-card-rule" would mean a gap in this table and is tested never to happen.
    /// </summary>
    public static string SilenceReason(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return assessment.Classification == Classification.NotApplicable ? "outside-rules-scope" : "no-card-rule";
    }

    private static ImmutableArray<CardKind> Ordered(ImmutableArray<CardKind>.Builder cards, Assessment assessment) =>
        [.. cards.OrderBy(kind => IndicatorRank(kind, assessment))];

    // Critical first, then warnings, then info; a card whose indicator depends on the findings is ranked by it.
    private static int IndicatorRank(CardKind kind, Assessment assessment) => kind switch
    {
        CardKind.OnTestosteroneAlert => OnTestosteroneAlert.Withhold(assessment) ? 0 : 1,
        CardKind.FertilityIntentUndocumented when assessment.IsTestosteroneRenewal => 2,
        CardKind.FertilityConflict or CardKind.AndrogenDeprivationConflict => 0,
        CardKind.TrtContraindication when TrtContraindicationCard.IsCritical(assessment) => 0,
        CardKind.FertilityDrugContraindication when FertilityDrugContraindicationCard.IsCritical(assessment) => 0,
        CardKind.AnabolicSteroidOrder when AnabolicSteroidOrderCard.IsCritical(assessment) => 0,
        CardKind.TrtContraindication or CardKind.UnconfirmedDiagnosis or CardKind.FertilityIntentUndocumented
            or CardKind.UnderlyingCause or CardKind.FertilityTherapyMismatch or CardKind.FertilityDrugContraindication
            or CardKind.AromataseInhibitorOrder or CardKind.AnabolicSteroidOrder => 1,
        _ => 2,
    };
}

/// <summary>
/// The drafted-drug screen findings for clomiphene, enclomiphene, hCG and FSH that no other card shows: primary
/// hypogonadism is the mismatch card's subject, and a pituitary cause the underlying-cause card's.
/// </summary>
internal static class FertilityDrugScreen
{
    public static List<OrderContraindicationFinding> Uncovered(Assessment assessment, bool mismatch, bool underlyingCause) =>
    [
        .. assessment.OrderContraindications.Where(f =>
            DraftKinds.IsFertilityTherapyClass(f.DrugClass)
            && !(mismatch && f.Code == OrderContraindication.PrimaryHypogonadism)
            && !(underlyingCause && f.Code == OrderContraindication.PituitaryTumor)),
    ];

    /// <summary>The same, for a card that has only the assessment and the snapshot.</summary>
    public static List<OrderContraindicationFinding> Uncovered(Assessment assessment, PatientSnapshot snapshot) =>
        Uncovered(assessment, FertilityTherapyMismatch.Applies(assessment, snapshot),
            UnderlyingCause.Applies(assessment, DraftKinds.Of(snapshot)));
}

/// <summary>What kinds of orders are being drafted in this call.</summary>
internal readonly record struct DraftKinds(bool Testosterone, bool FertilityTherapy, bool Androgen, bool Serm)
{
    public bool AromataseInhibitor { get; init; }

    public bool AnabolicSteroid { get; init; }

    public static DraftKinds Of(PatientSnapshot snapshot) => new(
        snapshot.DraftOrders.Any(IsTestosterone),
        snapshot.DraftOrders.Any(IsFertilityTherapy),
        snapshot.DraftOrders.Any(IsAndrogen),
        snapshot.DraftOrders.Any(IsSerm))
    {
        AromataseInhibitor = snapshot.DraftOrders.Any(static d => d.Class == MedicationClass.AromataseInhibitor),
        AnabolicSteroid = snapshot.DraftOrders.Any(static d => d.Class == MedicationClass.AnabolicSteroid),
    };

    public static bool IsTestosterone(DraftOrder order) => order.Class == MedicationClass.Testosterone;

    /// <summary>Testosterone or an anabolic steroid: what androgen deprivation must not be given (CLS-2).</summary>
    public static bool IsAndrogen(DraftOrder order) =>
        order.Class is MedicationClass.Testosterone or MedicationClass.AnabolicSteroid;

    public static bool IsFertilityTherapy(DraftOrder order) => IsFertilityTherapyClass(order.Class);

    /// <summary>Clomiphene, enclomiphene, hCG or FSH (FSH is given with hCG to induce sperm production).</summary>
    public static bool IsFertilityTherapyClass(MedicationClass drug) =>
        drug is MedicationClass.Clomiphene or MedicationClass.Enclomiphene or MedicationClass.Hcg or MedicationClass.Fsh;

    public static bool IsSerm(DraftOrder order) =>
        order.Class is MedicationClass.Clomiphene or MedicationClass.Enclomiphene;
}

/// <summary>When a cause must be treated before the drafted hormone (docs/clinical/hypogonadism-rules.md, recommendation and causes).</summary>
internal static class UnderlyingCause
{
    public static bool Applies(Assessment assessment, DraftKinds drafts) =>
        (assessment.Recommendation == Recommendation.TreatUnderlyingCause && (drafts.Testosterone || drafts.FertilityTherapy))
        || (drafts.Serm && ClinicalWording.SermBarred(assessment));

    /// <summary>The drafts the card objects to: all hormone drafts when the cause comes first, else the SERMs.</summary>
    public static Func<DraftOrder, bool> Objected(Assessment assessment) =>
        assessment.Recommendation == Recommendation.TreatUnderlyingCause
            ? static d => DraftKinds.IsTestosterone(d) || DraftKinds.IsFertilityTherapy(d)
            : DraftKinds.IsSerm;
}

/// <summary>Why a drafted SERM or hCG is unlikely to do what it is ordered for.</summary>
internal static class FertilityTherapyMismatch
{
    public static bool Applies(Assessment assessment, PatientSnapshot snapshot) =>
        assessment.Classification is Classification.Primary or Classification.AndrogenDeprivation
        || OnTestosterone(assessment, snapshot);

    /// <summary>
    /// Taking testosterone now: recent use per the engine (exogenous-androgen), an active prescription, or a
    /// testosterone order drafted alongside (exogenous testosterone suppresses LH/FSH: ES 2018; McBride and Coward 2016).
    /// </summary>
    public static bool OnTestosterone(Assessment assessment, PatientSnapshot snapshot) =>
        assessment.Classification == Classification.ExogenousAndrogen
        || snapshot.Medications.Any(m => m.Class == MedicationClass.Testosterone && m.State == MedicationState.Active)
        || snapshot.DraftOrders.Any(DraftKinds.IsTestosterone);
}

/// <summary>When a testosterone renewal meets an on-treatment result that needs action (rules document section 11a).</summary>
internal static class OnTestosteroneAlert
{
    public static bool Applies(Assessment assessment) =>
        assessment.IsTestosteroneRenewal && assessment.MonitoringAlerts.Any(a => IsActionable(a.Code));

    /// <summary>Hematocrit above the withhold limit: the renewal itself must stop (ES 2018 Table 8).</summary>
    public static bool Withhold(Assessment assessment) =>
        assessment.MonitoringAlerts.Any(a => a.Code == MonitoringAlert.HematocritAboveWithhold);

    /// <summary>The alerts whose suggested action changes the order: withhold (cancel the renewal) or refer (PSA).</summary>
    public static bool IsActionable(MonitoringAlert alert) =>
        alert is MonitoringAlert.HematocritAboveWithhold or MonitoringAlert.PsaRise or MonitoringAlert.PsaAboveLimit;
}
