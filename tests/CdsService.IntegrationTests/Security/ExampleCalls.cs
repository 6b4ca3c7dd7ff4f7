using System.Text.Json.Nodes;
using CdsService.Examples;

namespace CdsService.IntegrationTests.Security;

/// <summary>The example scenarios (fhir-profiles/examples) as the hook calls an EHR would send, at the current time.</summary>
internal static class ExampleCalls
{
    public static ExampleLibrary Library { get; } = ExampleLibrary.FromDirectory(RepositoryPaths.Examples);

    /// <summary>The hook call for <paramref name="scenario"/>: full prefetch, or none and a fhirServer to fetch from.</summary>
    public static ExampleRequest Build(ExampleScenario scenario, JsonObject bundle, Uri? fhirServer = null, string? accessToken = null) =>
        HookRequests.For(scenario, bundle).FetchFrom(fhirServer, accessToken).Build();

    public static ExampleRequest Build(string scenarioId) =>
        Build(Library.Find(scenarioId) ?? throw new KeyNotFoundException(scenarioId), Library.LoadBundle(scenarioId));
}
