using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;

namespace CdsService.Cards;

/// <summary>
/// The plain words clinicians read on the cards. Kept apart from the card bodies so wording changes are reviewed in one
/// file (and in the docs/cards.md diff). Names the engine also prints (analytes, units) are not repeated here: they come
/// from <see cref="ClinicalWords"/>, in their strict form (<see cref="ClinicalWords.DescribeOrThrow(Analyte)"/>), so a
/// value without wording fails the card tests rather than reaching a prescriber as an enum identifier. Citations refer
/// to the guideline list in the clinical brief §1.1 and §3.
/// </summary>
internal static class ClinicalWording
{
    public static string ClassificationLong(Classification classification) => classification switch
    {
        Classification.Primary => "Primary hypogonadism (testicular failure): testosterone low with LH high",
        Classification.Secondary => "Secondary hypogonadism (pituitary or hypothalamic): testosterone low with LH not raised",
        Classification.Compensated => "Compensated hypogonadism: testosterone normal with LH high",
        Classification.Eugonadal => "No biochemical hypogonadism: testosterone and LH normal",
        Classification.ExogenousAndrogen =>
            "Testosterone or anabolic steroid taken in the last 6 months: LH, FSH and testosterone cannot be interpreted",
        Classification.InsufficientData => "Not yet classifiable: the work-up is incomplete",
        Classification.NotApplicable => "Not applicable: the rules cover adult men only",
        _ => throw new ArgumentOutOfRangeException(nameof(classification), classification, null),
    };

    /// <summary>A few words for summaries (the 140-character budget).</summary>
    public static string ClassificationShort(Classification classification) => classification switch
    {
        Classification.Primary => "primary hypogonadism",
        Classification.Secondary => "secondary hypogonadism",
        Classification.Compensated => "compensated hypogonadism",
        Classification.Eugonadal => "not hypogonadal",
        Classification.ExogenousAndrogen => "on androgens",
        Classification.InsufficientData => "work-up incomplete",
        Classification.NotApplicable => "not applicable",
        _ => throw new ArgumentOutOfRangeException(nameof(classification), classification, null),
    };

    public static string IntentText(FertilityIntent intent) => intent switch
    {
        FertilityIntent.Desired => "wants children in the near term",
        FertilityIntent.NotDesired => "does not want children in the near term",
        FertilityIntent.Unsure => "unsure about children",
        FertilityIntent.Unknown => "not documented",
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, null),
    };

    public static string NextStep(Assessment assessment) => assessment.Recommendation switch
    {
        Recommendation.TestosteroneReplacement =>
            "Testosterone replacement is an option if he has symptoms and no contraindication; follow the monitoring plan (ES 2018; AUA 2018). A SERM remains a documented alternative.",
        Recommendation.FertilityPreserving =>
            "Fertility-preserving therapy: clomiphene citrate 25 mg daily or 50 mg every other day (enclomiphene where available); hCG with or without FSH if a SERM fails or the pituitary is not intact. Avoid testosterone (AUA 2018; ES 2018).",
        Recommendation.ReferReproductiveUrology =>
            "Refer to reproductive urology: semen analysis, karyotype, sperm banking or micro-TESE. SERMs and hCG do not work when the testes fail. No testosterone until sperm is banked (AUA 2018; EAU).",
        Recommendation.AssessFertilityIntent =>
            "Ask about and document plans for children in the next year before choosing between testosterone and fertility-preserving therapy (AUA 2018; BSSM 2023).",
        Recommendation.NoTestosteroneTherapy =>
            "Testosterone therapy is not indicated; address contributing conditions and repeat morning testosterone and LH if symptoms persist (Eendebak 2018; EAU).",
        Recommendation.CompleteWorkup => MissingText(assessment.MissingData) is { Length: > 0 } missing
            ? $"Complete the work-up before any therapy: {missing} (AUA 2018 statements 2 and 6)."
            : "Complete the work-up before any therapy (AUA 2018 statements 2 and 6).",
        Recommendation.FertilityRestoration =>
            "Stop testosterone; hCG and/or clomiphene can restart sperm production, and recovery takes months (LH about 9 months, sperm about 14 months after anabolic steroids; McBride and Coward 2016).",
        Recommendation.ContinueWithMonitoring =>
            "Continue current therapy with monitoring; LH and FSH cannot be interpreted while he takes testosterone.",
        Recommendation.NotApplicable => "None: the rules cover adult men only.",
        _ => throw new ArgumentOutOfRangeException(nameof(assessment), assessment.Recommendation, null),
    };

    public static string NextStepShort(Recommendation recommendation) => recommendation switch
    {
        Recommendation.TestosteroneReplacement => "testosterone replacement is an option",
        Recommendation.FertilityPreserving => "fertility-preserving therapy (clomiphene)",
        Recommendation.ReferReproductiveUrology => "refer to reproductive urology",
        Recommendation.AssessFertilityIntent => "ask about plans for children",
        Recommendation.NoTestosteroneTherapy => "no testosterone therapy",
        Recommendation.CompleteWorkup => "complete the work-up",
        Recommendation.FertilityRestoration => "stop testosterone to restore fertility",
        Recommendation.ContinueWithMonitoring => "continue with monitoring",
        Recommendation.NotApplicable => "no advice",
        _ => throw new ArgumentOutOfRangeException(nameof(recommendation), recommendation, null),
    };

    public static string Contraindication(TrtContraindication code) => code switch
    {
        TrtContraindication.FertilityDesired => "Wants children in the near term",
        TrtContraindication.HematocritAbove48 => "Hematocrit above 48 %",
        TrtContraindication.PsaAbove4 => "PSA above 4 ng/mL (above 3 ng/mL at high risk), not yet evaluated",
        TrtContraindication.ProstateCancer => "Prostate cancer",
        TrtContraindication.BreastCancer => "Breast cancer",
        TrtContraindication.UntreatedSevereSleepApnea => "Untreated severe obstructive sleep apnea",
        TrtContraindication.UncontrolledHeartFailure => "Uncontrolled heart failure",
        TrtContraindication.RecentMiOrStroke => "Myocardial infarction or stroke in the last 6 months",
        TrtContraindication.Thrombophilia => "Thrombophilia",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    public static string ContraindicationShort(TrtContraindication code) => code switch
    {
        TrtContraindication.FertilityDesired => "wants children",
        TrtContraindication.HematocritAbove48 => "hematocrit above 48 %",
        TrtContraindication.PsaAbove4 => "raised PSA",
        TrtContraindication.ProstateCancer => "prostate cancer",
        TrtContraindication.BreastCancer => "breast cancer",
        TrtContraindication.UntreatedSevereSleepApnea => "untreated severe sleep apnea",
        TrtContraindication.UncontrolledHeartFailure => "uncontrolled heart failure",
        TrtContraindication.RecentMiOrStroke => "recent MI or stroke",
        TrtContraindication.Thrombophilia => "thrombophilia",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    public static string Missing(MissingData missing) => missing switch
    {
        MissingData.MorningTotalTestosterone => "morning total testosterone",
        MissingData.SecondMorningTotalTestosterone => "a second morning total testosterone on another day",
        MissingData.Lh => "LH",
        MissingData.Fsh => "FSH",
        MissingData.Shbg => "SHBG",
        MissingData.Prolactin => "prolactin",
        _ => throw new ArgumentOutOfRangeException(nameof(missing), missing, null),
    };

    public static string MissingShort(MissingData missing) => missing switch
    {
        MissingData.MorningTotalTestosterone => "morning T",
        MissingData.SecondMorningTotalTestosterone => "2nd morning T",
        MissingData.Lh => "LH",
        MissingData.Fsh => "FSH",
        MissingData.Shbg => "SHBG",
        MissingData.Prolactin => "prolactin",
        _ => throw new ArgumentOutOfRangeException(nameof(missing), missing, null),
    };

    public static string MissingText(IEnumerable<MissingData> missing) => JoinAnd(missing.Select(Missing));

    /// <summary>"a, b and c".</summary>
    public static string JoinAnd(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list[..^1]) + " and " + list[^1];
    }

    public static string Workup(AdditionalWorkup workup) => workup switch
    {
        AdditionalWorkup.Prolactin => "Prolactin (AUA 2018 statement 7)",
        AdditionalWorkup.PituitaryMri => "Pituitary MRI (ES 2018: testosterone below 150 ng/dL or raised prolactin)",
        AdditionalWorkup.IronStudies => "Iron studies for hemochromatosis",
        AdditionalWorkup.SemenAnalysis => "Semen analysis before treatment (AUA 2018 statement 10)",
        AdditionalWorkup.Estradiol => "Estradiol for breast symptoms (AUA 2018 statement 9)",
        AdditionalWorkup.Karyotype => "Karyotype (Klinefelter syndrome) for primary hypogonadism (ES 2018)",
        _ => throw new ArgumentOutOfRangeException(nameof(workup), workup, null),
    };

    /// <summary>Comparators in words, so no angle bracket reaches the Markdown.</summary>
    public static string Comparator(ValueComparator comparator) => comparator switch
    {
        ValueComparator.Equal => string.Empty,
        ValueComparator.LessThan => "below ",
        ValueComparator.LessOrEqual => "at most ",
        ValueComparator.GreaterThan => "above ",
        ValueComparator.GreaterOrEqual => "at least ",
        _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, null),
    };

    public static string DrugName(MedicationClass drug) => drug switch
    {
        MedicationClass.Clomiphene => "Clomiphene",
        MedicationClass.Enclomiphene => "Enclomiphene",
        MedicationClass.Hcg => "hCG",
        MedicationClass.Testosterone => "Testosterone",
        _ => drug.ToString(),
    };

    public static string DrugNameInSentence(MedicationClass drug) =>
        drug == MedicationClass.Hcg ? DrugName(drug) : DrugName(drug).ToLowerInvariant();

    /// <summary>
    /// Why exogenous testosterone and a wish for children do not go together (the reason the fertility-conflict card is
    /// critical; ES 2018 Table 4:
    /// "desire for fertility in the near term" is a contraindication; AUA 2018; EAU; Kim et al. Fertil Steril 2013).
    /// </summary>
    public const string TestosteroneSuppressesSpermatogenesis =
        "Testosterone from outside the body switches off the pituitary's LH and FSH (negative feedback). Without LH the " +
        "testes stop making their own testosterone, so the testosterone level inside the testes, which is many times the " +
        "blood level and is what sperm production needs, falls; without FSH and intratesticular testosterone, " +
        "spermatogenesis stops, often down to azoospermia. After stopping, recovery takes months and can take more " +
        "than a year (Kim 2013: most men recover within a year; after anabolic steroids sperm output took about 14 " +
        "months). The Endocrine Society (2018, Table 4) and the EAU list a wish for children in the near term as a " +
        "contraindication; the AUA (2018) advises against testosterone for men who want fertility.";

    public static string InsteadFor(Assessment assessment) => assessment.Classification switch
    {
        Classification.Secondary =>
            "In secondary hypogonadism the testes still work and only the signal is missing. A SERM restores the signal: " +
            "clomiphene citrate 25 mg daily (or 50 mg every other day; enclomiphene where available) raises LH, FSH and the " +
            "body's own testosterone while keeping sperm production. If a SERM fails or the pituitary is not intact, " +
            "hCG with or without FSH (AUA 2018; ES 2018; Liel 2017).",
        Classification.Primary =>
            "In primary hypogonadism the testes are failing and LH is already high, so SERMs and hCG are not effective. " +
            "Refer to reproductive urology before any testosterone: semen analysis, karyotype (and Y-microdeletion when " +
            "sperm counts are very low), sperm banking, and micro-TESE when there is no sperm in the ejaculate (AUA 2018; EAU).",
        Classification.ExogenousAndrogen =>
            "He has taken testosterone or anabolic steroids recently. Stop them; hCG and/or clomiphene can restart sperm " +
            "production, and recovery takes months (McBride and Coward 2016).",
        Classification.InsufficientData =>
            "Hypogonadism is not yet confirmed. Complete the work-up first; if it is confirmed, choose a " +
            "fertility-preserving option (a SERM for secondary, referral for primary).",
        _ =>
            "Testosterone is not indicated for this result pattern. If fertility is a concern, start with a semen analysis " +
            "and a referral to reproductive urology.",
    };
}
