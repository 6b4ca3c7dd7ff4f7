using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>TRT contraindications (docs/clinical/hypogonadism-rules.md §9): each one, its boundary, its evidence, and when checked.</summary>
public sealed class ContraindicationTests
{
    private static SnapshotBuilder DraftingTestosterone() =>
        SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired).Drafting(MedicationClass.Testosterone);

    [Fact]
    public void GivenNoRiskFactors_WhenTestosteroneIsDrafted_ThenNoContraindication()
    {
        Assert.Empty(DraftingTestosterone().With(Some.Hematocrit(45m), Some.Psa(1.0m)).Assess().TrtContraindications);
    }

    [Theory]
    [InlineData(48.1, true)]
    [InlineData(48.0, false)]
    public void GivenHematocrit_WhenAbove48_ThenContraindicatedWithValueAndDate(double percent, bool flagged)
    {
        var assessment = DraftingTestosterone().With(Some.Hematocrit((decimal)percent, daysAgo: 12)).Assess();

        if (!flagged)
        {
            Assert.Empty(assessment.TrtContraindications);
            return;
        }

        var finding = Assert.Single(assessment.TrtContraindications);
        Assert.Equal(TrtContraindication.HematocritAbove48, finding.Code);
        Assert.Equal("Hematocrit 48.1 % on 2025-06-03", finding.Evidence);
        Assert.Equal(Some.SampledAt(12).Value, finding.Date);
    }

    [Fact]
    public void GivenHematocritAsAFraction_WhenAbove048_ThenContraindicated()
    {
        var assessment = DraftingTestosterone().With(Some.Lab(Analyte.Hematocrit, 0.49m, LabUnit.LitersPerLiter)).Assess();

        Assert.Equal(TrtContraindication.HematocritAbove48, Assert.Single(assessment.TrtContraindications).Code);
    }

    [Theory]
    [InlineData(4.1, false, true)]
    [InlineData(4.0, false, false)]
    [InlineData(3.1, true, true)]
    [InlineData(3.0, true, false)]
    [InlineData(3.5, false, false)]
    public void GivenPsa_WhenAbove4OrAbove3AtHighRisk_ThenContraindicated(double psa, bool highRisk, bool flagged)
    {
        var builder = DraftingTestosterone().With(Some.Psa((decimal)psa));
        if (highRisk)
        {
            builder.With(Some.Condition(ConditionKind.ProstateCancerHighRisk));
        }

        var findings = builder.Assess().TrtContraindications;

        Assert.Equal(flagged, findings.Any(f => f.Code == TrtContraindication.PsaAbove4));
        if (flagged && highRisk)
        {
            Assert.Contains("high risk", findings[0].Evidence, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(ConditionKind.ProstateCancer, TrtContraindication.ProstateCancer)]
    [InlineData(ConditionKind.BreastCancer, TrtContraindication.BreastCancer)]
    [InlineData(ConditionKind.Thrombophilia, TrtContraindication.VteOrThrombophilia)]
    [InlineData(ConditionKind.VenousThromboembolism, TrtContraindication.VteOrThrombophilia)]
    [InlineData(ConditionKind.ProstateCancerHistory, TrtContraindication.ProstateCancerHistory)]
    [InlineData(ConditionKind.Polycythemia, TrtContraindication.Polycythemia)]
    public void GivenAContraindicatingCondition_WhenTestosteroneIsDrafted_ThenFlaggedWithDiagnosisAndDate(
        ConditionKind kind, TrtContraindication expected)
    {
        var assessment = DraftingTestosterone().With(Some.Condition(kind, onsetDaysAgo: 400, display: "Coded diagnosis")).Assess();

        var finding = Assert.Single(assessment.TrtContraindications);
        Assert.Equal(expected, finding.Code);
        Assert.Equal("Coded diagnosis (onset 2024-05-11)", finding.Evidence);
        Assert.Equal(Some.Now.AddDays(-400), finding.Date);
    }

    [Theory]
    [InlineData(ConditionKind.MyocardialInfarction, 150, true)]
    [InlineData(ConditionKind.MyocardialInfarction, 200, false)]
    [InlineData(ConditionKind.Stroke, 30, true)]
    [InlineData(ConditionKind.Stroke, 400, false)]
    public void GivenMiOrStroke_WhenOnsetWithinSixMonths_ThenRecentMiOrStroke(ConditionKind kind, int onsetDaysAgo, bool flagged)
    {
        var assessment = DraftingTestosterone().With(Some.Condition(kind, onsetDaysAgo: onsetDaysAgo)).Assess();

        Assert.Equal(flagged, assessment.TrtContraindications.Any(f => f.Code == TrtContraindication.RecentMiOrStroke));
    }

    [Fact]
    public void GivenMiWithoutADate_WhenTestosteroneIsDrafted_ThenFlaggedForTheClinicianToConfirm()
    {
        var assessment = DraftingTestosterone().With(Some.Condition(ConditionKind.MyocardialInfarction)).Assess();

        var finding = Assert.Single(assessment.TrtContraindications);
        Assert.Equal(TrtContraindication.RecentMiOrStroke, finding.Code);
        Assert.Null(finding.Date);
        Assert.Contains("date not recorded", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenFertilityDesired_WhenTestosteroneIsDrafted_ThenFertilityDesiredIsAContraindication()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired, daysAgo: 20)
            .Drafting(MedicationClass.Testosterone).Assess();

        var finding = Assert.Single(assessment.TrtContraindications);
        Assert.Equal(TrtContraindication.FertilityDesired, finding.Code);
        Assert.Equal(Some.Now.AddDays(-20), finding.Date);
        Assert.Equal(Recommendation.FertilityPreserving, assessment.Recommendation);

        // The plan is that of the therapy the fertility-conflict card advises (clomiphene), not the drafted testosterone's.
        Assert.Equal(TherapyKind.Serm, assessment.MonitoringFor);
    }

    [Fact]
    public void GivenRiskFactorsButNoTestosteroneOrderedOrRecommended_WhenAssessed_ThenNotChecked()
    {
        var assessment = SnapshotBuilder.EugonadalPattern().With(Some.Hematocrit(52m)).With(Some.Condition(ConditionKind.Polycythemia)).Assess();

        Assert.Empty(assessment.TrtContraindications);
    }

    [Fact]
    public void GivenTestosteroneRecommendedWithoutADraft_WhenRiskFactorsExist_ThenChecked()
    {
        var assessment = SnapshotBuilder.PrimaryPattern().WithIntent(FertilityIntent.NotDesired).With(Some.Hematocrit(50m)).Assess();

        Assert.Equal(Recommendation.TestosteroneReplacement, assessment.Recommendation);
        Assert.Equal(TrtContraindication.HematocritAbove48, Assert.Single(assessment.TrtContraindications).Code);
    }

    [Fact]
    public void GivenAManContinuingTestosterone_WhenHematocritIsBetweenTheStartingAndWithholdLimits_ThenNotedNotContraindicated()
    {
        // 48 % is the limit for starting (ES 2018 Table 4); on treatment the limit is 54 % (Table 8), so 51 % is watched.
        var assessment = RecommendationTests.Pattern("exogenous").With(Some.Hematocrit(51m)).Assess();

        Assert.Equal(Recommendation.ContinueWithMonitoring, assessment.Recommendation);
        Assert.Empty(assessment.TrtContraindications);
        Assert.Equal(MonitoringAlert.HematocritElevated, Assert.Single(assessment.MonitoringAlerts, a => a.RuleId == "MA-2").Code);
    }

    [Fact]
    public void GivenEveryContraindication_WhenTestosteroneIsDrafted_ThenAbsoluteFirstThenRelativeInTableOrder()
    {
        // Prostate cancer history is only reported without active prostate cancer (CI-10), so it has its own test.
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired).Drafting(MedicationClass.Testosterone)
            .With(Some.Hematocrit(50m), Some.Psa(5m))
            .With(Some.Condition(ConditionKind.ProstateCancer), Some.Condition(ConditionKind.BreastCancer),
                Some.Condition(ConditionKind.SevereSleepApneaUntreated), Some.Condition(ConditionKind.UncontrolledHeartFailure),
                Some.Condition(ConditionKind.Stroke, onsetDaysAgo: 10), Some.Condition(ConditionKind.Thrombophilia),
                Some.Condition(ConditionKind.Polycythemia))
            .With(Some.Medication(MedicationClass.AndrogenDeprivation, MedicationState.Active, startDaysAgo: 30))
            .Assess();

        Assert.Equal(
            [
                TrtContraindication.ProstateCancer, TrtContraindication.BreastCancer, TrtContraindication.AndrogenDeprivation,
                TrtContraindication.FertilityDesired, TrtContraindication.HematocritAbove48, TrtContraindication.PsaAbove4,
                TrtContraindication.UntreatedSevereSleepApnea, TrtContraindication.UncontrolledHeartFailure,
                TrtContraindication.RecentMiOrStroke, TrtContraindication.VteOrThrombophilia, TrtContraindication.Polycythemia,
            ],
            assessment.TrtContraindications.Select(f => f.Code));
        Assert.All(assessment.TrtContraindications.Take(3), f => Assert.Equal(ContraindicationSeverity.Absolute, f.Severity));
        Assert.All(assessment.TrtContraindications.Skip(3), f => Assert.Equal(ContraindicationSeverity.Relative, f.Severity));
    }

    [Theory]
    [InlineData(ConditionKind.SevereSleepApneaUntreated, TrtContraindication.UntreatedSevereSleepApnea, "severity and treatment not recorded")]
    [InlineData(ConditionKind.UncontrolledHeartFailure, TrtContraindication.UncontrolledHeartFailure, "control not recorded")]
    public void GivenSleepApnoeaOrHeartFailureCoded_WhenTestosteroneIsDrafted_ThenTheFindingSaysWhatTheRecordDoesNotShow(
        ConditionKind kind, TrtContraindication expected, string notRecorded)
    {
        var assessment = DraftingTestosterone().With(Some.Condition(kind, onsetDaysAgo: 400, display: "Coded diagnosis")).Assess();

        var finding = Assert.Single(assessment.TrtContraindications);
        Assert.Equal(expected, finding.Code);
        Assert.Equal($"Coded diagnosis (onset 2024-05-11); {notRecorded}", finding.Evidence);
        Assert.Equal(ContraindicationSeverity.Relative, finding.Severity);
    }

    [Fact]
    public void GivenProstateCancerHistoryAndActiveProstateCancer_WhenTestosteroneIsDrafted_ThenOnlyTheActiveCancerIsReported()
    {
        var history = DraftingTestosterone().With(Some.Condition(ConditionKind.ProstateCancerHistory, recordedDaysAgo: 900)).Assess();
        var both = DraftingTestosterone()
            .With(Some.Condition(ConditionKind.ProstateCancerHistory), Some.Condition(ConditionKind.ProstateCancer)).Assess();

        var finding = Assert.Single(history.TrtContraindications);
        Assert.Equal(TrtContraindication.ProstateCancerHistory, finding.Code);
        Assert.Equal(ContraindicationSeverity.Relative, finding.Severity);
        Assert.Equal(Recommendation.TestosteroneReplacement, history.Recommendation);
        Assert.Equal([TrtContraindication.ProstateCancer], both.TrtContraindications.Select(f => f.Code));
    }

    [Theory]
    [InlineData(ConditionKind.ProstateCancer)]
    [InlineData(ConditionKind.BreastCancer)]
    public void GivenAnAbsoluteContraindicationAndNoDraft_WhenAssessed_ThenTestosteroneContraindicatedWithTheFindingListed(ConditionKind kind)
    {
        var assessment = SnapshotBuilder.EugonadalPattern().With(Some.Condition(kind, onsetDaysAgo: 100)).Assess();

        Assert.Equal(Recommendation.TestosteroneContraindicated, assessment.Recommendation);
        Assert.Contains("REC-19", assessment.RuleIds);
        Assert.Equal(ContraindicationSeverity.Absolute, Assert.Single(assessment.TrtContraindications).Severity);
        Assert.Null(assessment.MonitoringFor);
    }

    [Theory]
    [InlineData(null, false, false, false, false)]
    [InlineData(CodeSystems.OmbBlackOrAfricanAmerican, false, false, false, true)]
    [InlineData("2106-3", false, false, false, false)]
    [InlineData(null, true, false, false, true)]
    [InlineData(null, false, true, false, true)]
    [InlineData(null, false, false, true, false)]
    public void GivenPsa35_WhenTheRecordShowsOrDoesNotShowAHighRisk_ThenTheThreeNgLimitAppliesOnlyWithEvidence(
        string? race, bool familyHistoryCode, bool fatherWithProstateCancer, bool uncleWithProstateCancer, bool flagged)
    {
        var builder = DraftingTestosterone().With(Some.Psa(3.5m));
        if (race is not null)
        {
            builder.WithRace(race);
        }

        if (familyHistoryCode)
        {
            builder.With(Some.Condition(ConditionKind.ProstateCancerHighRisk));
        }

        if (fatherWithProstateCancer)
        {
            builder.WithRelativeWithProstateCancer("FTH");
        }

        if (uncleWithProstateCancer)
        {
            builder.WithRelativeWithProstateCancer("UNCLE");
        }

        var assessment = builder.Assess();

        Assert.Equal(flagged, assessment.TrtContraindications.Any(f => f.Code == TrtContraindication.PsaAbove4));
        Assert.Equal(flagged, !assessment.ProstateCancerRiskFactors.IsEmpty);
    }

    [Fact]
    public void GivenABlackMan_WhenPsaIsAboveThree_ThenTheEvidenceNamesTheRiskFactorItRead()
    {
        var assessment = DraftingTestosterone().WithRace(CodeSystems.OmbBlackOrAfricanAmerican).With(Some.Psa(3.1m)).Assess();

        var finding = Assert.Single(assessment.TrtContraindications);
        Assert.Contains("Black or African American (US Core race)", finding.Evidence, StringComparison.Ordinal);
        Assert.Contains("limit 3 ng/mL", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAndrogenDeprivation_WhenTestosteroneIsDrafted_ThenContraindicatedAbsolutelyAndNoMonitoringPlan()
    {
        var assessment = DraftingTestosterone()
            .With(Some.Medication(MedicationClass.AndrogenDeprivation, MedicationState.Active, startDaysAgo: 60)).Assess();

        Assert.Equal(Recommendation.TestosteroneContraindicated, assessment.Recommendation);
        var finding = Assert.Single(assessment.TrtContraindications);
        Assert.Equal(TrtContraindication.AndrogenDeprivation, finding.Code);
        Assert.Equal(ContraindicationSeverity.Absolute, finding.Severity);
        Assert.Null(assessment.MonitoringFor);
    }
}
