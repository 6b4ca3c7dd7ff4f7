using System.Text.Json.Nodes;
using CdsService.Cards;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using Microsoft.Extensions.Options;
using static CdsService.UnitTests.Cards.CardScenarios;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// The links every card carries besides the rules document and the guideline (CDS Hooks 2.0 §Link): the patient
/// handout (type absolute; not on the androgen-deprivation card) and, when the SMART app is enabled, the work-up view
/// (type smart, with appContext) — ADR-0010.
/// </summary>
public sealed class CardLinkTests
{
    private const string Handout = "https://cds.example.org/handout/low-testosterone";

    [Fact]
    public void GivenDefaultOptions_WhenCardsAreComposed_ThenEachLinksTheHandoutAndNoneLinksTheApp()
    {
        var response = Composer().Compose(Request(HookKind.OrderSign, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot(TestosteroneDraft())));

        Assert.NotEmpty(response.Cards);
        Assert.All(response.Cards, card =>
        {
            Assert.Single(card.Links!, l => l.Url == Handout && l.Type == "absolute" && l.AppContext is null);
            Assert.DoesNotContain(card.Links!, l => l.Type == "smart");
        });
    }

    [Fact]
    public void GivenAManOnAndrogenDeprivation_WhenTestosteroneIsDrafted_ThenHisCriticalCardDoesNotOfferTheTestosteroneOrFertilityHandout()
    {
        var response = Composer().Compose(Request(HookKind.OrderSign, Assessment(Classification.AndrogenDeprivation, FertilityIntent.NotDesired), Snapshot(TestosteroneDraft())));

        var card = Assert.Single(response.Cards, c => c.Source.Topic!.Code == "androgen-deprivation-conflict");
        Assert.DoesNotContain(card.Links!, l => l.Url == Handout);
    }

    [Fact]
    public void GivenTheAppIsEnabled_WhenCardsAreComposed_ThenEachLinksTheLaunchUrlWithTheHookInstanceAndDraftAsAppContext()
    {
        var composer = new CardComposer(Options.Create(new CardComposerOptions { PublicBaseUrl = PublicBaseUrl, SmartLaunchPath = "/smart/launch" }));
        var request = Request(HookKind.OrderSign, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot(TestosteroneDraft()));

        var response = composer.Compose(request);

        Assert.All(response.Cards, card =>
        {
            var smart = Assert.Single(card.Links!, l => l.Type == "smart");
            Assert.Equal("https://cds.example.org/smart/launch", smart.Url);
            var appContext = JsonNode.Parse(smart.AppContext!)!;
            Assert.Equal(request.HookInstance, appContext["hookInstance"]!.GetValue<string>());
            Assert.Equal("MedicationRequest/draft-t-1", Assert.Single(appContext["draftOrders"]!.AsArray())!.GetValue<string>());
        });
    }

    [Fact]
    public void GivenNoHandoutPath_WhenCardsAreComposed_ThenNoCardLinksAHandout()
    {
        var composer = new CardComposer(Options.Create(new CardComposerOptions { PublicBaseUrl = PublicBaseUrl, HandoutPath = null }));

        var response = composer.Compose(Request(HookKind.OrderSign, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot(TestosteroneDraft())));

        Assert.All(response.Cards, card => Assert.Equal(2, card.Links!.Count));
    }
}
