using System.Text.Json.Nodes;
using CdsService.Examples;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;

namespace CdsService.IntegrationTests.Golden;

/// <summary>
/// Every drafted drug class through the real HTTP pipeline (JWT, prefetch, engine, cards, schema): order-select and
/// order-sign with each example draft get at least one card for a man the rules cover, and a call that fetched data but
/// answers with no card logs why (rules document §10a; Log event 1070).
/// </summary>
public sealed class DraftedDrugScreenTests(GoldenApp app) : IClassFixture<GoldenApp>
{
    public static TheoryData<HookKind, ExampleDraftOrder> EveryDraftOnBothOrderHooks()
    {
        var data = new TheoryData<HookKind, ExampleDraftOrder>();
        foreach (var hook in new[] { HookKind.OrderSelect, HookKind.OrderSign })
        {
            foreach (var draft in ExampleDraftOrders.All)
            {
                data.Add(hook, draft);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryDraftOnBothOrderHooks))]
    public async Task GivenAnyDraftInScope_WhenOrderedForAManTheRulesCover_ThenAtLeastOneCardAndNoSilenceLogged(HookKind hook, ExampleDraftOrder draft)
    {
        var request = GoldenScenarios.Build("clomiphene-liver-vte", hook, draft);
        app.Factory.Logs.Clear();

        var body = JsonNode.Parse(await app.CallAsync(request.ServiceId, request.Body))!;

        Assert.NotEmpty(body["cards"]!.AsArray());
        Assert.Empty(app.Factory.Logs.Named("DraftedOrderWithoutCard"));
    }

    [Fact]
    public async Task GivenAPatientOutsideTheRules_WhenAnAnabolicSteroidIsDrafted_ThenNoCardAndTheLogSaysWhy()
    {
        var request = GoldenScenarios.Build("female-birth-sex", HookKind.OrderSign, ExampleDraftOrder.NandroloneDecanoate);
        app.Factory.Logs.Clear();

        var body = JsonNode.Parse(await app.CallAsync(request.ServiceId, request.Body))!;

        Assert.Empty(body["cards"]!.AsArray());
        var logged = Assert.Single(app.Factory.Logs.Named("DraftedOrderWithoutCard"));
        Assert.Equal("outside-rules-scope", CollectingSink.Property(logged, "Reason"));
    }

    [Theory]
    [InlineData("nandrolone-wants-children", "anabolic-steroid-order", "critical")]
    [InlineData("anastrozole-osteoporosis", "aromatase-inhibitor-order", "warning")]
    [InlineData("clomiphene-liver-vte", "fertility-drug-contraindication", "critical")]
    [InlineData("enclomiphene-pe-visual", "fertility-drug-contraindication", "warning")]
    [InlineData("hcg-prostate-cancer", "fertility-drug-contraindication", "critical")]
    [InlineData("follitropin-unconfirmed", "fertility-drug-contraindication", "warning")]
    [InlineData("prostate-history-polycythemia", "trt-contraindication", "warning")]
    [InlineData("contra-prostate-breast-cancer", "trt-contraindication", "critical")]
    public async Task GivenAScenario_WhenItsDraftIsSigned_ThenTheScreenCardLeadsWithTheIndicatorTheIssueAsksFor(
        string scenarioId, string topic, string indicator)
    {
        var (hook, draft) = GoldenScenarios.DefaultCall(scenarioId);
        var request = GoldenScenarios.Build(scenarioId, hook, draft);

        var cards = JsonNode.Parse(await app.CallAsync(request.ServiceId, request.Body))!["cards"]!.AsArray();

        var first = cards[0]!;
        Assert.Equal(topic, (string?)first["source"]!["topic"]!["code"]);
        Assert.Equal(indicator, (string?)first["indicator"]);
    }

    [Theory]
    [InlineData("breast-cancer-chart")]
    [InlineData("contra-prostate-breast-cancer")]
    public async Task GivenAnAbsoluteContraindication_WhenTheChartIsOpened_ThenTheSummaryNeverOffersTestosterone(string scenarioId)
    {
        var request = GoldenScenarios.Build(scenarioId, HookKind.PatientView, null);

        var body = await app.CallAsync(request.ServiceId, request.Body);

        Assert.DoesNotContain("testosterone replacement is an option", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("testosterone-contraindicated", body, StringComparison.Ordinal);
    }
}
