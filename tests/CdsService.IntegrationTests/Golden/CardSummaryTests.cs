using System.Text.Json.Nodes;
using CdsService.Clinical.Model;

namespace CdsService.IntegrationTests.Golden;

/// <summary>
/// docs/cards.md: every summary is under 140 characters (CDS Hooks 2.0 §Card: summary is a "&lt;140-character summary
/// message for display to the user"). Checked for every scenario under every call it can meet, not only the golden
/// one: patient-view, and order-select and order-sign with each draft order.
/// </summary>
public sealed class CardSummaryTests(GoldenApp app) : IClassFixture<GoldenApp>
{
    private const int MaxSummaryLength = 140;

    [Theory]
    [MemberData(nameof(GoldenScenarios.Ids), MemberType = typeof(GoldenScenarios))]
    public async Task GivenScenario_WhenCalledWithEveryHookAndDraftOrder_ThenEverySummaryIsUnder140Characters(string scenarioId)
    {
        var tooLong = new List<string>();
        var cardsSeen = 0;
        foreach (var (hook, draft) in GoldenScenarios.AllCalls())
        {
            var request = GoldenScenarios.Build(scenarioId, hook, draft);

            // CallAsync also validates each answer against the CDS Hooks response schema.
            var body = JsonNode.Parse(await app.CallAsync(request.ServiceId, request.Body))!;

            foreach (var card in body["cards"]!.AsArray())
            {
                cardsSeen++;
                var summary = (string)card!["summary"]!;
                if (summary.Length >= MaxSummaryLength)
                {
                    tooLong.Add($"{hook.ToCode()}/{draft?.ToString() ?? "-"}: {summary.Length} chars: {summary}");
                }
            }
        }

        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong));

        // Guards against a vacuous pass: the not-applicable scenarios (a woman, a 17-year-old) legitimately get no
        // cards; every adult man in the examples gets some.
        var classification = (string?)GoldenScenarios.Scenario(scenarioId).Expected["classification"];
        Assert.True(classification == "not-applicable" || cardsSeen > 0, $"{scenarioId}: no card in any call");
    }
}
