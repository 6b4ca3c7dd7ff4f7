using System.Text.Json.Nodes;

namespace CdsService.IntegrationTests.Golden;

/// <summary>
/// The engine, reached through the real HTTP pipeline, agrees with the assessments derived by hand from the issue-3
/// rules in scenarios.json (classification, fertilityIntent, recommendation and, where given, the TRT
/// contraindications). The golden files pin the whole answer; this test says which part of it is clinically wrong.
/// </summary>
public sealed class ScenarioExpectationTests(GoldenApp app) : IClassFixture<GoldenApp>
{
    [Theory]
    [MemberData(nameof(GoldenScenarios.Ids), MemberType = typeof(GoldenScenarios))]
    public async Task GivenScenario_WhenAssessedThroughTheApi_ThenTheAssessmentExtensionMatchesTheHandDerivedExpectation(string scenarioId)
    {
        var scenario = GoldenScenarios.Scenario(scenarioId);
        var (hook, draft) = GoldenScenarios.DefaultCall(scenarioId);
        var request = GoldenScenarios.Build(scenarioId, hook, draft);

        var body = JsonNode.Parse(await app.CallAsync(request.ServiceId, request.Body))!;

        var assessment = GoldenScenarios.Assessment(body);
        Assert.True(assessment is not null, $"{scenarioId}: no assessment extension in {body.ToJsonString()}");
        var expected = scenario.Expected;
        var mismatches = new List<string>();
        foreach (var member in new[] { "classification", "fertilityIntent", "recommendation" })
        {
            var want = (string?)expected[member];
            var got = (string?)assessment[member];
            if (want != got)
            {
                mismatches.Add($"{member}: expected {want ?? "null"}, engine {got ?? "null"}");
            }
        }

        if (expected["trtContraindications"] is JsonArray wantedCodes)
        {
            var want = wantedCodes.Select(c => (string)c!).Order(StringComparer.Ordinal).ToList();
            var got = (assessment["trtContraindications"] as JsonArray ?? []).Select(c => (string)c!).Order(StringComparer.Ordinal).ToList();
            if (!want.SequenceEqual(got, StringComparer.Ordinal))
            {
                mismatches.Add($"trtContraindications: expected [{string.Join(", ", want)}], engine [{string.Join(", ", got)}]");
            }
        }

        // The drafted-drug screen (rules document §10a), written "drug-class/code" in scenarios.json.
        if (expected["orderContraindications"] is JsonArray wantedOrderCodes)
        {
            var want = wantedOrderCodes.Select(c => (string)c!).Order(StringComparer.Ordinal).ToList();
            var got = (assessment["orderContraindications"] as JsonArray ?? [])
                .Select(c => $"{(string)c!["drugClass"]!}/{(string)c!["code"]!}")
                .Order(StringComparer.Ordinal)
                .ToList();
            if (!want.SequenceEqual(got, StringComparer.Ordinal))
            {
                mismatches.Add($"orderContraindications: expected [{string.Join(", ", want)}], engine [{string.Join(", ", got)}]");
            }
        }

        // On-treatment monitoring alerts (rules document section 11a), in table order, where the scenario states them.
        if (expected["monitoringAlerts"] is JsonArray wantedAlerts)
        {
            var want = wantedAlerts.Select(c => (string)c!).ToList();
            var got = (assessment["monitoringAlerts"] as JsonArray ?? []).Select(c => (string)c!).ToList();
            if (!want.SequenceEqual(got, StringComparer.Ordinal))
            {
                mismatches.Add($"monitoringAlerts: expected [{string.Join(", ", want)}], engine [{string.Join(", ", got)}]");
            }
        }

        Assert.True(mismatches.Count == 0, $"{scenarioId} ({scenario.Title}):\n{string.Join("\n", mismatches)}");
    }
}
