namespace CdsService.Fhir.Data;

/// <summary>
/// Why a fhirServer was refused, in words an integration engineer can act on. Shown in the 412's OperationOutcome
/// (spec §HTTP Status Codes: 412 when the service cannot obtain required data), so it names the rule, never the URL.
/// </summary>
internal static class FhirServerRefusal
{
    public static string Describe(FhirServerAllowlist.Verdict verdict) => verdict switch
    {
        FhirServerAllowlist.Verdict.NotAllowlisted => "it is not one of the FHIR servers configured for this client",
        FhirServerAllowlist.Verdict.PlainHttpNotAllowed => "it is plain http; only https is allowed",
        FhirServerAllowlist.Verdict.NotAbsolute => "it is not an absolute URL",
        FhirServerAllowlist.Verdict.UnsupportedScheme => "its scheme is neither https nor http",
        FhirServerAllowlist.Verdict.UserInfo => "it carries user information",
        FhirServerAllowlist.Verdict.QueryOrFragment => "it carries a query or a fragment",
        FhirServerAllowlist.Verdict.EncodedPathSeparator => "its path holds an encoded separator",
        FhirServerAllowlist.Verdict.LinkLocalAddress => "it is a link-local address",
        _ => "refused by the fhirServer policy: " + verdict,
    };
}
