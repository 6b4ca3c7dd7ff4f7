using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.UnitTests.Cards.CardScenarios;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// Every classification × fertility intent × drafted order set × hook, with and without contraindications and
/// monitoring plans: each card must keep the card rules (summary under 140 characters, valid suggestions, no HTML).
/// </summary>
public sealed class CardMatrixTests
{
    public static TheoryData<Classification, FertilityIntent> Cases()
    {
        var data = new TheoryData<Classification, FertilityIntent>();
        foreach (var classification in Enum.GetValues<Classification>())
        {
            foreach (var intent in Enum.GetValues<FertilityIntent>())
            {
                data.Add(classification, intent);
            }
        }

        return data;
    }

    private static readonly DraftOrder[][] DraftSets =
    [
        [],
        [TestosteroneDraft()],
        [TestosteroneDraft(id: null)],
        [ClomipheneDraft()],
        [new DraftOrder { Class = MedicationClass.Enclomiphene, ResourceType = "MedicationRequest", ResourceId = "e1" }],
        [HcgDraft()],
        [TestosteroneDraft(), ClomipheneDraft(), HcgDraft()],
        [new DraftOrder { Class = MedicationClass.AromataseInhibitor, ResourceType = "MedicationRequest", ResourceId = "a1" }],
        [new DraftOrder { Class = MedicationClass.AnabolicSteroid, ResourceType = "MedicationRequest", ResourceId = "n1" }],
    ];

    /// <summary>
    /// The safety variants (docs/clinical/hypogonadism-rules.md): none; a prolactin cause to treat first with a functional cause; a pituitary
    /// cause with no symptom coded; a drug cause with sleep apnoea and type 2 diabetes.
    /// </summary>
    private static readonly (Recommendation? Recommendation, CauseFinding[] Causes, bool SymptomsMissing)[] Variants =
    [
        (null, [], false),
        (Recommendation.TreatUnderlyingCause, [new(Cause.Hyperprolactinemia, "Prolactin 41 ng/mL", EvaluatedAt), new(Cause.Obesity, "BMI 34 kg/m2", null)], false),
        (null, [new(Cause.PituitaryDisease, "Pituitary adenoma", null)], true),
        (Recommendation.TreatUnderlyingCause, [new(Cause.Opioid, "Oxycodone", null), new(Cause.SleepApnea, "OSA", null), new(Cause.Type2Diabetes, "T2D", null)], false),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void GivenAnyCombination_WhenComposed_ThenEveryCardKeepsTheCardRules(Classification classification, FertilityIntent intent)
    {
        var composer = Composer();
        var cardsSeen = 0;
        foreach (var hook in Enum.GetValues<HookKind>())
        {
            foreach (var drafts in DraftSets)
            {
                foreach (var plan in (TherapyKind?[])[null, TherapyKind.TestosteroneReplacement, TherapyKind.Serm, TherapyKind.Hcg])
                {
                    foreach (var (contraindications, variant) in ((bool, int)[])[(false, 0), (true, 0), (false, 1), (true, 2), (false, 3)])
                    {
                        var safety = Variants[variant];
                        var assessment = Assessment(classification, intent, plan, contraindications ? [.. HematocritAndPsa] : null);
                        assessment = assessment with
                        {
                            Recommendation = safety.Recommendation ?? assessment.Recommendation,
                            Causes = [.. safety.Causes],
                            MissingData = safety.SymptomsMissing ? [.. assessment.MissingData, MissingData.Symptoms] : assessment.MissingData,
                            AgeYears = variant == 2 ? null : assessment.AgeYears,
                        };
                        var response = composer.Compose(Request(hook, assessment, Snapshot(drafts)));

                        Assert.NotNull(response.Extension);
                        Assert.Equal(response.Cards.Count, response.Cards.Select(c => c.Uuid).Distinct().Count());
                        foreach (var card in response.Cards)
                        {
                            CardAssertions.WellFormed(card, PatientId);
                            cardsSeen++;
                        }

                        if (hook == HookKind.PatientView && classification != Classification.NotApplicable)
                        {
                            Assert.Equal(CardIndicator.Info, Assert.Single(response.Cards).Indicator);
                        }
                    }
                }
            }
        }

        Assert.True(cardsSeen > 0 || classification == Classification.NotApplicable);
    }

    [Fact]
    public void GivenLongestQualifiers_WhenSummarised_ThenStillUnder140()
    {
        var longEvidence = new string('x', 300);
        var assessment = Assessment(Classification.Secondary, FertilityIntent.NotDesired, null,
            [new ContraindicationFinding(TrtContraindication.UntreatedSevereSleepApnea, longEvidence, EvaluatedAt)]);

        var card = Assert.Single(Composer().Compose(Request(HookKind.OrderSign, assessment, Snapshot(TestosteroneDraft()))).Cards);

        Assert.Equal("Testosterone contraindicated: sleep apnoea, treatment not recorded (2025-06-02)", card.Summary);
    }
}
