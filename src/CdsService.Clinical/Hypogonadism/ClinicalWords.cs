using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>Plain words for the codes, as a clinician would say them (rules document, reasons, cards).</summary>
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
        Recommendation.NotApplicable => "No advice (rules not applicable)",
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
        TrtContraindication.Thrombophilia => "Thrombophilia",
        _ => contraindication.ToString(),
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
        ConditionKind.ProstateCancerHighRisk => "High risk of prostate cancer",
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
        _ => kind.ToString(),
    };

    public static string Describe(Analyte analyte) => analyte switch
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
        _ => analyte.ToString(),
    };
}
