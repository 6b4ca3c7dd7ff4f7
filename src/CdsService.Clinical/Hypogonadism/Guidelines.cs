namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The guideline citations the rules use, in one place so a rule row, a threshold and the generated rules document
/// always cite a source the same way. Rows cite the short name; <see cref="References"/> gives the full reference.
/// Evidence summary with each statement's verification status: shared reference clinical-brief §1–§4.
/// </summary>
public static class Guidelines
{
    public const string Aua2018 = "AUA 2018";
    public const string Es2018 = "ES 2018";
    public const string EauSrh = "EAU SRH";
    public const string Bssm2023 = "BSSM 2023";
    public const string Emas2010 = "EMAS (Tajar 2010)";
    public const string Vermeulen1999 = "Vermeulen 1999";
    public const string UsCorePregnancyIntent = "US Core pregnancy intent";
    public const string Esa2019Aas = "Shankara-Narayana 2019";
    public const string Kim2013 = "Kim 2013";
    public const string Liel2017 = "Liel 2017";
    public const string Chandrapal2016 = "Chandrapal 2016";
    public const string ClinicalBrief = "Clinical brief";

    public static IReadOnlyList<GuidelineReference> References { get; } =
    [
        new(Aua2018, "Mulhall JP et al. Evaluation and Management of Testosterone Deficiency: AUA Guideline. J Urol 2018;200:423.",
            "https://www.auanet.org/guidelines-and-quality/guidelines/testosterone-deficiency-guideline"),
        new(Es2018, "Bhasin S et al. Testosterone Therapy in Men With Hypogonadism: An Endocrine Society Clinical Practice Guideline. "
            + "J Clin Endocrinol Metab 2018;103:1715.",
            "https://www.endocrine.org/guidelines-and-clinical-practice/clinical-practice-guidelines/testosterone-therapy"),
        new(EauSrh, "European Association of Urology. Sexual and Reproductive Health guideline, chapter Male Hypogonadism.",
            "https://uroweb.org/guidelines/sexual-and-reproductive-health/chapter/male-hypogonadism"),
        new(Bssm2023, "Hackett G et al. British Society for Sexual Medicine Guidelines on Adult Testosterone Deficiency. "
            + "World J Mens Health 2023;41:508.", "https://pmc.ncbi.nlm.nih.gov/articles/PMC10307648/"),
        new(Emas2010, "Tajar A et al. Characteristics of secondary, primary, and compensated hypogonadism in aging men (EMAS). "
            + "J Clin Endocrinol Metab 2010; cut-offs confirmed in Eendebak et al. 2018.", null),
        new(Vermeulen1999, "Vermeulen A et al. A critical evaluation of simple methods for the estimation of free testosterone in "
            + "serum. J Clin Endocrinol Metab 1999;84:3666.", null),
        new(UsCorePregnancyIntent, "HL7 US Core Pregnancy Intent Codes (LOINC 86645-9 'Pregnancy intention in the next year - "
            + "Reported').", "https://hl7.org/fhir/us/core/ValueSet-us-core-pregnancy-intent.html"),
        new(Esa2019Aas, "Shankara-Narayana N, Handelsman DJ et al. ESA-SRB 2019: recovery after anabolic steroid use "
            + "(LH ~9 months, sperm output ~14 months).", null),
        new(Kim2013, "Kim ED et al. Recovery of spermatogenesis after testosterone therapy. Fertil Steril 2013;99:718.",
            "https://pubmed.ncbi.nlm.nih.gov/23219010/"),
        new(Liel2017, "Liel Y. Clomiphene citrate in the treatment of idiopathic or functional hypogonadotropic hypogonadism "
            + "in men. Endocr Pract 2017.", null),
        new(Chandrapal2016, "Chandrapal JC et al. Characterising the safety of clomiphene citrate in male patients "
            + "(PSA, hematocrit). 2016.", null),
        new(ClinicalBrief, "The project's clinical knowledge brief (shared reference clinical-brief.md), which records the "
            + "verification status of each statement.", null),
    ];
}

/// <summary>A citation: the short name rule rows use, the full reference and, where public, its address.</summary>
public sealed record GuidelineReference(string ShortName, string Citation, string? Url);
