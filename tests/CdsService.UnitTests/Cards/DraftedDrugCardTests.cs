using CdsService.Cards;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using CdsService.UnitTests.Clinical;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// Every drafted drug in scope gets a card (rules document §10a): a draft that made the service fetch data never ends in
/// silence for a man the rules cover. Built with the real engine so the selector sees real assessments.
/// </summary>
public sealed class DraftedDrugCardTests
{
    private static readonly MedicationClass[] InScope =
    [
        MedicationClass.Testosterone, MedicationClass.AnabolicSteroid, MedicationClass.Clomiphene, MedicationClass.Enclomiphene,
        MedicationClass.Hcg, MedicationClass.Fsh, MedicationClass.AromataseInhibitor,
    ];

    private static readonly string[] Patterns = ["primary", "secondary", "eugonadal", "compensated", "exogenous", "adt", "insufficient"];

    public static TheoryData<MedicationClass, string, FertilityIntent> Calls()
    {
        var data = new TheoryData<MedicationClass, string, FertilityIntent>();
        foreach (var drug in InScope)
        {
            foreach (var pattern in Patterns)
            {
                foreach (var intent in new[] { FertilityIntent.Desired, FertilityIntent.NotDesired, FertilityIntent.Unknown })
                {
                    data.Add(drug, pattern, intent);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void GivenAnyDraftedDrugInScope_WhenTheManIsInScope_ThenAtLeastOneCard(MedicationClass drug, string pattern, FertilityIntent intent)
    {
        var builder = pattern switch
        {
            "primary" => SnapshotBuilder.PrimaryPattern(),
            "eugonadal" => SnapshotBuilder.EugonadalPattern(),
            "compensated" => SnapshotBuilder.CompensatedPattern(),
            "exogenous" => RecommendationTests.Pattern("exogenous"),
            "adt" => SnapshotBuilder.SecondaryPattern().With(Some.Medication(MedicationClass.AndrogenDeprivation, MedicationState.Active, startDaysAgo: 30)),
            "insufficient" => SnapshotBuilder.AdultMan().With(Some.TotalTestosterone(250m)),
            _ => SnapshotBuilder.SecondaryPattern(),
        };
        if (intent != FertilityIntent.Unknown)
        {
            builder.WithIntent(intent);
        }

        var snapshot = builder.Drafting(drug).Build();
        var assessment = builder.Assess();

        var cards = CardSelector.Select(HookKind.OrderSign, assessment, snapshot);

        Assert.NotEmpty(cards);
        Assert.Equal("no-card-rule", CardSelector.SilenceReason(assessment));
    }

    [Theory]
    [InlineData(MedicationClass.AnabolicSteroid, FertilityIntent.Desired, CardKind.AnabolicSteroidOrder, CardIndicator.Critical)]
    [InlineData(MedicationClass.AnabolicSteroid, FertilityIntent.NotDesired, CardKind.AnabolicSteroidOrder, CardIndicator.Warning)]
    [InlineData(MedicationClass.AromataseInhibitor, FertilityIntent.Desired, CardKind.AromataseInhibitorOrder, CardIndicator.Warning)]
    public void GivenAnAnabolicSteroidOrAromataseInhibitor_WhenDrafted_ThenItsOwnCardWithTheIndicatorTheIssueAsksFor(
        MedicationClass drug, FertilityIntent intent, CardKind kind, CardIndicator indicator)
    {
        var builder = SnapshotBuilder.SecondaryPattern().WithIntent(intent).Drafting(drug);

        var response = Compose(builder);

        var card = Assert.Single(response.Cards, c => c.Source.Topic!.Code == kind.ToCode());
        Assert.Equal(indicator, card.Indicator);
    }

    [Fact]
    public void GivenClomipheneWithLiverDisease_WhenDrafted_ThenCriticalContraindicationCardSayingOffLabelAndNoMonitoringCard()
    {
        var builder = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired).Drafting(MedicationClass.Clomiphene)
            .With(Some.Condition(ConditionKind.LiverDisease, onsetDaysAgo: 300, display: "Alcoholic cirrhosis of liver"));

        var response = Compose(builder);

        var card = Assert.Single(response.Cards);
        Assert.Equal(CardKind.FertilityDrugContraindication.ToCode(), card.Source.Topic!.Code);
        Assert.Equal(CardIndicator.Critical, card.Indicator);
        Assert.Contains("off-label", card.Detail, StringComparison.Ordinal);
        Assert.Contains("Alcoholic cirrhosis of liver", card.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenEnclomipheneDraftedWithNothingAgainstIt_WhenMonitored_ThenTheCardSaysItIsNotFdaApproved()
    {
        var response = Compose(SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired).Drafting(MedicationClass.Enclomiphene));

        var card = Assert.Single(response.Cards);
        Assert.Equal(CardKind.FertilityTherapyMonitoring.ToCode(), card.Source.Topic!.Code);
        Assert.Contains("Enclomiphene is not FDA-approved", card.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConditionKind.ProstateCancer, CardIndicator.Critical)]
    [InlineData(ConditionKind.BreastCancer, CardIndicator.Critical)]
    [InlineData(ConditionKind.ProstateCancerHistory, CardIndicator.Warning)]
    [InlineData(ConditionKind.Polycythemia, CardIndicator.Warning)]
    public void GivenTestosteroneDrafted_WhenTheContraindicationIsAbsolute_ThenTheContraindicationCardIsCriticalAndFirst(
        ConditionKind condition, CardIndicator indicator)
    {
        var builder = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired).Drafting(MedicationClass.Testosterone)
            .With(Some.Condition(condition, onsetDaysAgo: 60));

        var response = Compose(builder);

        Assert.Equal(CardKind.TrtContraindication.ToCode(), response.Cards[0].Source.Topic!.Code);
        Assert.Equal(indicator, response.Cards[0].Indicator);
    }

    [Fact]
    public void GivenActiveBreastCancer_WhenTheChartIsOpened_ThenTheSummaryNeverOffersTestosterone()
    {
        var builder = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired)
            .With(Some.Condition(ConditionKind.BreastCancer, onsetDaysAgo: 90));

        var card = Assert.Single(Compose(builder, HookKind.PatientView).Cards);

        Assert.DoesNotContain("testosterone replacement is an option", card.Summary + card.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("no testosterone (contraindicated)", card.Summary, StringComparison.Ordinal);
        Assert.Contains("Testosterone is contraindicated (breast cancer)", card.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAManOutsideTheRules_WhenADrugIsDrafted_ThenNoCardAndTheSilenceHasAReason()
    {
        var builder = SnapshotBuilder.SecondaryPattern().Sex(AdministrativeSex.Female).Drafting(MedicationClass.AnabolicSteroid);
        var assessment = builder.Assess();

        Assert.Empty(CardSelector.Select(HookKind.OrderSign, assessment, builder.Build()));
        Assert.Equal("outside-rules-scope", CardSelector.SilenceReason(assessment));
    }

    [Fact]
    public void GivenAFinding_WhenTheExtensionIsWritten_ThenEachEntryNamesDrugCodeSeverityEvidenceAndDate()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired).Drafting(MedicationClass.Clomiphene)
            .With(Some.Condition(ConditionKind.LiverDisease, onsetDaysAgo: 200, display: "Cirrhosis")).Assess();

        var entry = AssessmentExtension.Build(assessment)[AssessmentExtension.Key]!["orderContraindications"]!.AsArray().Single()!;

        Assert.Equal("clomiphene", (string?)entry["drugClass"]);
        Assert.Equal("liver-disease", (string?)entry["code"]);
        Assert.Equal("absolute", (string?)entry["severity"]);
        Assert.Equal("Cirrhosis (onset 2024-11-27)", (string?)entry["evidence"]);
        Assert.Equal("2024-11-27", (string?)entry["date"]);
    }

    private static CdsResponse Compose(SnapshotBuilder builder, HookKind hook = HookKind.OrderSign) =>
        CardScenarios.Composer().Compose(CardScenarios.Request(hook, builder.Assess(), builder.Build()));
}
