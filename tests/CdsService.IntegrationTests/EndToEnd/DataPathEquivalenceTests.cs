using System.Text.Json.Nodes;
using CdsService.Fhir.Prefetch;
using CdsService.IntegrationTests.Golden;
using CdsService.IntegrationTests.Sandbox;
using CdsService.IntegrationTests.Support;

namespace CdsService.IntegrationTests.EndToEnd;

/// <summary>The host for <see cref="DataPathEquivalenceTests"/>: default limits, the sandbox allowlisted.</summary>
public sealed class EquivalenceApp : SandboxApp;

/// <summary>
/// The service reaches the same answer however the EHR hands over the data. For every example
/// scenario, (a) full prefetch, (b) no prefetch at all with fhirServer + fhirAuthorization (everything is fetched from
/// the FHIR sandbox, seeded with the same Bundles) and (c) partial prefetch (a different subset of keys left out per
/// scenario and fetched) give the same assessment extension and the same cards. A difference is a defect in the
/// prefetch templates, the fallback queries or the mapping, never something to tolerate.
/// </summary>
[Collection(FhirSandboxCollection.Name)]
public sealed class DataPathEquivalenceTests(FhirSandboxFixture sandbox, EquivalenceApp app) : IClassFixture<EquivalenceApp>
{
    private static readonly string[] Keys = [.. PrefetchCatalog.All.Select(q => q.Key)];

    [Theory]
    [MemberData(nameof(GoldenScenarios.Ids), MemberType = typeof(GoldenScenarios))]
    public async Task GivenScenario_WhenDataComesFromFullPartialOrNoPrefetch_ThenAssessmentAndCardsAreEqual(string scenarioId)
    {
        var baseUrl = sandbox.RequireBaseUrl();
        var (hook, draft) = GoldenScenarios.DefaultCall(scenarioId);
        var full = GoldenScenarios.Build(scenarioId, hook, draft);
        var fetched = GoldenScenarios.Build(scenarioId, hook, draft, baseUrl, SandboxApp.AccessToken);
        Assert.Null(fetched.Body["prefetch"]);
        var dropped = DroppedKeys(scenarioId);
        var partial = Partial(full.Body, fetched.Body, dropped);

        var fromPrefetch = await CallAsync(full.ServiceId, full.Body);
        await ResetRequestLogAsync();
        var fromServer = await CallAsync(fetched.ServiceId, fetched.Body);
        var fetchedQueries = await sandbox.GetRequestCountAsync(Token);
        await ResetRequestLogAsync();
        var fromBoth = await CallAsync(full.ServiceId, partial);
        var partialQueries = await sandbox.GetRequestCountAsync(Token);

        // Proof the two other paths really read the sandbox: one query per key (more if a result had more pages).
        Assert.True(fetchedQueries >= Keys.Length, $"{scenarioId}: no prefetch made only {fetchedQueries} FHIR requests");
        Assert.True(partialQueries >= dropped.Count, $"{scenarioId}: partial prefetch made only {partialQueries} FHIR requests");

        Assert.True(GoldenScenarios.Assessment(fromPrefetch) is not null, $"{scenarioId}: the full-prefetch call produced no assessment");
        AssertSame(scenarioId, "no prefetch (all fetched from the sandbox)", fromPrefetch, fromServer);
        AssertSame(scenarioId, $"partial prefetch without [{string.Join(", ", dropped)}]", fromPrefetch, fromBoth);
    }

    [Fact]
    public void GivenAllScenarios_WhenPartialPrefetchIsBuilt_ThenEveryKeyIsLeftOutSomewhereAndNoTwoScenariosDropTheSameSet()
    {
        var subsets = GoldenScenarios.Library.Scenarios.Select(s => string.Join(',', DroppedKeys(s.Id))).ToList();

        Assert.Equal(subsets.Count, subsets.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Keys, key => Assert.Contains(subsets, s => s.Split(',').Contains(key)));
        Assert.DoesNotContain(string.Join(',', Keys), subsets);
        Assert.DoesNotContain(string.Empty, subsets);
    }

    /// <summary>
    /// The keys scenario number i leaves out: the bits of ((i + 1) × 53) mod 127 over the 7 catalogue keys. 127 is
    /// prime and 53 is coprime to it, so the 25 scenarios get 25 distinct, non-empty, never-complete subsets.
    /// </summary>
    private static List<string> DroppedKeys(string scenarioId)
    {
        var index = GoldenScenarios.Library.Scenarios.Select(s => s.Id).ToList().IndexOf(scenarioId);
        var all = (1 << Keys.Length) - 1;
        var mask = (index + 1) * 53 % all;
        return [.. Keys.Where((_, bit) => (mask & (1 << bit)) != 0)];
    }

    private static JsonObject Partial(JsonObject full, JsonObject fetched, IReadOnlyCollection<string> dropped)
    {
        var body = full.DeepClone().AsObject();
        body["fhirServer"] = fetched["fhirServer"]!.DeepClone();
        body["fhirAuthorization"] = fetched["fhirAuthorization"]!.DeepClone();
        var prefetch = body["prefetch"]!.AsObject();
        foreach (var key in dropped)
        {
            Assert.True(prefetch.Remove(key), $"prefetch has no key {key}");
        }

        return body;
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task ResetRequestLogAsync()
    {
        using var reset = await sandbox.Http.DeleteAsync(new Uri(sandbox.AdminUrl, "/__sandbox/requests"), Token);
        reset.EnsureSuccessStatusCode();
    }

    private async Task<JsonNode> CallAsync(string serviceId, JsonObject body)
    {
        using var response = await app.PostAsync(sandbox, serviceId, body);
        using var _ = await CdsAssert.CdsResponseAsync(response);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Token))!;
    }

    private static void AssertSame(string scenarioId, string path, JsonNode expected, JsonNode actual)
    {
        var want = GoldenJson.Normalised(expected);
        var got = GoldenJson.Normalised(actual);
        Assert.True(want == got, $"{scenarioId}: {path} differs from full prefetch (- full prefetch, + {path}):\n{GoldenJson.Diff(want, got)}");
    }
}
