using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CdsService.Fhir.Prefetch;
using CdsService.IntegrationTests.Support;

namespace CdsService.Testing;

/// <summary>
/// The integration tests' part of <see cref="HookRequests"/>: synthetic hook request bodies (synthetic ids and no real
/// PHI) and the HTTP calls that send them. Shapes follow what real clients send, including the CDS Hooks sandbox's
/// quirks (draftOrders Bundle without "type", MedicationRequest.category as an object).
/// </summary>
internal static partial class HookRequests
{
    public const string PatientViewService = "hypogonadism-patient-view";
    public const string OrderSelectService = "hypogonadism-order-select";
    public const string OrderSignService = "hypogonadism-order-sign";

    public static string PatientId { get; } = "pat-" + Guid.NewGuid().ToString("N")[..8];

    public static JsonObject PatientView(JsonObject? prefetch = null) => new()
    {
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["hook"] = "patient-view",
        ["context"] = new JsonObject { ["userId"] = "Practitioner/prac-1", ["patientId"] = PatientId },
        ["prefetch"] = prefetch ?? FullPrefetch(),
    };

    /// <summary>order-sign as the CDS Hooks sandbox sends it (cds-hooks/sandbox rx-sign; spec brief §3).</summary>
    public static JsonObject OrderSign(JsonObject? prefetch = null) => new()
    {
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["hook"] = "order-sign",
        ["fhirServer"] = CdsApiFactory.AllowedFhirServer,
        ["context"] = new JsonObject
        {
            ["userId"] = "Practitioner/prac-1",
            ["patientId"] = PatientId,
            ["draftOrders"] = SandboxDraftOrders(),
        },
        ["prefetch"] = prefetch ?? FullPrefetch(),
    };

    public static string NewAccessToken() => "at-" + Guid.NewGuid().ToString("N");

    /// <summary>patient-view with no prefetch at all, so every key must be fetched from <paramref name="fhirServer"/>.</summary>
    public static JsonObject FetchFrom(string fhirServer, string accessToken)
    {
        var request = PatientView();
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

    public static JsonObject OrderSelect(JsonObject? prefetch = null)
    {
        var request = OrderSign(prefetch);
        request["hook"] = "order-select";
        request["context"]!["selections"] = new JsonArray("MedicationRequest/request-123");
        return request;
    }

    /// <summary>The request's JSON text without <paramref name="member"/> (malformed-request tests).</summary>
    public static string Without(JsonObject request, string member)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Remove(member);
        return request.ToJsonString();
    }

    /// <summary>The request's JSON text after <paramref name="change"/> (malformed-request tests).</summary>
    public static string With(JsonObject request, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        change(request);
        return request.ToJsonString();
    }

    /// <summary>The sandbox's draftOrders: no Bundle.type, MedicationRequest.category as an object, no intent.</summary>
    public static JsonObject SandboxDraftOrders() => new()
    {
        ["resourceType"] = "Bundle",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["resource"] = new JsonObject
            {
                ["resourceType"] = "MedicationRequest",
                ["id"] = "request-123",
                ["status"] = "draft",
                ["category"] = new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject
                    {
                        ["system"] = "http://terminology.hl7.org/CodeSystem/medicationrequest-category",
                        ["code"] = "outpatient",
                    }),
                },
                ["medicationCodeableConcept"] = new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject
                    {
                        ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm",
                        ["code"] = "197976",
                        ["display"] = "Methyltestosterone 10 MG Oral Tablet",
                    }),
                },
                ["subject"] = new JsonObject { ["reference"] = $"Patient/{PatientId}" },
            },
        }),
    };

    /// <summary>Every catalogue key answered: the Patient, and an empty searchset Bundle for each search.</summary>
    public static JsonObject FullPrefetch()
    {
        var prefetch = new JsonObject();
        foreach (var query in PrefetchCatalog.All)
        {
            prefetch[query.Key] = query.QueryTemplate.Contains('?', StringComparison.Ordinal)
                ? new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = 0 }
                : new JsonObject { ["resourceType"] = query.ResourceType, ["id"] = PatientId, ["gender"] = "male" };
        }

        return prefetch;
    }

    public static JsonObject ClientErrorOutcome() => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject { ["severity"] = "error", ["code"] = "timeout" }),
    };

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static StringContent Raw(string body) => new(body, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostHookAsync(this HttpClient client, string serviceId, JsonNode body) =>
        client.PostAsync(new Uri($"/cds-services/{serviceId}", UriKind.Relative), Json(body), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> GetDiscoveryAsync(this HttpClient client) =>
        client.GetAsync(new Uri("/cds-services", UriKind.Relative), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> PostFeedbackAsync(this HttpClient client, string serviceId, JsonNode body) =>
        client.PostAsJsonAsync($"/cds-services/{serviceId}/feedback", body, TestContext.Current.CancellationToken);
}
