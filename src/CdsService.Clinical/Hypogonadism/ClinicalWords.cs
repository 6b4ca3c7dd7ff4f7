using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// Plain words for the codes, as a clinician would say them (rules document, reasons, cards). The one table of the
/// names the engine and the cards share (analytes, units); the cards' own phrasing (CdsService.Cards ClinicalWording)
/// builds on it rather than keeping a copy.
/// </summary>
public static class ClinicalWords
{
    public static string Describe(Classification classification) => classification switch
    {
        Classification.NotApplicable => "Not applicable (not an adult man)",
        Classification.ExogenousAndrogen => "On exogenous androgens (results uninterpretable)",
        Classification.InsufficientData => "Insufficient data to classify",
        Classification.Primary => "Primary hypogonadism (testicular failure)",
        Classification.Secondary => "Secondary hypogonadism (hypothalamic-pituitary)",
        Classification.Compensated => "Compensated hypogonadism (normal testosterone, high LH)",
        Classification.Eugonadal => "Eugonadal (normal testosterone and LH)",
        Classification.AndrogenDeprivation => "On androgen deprivation for prostate cancer (low testosterone is the treatment's goal)",
        Classification.OnFertilityTherapy => "On fertility therapy (results reflect the drug)",
        _ => classification.ToString(),
    };

    public static string Describe(Recommendation recommendation) => recommendation switch
    {
        Recommendation.TestosteroneReplacement => "Testosterone replacement",
        Recommendation.FertilityPreserving => "Fertility-preserving therapy (clomiphene / enclomiphene / hCG)",
        Recommendation.ReferReproductiveUrology => "Refer to reproductive urology",
        Recommendation.AssessFertilityIntent => "Ask about and document fertility plans",
        Recommendation.NoTestosteroneTherapy => "No testosterone therapy",
        Recommendation.CompleteWorkup => "Complete the work-up",
        Recommendation.FertilityRestoration => "Stop androgens and restore fertility",
        Recommendation.ContinueWithMonitoring => "Continue with monitoring",
        Recommendation.TreatUnderlyingCause => "Treat the underlying cause first",
        Recommendation.NotApplicable => "No advice (rules not applicable)",
        Recommendation.TestosteroneContraindicated => "Testosterone contraindicated",
        Recommendation.WithholdTestosterone => "Withhold testosterone (hematocrit above the withhold limit)",
        _ => recommendation.ToString(),
    };

    public static string Describe(AndrogenStatus status) => status switch
    {
        AndrogenStatus.Low => "low",
        AndrogenStatus.Normal => "normal",
        AndrogenStatus.Unconfirmed => "unconfirmed",
        _ => "unknown",
    };

    public static string Describe(FertilityIntent intent) => intent switch
    {
        FertilityIntent.Desired => "desired",
        FertilityIntent.NotDesired => "not desired",
        FertilityIntent.Unsure => "unsure",
        _ => "unknown",
    };

    public static string Describe(MissingData missing) => missing switch
    {
        MissingData.MorningTotalTestosterone => "Morning total testosterone",
        MissingData.SecondMorningTotalTestosterone => "A second morning total testosterone on another day",
        MissingData.Lh => "LH",
        MissingData.Fsh => "FSH",
        MissingData.Shbg => "SHBG (with albumin) to calculate free testosterone",
        MissingData.Prolactin => "Prolactin",
        MissingData.Symptoms => "Symptoms or signs of androgen deficiency (none coded)",
        _ => missing.ToString(),
    };

    public static string Describe(AdditionalWorkup workup) => workup switch
    {
        AdditionalWorkup.Prolactin => "Prolactin",
        AdditionalWorkup.PituitaryMri => "Pituitary MRI",
        AdditionalWorkup.IronStudies => "Iron studies (ferritin, transferrin saturation)",
        AdditionalWorkup.SemenAnalysis => "Semen analysis",
        AdditionalWorkup.Estradiol => "Estradiol",
        AdditionalWorkup.Karyotype => "Karyotype",
        AdditionalWorkup.HfeGenotype => "HFE genotype and hepatology opinion",
        AdditionalWorkup.EndocrinologyReferral => "Endocrinology referral",
        _ => workup.ToString(),
    };

    public static string Describe(TrtContraindication contraindication) => contraindication switch
    {
        TrtContraindication.FertilityDesired => "Fertility desired",
        TrtContraindication.HematocritAbove48 => "Hematocrit above the limit",
        TrtContraindication.PsaAbove4 => "PSA above the limit",
        TrtContraindication.ProstateCancer => "Prostate cancer",
        TrtContraindication.BreastCancer => "Breast cancer",
        TrtContraindication.UntreatedSevereSleepApnea => "Untreated severe sleep apnea",
        TrtContraindication.UncontrolledHeartFailure => "Uncontrolled heart failure",
        TrtContraindication.RecentMiOrStroke => "Recent myocardial infarction or stroke",
        TrtContraindication.VteOrThrombophilia => "Venous thromboembolism or thrombophilia",
        TrtContraindication.ProstateCancerHistory => "History of prostate cancer",
        TrtContraindication.Polycythemia => "Polycythaemia",
        TrtContraindication.AndrogenDeprivation => "Androgen deprivation for prostate cancer",
        _ => contraindication.ToString(),
    };

    public static string Describe(OrderContraindication contraindication) => contraindication switch
    {
        OrderContraindication.PituitaryTumor => "Pituitary tumour or other pituitary disease",
        OrderContraindication.LiverDisease => "Liver disease",
        OrderContraindication.VteOrThrombophilia => "Venous thromboembolism or thrombophilia",
        OrderContraindication.VisualDisturbance => "Visual disturbance",
        OrderContraindication.PrimaryHypogonadism => "Primary hypogonadism (the drug cannot work)",
        OrderContraindication.UnconfirmedDiagnosis => "Hypogonadism not confirmed",
        OrderContraindication.ProstateCancer => "Prostate cancer",
        OrderContraindication.BreastCancer => "Breast cancer",
        OrderContraindication.Osteoporosis => "Osteoporosis",
        OrderContraindication.NotAHypogonadismTreatment => "Not a treatment for hypogonadism",
        OrderContraindication.FertilityDesired => "Fertility desired",
        _ => contraindication.ToString(),
    };

    public static string Describe(ContraindicationSeverity severity) => severity switch
    {
        ContraindicationSeverity.Absolute => "absolute",
        _ => "relative",
    };

    /// <summary>A drafted drug class as a prescriber names it.</summary>
    public static string Describe(MedicationClass drug) => drug switch
    {
        MedicationClass.Testosterone => "Testosterone",
        MedicationClass.AnabolicSteroid => "Anabolic steroid",
        MedicationClass.Clomiphene => "Clomiphene",
        MedicationClass.Enclomiphene => "Enclomiphene",
        MedicationClass.Hcg => "hCG",
        MedicationClass.Fsh => "FSH",
        MedicationClass.AromataseInhibitor => "Aromatase inhibitor",
        MedicationClass.Opioid => "Opioid",
        MedicationClass.Glucocorticoid => "Glucocorticoid",
        MedicationClass.AndrogenDeprivation => "Androgen deprivation therapy",
        _ => "Other medication",
    };

    public static string Describe(TherapyKind therapy) => therapy switch
    {
        TherapyKind.TestosteroneReplacement => "Testosterone replacement",
        TherapyKind.Serm => "Clomiphene or enclomiphene (SERM)",
        TherapyKind.Hcg => "hCG",
        _ => therapy.ToString(),
    };

    public static string Describe(ConditionKind kind) => kind switch
    {
        ConditionKind.ProstateCancer => "Prostate cancer",
        ConditionKind.ProstateCancerHighRisk => "Family history of prostate cancer",
        ConditionKind.BreastCancer => "Breast cancer",
        ConditionKind.SevereSleepApneaUntreated => "Untreated severe obstructive sleep apnea",
        ConditionKind.UncontrolledHeartFailure => "Uncontrolled heart failure",
        ConditionKind.MyocardialInfarction => "Myocardial infarction",
        ConditionKind.Stroke => "Stroke",
        ConditionKind.Thrombophilia => "Thrombophilia",
        ConditionKind.MaleInfertility => "Male infertility",
        ConditionKind.ProcreativeManagement => "Procreative management",
        ConditionKind.BreastSymptoms => "Breast symptoms or gynecomastia",
        ConditionKind.Hyperprolactinemia => "Hyperprolactinemia",
        ConditionKind.PituitaryDisorder => "Pituitary disorder",
        ConditionKind.Hypogonadism => "Hypogonadism",
        ConditionKind.PrimaryHypogonadismCause => "Cause of primary hypogonadism",
        ConditionKind.SecondaryHypogonadismCause => "Cause of secondary hypogonadism",
        ConditionKind.Klinefelter => "Klinefelter syndrome",
        ConditionKind.TesticularCause => "Testicular cause (orchiectomy, cryptorchidism, orchitis, chemotherapy or radiotherapy)",
        ConditionKind.Hemochromatosis => "Haemochromatosis",
        ConditionKind.Obesity => "Obesity",
        ConditionKind.Type2Diabetes => "Type 2 diabetes",
        ConditionKind.SleepApnea => "Obstructive sleep apnoea",
        ConditionKind.AndrogenDeficiencySymptom => "Symptom or sign of androgen deficiency",
        ConditionKind.ProstateCancerHistory => "History of prostate cancer",
        ConditionKind.VenousThromboembolism => "Venous thromboembolism",
        ConditionKind.Polycythemia => "Polycythaemia",
        ConditionKind.LiverDisease => "Liver disease",
        ConditionKind.VisualDisturbance => "Visual disturbance",
        ConditionKind.Osteoporosis => "Osteoporosis",
        _ => kind.ToString(),
    };

    /// <summary>
    /// The analyte's name. An analyte this table does not know is named by its enum identifier, so a reason or the rules
    /// document never fails on a new member; the cards use <see cref="DescribeOrThrow(Analyte)"/> instead.
    /// </summary>
    public static string Describe(Cause cause) => cause switch
    {
        Cause.Hyperprolactinemia => "Hyperprolactinaemia",
        Cause.PituitaryDisease => "Pituitary disease",
        Cause.Klinefelter => "Klinefelter syndrome",
        Cause.TesticularCause => "Testicular cause",
        Cause.Opioid => "Opioid treatment",
        Cause.Glucocorticoid => "Systemic glucocorticoid treatment",
        Cause.IronOverload => "Possible iron overload",
        Cause.Obesity => "Obesity",
        Cause.Type2Diabetes => "Type 2 diabetes",
        Cause.SleepApnea => "Obstructive sleep apnoea",
        _ => cause.ToString(),
    };

    public static string Describe(Analyte analyte) => AnalyteName(analyte) ?? analyte.ToString();

    /// <summary>
    /// The same name as <see cref="Describe(Analyte)"/>, but an analyte without one throws: the cards put it in front of
    /// a prescriber, where an enum identifier would read as a test name, so a new member without wording must fail the
    /// card tests instead.
    /// </summary>
    public static string DescribeOrThrow(Analyte analyte) =>
        AnalyteName(analyte) ?? throw new ArgumentOutOfRangeException(nameof(analyte), analyte, null);

    /// <summary>
    /// A unit as printed on lab reports (UCUM-style symbol; IU/L is the same as mIU/mL for LH and FSH). The symbols are
    /// those of <see cref="LabUnits.Symbol"/>, kept there next to the conversion factors that depend on them, so the
    /// service has one unit table; an unknown unit is named by its enum identifier, as there.
    /// </summary>
    public static string Describe(LabUnit unit) => LabUnits.Symbol(unit);

    /// <summary>The symbol of <see cref="Describe(LabUnit)"/>, but a unit without one throws (see <see cref="DescribeOrThrow(Analyte)"/>).</summary>
    public static string DescribeOrThrow(LabUnit unit) =>
        Enum.IsDefined(unit) ? LabUnits.Symbol(unit) : throw new ArgumentOutOfRangeException(nameof(unit), unit, null);

    private static string? AnalyteName(Analyte analyte) => analyte switch
    {
        Analyte.TotalTestosterone => "Total testosterone",
        Analyte.FreeTestosterone => "Free testosterone",
        Analyte.BioavailableTestosterone => "Bioavailable testosterone",
        Analyte.Shbg => "SHBG",
        Analyte.Albumin => "Albumin",
        Analyte.Lh => "LH",
        Analyte.Fsh => "FSH",
        Analyte.Prolactin => "Prolactin",
        Analyte.Estradiol => "Estradiol",
        Analyte.Hematocrit => "Hematocrit",
        Analyte.Psa => "PSA",
        Analyte.Ferritin => "Ferritin",
        Analyte.TransferrinSaturation => "Transferrin saturation",
        Analyte.Bmi => "Body mass index",
        _ => null,
    };
}
