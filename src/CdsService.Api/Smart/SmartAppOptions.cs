namespace CdsService.Api.Smart;

/// <summary>
/// Settings of the SMART on FHIR work-up view (section <c>SmartApp</c>, docs/configuration.md; ADR-0010). Off by
/// default; when enabled, cards link to it (CDS Hooks 2.0 §Link, type "smart").
/// </summary>
public sealed class SmartAppOptions
{
    public const string SectionName = "SmartApp";

    /// <summary>SMART App Launch v2 scopes, then the v1 <c>.read</c> spellings for EHRs that only know v1.</summary>
    public const string DefaultScopes =
        "launch openid fhirUser patient/Observation.rs patient/Condition.rs patient/MedicationRequest.rs patient/Patient.r " +
        "patient/Observation.read patient/Condition.read patient/MedicationRequest.read patient/Patient.read";

    public bool Enabled { get; set; }

    /// <summary>The client id the EHR registered the app under (public client: no secret; PKCE S256).</summary>
    public string ClientId { get; set; } = "hypogonadism-workup";

    public string Scopes { get; set; } = DefaultScopes;

    /// <summary>
    /// The FHIR base URLs the app may be launched against (the launch's <c>iss</c>). Any other <c>iss</c> is refused
    /// before the sign-in starts, and the page's CSP lets the browser reach only these origins.
    /// </summary>
    public List<string> FhirServers { get; set; } = [];

    /// <summary>Further origins the browser must reach: the EHR's authorization server when it is not on the FHIR server's origin.</summary>
    public List<string> ConnectOrigins { get; set; } = [];

    /// <summary>The largest body the work-up endpoint reads (the resources the page read for one patient).</summary>
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;
}
