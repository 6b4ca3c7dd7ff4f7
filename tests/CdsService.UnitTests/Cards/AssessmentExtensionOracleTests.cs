using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Cards;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.UnitTests.Cards.CardScenarios;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// The assessment extension is written as JSON directly, because building it node by node
/// allocated several times more (docs/performance.md, round 2 item 10); the node-by-node construction it replaced is kept
/// here as the oracle, and both must serialise to the same bytes for every shape of assessment.
/// </summary>
public sealed class AssessmentExtensionOracleTests
{
    public static TheoryData<Classification, FertilityIntent, TherapyKind?> Shapes()
    {
        var shapes = new TheoryData<Classification, FertilityIntent, TherapyKind?>();
        foreach (var classification in Enum.GetValues<Classification>())
        {
            foreach (var intent in Enum.GetValues<FertilityIntent>())
            {
                foreach (var therapy in new TherapyKind?[] { null, TherapyKind.TestosteroneReplacement, TherapyKind.Serm, TherapyKind.Hcg })
                {
                    shapes.Add(classification, intent, therapy);
                }
            }
        }

        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GivenAssessment_WhenBuilt_ThenSameBytesAsTheNodeByNodeExtension(Classification classification, FertilityIntent intent, TherapyKind? therapy)
    {
        var assessment = Assessment(classification, intent, therapy, [.. HematocritAndPsa]);

        AssertSame(assessment);
    }

    [Fact]
    public void GivenRepeatedCodesAndOddText_WhenBuilt_ThenSameBytesAsTheNodeByNodeExtension()
    {
        var assessment = Assessment(Classification.InsufficientData, FertilityIntent.Desired, TherapyKind.Serm) with
        {
            MissingData = [MissingData.Lh, MissingData.Fsh, MissingData.Lh],
            AdditionalWorkup = [AdditionalWorkup.SemenAnalysis, AdditionalWorkup.SemenAnalysis, AdditionalWorkup.PituitaryMri],
            TrtContraindications =
            [
                new ContraindicationFinding(TrtContraindication.RecentMiOrStroke, "MI 2025-03-01", null),
                new ContraindicationFinding(TrtContraindication.HematocritAbove48, "Hct 50 %", null),
                new ContraindicationFinding(TrtContraindication.RecentMiOrStroke, "Stroke 2025-04-01", null),
            ],
            MonitoringPlan =
            [
                new MonitoringItem { Test = "Testosterone – \"total\" <b>", Loinc = "2986-8", Due = new DateOnly(2025, 7, 14), When = "at 4–8 weeks", Reason = "≥ 8 h\nfast", Source = "AUA" },
                new MonitoringItem { Test = "Semen analysis", Loinc = "", Due = new DateOnly(2025, 9, 1), When = "every 3 months", Reason = "sperm", Source = "AUA" },
            ],
            Causes =
            [
                new CauseFinding(Cause.Type2Diabetes, "Type 2 diabetes (recorded 2020-01-01)", null),
                new CauseFinding(Cause.Hyperprolactinemia, "Prolactin 41 ng/mL on 2025-05-20", null),
                new CauseFinding(Cause.Type2Diabetes, "HbA1c – \"coded\" <b>", null),
            ],
            RulesVersion = "2025.06 ünïcødé",
        };

        AssertSame(assessment);
    }

    private static void AssertSame(Assessment assessment)
    {
        var expected = NodeByNode(assessment);
        var actual = AssessmentExtension.Build(assessment);

        Assert.Equal(JsonSerializer.Serialize(expected, CdsJson.Options), JsonSerializer.Serialize(actual, CdsJson.Options));
        Assert.Equal(expected.ToJsonString(), actual.DeepClone().ToJsonString());
    }

    /// <summary>The extension built node by node, as the service did before writing it directly.</summary>
    private static JsonObject NodeByNode(Assessment assessment)
    {
        var body = new JsonObject
        {
            ["classification"] = assessment.Classification.ToCode(),
            ["fertilityIntent"] = assessment.FertilityIntent.ToCode(),
            ["recommendation"] = assessment.Recommendation.ToCode(),
        };

        AddCodes(body, "missingData", assessment.MissingData.Select(m => m.ToCode()));
        AddCodes(body, "additionalWorkup", assessment.AdditionalWorkup.Select(w => w.ToCode()));
        AddCodes(body, "trtContraindications", assessment.TrtContraindications.Select(c => c.Code.ToCode()));
        AddCodes(body, "causes", assessment.Causes.Select(c => c.Code.ToCode()));

        if (!assessment.MonitoringPlan.IsDefaultOrEmpty)
        {
            var plan = new JsonArray();
            foreach (var item in assessment.MonitoringPlan)
            {
                var entry = new JsonObject { ["test"] = item.Test };
                if (!string.IsNullOrEmpty(item.Loinc))
                {
                    entry["loinc"] = item.Loinc;
                }

                entry["due"] = MarkdownText.Date(item.Due);
                entry["reason"] = item.Reason;
                plan.Add(entry);
            }

            body["monitoringPlan"] = plan;
        }

        body["rulesVersion"] = assessment.RulesVersion;

        return new JsonObject { [AssessmentExtension.Key] = body };
    }

    private static void AddCodes(JsonObject body, string name, IEnumerable<string> codes)
    {
        var array = new JsonArray([.. codes.Distinct(StringComparer.Ordinal).Select(code => (JsonNode?)JsonValue.Create(code))]);
        if (array.Count > 0)
        {
            body[name] = array;
        }
    }
}
