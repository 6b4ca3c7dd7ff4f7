using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>
/// The drafted-drug screen (docs/clinical/hypogonadism-rules.md §10a): which reason each drafted class gets, its severity,
/// and that drugs not being ordered are never screened.
/// </summary>
public sealed class OrderContraindicationTests
{
    // Decision table: drafted class × recorded condition → reason (null: none) and severity.
    [Theory]
    [InlineData(MedicationClass.Clomiphene, ConditionKind.PituitaryDisorder, OrderContraindication.PituitaryTumor, ContraindicationSeverity.Absolute)]
    [InlineData(MedicationClass.Enclomiphene, ConditionKind.PituitaryDisorder, OrderContraindication.PituitaryTumor, ContraindicationSeverity.Absolute)]
    [InlineData(MedicationClass.Clomiphene, ConditionKind.LiverDisease, OrderContraindication.LiverDisease, ContraindicationSeverity.Absolute)]
    [InlineData(MedicationClass.Clomiphene, ConditionKind.VenousThromboembolism, OrderContraindication.VteOrThrombophilia, ContraindicationSeverity.Relative)]
    [InlineData(MedicationClass.Enclomiphene, ConditionKind.Thrombophilia, OrderContraindication.VteOrThrombophilia, ContraindicationSeverity.Relative)]
    [InlineData(MedicationClass.Clomiphene, ConditionKind.VisualDisturbance, OrderContraindication.VisualDisturbance, ContraindicationSeverity.Relative)]
    [InlineData(MedicationClass.Hcg, ConditionKind.ProstateCancer, OrderContraindication.ProstateCancer, ContraindicationSeverity.Absolute)]
    [InlineData(MedicationClass.Fsh, ConditionKind.ProstateCancer, OrderContraindication.ProstateCancer, ContraindicationSeverity.Absolute)]
    [InlineData(MedicationClass.Hcg, ConditionKind.BreastCancer, OrderContraindication.BreastCancer, ContraindicationSeverity.Absolute)]
    [InlineData(MedicationClass.AnabolicSteroid, ConditionKind.ProstateCancer, OrderContraindication.ProstateCancer, ContraindicationSeverity.Absolute)]
    [InlineData(MedicationClass.AromataseInhibitor, ConditionKind.Osteoporosis, OrderContraindication.Osteoporosis, ContraindicationSeverity.Relative)]
    public void GivenADraftedDrugAndAScreenedCondition_WhenAssessed_ThenTheReasonIsReportedForThatDrug(
        MedicationClass drug, ConditionKind condition, OrderContraindication reason, ContraindicationSeverity severity)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired).Drafting(drug)
            .With(Some.Condition(condition, onsetDaysAgo: 200, display: "Coded diagnosis")).Assess();

        var finding = Assert.Single(assessment.OrderContraindications, f => f.Code == reason);
        Assert.Equal(drug, finding.DrugClass);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal("Coded diagnosis (onset 2024-11-27)", finding.Evidence);
        Assert.Equal(Some.Now.AddDays(-200), finding.Date);
    }

    // The same conditions do not speak against drugs whose label does not name them.
    [Theory]
    [InlineData(MedicationClass.Hcg, ConditionKind.LiverDisease)]
    [InlineData(MedicationClass.Hcg, ConditionKind.VisualDisturbance)]
    [InlineData(MedicationClass.Clomiphene, ConditionKind.ProstateCancerHistory)]
    [InlineData(MedicationClass.AromataseInhibitor, ConditionKind.LiverDisease)]
    [InlineData(MedicationClass.Testosterone, ConditionKind.LiverDisease)]
    public void GivenAConditionTheDrugIsNotScreenedFor_WhenAssessed_ThenNoOrderContraindication(MedicationClass drug, ConditionKind condition)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired).Drafting(drug)
            .With(Some.Condition(condition, onsetDaysAgo: 200)).Assess();

        Assert.Empty(assessment.OrderContraindications);
    }

    [Fact]
    public void GivenRiskConditionsButNoDraft_WhenAssessed_ThenNothingIsScreened()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired)
            .With(Some.Condition(ConditionKind.LiverDisease), Some.Condition(ConditionKind.VenousThromboembolism)).Assess();

        Assert.Empty(assessment.OrderContraindications);
    }

    // Primary hypogonadism and an unconfirmed diagnosis speak against every fertility drug, by classification.
    [Theory]
    [InlineData("primary", MedicationClass.Clomiphene, OrderContraindication.PrimaryHypogonadism)]
    [InlineData("primary", MedicationClass.Hcg, OrderContraindication.PrimaryHypogonadism)]
    [InlineData("primary", MedicationClass.Fsh, OrderContraindication.PrimaryHypogonadism)]
    [InlineData("eugonadal", MedicationClass.Clomiphene, OrderContraindication.UnconfirmedDiagnosis)]
    [InlineData("compensated", MedicationClass.Hcg, OrderContraindication.UnconfirmedDiagnosis)]
    [InlineData("insufficient", MedicationClass.Fsh, OrderContraindication.UnconfirmedDiagnosis)]
    public void GivenAClassificationTheFertilityDrugCannotHelp_WhenDrafted_ThenARelativeReason(
        string pattern, MedicationClass drug, OrderContraindication reason)
    {
        var builder = pattern switch
        {
            "primary" => SnapshotBuilder.PrimaryPattern(),
            "eugonadal" => SnapshotBuilder.EugonadalPattern(),
            "compensated" => SnapshotBuilder.CompensatedPattern(),
            _ => SnapshotBuilder.AdultMan().With(Some.TotalTestosterone(250m)),
        };

        var finding = Assert.Single(builder.WithIntent(FertilityIntent.Desired).Drafting(drug).Assess().OrderContraindications);

        Assert.Equal(reason, finding.Code);
        Assert.Equal(ContraindicationSeverity.Relative, finding.Severity);
    }

    [Fact]
    public void GivenSecondaryHypogonadism_WhenClomipheneIsDraftedWithNothingAgainstIt_ThenNoFinding()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired).Drafting(MedicationClass.Clomiphene).Assess();

        Assert.Empty(assessment.OrderContraindications);
        Assert.Equal(TherapyKind.Serm, assessment.MonitoringFor);
    }

    [Theory]
    [InlineData(FertilityIntent.Desired, true)]
    [InlineData(FertilityIntent.NotDesired, false)]
    [InlineData(FertilityIntent.Unknown, false)]
    public void GivenAnAnabolicSteroidDrafted_WhenAssessed_ThenNotATreatmentAlwaysAndFertilityAbsoluteWhenDesired(
        FertilityIntent intent, bool fertilityFinding)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(intent).Drafting(MedicationClass.AnabolicSteroid).Assess();

        var codes = assessment.OrderContraindications.Select(f => f.Code).ToList();
        Assert.Equal(
            fertilityFinding
                ? [OrderContraindication.FertilityDesired, OrderContraindication.NotAHypogonadismTreatment]
                : [OrderContraindication.NotAHypogonadismTreatment],
            codes);
        Assert.All(assessment.OrderContraindications, f => Assert.Equal(MedicationClass.AnabolicSteroid, f.DrugClass));

        // Not testosterone replacement: no testosterone screen for it, and its plan is the recommended therapy's, never
        // one for the steroid.
        Assert.Empty(assessment.TrtContraindications.Where(f => f.Code != TrtContraindication.FertilityDesired));
        if (intent == FertilityIntent.Desired)
        {
            Assert.Equal(TherapyKind.Serm, assessment.MonitoringFor);
        }
    }

    [Fact]
    public void GivenTwoDraftedDrugs_WhenBothHaveReasons_ThenFindingsAreGroupedByDrugAbsoluteFirst()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired)
            .Drafting(MedicationClass.Clomiphene, "draft-1").Drafting(MedicationClass.Hcg, "draft-2")
            .With(Some.Condition(ConditionKind.VenousThromboembolism), Some.Condition(ConditionKind.LiverDisease),
                Some.Condition(ConditionKind.ProstateCancer))
            .Assess();

        Assert.Equal(
            [
                (MedicationClass.Clomiphene, OrderContraindication.LiverDisease),
                (MedicationClass.Clomiphene, OrderContraindication.VteOrThrombophilia),
                (MedicationClass.Hcg, OrderContraindication.ProstateCancer),
            ],
            assessment.OrderContraindications.Select(f => (f.DrugClass, f.Code)));
        Assert.Contains("OCI-2", assessment.RuleIds);
        Assert.Contains("OCI-7", assessment.RuleIds);
    }

    [Fact]
    public void GivenEveryRow_WhenListed_ThenEachScreensAtLeastOneDrugInScopeAndNeverTestosterone()
    {
        Assert.All(HypogonadismRules.OrderContraindicationRules, rule =>
        {
            Assert.NotEmpty(rule.DrugClasses);
            Assert.DoesNotContain(MedicationClass.Testosterone, rule.DrugClasses);
            Assert.All(rule.DrugClasses, d => Assert.Contains(d, HypogonadismRules.ScreenedDrugClasses));
        });
        Assert.Equal(Enum.GetValues<OrderContraindication>().Order(), HypogonadismRules.OrderContraindicationRules.Select(r => r.Code).Distinct().Order());
    }
}
