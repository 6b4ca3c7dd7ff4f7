using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Cards;

/// <summary>
/// Every code the cards put on the wire, in one place, each with where it was verified. Codes marked [R] in the
/// clinical brief were looked up before being used here; anything that could not be verified is sent as text only.
/// </summary>
internal static class CardTerminology
{
    public const string Loinc = CodeSystems.Loinc;
    public const string Snomed = CodeSystems.Snomed;
    public const string RxNorm = CodeSystems.RxNorm;
    public const string Ucum = CodeSystems.Ucum;

    /// <summary>Our own CodeSystem for card topics, so feedback and analytics can group cards by type.</summary>
    public const string CardTopicSystem = "https://hypogonadism-cds.org/CodeSystem/card-topic";

    /// <summary>
    /// HL7 CDS Hooks override-reason codes (CDS Hooks 2.0 §Overridden guidance, STU; CodeSystem
    /// http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes as published in HL7/cds-hooks
    /// input/vocabulary/CodeSystem-non-adherence-reason-codes.json). Displays are copied verbatim.
    /// </summary>
    public const string OverrideReasonSystem = CodeSystems.NonAdherenceReason;

    /// <summary>
    /// clomiphene citrate 50 MG Oral Tablet (RxNorm SCD 1093060): the RxCUI openFDA lists for every generic
    /// 50 mg clomiphene tablet (e.g. NDC 16729-723, 52343-557, 55801-187). No 25 mg tablet is marketed, so the
    /// 25 mg daily dose (AUA 2018 / clinical brief §3.3) is prescribed as half a 50 mg tablet.
    /// </summary>
    public static readonly Coding ClomipheneTablet = new()
    {
        System = RxNorm, Code = "1093060", Display = "clomiphene citrate 50 MG Oral Tablet",
    };

    /// <summary>Oral route (SNOMED CT 26643006), as used across public FHIR Dosage examples.</summary>
    public static readonly Coding OralRoute = new() { System = Snomed, Code = "26643006", Display = "Oral route" };

    /// <summary>
    /// Referral to fertility clinic (SNOMED CT 183862006, member of the FHIR "referral type" value set). SNOMED has no
    /// "reproductive urology" referral concept; the text of the ServiceRequest names the service wanted.
    /// </summary>
    public static readonly Coding FertilityClinicReferral = new()
    {
        System = Snomed, Code = "183862006", Display = "Referral to fertility clinic",
    };

    /// <summary>Patient referral (SNOMED CT 3457005), the ServiceRequest category for referrals.</summary>
    public static readonly Coding ReferralCategory = new() { System = Snomed, Code = "3457005", Display = "Patient referral" };

    /// <summary>Laboratory procedure (SNOMED CT 108252007), the ServiceRequest category for lab orders.</summary>
    public static readonly Coding LaboratoryCategory = new()
    {
        System = Snomed, Code = "108252007", Display = "Laboratory procedure",
    };

    /// <summary>Hypogonadism (disorder), SNOMED CT 48130008 (clinical brief §5.3 [V]); the reason on suggested orders.</summary>
    public static readonly Coding Hypogonadism = new() { System = Snomed, Code = "48130008", Display = "Hypogonadism" };

    /// <summary>LOINC codes of the tests a card may order for missing data (clinical brief §5.1, all [V]).</summary>
    public static Coding LoincFor(MissingData missing) => missing switch
    {
        MissingData.MorningTotalTestosterone or MissingData.SecondMorningTotalTestosterone => TotalTestosterone,
        MissingData.Lh => new() { System = Loinc, Code = Clinical.Model.Loinc.Lh, Display = "Lutropin [Units/volume] in Serum or Plasma" },
        MissingData.Fsh => new() { System = Loinc, Code = Clinical.Model.Loinc.Fsh, Display = "Follitropin [Units/volume] in Serum or Plasma" },
        MissingData.Shbg => new()
        {
            System = Loinc, Code = Clinical.Model.Loinc.Shbg, Display = "Sex hormone binding globulin [Moles/volume] in Serum or Plasma",
        },
        MissingData.Prolactin => new() { System = Loinc, Code = Clinical.Model.Loinc.Prolactin, Display = "Prolactin [Mass/volume] in Serum or Plasma" },
        _ => throw new ArgumentOutOfRangeException(nameof(missing), missing, "No LOINC code mapped for this missing-data code."),
    };

    private static readonly Coding TotalTestosterone = new()
    {
        System = Loinc, Code = Clinical.Model.Loinc.TotalTestosterone, Display = "Testosterone [Mass/volume] in Serum or Plasma",
    };

    /// <summary>Social history (HL7 observation-category), the category of a US Core pregnancy-intent Observation.</summary>
    public static readonly Coding SocialHistoryCategory = new()
    {
        System = "http://terminology.hl7.org/CodeSystem/observation-category", Code = "social-history", Display = "Social History",
    };

    /// <summary>LOINC 86645-9, the US Core pregnancy-intent question (US Core Pregnancy Intent Codes value set page).</summary>
    public static readonly Coding PregnancyIntention = new()
    {
        System = Loinc, Code = Clinical.Model.Loinc.PregnancyIntention, Display = "Pregnancy intention in the next year - Reported",
    };

    /// <summary>The service's own CodeSystem (fhir-profiles/terminology/CodeSystem-org.hypogonadism-cds.json).</summary>
    public const string ProjectCodeSystem = "https://hypogonadism-cds.org/CodeSystem/org.hypogonadism-cds";

    /// <summary>
    /// Why a clinician may go ahead with testosterone despite the critical card. Chosen from the HL7 override-reason
    /// codes so feedback can be analysed per reason (CDS Hooks 2.0 §Feedback: an overridden card reports the
    /// chosen <c>overrideReason</c> coding).
    /// </summary>
    public static IReadOnlyList<Coding> TestosteroneOverrideReasons { get; } =
    [
        new() { System = OverrideReasonSystem, Code = "patient-ineligible", Display = "Patient does not meet eligibility for recommended action" },
        new() { System = OverrideReasonSystem, Code = "prefers-alternative", Display = "Patient prefers an alternative approach or treatment" },
        new() { System = OverrideReasonSystem, Code = "expert-contradicts", Display = "Advice from expert contradicts the recommended action" },
        new() { System = OverrideReasonSystem, Code = "risk-benefit-ratio", Display = "Recipient assessment of risk/benefit ratio" },
    ];

    /// <summary>
    /// Override reasons the HL7 non-adherence codes do not cover, for a card about a wish for children: coded in the
    /// service's own CodeSystem (group "override-reason"), so feedback can still be counted per reason.
    /// </summary>
    public static IReadOnlyList<Coding> FertilityOverrideReasons { get; } =
    [
        .. TestosteroneOverrideReasons,
        new() { System = ProjectCodeSystem, Code = "override-reason.sperm-banked", Display = "Sperm already banked" },
        new() { System = ProjectCodeSystem, Code = "override-reason.fertility-plans-changed", Display = "Fertility plans changed / recorded in error" },
    ];
}
