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
    public const string Eaa2020 = "EAA 2020";
    public const string ClomipheneLabel = "Clomiphene label";
    public const string Easl2022 = "EASL 2022";
    public const string Aasld2011 = "AASLD 2011";
    public const string WhoProlactinStandard = "WHO IS 84/500";
    public const string UsCorePatient = "US Core Patient";
    public const string SexForClinicalUse = "HL7 Sex Parameter for Clinical Use";
    public const string LabReferenceRanges = "Laboratory reference ranges";
    public const string LeuprolideLabel = "Leuprolide depot label";
    public const string UsCoreRace = "US Core race";
    public const string FdaTestosteroneVte = "FDA 2014 testosterone VTE warning";
    public const string EmaEnclomiphene2018 = "EMA 2018 (EnCyzix)";
    public const string HcgLabel = "hCG label";
    public const string AnabolicSteroidLabels = "Anabolic steroid labels";
    public const string AnastrozoleLabel = "Anastrozole label";

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
        new(Eaa2020, "Corona G et al. European Academy of Andrology (EAA) guidelines on investigation, treatment and monitoring "
            + "of functional hypogonadism in males. Andrology 2020;8:970.", "https://pubmed.ncbi.nlm.nih.gov/32426934/"),
        new(ClomipheneLabel, "Clomiphene citrate tablets, US prescribing information (DailyMed): contraindicated \"in the presence "
            + "of an organic intracranial lesion such as pituitary tumor\" and in liver disease; approved for women only.",
            "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=bea52e8e-b25c-438f-b046-ccf2fe82bca5"),
        new(Easl2022, "European Association for the Study of the Liver. EASL Clinical Practice Guidelines on haemochromatosis. "
            + "J Hepatol 2022;77:479 (men: transferrin saturation > 50 % and ferritin > 300 µg/L).",
            "https://pubmed.ncbi.nlm.nih.gov/35662478/"),
        new(Aasld2011, "Bacon BR et al. Diagnosis and management of hemochromatosis: 2011 practice guideline by the AASLD. "
            + "Hepatology 2011;54:328 (transferrin saturation ≥ 45 % or raised ferritin → HFE testing).",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC3149125/"),
        new(WhoProlactinStandard, "WHO 3rd International Standard for prolactin, 84/500 (WHO/BS/2016.2292); 1 ng/mL ≈ 21.2 mIU/L "
            + "for assays calibrated to it.", null),
        new(UsCorePatient, "HL7 US Core Patient profile: birth sex (us-core-birthsex: M, F, UNK) and gender identity extensions.",
            "https://hl7.org/fhir/us/core/StructureDefinition-us-core-birthsex.html"),
        new(SexForClinicalUse, "HL7 FHIR Extensions: patient-sexParameterForClinicalUse (male-typical, female-typical, specified, "
            + "unknown).", "https://hl7.org/fhir/extensions/StructureDefinition-patient-sexParameterForClinicalUse.html"),
        new(LabReferenceRanges, "Published adult male reference ranges: prolactin 2.1–17.7 ng/mL (ARUP 0070115), 3.5–19.4 ng/mL "
            + "(other US laboratories); FSH 1.5–12.4 IU/L (Roche Elecsys, University of Iowa laboratory handbook). The result's own "
            + "range always takes precedence (docs/clinical/evidence/confirmation-causes-scope.md).", null),
        new(LeuprolideLabel, "Leuprolide acetate depot suspension, US prescribing information: 1-, 3-, 4- and 6-month depot "
            + "formulations for advanced prostate cancer.", null),
        new(UsCoreRace, "HL7 US Core Race extension (us-core-race): sub-extension ombCategory, CDC Race and Ethnicity code system "
            + "urn:oid:2.16.840.1.113883.6.238; 2054-5 Black or African American.",
            "https://hl7.org/fhir/us/core/StructureDefinition-us-core-race.html"),
        new(FdaTestosteroneVte, "US FDA Drug Safety Communication, 19 June 2014: a general warning about venous thromboembolism "
            + "(deep-vein thrombosis, pulmonary embolism) required in the labels of all approved testosterone products.", null),
        new(EmaEnclomiphene2018, "European Medicines Agency, CHMP negative opinion on EnCyzix (enclomiphene), 25 January 2018: no "
            + "symptom benefit shown and a risk of venous thromboembolism. Enclomiphene is not FDA-approved (complete response "
            + "letter, 2015).", "https://www.ema.europa.eu/en/medicines/human/EPAR/encyzix"),
        new(HcgLabel, "Chorionic gonadotropin for injection (Novarel, Pregnyl, generic), US prescribing information: contraindicated "
            + "in precocious puberty, prostatic carcinoma or other androgen-dependent neoplasm, and prior allergic reaction to hCG.",
            null),
        new(AnabolicSteroidLabels, "Oxandrolone (Oxandrin) and other anabolic steroid US prescribing information: contraindicated "
            + "with known or suspected carcinoma of the prostate or of the breast in men.", null),
        new(AnastrozoleLabel, "Anastrozole tablets, US prescribing information: decreases in bone mineral density (approved for "
            + "breast cancer in women; use in men is off-label).", null),
        new(ClinicalBrief, "The project's clinical knowledge brief (shared reference clinical-brief.md), which records the "
            + "verification status of each statement.", null),
    ];
}

/// <summary>A citation: the short name rule rows use, the full reference and, where public, its address.</summary>
public sealed record GuidelineReference(string ShortName, string Citation, string? Url);
