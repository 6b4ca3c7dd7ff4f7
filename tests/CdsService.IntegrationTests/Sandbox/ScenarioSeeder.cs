using System.Text;
using System.Text.Json.Nodes;

namespace CdsService.IntegrationTests.Sandbox;

/// <summary>Loads the example scenario Bundles into any FHIR server by POSTing each transaction to its base URL.</summary>
internal static class ScenarioSeeder
{
    public static async Task SeedAsync(HttpClient http, Uri baseUrl, CancellationToken cancellationToken)
    {
        foreach (var file in RepositoryPaths.ScenarioBundleFiles())
        {
            using var content = new StringContent(await File.ReadAllTextAsync(file, cancellationToken), Encoding.UTF8, "application/fhir+json");
            using var response = await http.PostAsync(baseUrl, content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException(
                    $"Seeding {Path.GetFileName(file)} failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    /// <summary>How many resources of each type a scenario Bundle holds.</summary>
    public static IReadOnlyDictionary<string, int> CountByType(string file) =>
        JsonNode.Parse(File.ReadAllText(file))!["entry"]!.AsArray()
            .GroupBy(e => (string)e!["resource"]!["resourceType"]!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
