using System.Text.Json.Nodes;

namespace CdsService.IntegrationTests.Sandbox;

/// <summary>
/// The same seeding and patient-scoped queries as against the sandbox, against HAPI FHIR. Skipped (with the reason)
/// where Docker is not available, which is the case on these machines.
/// </summary>
[Collection(HapiFhirCollection.Name)]
public sealed class HapiFhirScenarioTests(HapiFhirFixture hapi)
{
    [Fact]
    public async Task GivenHapi_WhenSeedingEveryScenario_ThenEachPatientsResourcesAreFoundByBareId()
    {
        var baseUrl = hapi.RequireBaseUrl();
        var ct = TestContext.Current.CancellationToken;

        await ScenarioSeeder.SeedAsync(hapi.Http, baseUrl, ct);

        foreach (var file in RepositoryPaths.ScenarioBundleFiles())
        {
            var patient = Path.GetFileNameWithoutExtension(file);
            foreach (var (type, count) in ScenarioSeeder.CountByType(file).Where(t => t.Key != "Patient"))
            {
                var text = await hapi.Http.GetStringAsync(new Uri($"{baseUrl}/{type}?patient={patient}&_summary=count"), ct);
                Assert.Equal(count, (int?)JsonNode.Parse(text)!["total"]);
            }
        }
    }
}
