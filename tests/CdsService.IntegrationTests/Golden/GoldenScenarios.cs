using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.Protocol;

namespace CdsService.IntegrationTests.Golden;

/// <summary>
/// The example scenarios of <c>fhir-profiles/examples/scenarios.json</c> as hook calls, built by the same
/// <see cref="ExampleRequestBuilder"/> the preview page and the CLI use, at the fixed evaluation time the examples were
/// written for.
/// </summary>
public static class GoldenScenarios
{
    /// <summary>The evaluation time of every golden and end-to-end test (fhir-profiles/README.md §Examples).</summary>
    public static readonly DateTimeOffset EvaluationTime = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<ExampleLibrary> LazyLibrary = new(() => ExampleLibrary.FromDirectory(RepositoryPaths.Examples));

    public static ExampleLibrary Library => LazyLibrary.Value;

    /// <summary>
    /// Settings every golden and end-to-end host shares. These suites send a few hundred calls in seconds from one
    /// client, far beyond the per-client rate limit (docs/security.md §5), which is not what they test; its own tests cover it.
    /// Likewise the FHIR deadline and attempt timeout: generous, so a loaded CI machine cannot turn a correct sandbox
    /// fetch into a 412 (the deadline is tested by FhirFailureTests' own short-deadline host).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> TestHostSettings { get; } = new Dictionary<string, string?>
    {
        ["CdsHooks:RateLimit:Enabled"] = "false",
        ["Fhir:Deadline"] = "00:00:20",
        ["Fhir:AttemptTimeout"] = "00:00:15",
    };

    /// <summary>Scenario ids for [MemberData].</summary>
    public static TheoryData<string> Ids
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var scenario in Library.Scenarios)
            {
                data.Add(scenario.Id);
            }

            return data;
        }
    }

    public static ExampleScenario Scenario(string id) =>
        Library.Find(id) ?? throw new KeyNotFoundException($"No scenario '{id}' in scenarios.json.");

    /// <summary>The hook and draft order scenarios.json gives for the scenario (the golden call).</summary>
    public static (HookKind Hook, ExampleDraftOrder? Draft) DefaultCall(string id) => HookRequests.ScenarioCall(Scenario(id));

    /// <summary>Every call a scenario can be shown with: patient-view, and order-select / order-sign with each draft.</summary>
    public static IEnumerable<(HookKind Hook, ExampleDraftOrder? Draft)> AllCalls()
    {
        yield return (HookKind.PatientView, null);
        foreach (var hook in new[] { HookKind.OrderSelect, HookKind.OrderSign })
        {
            foreach (var draft in ExampleDraftOrders.All)
            {
                yield return (hook, draft);
            }
        }
    }

    /// <summary>
    /// The hook call for a scenario with full prefetch (or, with <paramref name="fhirServer"/>, none). Its
    /// hookInstance is derived from the scenario and the call, so the committed request is stable and the service's
    /// card uuids (derived from hookInstance) are too.
    /// </summary>
    public static ExampleRequest Build(string id, HookKind hook, ExampleDraftOrder? draft, Uri? fhirServer = null, string? accessToken = null) =>
        HookRequests.For(Library.LoadBundle(id))
            .Hook(hook, draft)
            .At(EvaluationTime, shiftDates: false)
            .FetchFrom(fhirServer, accessToken)
            .WithHookInstance(NameBasedUuid($"golden/{id}/{hook.ToCode()}/{draft?.ToCode() ?? "none"}"))
            .Build();

    /// <summary>
    /// A name-based UUID (RFC 9562 §5.8 version 8 from SHA-256, as the card composer does): the same name always gives
    /// the same id, unlike the random hookInstance an EHR sends.
    /// </summary>
    public static string NameBasedUuid(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16).ToArray();
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true).ToString("D");
    }

    /// <summary>The response-level assessment extension, or null when the engine did not run.</summary>
    public static JsonObject? Assessment(JsonNode response) =>
        response["extension"]?[CdsService.Cards.AssessmentExtension.Key] as JsonObject;
}
