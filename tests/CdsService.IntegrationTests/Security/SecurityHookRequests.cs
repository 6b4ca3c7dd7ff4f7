using System.Text.Json.Nodes;
using CdsService.IntegrationTests.Support;

namespace CdsService.IntegrationTests.Security;

/// <summary>Hook calls that make the service go to a FHIR server: no prefetch, a fhirServer and a bearer token.</summary>
internal static class SecurityHookRequests
{
    public static string NewAccessToken() => "at-" + Guid.NewGuid().ToString("N");

    /// <summary>patient-view with no prefetch at all, so every key must be fetched from <paramref name="fhirServer"/>.</summary>
    public static JsonObject FetchFrom(string fhirServer, string accessToken)
    {
        var request = HookRequests.PatientView();
        request.Remove("prefetch");
        request["fhirServer"] = fhirServer;
        request["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = 30,
            ["scope"] = "patient/Patient.read patient/Observation.read",
            ["subject"] = "cds-hypogonadism",
        };
        return request;
    }
}
