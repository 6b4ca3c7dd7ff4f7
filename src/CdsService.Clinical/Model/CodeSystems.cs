namespace CdsService.Clinical.Model;

/// <summary>
/// The code-system URIs the service reads and writes, each once. They are the canonical URIs FHIR R4 names for these
/// external terminologies (R4 §4.2 "Using Codes in resources", the External Terminologies list on
/// terminology.hl7.org); a coding is matched on the exact string, so a second spelling in another file would be a
/// silent mismatch.
/// </summary>
public static class CodeSystems
{
    /// <summary>LOINC: laboratory tests and survey questions (and LOINC answer lists, LA codes).</summary>
    public const string Loinc = "http://loinc.org";

    /// <summary>SNOMED CT (any edition).</summary>
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>ICD-10-CM, the US clinical modification of ICD-10.</summary>
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";

    /// <summary>RxNorm (US National Library of Medicine).</summary>
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    /// <summary>UCUM, the units of measure of Quantity.system/code.</summary>
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>HL7 medicationrequest-category (inpatient, outpatient, community, discharge).</summary>
    public const string MedicationRequestCategory = "http://terminology.hl7.org/CodeSystem/medicationrequest-category";

    /// <summary>
    /// HL7 non-adherence reason codes, the override reasons CDS Hooks 2.0 feedback may carry
    /// (§Feedback, overrideReasons).
    /// </summary>
    public const string NonAdherenceReason = "http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes";

    /// <summary>CDC Race and Ethnicity code system, the codes of US Core race's ombCategory (e.g. 2054-5).</summary>
    public const string CdcRaceAndEthnicity = "urn:oid:2.16.840.1.113883.6.238";

    /// <summary>OMB race category "Black or African American" (US Core race, ombCategory).</summary>
    public const string OmbBlackOrAfricanAmerican = "2054-5";

    /// <summary>HL7 v3 RoleCode: FamilyMemberHistory.relationship (FTH father, BRO brother, SON son…).</summary>
    public const string V3RoleCode = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
}

/// <summary>
/// The LOINC codes the code names directly (cards' suggested orders, monitoring plans, the pregnancy-intention
/// question). Which codes count as which analyte is data, not code: the ValueSets in fhir-profiles/terminology.
/// </summary>
public static class Loinc
{
    /// <summary>Testosterone [Mass/volume] in Serum or Plasma.</summary>
    public const string TotalTestosterone = "2986-8";

    /// <summary>Sex hormone binding globulin [Moles/volume] in Serum or Plasma.</summary>
    public const string Shbg = "13967-5";

    /// <summary>Lutropin [Units/volume] in Serum or Plasma.</summary>
    public const string Lh = "10501-5";

    /// <summary>Follitropin [Units/volume] in Serum or Plasma.</summary>
    public const string Fsh = "15067-2";

    /// <summary>Prolactin [Mass/volume] in Serum or Plasma.</summary>
    public const string Prolactin = "2842-3";

    /// <summary>Estradiol (E2) [Mass/volume] in Serum or Plasma.</summary>
    public const string Estradiol = "2243-4";

    /// <summary>Hematocrit [Volume Fraction] of Blood by Automated count.</summary>
    public const string Hematocrit = "4544-3";

    /// <summary>Prostate specific Ag [Mass/volume] in Serum or Plasma.</summary>
    public const string Psa = "2857-1";

    /// <summary>Pregnancy intention in the next year - Reported (US Core pregnancy intent).</summary>
    public const string PregnancyIntention = "86645-9";
}
