namespace CdsService.Protocol;

/// <summary>
/// One prefetch key: the FHIR query the EHR is asked to run, which is also the query this service runs itself when
/// the key is absent: discovery templates and fallback queries come from one definition so they cannot drift
/// (CDS Hooks 2.0 §Prefetch: a service must cope with any key left out and may fetch it itself).
/// Templates use only CDS Hooks 2.0 tokens ({{context.patientId}}, {{userPractitionerId}}); no FHIRPath, no today().
/// </summary>
/// <param name="Key">The prefetch key (also the name used in 412 messages).</param>
/// <param name="ResourceType">The FHIR resource type the query returns (a search returns a Bundle of it).</param>
/// <param name="QueryTemplate">Relative FHIR read or search URL with CDS Hooks tokens.</param>
/// <param name="RequiredForAssessment">
/// When true, an absent key with no <c>fhirServer</c> to fetch it from is a 412 (spec 2.0 §Prefetch: the service
/// SHALL answer 412 when it cannot get the data it needs). Optional keys are read when available.
/// </param>
public sealed record PrefetchQuery(string Key, string ResourceType, string QueryTemplate, bool RequiredForAssessment)
{
    /// <summary>The page size the template asks for; the fetch path follows <c>next</c> links up to a page limit.</summary>
    public int? PageSize { get; init; }
}
