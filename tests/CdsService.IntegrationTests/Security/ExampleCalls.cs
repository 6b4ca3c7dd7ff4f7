using System.Text.Json.Nodes;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.IntegrationTests.Examples;
using CdsService.Protocol;

namespace CdsService.IntegrationTests.Security;

/// <summary>The example scenarios (fhir-profiles/examples) as the hook calls an EHR would send, via the shared ExampleRequestBuilder.</summary>
internal static class ExampleCalls
{
    public static ExampleLibrary Library { get; } = ExampleLibrary.FromDirectory(RepositoryPaths.Examples);

    /// <summary>The hook call for <paramref name="scenario"/>: full prefetch, or none and a fhirServer to fetch from.</summary>
    public static ExampleRequest Build(ExampleScenario scenario, JsonObject bundle, Uri? fhirServer = null, string? accessToken = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (!WireCodes.TryParse<HookKind>(scenario.Hook, out var hook))
        {
            throw new InvalidDataException($"Scenario {scenario.Id} names an unknown hook '{scenario.Hook}'.");
        }

        return ExampleRequestBuilder.Build(bundle, new ExampleRequestOptions
        {
            Hook = hook,
            DraftOrder = ExampleDraftOrders.TryParse(scenario.DraftOrder, out var draft) ? draft : null,
            Now = TimeProvider.System.GetUtcNow(),
            FhirServer = fhirServer,
            FhirAccessToken = accessToken,
        });
    }

    public static ExampleRequest Build(string scenarioId) =>
        Build(Library.Find(scenarioId) ?? throw new KeyNotFoundException(scenarioId), Library.LoadBundle(scenarioId));
}
