using System.Collections.Immutable;

namespace CdsService.Clinical.Model;

/// <summary>
/// Everything the rules may look at for one patient, already mapped out of FHIR by CdsService.Fhir.
/// Immutable so one snapshot can be assessed concurrently and compared between data paths
/// (full prefetch, partial prefetch, FHIR queries must give the same snapshot).
/// </summary>
public sealed record PatientSnapshot
{
    /// <summary><c>Patient.gender</c> (administrative gender).</summary>
    public required AdministrativeSex Sex { get; init; }

    /// <summary>US Core birth sex (extension us-core-birthsex: M, F, UNK); null when not recorded.</summary>
    public AdministrativeSex? BirthSex { get; init; }

    /// <summary>
    /// Sex parameter for clinical use (extension patient-sexParameterForClinicalUse): male-typical → Male,
    /// female-typical → Female, specified or unknown → Unknown; null when not recorded. When present it decides
    /// whether male reference ranges apply.
    /// </summary>
    public AdministrativeSex? SexForClinicalUse { get; init; }

    /// <summary>
    /// Gender identity (US Core genderIdentity or individual-genderIdentity extension): identifies as male → Male, as
    /// female → Female, any other identity (non-binary, transgender) → Other; null when not recorded.
    /// </summary>
    public AdministrativeSex? GenderIdentity { get; init; }

    /// <summary>Birth date; null when the EHR did not send one (the patient is then assessed as an adult of unknown age).</summary>
    public DateOnly? BirthDate { get; init; }

    public ImmutableArray<LabResult> Labs { get; init; } = [];

    public ImmutableArray<ConditionFact> Conditions { get; init; } = [];

    /// <summary>Medications already prescribed or taken (MedicationRequest / MedicationStatement), excluding draft orders.</summary>
    public ImmutableArray<MedicationFact> Medications { get; init; } = [];

    public ImmutableArray<FertilityIntentRecord> FertilityIntents { get; init; } = [];

    /// <summary>Orders being selected or signed in this hook call (order-select / order-sign), empty for patient-view.</summary>
    public ImmutableArray<DraftOrder> DraftOrders { get; init; } = [];

    /// <summary>Inputs that were read but could not be used (unknown unit, unusable status); shown to the clinician, never guessed.</summary>
    public ImmutableArray<DataIssue> DataIssues { get; init; } = [];

    /// <summary>
    /// US Core race OMB categories (extension us-core-race, sub-extension ombCategory, CDC Race and Ethnicity codes such
    /// as 2054-5 "Black or African American"); empty when not recorded.
    /// </summary>
    public ImmutableArray<string> RaceCategories { get; init; } = [];

    /// <summary>Relatives' conditions from FamilyMemberHistory (prostate cancer), for the high-risk PSA limit.</summary>
    public ImmutableArray<FamilyHistoryFact> FamilyHistory { get; init; } = [];
}

public enum AdministrativeSex
{
    Unknown,
    Male,
    Female,
    Other,
}
