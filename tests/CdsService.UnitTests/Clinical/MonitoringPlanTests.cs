using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>Monitoring plans as data (docs/clinical/hypogonadism-rules.md §10): which plan, which steps, due dates from the evaluation time.</summary>
public sealed class MonitoringPlanTests
{
    [Fact]
    public void GivenTestosteroneDraftedForA58YearOld_WhenAssessed_ThenTrtPlanWithBaselineAndThreeMonthSteps()
    {
        var assessment = SnapshotBuilder.SecondaryPattern(58).WithIntent(FertilityIntent.NotDesired).Drafting(MedicationClass.Testosterone).Assess();

        Assert.Equal(TherapyKind.TestosteroneReplacement, assessment.MonitoringFor);
        Assert.Equal(
            [
                ("Hematocrit", "4544-3", Some.Today),
                ("PSA", "2857-1", Some.Today),
                ("Total testosterone", "2986-8", Some.Today.AddMonths(3)),
                ("Hematocrit", "4544-3", Some.Today.AddMonths(3)),
                ("PSA", "2857-1", Some.Today.AddMonths(3)),
                ("Symptom and benefit review", null, Some.Today.AddMonths(3)),
            ],
            assessment.MonitoringPlan.Select(m => (m.Test, m.Loinc, m.Due)));
        Assert.Contains(assessment.MonitoringPlan, m => m.Reason.Contains("above 54 %", StringComparison.Ordinal));
        Assert.Contains(assessment.MonitoringPlan, m => m.Reason.Contains("450–600 ng/dL", StringComparison.Ordinal));
        Assert.Contains(assessment.MonitoringPlan, m => m.Reason.Contains("more than 1.4 ng/mL within 12 months", StringComparison.Ordinal));
        Assert.All(assessment.MonitoringPlan, m => Assert.False(string.IsNullOrWhiteSpace(m.Source)));
    }

    // Baseline PSA: every man aged 40 or over, no upper age (AUA 2018 statement 13). Ongoing PSA: 55–69, or 40–69 at
    // high risk of prostate cancer (ES 2018).
    [Theory]
    [InlineData(39, false, false, false)]
    [InlineData(39, true, false, false)]
    [InlineData(40, false, true, false)]
    [InlineData(40, true, true, true)]
    [InlineData(54, false, true, false)]
    [InlineData(54, true, true, true)]
    [InlineData(55, false, true, true)]
    [InlineData(69, false, true, true)]
    [InlineData(69, true, true, true)]
    [InlineData(70, false, true, false)]
    [InlineData(70, true, true, false)]
    [InlineData(85, false, true, false)]
    public void GivenTrtPlan_WhenAgeAndRiskVary_ThenBaselineFrom40WithoutUpperAgeAndOngoingPerEs2018(
        int age, bool blackOrAfricanAmerican, bool baseline, bool ongoing)
    {
        var builder = SnapshotBuilder.PrimaryPattern(age).WithIntent(FertilityIntent.NotDesired);
        if (blackOrAfricanAmerican)
        {
            builder.WithRace(CodeSystems.OmbBlackOrAfricanAmerican);
        }

        var plan = builder.Assess().MonitoringPlan;

        Assert.Equal(baseline, plan.Any(m => m.Test == "PSA" && m.Due == Some.Today));
        Assert.Equal(ongoing, plan.Any(m => m.Test == "PSA" && m.Due == Some.Today.AddMonths(3)));
    }

    [Fact]
    public void GivenTrtPlan_WhenTheBirthDateIsNotRecorded_ThenBaselinePsaIsKeptAndOngoingPsaIsNotClaimed()
    {
        var plan = SnapshotBuilder.PrimaryPattern().BornOn(null).WithIntent(FertilityIntent.NotDesired).Assess().MonitoringPlan;

        Assert.Contains(plan, m => m.Test == "PSA" && m.Due == Some.Today);
        Assert.DoesNotContain(plan, m => m.Test == "PSA" && m.Due == Some.Today.AddMonths(3));
    }

    [Theory]
    [InlineData(MedicationClass.Clomiphene)]
    [InlineData(MedicationClass.Enclomiphene)]
    public void GivenASermDrafted_WhenAssessed_ThenSermPlanDueInFourWeeks(MedicationClass serm)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired).Drafting(serm).Assess();

        Assert.Equal(TherapyKind.Serm, assessment.MonitoringFor);
        var testosterone = Assert.Single(assessment.MonitoringPlan, m => m.Test == "Total testosterone");
        Assert.Equal(Some.Today.AddDays(28), testosterone.Due);
        Assert.Contains(assessment.MonitoringPlan, m => m.Test == "Estradiol" && m.Loinc == "2243-4");
        Assert.Contains(assessment.MonitoringPlan, m => m.Test == "LH" && m.Loinc == "10501-5");
        Assert.Contains(assessment.MonitoringPlan, m => m.Test == "FSH" && m.Loinc == "15067-2");
        Assert.Contains(assessment.MonitoringPlan, m => m.Test == "Semen analysis" && m.Due == Some.Today.AddMonths(3));
        Assert.Contains(assessment.MonitoringPlan, m => m.Reason.Contains("visual disturbances", StringComparison.Ordinal));
        Assert.Empty(assessment.TrtContraindications);
    }

    [Fact]
    public void GivenHcgDrafted_WhenAssessed_ThenHcgPlan()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired).Drafting(MedicationClass.Hcg).Assess();

        Assert.Equal(TherapyKind.Hcg, assessment.MonitoringFor);
        Assert.Equal(["Semen analysis (baseline)", "Total testosterone", "Estradiol", "Hematocrit", "Semen analysis", "PSA"],
            assessment.MonitoringPlan.Select(m => m.Test));
        Assert.Equal(Some.Today, assessment.MonitoringPlan[0].Due);
        Assert.Equal(Some.Today.AddMonths(2), Assert.Single(assessment.MonitoringPlan, m => m.Test == "Semen analysis").Due);
    }

    [Theory]
    [InlineData("secondary", FertilityIntent.NotDesired, TherapyKind.TestosteroneReplacement)]
    [InlineData("secondary", FertilityIntent.Desired, TherapyKind.Serm)]
    [InlineData("exogenous", FertilityIntent.NotDesired, TherapyKind.TestosteroneReplacement)]
    [InlineData("exogenous", FertilityIntent.Desired, null)]
    [InlineData("eugonadal", FertilityIntent.NotDesired, null)]
    [InlineData("insufficient", FertilityIntent.NotDesired, null)]
    [InlineData("primary", FertilityIntent.Desired, null)]
    public void GivenNoDraft_WhenARecommendationImpliesATherapy_ThenItsPlan(string pattern, FertilityIntent intent, TherapyKind? expected)
    {
        var assessment = RecommendationTests.Pattern(pattern).WithIntent(intent).Assess();

        Assert.Equal(expected, assessment.MonitoringFor);
        Assert.Equal(expected is null, assessment.MonitoringPlan.IsEmpty);
    }

    [Fact]
    public void GivenTestosteroneAndHcgDrafted_WhenAssessed_ThenTheTestosteronePlanComesFirst()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired)
            .Drafting(MedicationClass.Hcg, "a").Drafting(MedicationClass.Testosterone, "b").Assess();

        Assert.Equal(TherapyKind.TestosteroneReplacement, assessment.MonitoringFor);
    }

    [Fact]
    public void GivenADifferentEvaluationDay_WhenAssessed_ThenDueDatesMoveWithTheClock()
    {
        var clock = Some.Clock();
        clock.Advance(TimeSpan.FromDays(10));
        var assessor = new HypogonadismAssessor(ClinicalThresholds.Default, clock);

        var assessment = assessor.Assess(SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired).Drafting(MedicationClass.Clomiphene).Build());

        Assert.Equal(Some.Today.AddDays(38), Assert.Single(assessment.MonitoringPlan, m => m.Test == "Total testosterone").Due);
        Assert.Equal(Some.Now.AddDays(10), assessment.EvaluatedAt);
    }
}
