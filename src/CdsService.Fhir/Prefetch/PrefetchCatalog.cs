namespace CdsService.Fhir.Prefetch;

/// <summary>
/// One prefetch key: the FHIR query the EHR is asked to run, which is also the query this service runs itself when
/// the key is absent (issue 2: discovery templates and fallback queries come from one definition so they cannot drift).
/// Templates use only CDS Hooks 2.0 tokens ({{context.patientId}}, {{userPractitionerId}}); no FHIRPath, no today().
/// </summary>
public sealed record PrefetchQuery(string Key, string ResourceType, string QueryTemplate, bool RequiredForAssessment);

/// <summary>The prefetch keys every hypogonadism service declares (initial definition; the FHIR layer owns it).</summary>
public static class PrefetchCatalog
{
    public const string PatientKey = "patient";
    public const string HormoneLabsKey = "hormoneLabs";
    public const string SafetyLabsKey = "safetyLabs";
    public const string ConditionsKey = "conditions";
    public const string MedicationRequestsKey = "medicationRequests";
    public const string FertilityIntentKey = "fertilityIntent";

    public static IReadOnlyList<PrefetchQuery> All { get; } =
    [
        new(PatientKey, "Patient", "Patient/{{context.patientId}}", RequiredForAssessment: true),
        new(HormoneLabsKey, "Observation",
            "Observation?patient={{context.patientId}}&code=http://loinc.org|2986-8,http://loinc.org|14913-8,http://loinc.org|49041-7,http://loinc.org|2991-8,http://loinc.org|14914-6,http://loinc.org|103227-5,http://loinc.org|2990-0,http://loinc.org|13967-5,http://loinc.org|1751-7,http://loinc.org|10501-5,http://loinc.org|15067-2,http://loinc.org|2842-3,http://loinc.org|2243-4,http://loinc.org|14715-7&_sort=-date&_count=100",
            RequiredForAssessment: true),
        new(SafetyLabsKey, "Observation",
            "Observation?patient={{context.patientId}}&code=http://loinc.org|4544-3,http://loinc.org|20570-8,http://loinc.org|2857-1,http://loinc.org|2276-4&_sort=-date&_count=50",
            RequiredForAssessment: true),
        new(ConditionsKey, "Condition", "Condition?patient={{context.patientId}}&clinical-status=active,recurrence,relapse&_count=100", RequiredForAssessment: true),
        new(MedicationRequestsKey, "MedicationRequest", "MedicationRequest?patient={{context.patientId}}&status=active,on-hold,completed,stopped&_count=100", RequiredForAssessment: true),
        new(FertilityIntentKey, "Observation", "Observation?patient={{context.patientId}}&code=http://loinc.org|86645-9&_sort=-date&_count=5", RequiredForAssessment: true),
    ];
}
