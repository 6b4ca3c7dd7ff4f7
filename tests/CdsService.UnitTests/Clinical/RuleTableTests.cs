using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>Structural checks on the decision tables, so an edit that breaks "first match wins" or drops a code fails.</summary>
public sealed class RuleTableTests
{
    [Fact]
    public void GivenAllTables_WhenIdsCollected_ThenEveryIdIsUnique()
    {
        var ids = HypogonadismRules.AndrogenStatusRules.Select(r => r.Id)
            .Concat(HypogonadismRules.ClassificationRules.Select(r => r.Id))
            .Concat(HypogonadismRules.RecommendationRules.Select(r => r.Id))
            .Concat(HypogonadismRules.MissingDataRules.Select(r => r.Id))
            .Concat(HypogonadismRules.WorkupRules.Select(r => r.Id))
            .Concat(HypogonadismRules.ContraindicationRules.Select(r => r.Id))
            .Concat(HypogonadismRules.FertilityIntentRules.Select(r => r.Id))
            .ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void GivenTheTables_WhenOutcomesCollected_ThenEveryCodeCanBeProduced()
    {
        Assert.Equal(Enum.GetValues<Classification>().Order(), HypogonadismRules.ClassificationRules.Select(r => r.Outcome).Distinct().Order());
        Assert.Equal(Enum.GetValues<Recommendation>().Order(), HypogonadismRules.RecommendationRules.Select(r => r.Outcome).Distinct().Order());
        Assert.Equal(Enum.GetValues<MissingData>().Order(), HypogonadismRules.MissingDataRules.Select(r => r.Outcome).Order());
        Assert.Equal(Enum.GetValues<AdditionalWorkup>().Order(), HypogonadismRules.WorkupRules.Select(r => r.Outcome).Order());
        Assert.Equal(Enum.GetValues<TrtContraindication>().Order(), HypogonadismRules.ContraindicationRules.Select(r => r.Code).Order());
        Assert.Equal(Enum.GetValues<TherapyKind>().Order(), MonitoringPlans.Rules.Select(r => r.Therapy).Distinct().Order());
    }

    [Fact]
    public void GivenEveryRow_WhenRendered_ThenItHasWordsASourceAndNoUnfilledPlaceholder()
    {
        var texts = HypogonadismRules.AndrogenStatusRules.Select(r => (r.Condition, r.Source))
            .Concat(HypogonadismRules.ClassificationRules.Select(r => (r.Condition, r.Source)))
            .Concat(HypogonadismRules.RecommendationRules.Select(r => (r.Condition + " " + r.Advice, r.Source)))
            .Concat(HypogonadismRules.MissingDataRules.Select(r => (r.Condition, r.Source)))
            .Concat(HypogonadismRules.WorkupRules.Select(r => (r.Condition, r.Source)))
            .Concat(HypogonadismRules.ContraindicationRules.Select(r => (r.Condition, r.Source)))
            .Concat(MonitoringPlans.Rules.Select(r => (r.When + " " + r.Reason + " " + r.AppliesTo, r.Source)));

        Assert.All(texts, row =>
        {
            Assert.False(string.IsNullOrWhiteSpace(row.Source));
            Assert.DoesNotContain("{", RuleText.Fill(row.Item1, ClinicalThresholds.Default), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void GivenEveryRecommendationRow_WhenRead_ThenItSaysWhatToDo()
    {
        Assert.All(HypogonadismRules.RecommendationRules, r => Assert.False(string.IsNullOrWhiteSpace(r.Advice)));
    }

    [Fact]
    public void GivenTheSameSnapshot_WhenAssessedConcurrently_ThenEveryAnswerIsTheSame()
    {
        var assessor = new HypogonadismAssessor(ClinicalThresholds.Default, Some.Clock());
        var snapshot = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired).Drafting(MedicationClass.Testosterone)
            .With(Some.Hematocrit(50m)).Build();
        var expected = assessor.Assess(snapshot);

        var results = new Assessment[256];
        Parallel.For(0, results.Length, i => results[i] = assessor.Assess(snapshot));

        Assert.All(results, r =>
        {
            Assert.Equal(expected.Classification, r.Classification);
            Assert.Equal(expected.RuleIds, r.RuleIds);
            Assert.Equal(expected.TrtContraindications, r.TrtContraindications);
            Assert.Equal(expected.MonitoringPlan, r.MonitoringPlan);
        });
    }

    [Fact]
    public void GivenAnAssessment_WhenEvidenceListed_ThenEachResultUsedAppearsWithItsInterpretation()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().With(Some.Hematocrit(44m), Some.Psa(0.8m), Some.Estradiol()).Assess();

        Assert.Equal(
            [Analyte.TotalTestosterone, Analyte.TotalTestosterone, Analyte.Lh, Analyte.Fsh, Analyte.Prolactin, Analyte.Estradiol,
                Analyte.Ferritin, Analyte.Hematocrit, Analyte.Psa],
            assessment.Evidence.Select(e => e.Analyte));
        var morning = assessment.Evidence.Where(e => e.Analyte == Analyte.TotalTestosterone).ToList();
        Assert.All(morning, e => Assert.True(e.IsMorning));
        Assert.All(morning, e => Assert.StartsWith("below 300 ng/dL", e.Interpretation, StringComparison.Ordinal));
        Assert.Equal("at or below 9.4 IU/L", assessment.Evidence.Single(e => e.Analyte == Analyte.Lh).Interpretation);
        Assert.All(assessment.Evidence, e => Assert.NotNull(e.SourceId));
    }

    [Fact]
    public void GivenASnapshotWithDefaultArrays_WhenAssessed_ThenTreatedAsEmpty()
    {
        var snapshot = new PatientSnapshot { Sex = AdministrativeSex.Male, BirthDate = new DateOnly(1980, 1, 1), Labs = default, DraftOrders = default };

        var assessment = new HypogonadismAssessor(ClinicalThresholds.Default, Some.Clock()).Assess(snapshot);

        Assert.Equal(Classification.InsufficientData, assessment.Classification);
    }
}
