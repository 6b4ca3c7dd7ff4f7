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
        Classification.AndrogenDeprivation =>
            "On androgen deprivation for prostate cancer: low testosterone is the treatment's goal, not hypogonadism",
        Classification.OnFertilityTherapy =>
            "On fertility therapy (or stopped it in the last 3 months): LH, FSH and testosterone reflect the drug and are not classified",
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
        Classification.AndrogenDeprivation => "on androgen deprivation",
        Classification.OnFertilityTherapy => "on fertility therapy",
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
        // CLS-2: the classification decides the words whatever the recommendation row.
        _ when assessment.Classification == Classification.AndrogenDeprivation => AndrogenDeprivationNextStep,
        Recommendation.CompleteWorkup when assessment.AndrogenExposure == AndrogenExposure.StoppedTestosterone => StoppedNextStep(assessment),
        Recommendation.NoTestosteroneTherapy when assessment.AndrogenExposure == AndrogenExposure.AnabolicSteroid => AnabolicSteroidNextStep(assessment),
        Recommendation.TestosteroneReplacement when SymptomsMissing(assessment) => ConfirmSymptomsNextStep,
        Recommendation.TestosteroneReplacement =>
            "Testosterone replacement is an option if he has symptoms and no contraindication; follow the monitoring plan (ES 2018; AUA 2018). A SERM remains a documented alternative.",
        Recommendation.FertilityPreserving when SermBarred(assessment) => HcgNotSermNextStep,
        Recommendation.FertilityPreserving =>
            "Fertility-preserving therapy: clomiphene citrate 25 mg daily or 50 mg every other day (off-label in men; enclomiphene, where available, is not FDA-approved); hCG with or without FSH if a SERM fails or the pituitary is not intact. Avoid testosterone (AUA 2018; ES 2018).",
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
        Recommendation.ContinueWithMonitoring when assessment.Classification == Classification.OnFertilityTherapy =>
            "Continue the fertility therapy with its monitoring plan; LH, FSH and testosterone reflect the drug while he takes it and for 3 months after stopping, so they are not classified.",
        Recommendation.ContinueWithMonitoring when assessment.MonitoringAlerts.Any(a => OnTestosteroneAlert.IsActionable(a.Code)) =>
            "Continue testosterone only after acting on the results below: urology evaluation for the PSA finding (ES 2018, Table 8); LH and FSH cannot be interpreted while he takes testosterone.",
        Recommendation.ContinueWithMonitoring =>
            "Continue current therapy with monitoring; LH and FSH cannot be interpreted while he takes testosterone.",
        Recommendation.WithholdTestosterone =>
            "Withhold testosterone: his hematocrit on treatment is above the withhold limit. Stop until it falls to a safe level, evaluate for hypoxia and sleep apnoea, and restart at a reduced dose (ES 2018, Table 8; AUA 2018).",
        Recommendation.TreatUnderlyingCause => TreatFirst(assessment) is { Count: > 0 } first
            ? "Treat the underlying cause before any testosterone, clomiphene or hCG: " + string.Join("; ", first) + "."
            : "Treat the underlying cause before any testosterone, clomiphene or hCG.",
        Recommendation.NotApplicable => "None: the rules cover adult men only.",
        Recommendation.TestosteroneContraindicated => ContraindicatedNextStep(assessment),
        _ => throw new ArgumentOutOfRangeException(nameof(assessment), assessment.Recommendation, null),
    };

    // Names what forbids testosterone (the absolute findings), so the chart never reads as "testosterone is an option".
    private static string ContraindicatedNextStep(Assessment assessment)
    {
        var absolute = assessment.TrtContraindications
            .Where(static c => c.Severity == ContraindicationSeverity.Absolute)
            .Select(static c => ContraindicationShort(c.Code))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var because = absolute.Count > 0 ? " (" + JoinAnd(absolute) + ")" : string.Empty;
        return $"Testosterone is contraindicated{because}: do not start it, and stop it if he takes it. Manage hypogonadal symptoms with his oncology or urology team (ES 2018 Table 4).";
    }

    /// <summary>The next step in a few words, for summaries; the assessment decides where the words depend on more than the code.</summary>
    public static string NextStepShort(Assessment assessment) => assessment.Recommendation switch
    {
        _ when assessment.Classification == Classification.AndrogenDeprivation => "no testosterone (prostate cancer treatment)",
        Recommendation.TestosteroneReplacement when SymptomsMissing(assessment) => "confirm symptoms before testosterone",
        Recommendation.FertilityPreserving when SermBarred(assessment) => "hCG ± FSH via endocrinology, not clomiphene",
        Recommendation.CompleteWorkup when assessment.AndrogenExposure == AndrogenExposure.StoppedTestosterone =>
            "repeat testosterone and LH after the washout",
        Recommendation.NoTestosteroneTherapy when assessment.AndrogenExposure == AndrogenExposure.AnabolicSteroid =>
            "stop the anabolic steroid and counsel",
        Recommendation.TreatUnderlyingCause when FirstManagementCause(assessment) is { } cause =>
            "treat " + ClinicalWords.Describe(cause).ToLowerInvariant() + " first",
        _ => NextStepShort(assessment.Recommendation),
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
        Recommendation.TreatUnderlyingCause => "treat the underlying cause first",
        Recommendation.NotApplicable => "no advice",
        Recommendation.TestosteroneContraindicated => "no testosterone (contraindicated)",
        Recommendation.WithholdTestosterone => "withhold testosterone (hematocrit)",
        _ => throw new ArgumentOutOfRangeException(nameof(recommendation), recommendation, null),
    };

    // A man who stopped testosterone: repeat after the washout (rules document section 11a; the number of weeks is the
    // configured washout, whose source the thresholds table gives).
    private static string StoppedNextStep(Assessment assessment)
    {
        var weeks = assessment.WashoutWeeks ?? 0;
        var from = assessment.RetestAfterWashoutFrom is { } date ? $" (from {MarkdownText.Date(date)})" : " from the last dose";
        return $"He has stopped testosterone: repeat morning total testosterone and LH after a washout of at least {weeks} weeks{from}, "
            + "then assess as for a man not on androgens (AUA 2018: recheck 3–6 months after stopping). No testosterone monitoring plan meanwhile.";
    }

    // Anabolic steroids are not a treatment to continue: stop and counsel (Shankara-Narayana 2019: LH recovers in about 9
    // months, sperm output in about 14).
    private static string AnabolicSteroidNextStep(Assessment assessment) =>
        "Stop the anabolic steroid and counsel him about its harms and the slow recovery of his own hormones and sperm "
        + $"production (LH about 9 months, sperm about 14 months). Repeat morning total testosterone and LH no sooner than {assessment.WashoutWeeks ?? 0} "
        + "weeks after the last dose; no testosterone meanwhile (Shankara-Narayana 2019; ES 2018).";

    public static string Contraindication(TrtContraindication code) => code switch
    {
        TrtContraindication.FertilityDesired => "Wants children in the near term",
        TrtContraindication.HematocritAbove48 => "Hematocrit above 48 %",
        TrtContraindication.PsaAbove4 => "PSA above 4 ng/mL (above 3 ng/mL at high risk), not yet evaluated",
        TrtContraindication.ProstateCancer => "Prostate cancer",
        TrtContraindication.BreastCancer => "Breast cancer",
        TrtContraindication.UntreatedSevereSleepApnea => "Obstructive sleep apnoea, severity and treatment not recorded (untreated severe apnoea contraindicates)",
        TrtContraindication.UncontrolledHeartFailure => "Heart failure, control not recorded (uncontrolled heart failure contraindicates)",
        TrtContraindication.RecentMiOrStroke => "Myocardial infarction or stroke in the last 6 months",
        TrtContraindication.VteOrThrombophilia => "Venous thromboembolism or thrombophilia",
        TrtContraindication.ProstateCancerHistory => "History of prostate cancer: only with the urologist's agreement",
        TrtContraindication.Polycythemia => "Polycythaemia",
        TrtContraindication.AndrogenDeprivation => "On androgen deprivation for prostate cancer",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    public static string ContraindicationShort(TrtContraindication code) => code switch
    {
        TrtContraindication.FertilityDesired => "wants children",
        TrtContraindication.HematocritAbove48 => "hematocrit above 48 %",
        TrtContraindication.PsaAbove4 => "raised PSA",
        TrtContraindication.ProstateCancer => "prostate cancer",
        TrtContraindication.BreastCancer => "breast cancer",
        TrtContraindication.UntreatedSevereSleepApnea => "sleep apnoea, treatment not recorded",
        TrtContraindication.UncontrolledHeartFailure => "heart failure, control not recorded",
        TrtContraindication.RecentMiOrStroke => "recent MI or stroke",
        TrtContraindication.VteOrThrombophilia => "VTE or thrombophilia",
        TrtContraindication.ProstateCancerHistory => "history of prostate cancer",
        TrtContraindication.Polycythemia => "polycythaemia",
        TrtContraindication.AndrogenDeprivation => "androgen deprivation",
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
        MissingData.Symptoms => "a coded symptom or sign of androgen deficiency",
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
        MissingData.Symptoms => "symptoms",
        _ => throw new ArgumentOutOfRangeException(nameof(missing), missing, null),
    };

    /// <summary>Missing data a lab order can fill (symptoms are asked about, not ordered).</summary>
    public static bool IsLab(MissingData missing) => missing != MissingData.Symptoms;

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
        AdditionalWorkup.HfeGenotype => "HFE genotype and a hepatology opinion for possible iron overload (AASLD 2011; EASL 2022)",
        AdditionalWorkup.EndocrinologyReferral => "Endocrinology referral for hyperprolactinaemia or pituitary disease (AUA 2018 statement 8; ES 2018)",
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
        MedicationClass.Fsh => "FSH",
        MedicationClass.Testosterone => "Testosterone",
        MedicationClass.AromataseInhibitor => "Aromatase inhibitor",
        MedicationClass.AnabolicSteroid => "Anabolic steroid",
        _ => drug.ToString(),
    };

    public static string DrugNameInSentence(MedicationClass drug) =>
        drug is MedicationClass.Hcg or MedicationClass.Fsh ? DrugName(drug) : DrugName(drug).ToLowerInvariant();

    /// <summary>
    /// The regulatory status a prescriber must read in the card itself, not only behind a citation: clomiphene is approved
    /// for women only, enclomiphene not at all (FDA complete response letter 2015; EMA refusal 2018), aromatase inhibitors
    /// are approved for breast cancer in women; hCG is labelled for hypogonadism secondary to pituitary deficiency in men.
    /// </summary>
    public static string? LabelStatus(MedicationClass drug) => drug switch
    {
        MedicationClass.Clomiphene => "Clomiphene is approved for women only: its use in men is off-label.",
        MedicationClass.Enclomiphene => "Enclomiphene is not FDA-approved (and the EMA refused it in 2018, citing venous thromboembolism); in the US it is compounded only.",
        MedicationClass.AromataseInhibitor => "Aromatase inhibitors (anastrozole, letrozole) are approved for breast cancer in women: their use in men is off-label (AUA 2018).",
        MedicationClass.Fsh => "FSH is used in men with hCG to induce sperm production in hypogonadotropic hypogonadism.",
        _ => null,
    };

    public static string OrderReason(OrderContraindication code) => code switch
    {
        OrderContraindication.PituitaryTumor => "Pituitary tumour or other pituitary disease (label contraindication)",
        OrderContraindication.LiverDisease => "Liver disease (label contraindication)",
        OrderContraindication.VteOrThrombophilia => "Venous thromboembolism or thrombophilia",
        OrderContraindication.VisualDisturbance => "Visual disturbance (stop clomiphene if it is a side effect)",
        OrderContraindication.PrimaryHypogonadism => "Primary hypogonadism: the drug cannot work",
        OrderContraindication.UnconfirmedDiagnosis => "Hypogonadism not confirmed",
        OrderContraindication.ProstateCancer => "Prostate cancer (androgen-dependent neoplasm)",
        OrderContraindication.BreastCancer => "Breast cancer (androgen-dependent neoplasm)",
        OrderContraindication.Osteoporosis => "Osteoporosis",
        OrderContraindication.NotAHypogonadismTreatment => "Not a treatment for hypogonadism",
        OrderContraindication.FertilityDesired => "Wants children in the near term",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    public static string Severity(ContraindicationSeverity severity) =>
        severity == ContraindicationSeverity.Absolute ? "absolute" : "relative";

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
        Classification.Secondary when SermBarred(assessment) => HcgNotSermInstead,
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
        Classification.OnFertilityTherapy =>
            "He is already on fertility therapy (or stopped it in the last 3 months). Continue it with its monitoring " +
            "plan rather than switching to testosterone, which would stop the sperm production the therapy supports " +
            "(AUA 2018; ES 2018).",
        Classification.InsufficientData when SermBarred(assessment) =>
            "Hypogonadism is not yet confirmed, and a prolactin or pituitary cause is present: endocrinology first; " +
            "for fertility hCG with or without FSH, not clomiphene or enclomiphene (clomiphene label: contraindicated " +
            "with a pituitary tumour).",
        Classification.InsufficientData =>
            "Hypogonadism is not yet confirmed. Complete the work-up first; if it is confirmed, choose a " +
            "fertility-preserving option (a SERM for secondary, referral for primary).",
        _ =>
            "Testosterone is not indicated for this result pattern. If fertility is a concern, start with a semen analysis " +
            "and a referral to reproductive urology.",
    };

    /// <summary>
    /// Clomiphene and enclomiphene are not offered with hyperprolactinaemia or pituitary disease (docs/clinical/hypogonadism-rules.md,
    /// recommendation: never a SERM; the clomiphene label contraindicates it with a pituitary tumour).
    /// </summary>
    public static bool SermBarred(Assessment assessment) =>
        assessment.Causes.Any(c => c.Code is Cause.Hyperprolactinemia or Cause.PituitaryDisease);

    /// <summary>No symptom or sign is coded (docs/clinical/hypogonadism-rules.md, work-up: then no card may say testosterone fits; AUA 2018 statement 3).</summary>
    public static bool SymptomsMissing(Assessment assessment) => assessment.MissingData.Contains(MissingData.Symptoms);

    /// <summary>The causes whose own treatment comes before any hormone (docs/clinical/hypogonadism-rules.md, recommendation treat-underlying-cause).</summary>
    public static bool ChangesManagement(Cause cause) =>
        cause is Cause.Hyperprolactinemia or Cause.PituitaryDisease or Cause.Opioid or Cause.Glucocorticoid or Cause.IronOverload;

    public static Cause? FirstManagementCause(Assessment assessment)
    {
        foreach (var finding in assessment.Causes)
        {
            if (ChangesManagement(finding.Code))
            {
                return finding.Code;
            }
        }

        return null;
    }

    /// <summary>What to do first for a cause that changes management, as the lead line of the underlying-cause card.</summary>
    public static string FirstStep(Cause cause) => cause switch
    {
        Cause.Hyperprolactinemia =>
            "Refer to endocrinology; a dopamine agonist usually restores testosterone and fertility (AUA 2018 statement 8; ES 2018)",
        Cause.PituitaryDisease =>
            "Endocrinology first; for fertility hCG ± FSH, not clomiphene or enclomiphene (clomiphene label: contraindicated with a pituitary tumour)",
        Cause.Opioid => "Review the opioid first: it suppresses the axis, and testosterone often recovers when it is reduced or stopped (ES 2018)",
        Cause.Glucocorticoid => "Review the glucocorticoid first: it suppresses the axis (ES 2018)",
        Cause.IronOverload => "HFE genotype and hepatology: iron overload can damage the pituitary and testes (AASLD 2011; EASL 2022)",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "Not a cause that changes management."),
    };

    /// <summary>The first steps for every cause that changes management, in the causes table's order, one per cause.</summary>
    public static List<string> TreatFirst(Assessment assessment)
    {
        var steps = new List<string>(2);
        var seen = new HashSet<Cause>();
        foreach (var finding in assessment.Causes)
        {
            if (ChangesManagement(finding.Code) && seen.Add(finding.Code))
            {
                steps.Add(ClinicalWords.Describe(finding.Code) + ": " + FirstStep(finding.Code));
            }
        }

        return steps;
    }

    /// <summary>
    /// The line for functional causes (docs/clinical/hypogonadism-rules.md: obesity, type 2 diabetes and sleep apnoea do not change the
    /// recommendation; weight loss comes first, EAA 2020; sleep apnoea is treated before testosterone, ES 2018), only
    /// the parts that apply; null when none does.
    /// </summary>
    public static string? FunctionalCauses(Assessment assessment)
    {
        var weight = false;
        var apnoea = false;
        foreach (var finding in assessment.Causes)
        {
            weight |= finding.Code is Cause.Obesity or Cause.Type2Diabetes;
            apnoea |= finding.Code == Cause.SleepApnea;
        }

        return (weight, apnoea) switch
        {
            (true, true) => WeightAndApnoea,
            (true, false) => WeightOnly,
            (false, true) => ApnoeaOnly,
            _ => null,
        };
    }

    /// <summary>"age 35", or that it is unknown (docs/clinical/hypogonadism-rules.md, scope: no birth date → assessed as an adult, age shown as unknown).</summary>
    public static string Age(int? years) =>
        years is { } age ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"age {age}") : "age unknown (no birth date recorded)";

    public const string SymptomsNotCoded =
        "No symptom or sign of androgen deficiency is coded — confirm symptoms before treating (AUA 2018 statement 3)";

    private const string WeightPart = "Weight loss can raise testosterone and comes first (EAA 2020)";
    private const string ApnoeaPart = "treat sleep apnoea before starting testosterone (ES 2018)";
    private const string WeightAndApnoea = WeightPart + "; " + ApnoeaPart + ".";
    private const string WeightOnly = WeightPart + ".";
    private const string ApnoeaOnly = "Treat sleep apnoea before starting testosterone (ES 2018).";

    private const string AndrogenDeprivationNextStep =
        "No testosterone: he is on androgen deprivation for prostate cancer, whose goal is low testosterone (ES 2018 " +
        "Table 4; AUA 2018). Manage its effects (bone health, metabolic risk, hot flushes) with the oncology or urology team.";

    private const string ConfirmSymptomsNextStep =
        "Confirm symptoms or signs of androgen deficiency first: none is coded, and the diagnosis needs them with the low " +
        "values (AUA 2018 statement 3). If they are confirmed and there is no contraindication, testosterone replacement " +
        "with the monitoring plan (ES 2018; AUA 2018).";

    private const string HcgNotSermNextStep =
        "Fertility-preserving therapy with hCG with or without FSH, under endocrinology; not clomiphene or enclomiphene " +
        "(clomiphene label: contraindicated with a pituitary tumour). Avoid testosterone (AUA 2018; ES 2018).";

    private const string HcgNotSermInstead =
        "A prolactin or pituitary cause is present, so clomiphene and enclomiphene are not used: the clomiphene label " +
        "contraindicates it with a pituitary tumour, and hyperprolactinaemia is treated with a dopamine agonist, which " +
        "usually restores testosterone and fertility. Refer to endocrinology; for fertility, hCG with or without FSH " +
        "(AUA 2018 statement 8; ES 2018).";
}
