using System.Text.Json.Nodes;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.Fhir.Prefetch;
using CdsService.Protocol;

namespace CdsService.LoadTool;

/// <summary>
/// The request bodies of the benchmark cases, built by the tests' <see cref="HookRequests"/> (over ExampleRequestBuilder) from <see cref="BenchPatient"/>
/// so they carry exactly the prefetch the discovery templates ask for.
/// </summary>
internal static class BenchRequests
{
    /// <summary>
    /// The access token sent as <c>fhirAuthorization</c> in case 6; the sandbox is started with
    /// SANDBOX_REQUIRE_BEARER set to it, so a 200 proves the service forwards it (and only there).
    /// </summary>
    public const string SandboxAccessToken = "load-bench-sandbox-token";

    public static void Write(string directory, Uri? fhirServer)
    {
        Directory.CreateDirectory(directory);
        // The second call (after the sandbox has been seeded with the bundle) reuses it, so both paths hold one patient.
        var now = TimeProvider.System.GetUtcNow();
        var bundlePath = Path.Combine(directory, "patient-bundle.json");
        JsonObject bundle;
        if (File.Exists(bundlePath))
        {
            bundle = JsonNode.Parse(File.ReadAllText(bundlePath))!.AsObject();
        }
        else
        {
            bundle = BenchPatient.Build(now);
            File.WriteAllText(bundlePath, bundle.ToJsonString());
        }

        var orderSign = Call(bundle, HookKind.OrderSign, now).Build();
        CheckPrefetchSize(orderSign.Prefetch!);
        File.WriteAllText(Path.Combine(directory, "order-sign-prefetch.json"), orderSign.Body.ToJsonString());

        var orderSelect = WithUnrelatedDraft(Call(bundle, HookKind.OrderSelect, now).Build().Body, now);
        File.WriteAllText(Path.Combine(directory, "order-select-unrelated.json"), orderSelect.ToJsonString());

        // The same call from an EHR that sends no prefetch with order-select: the short-circuit alone (case 5b).
        orderSelect.Remove("prefetch");
        File.WriteAllText(Path.Combine(directory, "order-select-unrelated-no-prefetch.json"), orderSelect.ToJsonString());

        if (fhirServer is not null)
        {
            var fetched = Call(bundle, HookKind.OrderSign, now).FetchFrom(fhirServer, SandboxAccessToken).Build();
            File.WriteAllText(Path.Combine(directory, "order-sign-fhir.json"), fetched.Body.ToJsonString());

            // The queries the service sends for a request without prefetch, for the sandbox's own latency.
            var fhirBase = new Uri(fhirServer.AbsoluteUri.TrimEnd('/') + "/");
            var lines = PrefetchCatalog.All.Select(q =>
                $"{q.Key}\t{new Uri(fhirBase, q.QueryTemplate.Replace(PrefetchCatalog.PatientToken, BenchPatient.PatientId, StringComparison.Ordinal)).PathAndQuery}");
            File.WriteAllLines(Path.Combine(directory, "sandbox-queries.tsv"), lines);
        }
    }

    private static HookRequestBuilder Call(JsonObject bundle, HookKind hook, DateTimeOffset now) =>
        HookRequests.For(bundle).Hook(hook, ExampleDraftOrder.TestosteroneCypionate).At(now, shiftDates: false);

    /// <summary>The benchmark is only meaningful at the size docs/performance.md §The cases names for case 3; fail loudly if the builder sends less.</summary>
    private static void CheckPrefetchSize(JsonObject prefetch)
    {
        var observations = Entries(prefetch, PrefetchCatalog.HormoneLabsKey) + Entries(prefetch, PrefetchCatalog.SafetyLabsKey)
            + Entries(prefetch, PrefetchCatalog.FertilityIntentKey);
        var conditions = Entries(prefetch, PrefetchCatalog.ConditionsKey);
        var medications = Entries(prefetch, PrefetchCatalog.MedicationRequestsKey);
        if (observations != BenchPatient.ObservationCount || conditions != BenchPatient.ConditionCount || medications != BenchPatient.MedicationRequestCount)
        {
            throw new InvalidOperationException(
                $"The prefetch holds {observations} Observations, {conditions} Conditions and {medications} MedicationRequests; expected " +
                $"{BenchPatient.ObservationCount}, {BenchPatient.ConditionCount} and {BenchPatient.MedicationRequestCount}.");
        }
    }

    private static int Entries(JsonObject prefetch, string key) => (prefetch[key]?["entry"] as JsonArray)?.Count ?? 0;

    /// <summary>Case 5: the same call with an antihypertensive drafted instead, which the service must not assess.</summary>
    private static JsonObject WithUnrelatedDraft(JsonObject body, DateTimeOffset now)
    {
        const string draftId = "draft-lisinopril";
        var context = body["context"]!.AsObject();
        var patientId = context["patientId"]!.GetValue<string>();
        var draft = new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = draftId,
            ["status"] = "draft",
            ["intent"] = "order",
            ["medicationCodeableConcept"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = CodeSystems.RxNorm,
                    ["code"] = "314076",
                    ["display"] = "lisinopril 10 MG Oral Tablet",
                }),
                ["text"] = "lisinopril 10 MG Oral Tablet",
            },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
            ["authoredOn"] = now.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            ["dosageInstruction"] = new JsonArray(new JsonObject { ["text"] = "10 mg by mouth once daily" }),
        };
        context["selections"] = new JsonArray($"MedicationRequest/{draftId}");
        context["draftOrders"] = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "collection",
            ["entry"] = new JsonArray(new JsonObject { ["resource"] = draft }),
        };
        return body;
    }
}
