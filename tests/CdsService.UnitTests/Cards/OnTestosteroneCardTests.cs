using CdsService.Clinical.Model;
using CdsService.Protocol;
using CdsService.UnitTests.Clinical.Support;
using static CdsService.UnitTests.Cards.CardScenarios;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// Cards for men already on (or just off) testosterone and for the fertility-intent answer, from the real assessor: a
/// warning or critical card only where its suggestion changes the order (renewal with hematocrit above 54 % → critical,
/// cancel; PSA finding → warning, urology referral; hematocrit 48–54 %, overdue labs, unknown intent on a renewal → info).
/// </summary>
public sealed class OnTestosteroneCardTests
{
    private static SnapshotBuilder Renewal(int age = 50) =>
        SnapshotBuilder.AdultMan(age).With(Some.Symptom())
            .With(Some.Medication(MedicationClass.Testosterone, MedicationState.Active, startDaysAgo: 730)
                with { Display = "testosterone cypionate 200 MG/ML Injectable Solution" })
            .Drafting(MedicationClass.Testosterone);

    private static IReadOnlyList<Card> Cards(HookKind hook, SnapshotBuilder builder)
    {
        var snapshot = builder.Build();
        var assessment = new CdsService.Clinical.Hypogonadism.HypogonadismAssessor(
            CdsService.Clinical.Hypogonadism.ClinicalThresholds.Default, Some.Clock()).Assess(snapshot);
        var response = Composer().Compose(Request(hook, assessment, snapshot));
        Assert.All(response.Cards, card => CardAssertions.WellFormed(card, PatientId));
        return response.Cards;
    }

    private static string[] Topics(IReadOnlyList<Card> cards) => [.. cards.Select(c => c.Source.Topic!.Code)];

    [Fact]
    public void GivenARenewal_WhenHematocritIs55_ThenOneCriticalCardThatCancelsTheRenewal()
    {
        var cards = Cards(HookKind.OrderSign, Renewal().WithIntent(FertilityIntent.NotDesired)
            .With(Some.Hematocrit(55m, daysAgo: 15), Some.Psa(1m, daysAgo: 15), Some.TotalTestosterone(ngPerDl: 560, daysAgo: 15)));

        var card = Assert.Single(cards);
        Assert.Equal("on-testosterone-alert", card.Source.Topic!.Code);
        Assert.Equal(CardIndicator.Critical, card.Indicator);
        Assert.StartsWith("Withhold testosterone", card.Summary, StringComparison.Ordinal);
        var suggestion = Assert.Single(card.Suggestions!);
        Assert.Equal("delete", Assert.Single(suggestion.Actions!).Type);
        Assert.True(suggestion.IsRecommended);
    }

    [Fact]
    public void GivenARenewal_WhenHematocritIs50_ThenNoContraindicationOnlyTheMonitoringInfoWithTheNote()
    {
        var cards = Cards(HookKind.OrderSign, Renewal().WithIntent(FertilityIntent.NotDesired)
            .With(Some.Hematocrit(50m, daysAgo: 15), Some.Psa(1m, daysAgo: 15), Some.TotalTestosterone(ngPerDl: 560, daysAgo: 15)));

        var card = Assert.Single(cards);
        Assert.Equal("trt-monitoring", card.Source.Topic!.Code);
        Assert.Equal(CardIndicator.Info, card.Indicator);
        Assert.Contains("| Hematocrit raised (watch closely) | Hematocrit 50 % on", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("cypionate/enanthate injections", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenARenewal_WhenPsaRose_ThenAWarningWithAUrologyReferral()
    {
        var cards = Cards(HookKind.OrderSign, Renewal(58).WithIntent(FertilityIntent.NotDesired)
            .With(Some.Psa(1.0m, daysAgo: 300), Some.Psa(2.6m, daysAgo: 15), Some.Hematocrit(46m, daysAgo: 15),
                Some.TotalTestosterone(ngPerDl: 560, daysAgo: 15)));

        var card = Assert.Single(cards);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        var referral = Assert.Single(Assert.Single(card.Suggestions!).Actions!);
        Assert.Equal("ServiceRequest", (string?)referral.Resource!["resourceType"]);
        Assert.Equal("Referral to urology", (string?)referral.Resource["code"]!["text"]);
    }

    [Fact]
    public void GivenARenewalAfterTwoYearsWithLabsOverdue_WhenSigned_ThenInfoWithDueNowOrdersNotBaseline()
    {
        var card = Assert.Single(Cards(HookKind.OrderSign, Renewal().WithIntent(FertilityIntent.NotDesired)));

        Assert.Equal(CardIndicator.Info, card.Indicator);
        Assert.Contains("tests due now", card.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("baseline", card.Summary, StringComparison.OrdinalIgnoreCase);
        var orders = Assert.Single(card.Suggestions!).Actions!;
        Assert.All(orders, a => Assert.DoesNotContain("(baseline)", a.Description, StringComparison.Ordinal));
        Assert.Contains(orders, a => a.Description == "Order Hematocrit now (due)");
    }

    [Fact]
    public void GivenARenewalWithIntentUnknown_WhenSigned_ThenTheIntentCardIsInfoAndOffersToRecordTheAnswer()
    {
        var cards = Cards(HookKind.OrderSign, Renewal()
            .With(Some.Hematocrit(46m, daysAgo: 15), Some.Psa(1m, daysAgo: 15), Some.TotalTestosterone(ngPerDl: 560, daysAgo: 15)));

        Assert.Equal(["fertility-intent-undocumented", "trt-monitoring"], Topics(cards));
        Assert.All(cards, c => Assert.Equal(CardIndicator.Info, c.Indicator));
        var observation = cards[0].Suggestions![0].Actions![0].Resource!;
        Assert.Equal("Observation", (string?)observation["resourceType"]);
        Assert.Equal("final", (string?)observation["status"]);
        Assert.Equal("86645-9", (string?)observation["code"]!["coding"]![0]!["code"]);
        Assert.Equal($"Patient/{PatientId}", (string?)observation["subject"]!["reference"]);
        Assert.Equal("2025-06-15T12:00:00+00:00", (string?)observation["effectiveDateTime"]);
    }

    [Fact]
    public void GivenANewStartWithIntentRecorded14MonthsAgo_WhenSigned_ThenWarningSaysWhenItWasLastDocumented()
    {
        var cards = Cards(HookKind.OrderSign, SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired, daysAgo: 425)
            .Drafting(MedicationClass.Testosterone));

        var card = Assert.Single(cards, c => c.Source.Topic!.Code == "fertility-intent-undocumented");
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        var date = Some.Now.AddDays(-425).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"last documented {date}", card.Summary, StringComparison.Ordinal);
        Assert.Contains($"**Last documented:** does not want children in the near term on {date}", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAYoungManStartingTestosteroneWithoutWantingChildren_WhenSigned_ThenTheMonitoringCardOffersSpermBanking()
    {
        var card = Assert.Single(Cards(HookKind.OrderSign, SnapshotBuilder.SecondaryPattern(32).WithIntent(FertilityIntent.NotDesired)
            .Drafting(MedicationClass.Testosterone)));

        Assert.Equal("trt-monitoring", card.Source.Topic!.Code);
        Assert.Contains("offer sperm banking", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("BSSM 2023", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenStoppedTestosterone_WhenChartOpened_ThenRepeatAfterAWashoutOfWeeksNotContinue()
    {
        var card = Assert.Single(Cards(HookKind.PatientView, SnapshotBuilder.AdultMan(51).With(Some.Symptom())
            .With(Some.Medication(MedicationClass.Testosterone, MedicationState.Completed, startDaysAgo: 120, endDaysAgo: 30))));

        Assert.Contains("repeat morning total testosterone and LH after a washout of at least 26 weeks", card.Detail!, StringComparison.Ordinal);
        Assert.DoesNotContain("Continue current therapy", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAnAnabolicSteroidUser_WhenChartOpened_ThenStopAndCounsel()
    {
        var card = Assert.Single(Cards(HookKind.PatientView, SnapshotBuilder.AdultMan(28).With(Some.Symptom())
            .With(Some.Medication(MedicationClass.AnabolicSteroid, MedicationState.Active, startDaysAgo: 90))));

        Assert.Contains("stop the anabolic steroid and counsel", card.Summary, StringComparison.Ordinal);
        Assert.Contains("Stop the anabolic steroid and counsel him", card.Detail!, StringComparison.Ordinal);
        Assert.DoesNotContain("Continue current therapy", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenFertilityConflict_WhenDismissed_ThenSpermBankedAndPlansChangedAreOfferedInTheServicesCodeSystem()
    {
        var card = Assert.Single(Cards(HookKind.OrderSign, SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired)
            .Drafting(MedicationClass.Testosterone)), c => c.Source.Topic!.Code == "fertility-conflict");

        Assert.Contains(card.OverrideReasons!, r => r.Code == "override-reason.sperm-banked" && r.Display == "Sperm already banked"
            && r.System == "https://hypogonadism-cds.org/CodeSystem/org.hypogonadism-cds");
        Assert.Contains(card.OverrideReasons!, r => r.Code == "override-reason.fertility-plans-changed");
    }

    [Fact]
    public void GivenAConditionContraindication_WhenSummarised_ThenTheRecordsDisplayTextIsNotEchoed()
    {
        var cards = Cards(HookKind.OrderSign, SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired)
            .With(Some.Condition(ConditionKind.SevereSleepApneaUntreated, onsetDaysAgo: 50, display: "Obstructive sleep apnea (adult) (pediatric)"))
            .Drafting(MedicationClass.Testosterone));

        Assert.All(cards, c => Assert.DoesNotContain("(adult) (pediatric)", c.Summary, StringComparison.Ordinal));
    }
}
