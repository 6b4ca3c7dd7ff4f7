using System.Collections.Immutable;
using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The drafted-drug screen of <see cref="HypogonadismRules"/>: every drug this service answers for that is not
/// testosterone (which has <see cref="ContraindicationRules"/>) is checked against its own label and guideline list.
/// Findings go to the assessment's own list, <c>orderContraindications</c>, one entry per drafted class and reason, so a
/// consumer can tell "clomiphene with liver disease" from "testosterone with liver disease"; the testosterone list keeps
/// its shape and meaning.
/// </summary>
public static partial class HypogonadismRules
{
    private static readonly MedicationClass[] Serms = [MedicationClass.Clomiphene, MedicationClass.Enclomiphene];
    private static readonly MedicationClass[] Gonadotropins = [MedicationClass.Hcg, MedicationClass.Fsh];
    private static readonly MedicationClass[] FertilityDrugs =
        [MedicationClass.Clomiphene, MedicationClass.Enclomiphene, MedicationClass.Hcg, MedicationClass.Fsh];
    private static readonly MedicationClass[] AndrogenDependentNeoplasiaScreen =
        [MedicationClass.Hcg, MedicationClass.Fsh, MedicationClass.AnabolicSteroid];

    /// <summary>The drafted classes the screen covers, in the order their findings are listed.</summary>
    public static ImmutableArray<MedicationClass> ScreenedDrugClasses { get; } =
    [
        MedicationClass.Clomiphene, MedicationClass.Enclomiphene, MedicationClass.Hcg, MedicationClass.Fsh,
        MedicationClass.AromataseInhibitor, MedicationClass.AnabolicSteroid,
    ];

    /// <summary>
    /// Reasons against a drafted drug other than testosterone. Every row that screens a drafted class and matches adds a
    /// finding for that class; absolute findings are listed before relative ones.
    /// </summary>
    public static ImmutableArray<OrderContraindicationRule> OrderContraindicationRules { get; } =
    [
        new("OCI-1", OrderContraindication.PituitaryTumor, ContraindicationSeverity.Absolute, Serms,
            "Pituitary disease is coded (pituitary adenoma or other neoplasm, acromegaly, Cushing's disease, hypopituitarism): "
            + "the label contraindicates clomiphene with an organic intracranial lesion such as a pituitary tumour; hCG ± FSH "
            + "under endocrinology instead (REC-7)",
            Guidelines.ClomipheneLabel,
            static f => ConditionEvidence(f, ConditionKind.PituitaryDisorder)),
        new("OCI-2", OrderContraindication.LiverDisease, ContraindicationSeverity.Absolute, Serms,
            "Liver disease is coded (K70–K77)",
            $"{Guidelines.ClomipheneLabel} (liver disease or a history of liver dysfunction)",
            static f => ConditionEvidence(f, ConditionKind.LiverDisease)),
        new("OCI-3", OrderContraindication.VteOrThrombophilia, ContraindicationSeverity.Relative, Serms,
            "Venous thromboembolism or thrombophilia is coded (as CI-9): SERMs are oestrogen-receptor modulators, and the EMA "
            + "refused enclomiphene for its risk of venous thromboembolism",
            $"{Guidelines.EmaEnclomiphene2018}; {Guidelines.ClomipheneLabel} (Canadian label: thrombophlebitis)",
            static f => NewestConditionEvidence(f, ConditionKind.VenousThromboembolism, ConditionKind.Thrombophilia)),
        new("OCI-4", OrderContraindication.VisualDisturbance, ContraindicationSeverity.Relative, Serms,
            "A subjective visual disturbance or a visual field defect is coded (H53.1, H53.4): the label says to stop clomiphene "
            + "and examine the eyes when visual symptoms occur; a visual side effect recorded in any other way cannot be read",
            Guidelines.ClomipheneLabel,
            static f => ConditionEvidence(f, ConditionKind.VisualDisturbance)),
        new("OCI-5", OrderContraindication.PrimaryHypogonadism, ContraindicationSeverity.Relative, FertilityDrugs,
            "Classification primary: LH is already high and the testes cannot respond, so a SERM, hCG or FSH does not raise "
            + "testosterone or sperm output (reproductive urology instead, REC-12)",
            $"{Es}; {Guidelines.EauSrh}; {Aua} (fertility statements)",
            static f => f.Classification == Classification.Primary
                ? new ScreenEvidence(PrimaryEvidence(f), f.Lh?.Time)
                : null),
        new("OCI-6", OrderContraindication.UnconfirmedDiagnosis, ContraindicationSeverity.Relative, FertilityDrugs,
            "Hypogonadism is not confirmed: classification insufficient-data, eugonadal or compensated (a fertility drug given "
            + "for male infertility with normal testosterone is a separate, off-label indication for reproductive urology)",
            $"{Aua}, statements 2 and 6; {Es}",
            static f => f.Classification is Classification.InsufficientData or Classification.Eugonadal or Classification.Compensated
                ? new ScreenEvidence(UnconfirmedEvidence(f.Classification), f.MorningTotal?.Time)
                : null),
        new("OCI-7", OrderContraindication.ProstateCancer, ContraindicationSeverity.Absolute, AndrogenDependentNeoplasiaScreen,
            "Prostate cancer is coded (active, C61): hCG (and FSH given with it) raises testosterone, and the hCG label "
            + "contraindicates it with prostatic carcinoma or another androgen-dependent neoplasm; anabolic steroid labels "
            + "contraindicate them likewise",
            $"{Guidelines.HcgLabel}; {Guidelines.AnabolicSteroidLabels}",
            static f => ConditionEvidence(f, ConditionKind.ProstateCancer)),
        new("OCI-8", OrderContraindication.BreastCancer, ContraindicationSeverity.Absolute, AndrogenDependentNeoplasiaScreen,
            "Breast cancer is coded (C50, Z85.3): male breast cancer is treated as an androgen-dependent neoplasm (judgement: the "
            + "hCG label names prostatic carcinoma \"or other androgen-dependent neoplasm\")",
            $"{Guidelines.HcgLabel}; {Guidelines.AnabolicSteroidLabels}",
            static f => ConditionEvidence(f, ConditionKind.BreastCancer)),
        new("OCI-9", OrderContraindication.Osteoporosis, ContraindicationSeverity.Relative, [MedicationClass.AromataseInhibitor],
            "Osteoporosis is coded (M80, M81): an aromatase inhibitor lowers estradiol, which the male skeleton needs; "
            + "off-label in men in any case (measure estradiol, and bone density on long use)",
            $"{Guidelines.AnastrozoleLabel} (bone mineral density falls); {Aua} (aromatase inhibitors off-label in men)",
            static f => ConditionEvidence(f, ConditionKind.Osteoporosis)),
        new("OCI-10", OrderContraindication.NotAHypogonadismTreatment, ContraindicationSeverity.Relative,
            [MedicationClass.AnabolicSteroid],
            "Any anabolic steroid drafted (nandrolone, oxandrolone, stanozolol, oxymetholone…): not a treatment for "
            + "hypogonadism — the guidelines treat it with testosterone preparations only — and it suppresses LH, FSH and sperm "
            + "output. Relative because some have other labelled uses; the prescriber confirms the indication",
            $"Judgement: {Aua} and {Es} name testosterone preparations only; {Guidelines.Esa2019Aas}",
            static _ => new ScreenEvidence("Anabolic steroid drafted; not a hypogonadism treatment", null)),
        new("OCI-11", OrderContraindication.FertilityDesired, ContraindicationSeverity.Absolute, [MedicationClass.AnabolicSteroid],
            "Fertility desired (as CI-1): an anabolic steroid suppresses sperm production for months, like testosterone",
            $"{Es}, Table 4; {Guidelines.Esa2019Aas}",
            static f => f.FertilityIntent != FertilityIntent.Desired
                ? null
                : new ScreenEvidence(f.IntentFromCondition
                    ? "Active male-infertility or procreative-management condition"
                    : "Fertility intent documented as desired", f.IntentDate)),
    ];

    private static ScreenEvidence? ConditionEvidence(AssessmentFacts f, ConditionKind kind) =>
        f.Condition(kind) is { } condition ? new ScreenEvidence(DescribeCondition(condition), AssessmentFacts.DateOf(condition)) : null;

    private static ScreenEvidence? NewestConditionEvidence(AssessmentFacts f, params ReadOnlySpan<ConditionKind> kinds)
    {
        ConditionFact? newest = null;
        foreach (var kind in kinds)
        {
            if (f.Condition(kind) is { } condition && (newest is null || AssessmentFacts.DateOf(condition) > AssessmentFacts.DateOf(newest)))
            {
                newest = condition;
            }
        }

        return newest is null ? null : new ScreenEvidence(DescribeCondition(newest), AssessmentFacts.DateOf(newest));
    }

    private static string PrimaryEvidence(AssessmentFacts f) =>
        f.Lh is { } lh ? string.Concat("Primary hypogonadism: ", DescribeValue("LH", lh)) : "Primary hypogonadism (testicular cause coded)";

    private static string UnconfirmedEvidence(Classification classification) => classification switch
    {
        Classification.Eugonadal => "Testosterone and LH normal (eugonadal)",
        Classification.Compensated => "Testosterone normal with LH high (compensated)",
        _ => "Work-up incomplete (insufficient-data)",
    };
}
