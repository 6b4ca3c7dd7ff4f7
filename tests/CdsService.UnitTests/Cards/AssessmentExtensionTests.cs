using System.Text.Json.Nodes;
using CdsService.Cards;
using CdsService.Clinical.Model;
using static CdsService.UnitTests.Cards.CardScenarios;

namespace CdsService.UnitTests.Cards;

public sealed class AssessmentExtensionTests
{
    [Fact]
    public void GivenAssessmentWithEmptyLists_WhenBuilt_ThenOnlyScalarMembersArePresent()
    {
        var extension = AssessmentExtension.Build(Assessment(Classification.Eugonadal, FertilityIntent.NotDesired));

        var body = Assert.IsType<JsonObject>(Assert.Single(extension).Value);
        Assert.Equal("org.hypogonadism-cds.assessment", extension.Single().Key);
        Assert.Equal(["classification", "fertilityIntent", "recommendation", "rulesVersion"], body.Select(p => p.Key));
        Assert.Equal("eugonadal", body["classification"]!.GetValue<string>());
        Assert.Equal("not-desired", body["fertilityIntent"]!.GetValue<string>());
        Assert.Equal("no-testosterone-therapy", body["recommendation"]!.GetValue<string>());
        Assert.Equal(RulesVersion, body["rulesVersion"]!.GetValue<string>());
    }

    [Fact]
    public void GivenFullAssessment_WhenBuilt_ThenListsAreKebabCodesAndPlanHasDueDates()
    {
        var assessment = Assessment(Classification.InsufficientData, FertilityIntent.Desired, TherapyKind.Serm) with
        {
            AdditionalWorkup = [AdditionalWorkup.SemenAnalysis, AdditionalWorkup.PituitaryMri],
            TrtContraindications =
            [
                new ContraindicationFinding(TrtContraindication.FertilityDesired, "wants children", null),
                new ContraindicationFinding(TrtContraindication.RecentMiOrStroke, "MI 2025-03-01", null),
                new ContraindicationFinding(TrtContraindication.RecentMiOrStroke, "Stroke 2025-04-01", null),
                new ContraindicationFinding(TrtContraindication.HematocritAbove48, "Hct 50 %", null),
            ],
        };

        var body = AssessmentExtension.Build(assessment)[AssessmentExtension.Key]!.AsObject();

        Assert.Equal(["second-morning-total-testosterone", "lh"], Codes(body["missingData"]));
        Assert.Equal(["semen-analysis", "pituitary-mri"], Codes(body["additionalWorkup"]));
        Assert.Equal(["fertility-desired", "recent-mi-or-stroke", "hematocrit-above-48"], Codes(body["trtContraindications"]));

        var plan = body["monitoringPlan"]!.AsArray();
        Assert.Equal(4, plan.Count);
        var first = plan[0]!.AsObject();
        Assert.Equal(["test", "loinc", "due", "reason"], first.Select(p => p.Key));
        Assert.Equal("2986-8", first["loinc"]!.GetValue<string>());
        Assert.Equal("2025-07-14", first["due"]!.GetValue<string>());
        var semen = plan[2]!.AsObject();
        Assert.Equal("Semen analysis", semen["test"]!.GetValue<string>());
        Assert.False(semen.ContainsKey("loinc")); // no code → member omitted, never null
    }

    [Fact]
    public void GivenEveryEnumValue_WhenBuilt_ThenCodesAreTheContractCodes()
    {
        // These are the codes integrators test against (the extension is a public contract); a new enum member without a contract code would fail here.
        string[] classifications =
        [
            "primary", "secondary", "compensated", "eugonadal", "exogenous-androgen", "insufficient-data", "not-applicable",
            "androgen-deprivation", "on-fertility-therapy",
        ];
        string[] recommendations =
        [
            "testosterone-replacement", "fertility-preserving", "refer-reproductive-urology", "assess-fertility-intent",
            "no-testosterone-therapy", "complete-workup", "fertility-restoration", "continue-with-monitoring",
            "treat-underlying-cause", "testosterone-contraindicated",
        ];
        Assert.Equal(classifications.Order(), Enum.GetValues<Classification>().Select(c => c.ToCode()).Order());
        Assert.Equal([.. recommendations[..^1], "not-applicable", "testosterone-contraindicated", "withhold-testosterone"], Enum.GetValues<Recommendation>().Select(r => r.ToCode()));
        Assert.Equal(
            ["morning-total-testosterone", "second-morning-total-testosterone", "lh", "fsh", "shbg", "prolactin", "symptoms"],
            Enum.GetValues<MissingData>().Select(m => m.ToCode()));
        Assert.Equal(
            ["prolactin", "pituitary-mri", "iron-studies", "semen-analysis", "estradiol", "karyotype", "hfe-genotype", "endocrinology-referral"],
            Enum.GetValues<AdditionalWorkup>().Select(w => w.ToCode()));
        Assert.Equal(CauseCodes, Enum.GetValues<Cause>().Select(c => c.ToCode()));
        foreach (var classification in Enum.GetValues<Classification>())
        {
            foreach (var intent in Enum.GetValues<FertilityIntent>())
            {
                var body = AssessmentExtension.Build(Assessment(classification, intent))[AssessmentExtension.Key]!;
                Assert.Contains(body["classification"]!.GetValue<string>(), classifications);
                Assert.Contains(body["fertilityIntent"]!.GetValue<string>(), (string[])["desired", "not-desired", "unsure", "unknown"]);
                var recommendation = body["recommendation"]!.GetValue<string>();
                Assert.True(recommendations.Contains(recommendation) || classification == Classification.NotApplicable, recommendation);
            }
        }
    }

    private static readonly string[] CauseCodes =
    [
        "hyperprolactinemia", "pituitary-disease", "klinefelter", "testicular-cause", "opioid", "glucocorticoid",
        "iron-overload", "obesity", "type-2-diabetes", "sleep-apnea",
    ];

    [Fact]
    public void GivenCauses_WhenBuilt_ThenDistinctCodesAfterContraindications()
    {
        var assessment = Assessment(Classification.Secondary, FertilityIntent.Desired) with
        {
            Causes =
            [
                new CauseFinding(Cause.Hyperprolactinemia, "Prolactin 41 ng/mL on 2025-05-20", EvaluatedAt),
                new CauseFinding(Cause.Type2Diabetes, "Type 2 diabetes (recorded 2019-02-01)", null),
                new CauseFinding(Cause.Hyperprolactinemia, "Hyperprolactinaemia (coded)", null),
            ],
        };

        var body = AssessmentExtension.Build(assessment)[AssessmentExtension.Key]!.AsObject();

        Assert.Equal(["hyperprolactinemia", "type-2-diabetes"], Codes(body["causes"]));
        var keys = body.Select(p => p.Key).ToList();
        Assert.Equal(keys.IndexOf("trtContraindications") + 1, keys.IndexOf("causes"));
    }

    [Fact]
    public void GivenNoCauses_WhenBuilt_ThenCausesOmitted()
    {
        var body = AssessmentExtension.Build(Assessment(Classification.Secondary, FertilityIntent.Desired))[AssessmentExtension.Key]!.AsObject();

        Assert.False(body.ContainsKey("causes"));
    }

    private static string[] Codes(JsonNode? node) => [.. node!.AsArray().Select(n => n!.GetValue<string>())];
}
