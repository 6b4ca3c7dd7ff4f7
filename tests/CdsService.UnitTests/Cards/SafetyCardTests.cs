using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CdsService.Cards;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using Hl7.Fhir.Model;
using static CdsService.UnitTests.Cards.CardScenarios;
using Card = CdsService.Protocol.Card;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// The card rows for the clinical-safety rules (docs/clinical/hypogonadism-rules.md: CLS-2 androgen deprivation, CLS-4 on fertility therapy,
/// treat-underlying-cause, causes, missing symptoms), as a decision table, and the ban on suggesting clomiphene or
/// enclomiphene with a prolactin or pituitary cause (clomiphene label: contraindicated with a pituitary tumour).
/// </summary>
public sealed class SafetyCardTests
{
    private const string ClomipheneRxNorm = "1093060";

    private static readonly CauseFinding Prolactin = new(Cause.Hyperprolactinemia, "Prolactin 41 ng/mL", new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.Zero));
    private static readonly CauseFinding Pituitary = new(Cause.PituitaryDisease, "Pituitary adenoma (recorded 2024-11-02)", new DateTimeOffset(2024, 11, 2, 0, 0, 0, TimeSpan.Zero));
    private static readonly CauseFinding Opioid = new(Cause.Opioid, "Oxycodone, active", null);
    private static readonly CauseFinding Glucocorticoid = new(Cause.Glucocorticoid, "Prednisone, active", null);
    private static readonly CauseFinding IronOverload = new(Cause.IronOverload, "Ferritin 620 ng/mL, transferrin saturation 58 %", null);
    private static readonly CauseFinding Obesity = new(Cause.Obesity, "BMI 34.2 kg/m2 on 2025-05-20", null);
    private static readonly CauseFinding Diabetes = new(Cause.Type2Diabetes, "Type 2 diabetes (recorded 2019-02-01)", null);
    private static readonly CauseFinding SleepApnea = new(Cause.SleepApnea, "Obstructive sleep apnoea (recorded 2023-01-09)", null);

    private static DraftOrder Enclomiphene() => new() { Class = MedicationClass.Enclomiphene, ResourceType = "MedicationRequest", ResourceId = "draft-e-1" };

    private static DraftOrder AnabolicSteroid() => new() { Class = MedicationClass.AnabolicSteroid, ResourceType = "MedicationRequest", ResourceId = "draft-n-1", Display = "nandrolone decanoate" };

    private static CdsResponse Compose(HookKind hook, Assessment assessment, PatientSnapshot snapshot)
    {
        var response = Composer().Compose(Request(hook, assessment, snapshot));
        Assert.All(response.Cards, card => CardAssertions.WellFormed(card, PatientId));
        return response;
    }

    private static string[] Topics(CdsResponse response) => [.. response.Cards.Select(c => c.Source.Topic!.Code)];

    private static Assessment With(Classification classification, FertilityIntent intent, Recommendation? recommendation = null, params CauseFinding[] causes)
    {
        var assessment = Assessment(classification, intent);
        return assessment with
        {
            Recommendation = recommendation ?? assessment.Recommendation,
            Causes = [.. causes],
        };
    }

    // ---- decision table -----------------------------------------------------------------------------------------

    public static TheoryData<string, Assessment, DraftOrder[], string[]> Rows() => new()
    {
        // CLS-2: only the critical card for an androgen; a SERM/hCG gets the mismatch warning.
        { "ADT + testosterone", With(Classification.AndrogenDeprivation, FertilityIntent.Desired), [TestosteroneDraft()], ["androgen-deprivation-conflict"] },
        { "ADT + anabolic steroid", With(Classification.AndrogenDeprivation, FertilityIntent.Unknown), [AnabolicSteroid()], ["androgen-deprivation-conflict"] },
        { "ADT + clomiphene", With(Classification.AndrogenDeprivation, FertilityIntent.Desired), [ClomipheneDraft()], ["fertility-therapy-mismatch"] },
        { "ADT + hCG + testosterone", With(Classification.AndrogenDeprivation, FertilityIntent.NotDesired), [HcgDraft(), TestosteroneDraft()], ["androgen-deprivation-conflict", "fertility-therapy-mismatch"] },
        { "ADT + nothing relevant", With(Classification.AndrogenDeprivation, FertilityIntent.NotDesired), [], [] },

        // CLS-4: testosterone is treated like an unconfirmed diagnosis, never the monitoring card.
        { "fertility therapy + testosterone, not desired", With(Classification.OnFertilityTherapy, FertilityIntent.NotDesired), [TestosteroneDraft()], ["unconfirmed-diagnosis"] },
        { "fertility therapy + testosterone, desired", With(Classification.OnFertilityTherapy, FertilityIntent.Desired), [TestosteroneDraft()], ["fertility-conflict", "unconfirmed-diagnosis"] },
        { "fertility therapy + clomiphene", With(Classification.OnFertilityTherapy, FertilityIntent.Desired), [ClomipheneDraft()], ["fertility-therapy-monitoring"] },

        // Treat the underlying cause first.
        { "prolactin + testosterone", With(Classification.Secondary, FertilityIntent.NotDesired, Recommendation.TreatUnderlyingCause, Prolactin), [TestosteroneDraft()], ["underlying-cause"] },
        { "prolactin + testosterone, intent unknown", With(Classification.Secondary, FertilityIntent.Unknown, Recommendation.TreatUnderlyingCause, Prolactin), [TestosteroneDraft()], ["underlying-cause"] },
        { "prolactin + testosterone, desired", With(Classification.Secondary, FertilityIntent.Desired, Recommendation.TreatUnderlyingCause, Prolactin), [TestosteroneDraft()], ["fertility-conflict", "underlying-cause"] },
        { "prolactin + hCG", With(Classification.Secondary, FertilityIntent.Desired, Recommendation.TreatUnderlyingCause, Prolactin), [HcgDraft()], ["underlying-cause"] },
        { "opioid + testosterone", With(Classification.Secondary, FertilityIntent.NotDesired, Recommendation.TreatUnderlyingCause, Opioid), [TestosteroneDraft()], ["underlying-cause"] },
        { "iron overload + clomiphene", With(Classification.Secondary, FertilityIntent.Desired, Recommendation.TreatUnderlyingCause, IronOverload), [ClomipheneDraft()], ["underlying-cause"] },
        { "prolactin, insufficient data + testosterone", With(Classification.InsufficientData, FertilityIntent.NotDesired, Recommendation.TreatUnderlyingCause, Prolactin), [TestosteroneDraft()], ["unconfirmed-diagnosis", "underlying-cause"] },

        // A SERM with a prolactin or pituitary cause, whatever the recommendation.
        { "pituitary + desired + clomiphene", With(Classification.Secondary, FertilityIntent.Desired, Recommendation.FertilityPreserving, Pituitary), [ClomipheneDraft()], ["underlying-cause"] },
        { "pituitary + desired + enclomiphene", With(Classification.Secondary, FertilityIntent.Desired, Recommendation.FertilityPreserving, Pituitary), [Enclomiphene()], ["underlying-cause"] },
        { "pituitary + desired + hCG", With(Classification.Secondary, FertilityIntent.Desired, Recommendation.FertilityPreserving, Pituitary), [HcgDraft()], ["fertility-therapy-monitoring"] },
        { "primary + pituitary + clomiphene", With(Classification.Primary, FertilityIntent.Desired, Recommendation.ReferReproductiveUrology, Pituitary), [ClomipheneDraft()], ["underlying-cause", "fertility-therapy-mismatch"] },

        // Functional causes do not change the cards.
        { "obesity + testosterone", With(Classification.Secondary, FertilityIntent.NotDesired, null, Obesity, SleepApnea), [TestosteroneDraft()], ["trt-monitoring"] },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void GivenSafetyRow_WhenOrderSign_ThenTheseCardsInIndicatorOrder(string row, Assessment assessment, DraftOrder[] drafts, string[] topics)
    {
        var response = Compose(HookKind.OrderSign, assessment, Snapshot(drafts));

        Assert.True(topics.SequenceEqual(Topics(response)), $"{row}: got [{string.Join(", ", Topics(response))}]");
    }

    // ---- the new cards ------------------------------------------------------------------------------------------

    [Fact]
    public void GivenAndrogenDeprivation_WhenTestosteroneDrafted_ThenCriticalCardRemovesTheDraftWithOverrideReasons()
    {
        var card = Assert.Single(Compose(HookKind.OrderSign, With(Classification.AndrogenDeprivation, FertilityIntent.Unknown), Snapshot(TestosteroneDraft(), AnabolicSteroid())).Cards);

        Assert.Equal(CardIndicator.Critical, card.Indicator);
        Assert.StartsWith("Testosterone during androgen deprivation for prostate cancer", card.Summary, StringComparison.Ordinal);
        Assert.Contains("low testosterone is the treatment's goal", card.Detail!, StringComparison.Ordinal);
        var remove = Assert.Single(card.Suggestions!);
        Assert.True(remove.IsRecommended);
        Assert.Equal(["MedicationRequest/draft-t-1", "MedicationRequest/draft-n-1"], remove.Actions!.Select(a => a.ResourceId));
        Assert.Equal(CardTerminology.TestosteroneOverrideReasons, card.OverrideReasons);
    }

    [Fact]
    public void GivenAndrogenDeprivation_WhenHcgDrafted_ThenWarningThatItCounteractsTheTreatment()
    {
        var card = Assert.Single(Compose(HookKind.OrderSign, With(Classification.AndrogenDeprivation, FertilityIntent.Desired), Snapshot(HcgDraft())).Cards);

        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Equal("hCG would counteract androgen deprivation for prostate cancer", card.Summary);
        Assert.Equal("MedicationRequest/draft-h-1", Assert.Single(Assert.Single(card.Suggestions!).Actions!).ResourceId);
    }

    [Theory]
    [InlineData(Cause.Hyperprolactinemia, "Refer to endocrinology; a dopamine agonist usually restores testosterone and fertility")]
    [InlineData(Cause.PituitaryDisease, "Endocrinology first; for fertility hCG ± FSH, not clomiphene or enclomiphene")]
    [InlineData(Cause.Opioid, "Review the opioid first: it suppresses the axis")]
    [InlineData(Cause.Glucocorticoid, "Review the glucocorticoid first: it suppresses the axis")]
    [InlineData(Cause.IronOverload, "HFE genotype and hepatology")]
    public void GivenCauseToTreatFirst_WhenTestosteroneDrafted_ThenCardLeadsWithWhatToDo(Cause cause, string lead)
    {
        CauseFinding finding = cause switch
        {
            Cause.Hyperprolactinemia => Prolactin,
            Cause.PituitaryDisease => Pituitary,
            Cause.Opioid => Opioid,
            Cause.Glucocorticoid => Glucocorticoid,
            _ => IronOverload,
        };
        var assessment = With(Classification.Secondary, FertilityIntent.NotDesired, Recommendation.TreatUnderlyingCause, finding);

        var card = Single(Compose(HookKind.OrderSign, assessment, Snapshot(TestosteroneDraft())), "underlying-cause");

        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.StartsWith("**" + CdsService.Clinical.Hypogonadism.ClinicalWords.Describe(cause) + ": " + lead, card.Detail!, StringComparison.Ordinal);
        Assert.DoesNotContain(finding.Evidence, card.Summary, StringComparison.Ordinal);
        Assert.Contains("**Causes that change management**", card.Detail!, StringComparison.Ordinal);
        var suggestion = Assert.Single(card.Suggestions!);
        Assert.Equal("delete", suggestion.Actions![0].Type);
        var endocrinology = cause is Cause.Hyperprolactinemia or Cause.PituitaryDisease;
        Assert.Equal(endocrinology, suggestion.Actions.Any(a => a.Resource is { } r && Assert.IsType<ServiceRequest>(CardAssertions.ParseR4(r)).Code!.Text == "Referral to endocrinology"));
    }

    // ---- clomiphene ban -----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(Cause.Hyperprolactinemia)]
    [InlineData(Cause.PituitaryDisease)]
    public void GivenProlactinOrPituitaryCause_WhenSecondaryWantsChildrenAndTestosteroneDrafted_ThenHcgReferralNotClomiphene(Cause cause)
    {
        var assessment = With(Classification.Secondary, FertilityIntent.Desired, Recommendation.FertilityPreserving, cause == Cause.PituitaryDisease ? Pituitary : Prolactin);

        var card = Single(Compose(HookKind.OrderSign, assessment, Snapshot(TestosteroneDraft())), "fertility-conflict");

        var suggestion = Assert.Single(card.Suggestions!);
        Assert.Equal("Cancel testosterone and refer to endocrinology (hCG ± FSH, not clomiphene)", suggestion.Label);
        Assert.Contains("clomiphene label", card.Detail!, StringComparison.Ordinal);
        Assert.DoesNotContain("Replace with clomiphene", card.Detail!, StringComparison.Ordinal);
        AssertNoSermOrdered(card);
    }

    /// <summary>Every combination that carries a prolactin or pituitary cause: no suggestion anywhere orders a SERM.</summary>
    [Fact]
    public void GivenProlactinOrPituitaryCause_WhenAnyCardComposed_ThenNoSuggestionOrdersClomipheneOrEnclomiphene()
    {
        DraftOrder[][] draftSets = [[TestosteroneDraft()], [TestosteroneDraft(id: null)], [ClomipheneDraft()], [Enclomiphene()], [HcgDraft()], [TestosteroneDraft(), ClomipheneDraft(), HcgDraft()]];
        var composed = 0;
        foreach (var classification in Enum.GetValues<Classification>())
        {
            foreach (var intent in Enum.GetValues<FertilityIntent>())
            {
                foreach (var recommendation in Enum.GetValues<Recommendation>())
                {
                    foreach (var causes in (CauseFinding[][])[[Prolactin], [Pituitary], [Pituitary, Prolactin, Obesity]])
                    {
                        foreach (var hook in Enum.GetValues<HookKind>())
                        {
                            foreach (var drafts in draftSets)
                            {
                                var response = Compose(hook, With(classification, intent, recommendation, causes), Snapshot(drafts));
                                Assert.All(response.Cards, AssertNoSermOrdered);
                                composed += response.Cards.Count;
                            }
                        }
                    }
                }
            }
        }

        Assert.True(composed > 0);
    }

    // ---- functional causes, symptoms, age -------------------------------------------------------------------------

    [Theory]
    [InlineData(new[] { Cause.Obesity }, "Weight loss can raise testosterone and comes first (EAA 2020).")]
    [InlineData(new[] { Cause.Type2Diabetes, Cause.SleepApnea }, "Weight loss can raise testosterone and comes first (EAA 2020); treat sleep apnoea before starting testosterone (ES 2018).")]
    [InlineData(new[] { Cause.SleepApnea }, "Treat sleep apnoea before starting testosterone (ES 2018).")]
    public void GivenFunctionalCauses_WhenCardsComposed_ThenTheLineThatAppliesIsOnEach(Cause[] causes, string line)
    {
        var findings = causes.Select(c => c switch { Cause.Obesity => Obesity, Cause.Type2Diabetes => Diabetes, _ => SleepApnea }).ToArray();
        Card[] cards =
        [
            Single(Compose(HookKind.OrderSign, With(Classification.Secondary, FertilityIntent.NotDesired, null, findings), Snapshot(TestosteroneDraft())), "trt-monitoring"),
            Single(Compose(HookKind.OrderSign, With(Classification.InsufficientData, FertilityIntent.NotDesired, null, findings), Snapshot(TestosteroneDraft())), "unconfirmed-diagnosis"),
            Single(Compose(HookKind.OrderSign, With(Classification.Secondary, FertilityIntent.Desired, null, findings), Snapshot(TestosteroneDraft())), "fertility-conflict"),
            Single(Compose(HookKind.OrderSign, With(Classification.Secondary, FertilityIntent.Unknown, null, findings), Snapshot(TestosteroneDraft())), "fertility-intent-undocumented"),
            Single(Compose(HookKind.PatientView, With(Classification.Secondary, FertilityIntent.NotDesired, null, findings), Snapshot()), "patient-summary"),
        ];

        Assert.All(cards, card => Assert.Contains("**First:** " + line + "\n", card.Detail!, StringComparison.Ordinal));
    }

    [Fact]
    public void GivenNoFunctionalCause_WhenComposed_ThenNoWeightOrApnoeaLine()
    {
        var card = Single(Compose(HookKind.OrderSign, With(Classification.Secondary, FertilityIntent.NotDesired, null, Opioid), Snapshot(TestosteroneDraft())), "trt-monitoring");

        Assert.DoesNotContain("**First:**", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenSymptomsMissing_WhenAnyCardComposed_ThenNoCardSaysTestosteroneFitsOrIsAnOption()
    {
        foreach (var classification in Enum.GetValues<Classification>())
        {
            foreach (var intent in Enum.GetValues<FertilityIntent>())
            {
                foreach (var recommendation in Enum.GetValues<Recommendation>())
                {
                    var assessment = With(classification, intent, recommendation) with { MissingData = [MissingData.Symptoms] };
                    foreach (var hook in Enum.GetValues<HookKind>())
                    {
                        foreach (var card in Compose(hook, assessment, Snapshot(TestosteroneDraft())).Cards)
                        {
                            var text = card.Summary + "\n" + card.Detail;
                            Assert.DoesNotMatch(new Regex(@"\bfits\b", RegexOptions.IgnoreCase), text);
                            Assert.DoesNotContain("testosterone replacement is an option", text, StringComparison.OrdinalIgnoreCase);
                            Assert.DoesNotContain(card.Suggestions?.SelectMany(s => s.Actions!) ?? [], a => a.Description.Contains("symptom", StringComparison.OrdinalIgnoreCase));
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void GivenSymptomsMissing_WhenTestosteroneAppropriate_ThenMonitoringCardSaysConfirmSymptomsFirst()
    {
        var assessment = Assessment(Classification.Secondary, FertilityIntent.NotDesired, TherapyKind.TestosteroneReplacement) with { MissingData = [MissingData.Symptoms] };

        var card = Single(Compose(HookKind.OrderSign, assessment, Snapshot(TestosteroneDraft())), "trt-monitoring");

        Assert.StartsWith("Confirm symptoms before testosterone", card.Summary, StringComparison.Ordinal);
        Assert.StartsWith("**Confirm symptoms before starting testosterone.**", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("**Symptoms:** No symptom or sign of androgen deficiency is coded — confirm symptoms before treating (AUA 2018 statement 3).", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenSymptomsCoded_WhenComposed_ThenListedInOurTable()
    {
        var assessment = Assessment(Classification.Secondary, FertilityIntent.NotDesired, TherapyKind.TestosteroneReplacement) with
        {
            Symptoms = ["Erectile dysfunction (recorded 2025-03-01)", "Low libido <b> (recorded 2025-03-01)"],
        };

        var card = Single(Compose(HookKind.OrderSign, assessment, Snapshot(TestosteroneDraft())), "trt-monitoring");

        Assert.Contains("**Symptoms and signs recorded:** Erectile dysfunction \\(recorded 2025-03-01\\); Low libido \\<b\\> \\(recorded 2025-03-01\\).", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenOnlySymptomsMissing_WhenPatientView_ThenNoLabOrderSuggestion()
    {
        var assessment = Assessment(Classification.InsufficientData, FertilityIntent.NotDesired) with { MissingData = [MissingData.Symptoms] };

        var card = Assert.Single(Compose(HookKind.PatientView, assessment, Snapshot()).Cards);

        Assert.Null(card.Suggestions);
    }

    [Theory]
    [InlineData(35, "**Patient:** age 35.")]
    [InlineData(null, "**Patient:** age unknown (no birth date recorded).")]
    public void GivenAge_WhenPatientView_ThenShownOrSaidUnknown(int? age, string line)
    {
        var card = Assert.Single(Compose(HookKind.PatientView, Assessment(Classification.Secondary, FertilityIntent.NotDesired) with { AgeYears = age }, Snapshot()).Cards);

        Assert.Contains(line, card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenHyperprolactinaemia_WhenPatientView_ThenPlainWordsCausesAndEndocrinologyReferral()
    {
        var assessment = With(Classification.Secondary, FertilityIntent.Desired, Recommendation.TreatUnderlyingCause, Prolactin, Obesity) with
        {
            AdditionalWorkup = [AdditionalWorkup.EndocrinologyReferral, AdditionalWorkup.PituitaryMri],
        };

        var card = Assert.Single(Compose(HookKind.PatientView, assessment, Snapshot()).Cards);

        Assert.StartsWith("Secondary hypogonadism – next: treat hyperprolactinaemia first", card.Summary, StringComparison.Ordinal);
        Assert.Contains("| Hyperprolactinaemia | Prolactin 41 ng/mL | 2025-05-20 |", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("**First:** Weight loss can raise testosterone", card.Detail!, StringComparison.Ordinal);
        Assert.Equal("Refer to endocrinology", Assert.Single(card.Suggestions!).Label);
    }

    [Theory]
    [InlineData(Classification.AndrogenDeprivation, "On androgen deprivation – next: no testosterone (prostate cancer treatment)")]
    [InlineData(Classification.OnFertilityTherapy, "On fertility therapy – next: continue with monitoring")]
    public void GivenNewClassification_WhenPatientView_ThenPlainWords(Classification classification, string summaryStart)
    {
        var card = Assert.Single(Compose(HookKind.PatientView, Assessment(classification, FertilityIntent.Unknown), Snapshot()).Cards);

        Assert.StartsWith(summaryStart, card.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("while he takes testosterone", card.Detail!, StringComparison.Ordinal);
    }

    // ---- schema ---------------------------------------------------------------------------------------------------

    [Fact]
    public void GivenResponseSchema_WhenRead_ThenAssessmentEnumsAreTheWireCodes()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "schemas", "cds-hooks-response.schema.json")))!;
        var properties = schema["$defs"]!["assessment"]!["properties"]!;

        Assert.Equal(Codes<Classification>(), EnumOf(properties["classification"]));
        Assert.Equal(Codes<FertilityIntent>(), EnumOf(properties["fertilityIntent"]));
        Assert.Equal(Codes<Recommendation>(), EnumOf(properties["recommendation"]));
        Assert.Equal(Codes<MissingData>(), EnumOf(properties["missingData"]!["items"]));
        Assert.Equal(Codes<AdditionalWorkup>(), EnumOf(properties["additionalWorkup"]!["items"]));
        Assert.Equal(Codes<TrtContraindication>(), EnumOf(properties["trtContraindications"]!["items"]));
        Assert.Equal(Codes<Cause>(), EnumOf(properties["causes"]!["items"]));
        var orderItem = properties["orderContraindications"]!["items"]!["properties"]!;
        Assert.Equal(Codes<OrderContraindication>(), EnumOf(orderItem["code"]));
        Assert.Equal(Codes<ContraindicationSeverity>(), EnumOf(orderItem["severity"]));
        Assert.Equal([.. HypogonadismRules.ScreenedDrugClasses.Select(c => c.ToCode())], EnumOf(orderItem["drugClass"]));
        Assert.Equal(1, properties["causes"]!["minItems"]!.GetValue<int>());
        Assert.True(properties["causes"]!["uniqueItems"]!.GetValue<bool>());
    }

    private static string[] Codes<TEnum>()
        where TEnum : struct, Enum => [.. Enum.GetValues<TEnum>().Select(v => v.ToCode())];

    private static string[] EnumOf(JsonNode? node) => [.. node!["enum"]!.AsArray().Select(n => n!.GetValue<string>())];

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));

    private static Card Single(CdsResponse response, string topic) =>
        Assert.Single(response.Cards, card => card.Source.Topic!.Code == topic);

    private static void AssertNoSermOrdered(Card card)
    {
        foreach (var action in card.Suggestions?.SelectMany(s => s.Actions!) ?? [])
        {
            if (action.Resource is not { } resource)
            {
                continue;
            }

            Assert.NotEqual("MedicationRequest", resource["resourceType"]!.GetValue<string>());
            Assert.DoesNotContain(ClomipheneRxNorm, resource.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(card.Suggestions ?? [], s => s.Label.Contains("clomiphene citrate 25 mg", StringComparison.OrdinalIgnoreCase));
    }
}
