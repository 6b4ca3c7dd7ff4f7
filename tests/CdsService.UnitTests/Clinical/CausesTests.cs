using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>
/// The causes table (CA-1…CA-10) and how causes, the new classifications and symptoms change the recommendation and
/// the work-up (docs/clinical/hypogonadism-rules.md §4–§9), one boundary per row.
/// </summary>
public sealed class CausesTests
{
    private static ReferenceRange Range(decimal low, decimal high, LabUnit unit) => new(new LabQuantity(low, unit), new LabQuantity(high, unit));

    [Theory]
    [InlineData(20.0, false)]
    [InlineData(20.1, true)]
    public void GivenProlactinWithoutItsOwnRange_WhenAboveTheDefault20_ThenHyperprolactinaemia(double ngPerMl, bool expected)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().With(Some.Lab(Analyte.Prolactin, (decimal)ngPerMl, LabUnit.NanogramsPerMilliliter, 5))
            .Assess();

        Assert.Equal(expected, assessment.Causes.Any(c => c.Code == Cause.Hyperprolactinemia));
    }

    [Theory]
    [InlineData(424.0, false)]
    [InlineData(425.0, true)]
    public void GivenProlactinInMilliUnitsWithoutRange_WhenConvertedAt21Point2_ThenComparedWith20NgPerMl(double miuPerL, bool expected)
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Lab(Analyte.Prolactin, (decimal)miuPerL, LabUnit.MilliInternationalUnitsPerLiter, 5))
            .Assess();

        Assert.Equal(expected, assessment.Causes.Any(c => c.Code == Cause.Hyperprolactinemia));
    }

    [Theory]
    [InlineData(324.0, false)]
    [InlineData(325.0, true)]
    public void GivenProlactinInMilliUnitsWithItsOwnRange_WhenAboveTheRangesTop_ThenHyperprolactinaemia(double miuPerL, bool expected)
    {
        var prolactin = Some.Lab(Analyte.Prolactin, (decimal)miuPerL, LabUnit.MilliInternationalUnitsPerLiter, 5,
            range: Range(86, 324, LabUnit.MilliInternationalUnitsPerLiter));

        var assessment = SnapshotBuilder.SecondaryPattern().With(prolactin).Assess();

        Assert.Equal(expected, assessment.Causes.Any(c => c.Code == Cause.Hyperprolactinemia));
    }

    [Theory]
    [InlineData(FertilityIntent.Desired)]
    [InlineData(FertilityIntent.NotDesired)]
    [InlineData(FertilityIntent.Unknown)]
    public void GivenHyperprolactinaemia_WhateverTheFertilityWish_ThenTreatTheCauseWithEndocrinologyAndMri(FertilityIntent intent)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().With(Some.Prolactin(48m, daysAgo: 5)).WithIntent(intent).Assess();

        Assert.Equal(Recommendation.TreatUnderlyingCause, assessment.Recommendation);
        Assert.Contains(AdditionalWorkup.EndocrinologyReferral, assessment.AdditionalWorkup);
        Assert.Contains(AdditionalWorkup.PituitaryMri, assessment.AdditionalWorkup);
        var cause = Assert.Single(assessment.Causes, c => c.Code == Cause.Hyperprolactinemia);
        Assert.Contains("Prolactin 48 ng/mL on", cause.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenCodedHyperprolactinaemiaWithOneLowSample_WhenWorkupIncomplete_ThenTheCauseStillSetsTheRecommendation()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 5), Some.Lh(2m)).With(Some.Symptom())
            .With(Some.Condition(ConditionKind.Hyperprolactinemia, recordedDaysAgo: 100, display: "Hyperprolactinemia"))
            .Assess();

        Assert.Equal(Classification.InsufficientData, assessment.Classification);
        Assert.Equal(Recommendation.TreatUnderlyingCause, assessment.Recommendation);
        Assert.Contains(MissingData.SecondMorningTotalTestosterone, assessment.MissingData);
    }

    [Theory]
    [InlineData(FertilityIntent.Desired, Recommendation.FertilityPreserving, TherapyKind.Hcg)]
    [InlineData(FertilityIntent.NotDesired, Recommendation.TreatUnderlyingCause, null)]
    public void GivenPituitaryDisease_WhenFertilityWishDiffers_ThenHcgForFertilityElseEndocrinologyNeverASerm(
        FertilityIntent intent, Recommendation expected, TherapyKind? plan)
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Condition(ConditionKind.PituitaryDisorder, onsetDaysAgo: 400, display: "Pituitary adenoma"))
            .WithIntent(intent)
            .Assess();

        Assert.Equal(expected, assessment.Recommendation);
        Assert.Equal(plan, assessment.MonitoringFor);
        Assert.Contains(assessment.Causes, c => c.Code == Cause.PituitaryDisease);
        Assert.Contains(AdditionalWorkup.EndocrinologyReferral, assessment.AdditionalWorkup);
    }

    [Theory]
    [InlineData(ConditionKind.Klinefelter)]
    [InlineData(ConditionKind.TesticularCause)]
    public void GivenKlinefelterOrATesticularCause_WhenLhIsNotHigh_ThenPrimaryAndNoKaryotype(ConditionKind kind)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().With(Some.Condition(kind, recordedDaysAgo: 900)).Assess();

        Assert.Equal(Classification.Primary, assessment.Classification);
        Assert.Contains("CLS-6", assessment.RuleIds);
        Assert.DoesNotContain(AdditionalWorkup.Karyotype, assessment.AdditionalWorkup);
    }

    [Theory]
    [InlineData(12.4, Classification.Secondary)]
    [InlineData(12.5, Classification.Primary)]
    public void GivenLhNotHigh_WhenFshIsAbove12Point4_ThenPrimary(double fsh, Classification expected)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 10), Some.TotalTestosterone(ngPerDl: 205, daysAgo: 40), Some.Lh(6m),
                Some.Fsh((decimal)fsh)).With(Some.Symptom())
            .Assess();

        Assert.Equal(expected, assessment.Classification);
    }

    [Fact]
    public void GivenFshWithItsOwnRange_WhenAboveTheDefaultButInsideThatRange_ThenNotHigh()
    {
        var fsh = Some.Lab(Analyte.Fsh, 14m, LabUnit.InternationalUnitsPerLiter, 10, range: Range(1.5m, 15.8m, LabUnit.InternationalUnitsPerLiter));
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 10), Some.TotalTestosterone(ngPerDl: 205, daysAgo: 40), Some.Lh(6m), fsh).With(Some.Symptom())
            .Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
    }

    [Theory]
    [InlineData(MedicationClass.Opioid, Cause.Opioid)]
    [InlineData(MedicationClass.Glucocorticoid, Cause.Glucocorticoid)]
    public void GivenASuppressingDrugInSecondaryHypogonadism_WhenChildrenNotWanted_ThenReviewTheDrugFirst(MedicationClass drug, Cause cause)
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Medication(drug, MedicationState.Active, startDaysAgo: 300))
            .WithIntent(FertilityIntent.NotDesired)
            .Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
        Assert.Equal(Recommendation.TreatUnderlyingCause, assessment.Recommendation);
        Assert.Contains(assessment.Causes, c => c.Code == cause);
    }

    [Fact]
    public void GivenAnOpioid_WhenChildrenAreWanted_ThenFertilityTherapyStandsAndTheCauseIsStillNamed()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Medication(MedicationClass.Opioid, MedicationState.Active, startDaysAgo: 300))
            .WithIntent(FertilityIntent.Desired)
            .Assess();

        Assert.Equal(Recommendation.FertilityPreserving, assessment.Recommendation);
        Assert.Contains(assessment.Causes, c => c.Code == Cause.Opioid);
    }

    [Fact]
    public void GivenAnOpioidWithNormalTestosterone_WhenAssessed_ThenOnlyNotedNeverAPatient()
    {
        var assessment = SnapshotBuilder.EugonadalPattern()
            .With(Some.Medication(MedicationClass.Opioid, MedicationState.Active, startDaysAgo: 300))
            .Assess();

        Assert.Equal(Classification.Eugonadal, assessment.Classification);
        Assert.Equal(Recommendation.NoTestosteroneTherapy, assessment.Recommendation);
    }

    [Fact]
    public void GivenAnEndedOpioid_WhenAssessed_ThenNotACause()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Medication(MedicationClass.Opioid, MedicationState.Completed, startDaysAgo: 300, endDaysAgo: 100))
            .Assess();

        Assert.DoesNotContain(assessment.Causes, c => c.Code == Cause.Opioid);
    }

    [Theory]
    [InlineData(300.0, null, false)]
    [InlineData(301.0, null, true)]
    [InlineData(850.0, 45.0, false)]
    [InlineData(850.0, 46.0, true)]
    public void GivenFerritinAndTransferrinSaturation_WhenBothHighOrSaturationUnmeasured_ThenIronOverload(
        double ferritin, double? saturation, bool expected)
    {
        var builder = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 10), Some.TotalTestosterone(ngPerDl: 205, daysAgo: 40), Some.Lh(3m),
                Some.Fsh(), Some.Prolactin(), Some.Ferritin((decimal)ferritin)).With(Some.Symptom());
        if (saturation is { } s)
        {
            builder.With(Some.Lab(Analyte.TransferrinSaturation, (decimal)s, LabUnit.Percent));
        }

        var assessment = builder.Assess();

        Assert.Equal(expected, assessment.Causes.Any(c => c.Code == Cause.IronOverload));
        Assert.Equal(expected, assessment.AdditionalWorkup.Contains(AdditionalWorkup.HfeGenotype));
        Assert.Equal(expected ? Recommendation.TreatUnderlyingCause : Recommendation.AssessFertilityIntent, assessment.Recommendation);
    }

    [Theory]
    [InlineData(29.9, false)]
    [InlineData(30.0, true)]
    public void GivenBodyMassIndex_WhenThirtyOrMore_ThenObesityIsAFunctionalCauseThatLeavesTheRecommendation(double bmi, bool expected)
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Lab(Analyte.Bmi, (decimal)bmi, LabUnit.KilogramsPerSquareMeter, 20))
            .WithIntent(FertilityIntent.NotDesired)
            .Assess();

        Assert.Equal(expected, assessment.Causes.Any(c => c.Code == Cause.Obesity));
        Assert.Equal(Recommendation.TestosteroneReplacement, assessment.Recommendation);
    }

    [Fact]
    public void GivenDiabetesAndSleepApnoea_WhenCoded_ThenFunctionalCausesNamed()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Condition(ConditionKind.Type2Diabetes, recordedDaysAgo: 700), Some.Condition(ConditionKind.SleepApnea, recordedDaysAgo: 200))
            .WithIntent(FertilityIntent.NotDesired)
            .Assess();

        Assert.Equal([Cause.Type2Diabetes, Cause.SleepApnea], assessment.Causes.Select(c => c.Code));
        Assert.Equal(Recommendation.TestosteroneReplacement, assessment.Recommendation);
    }

    [Fact]
    public void GivenAndrogenDeprivation_WhenTestosteroneDrafted_ThenNotDiseaseNoWorkupNoTestosterone()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Medication(MedicationClass.AndrogenDeprivation, MedicationState.Active, startDaysAgo: 200))
            .With(Some.Condition(ConditionKind.ProstateCancer, onsetDaysAgo: 300))
            .Drafting(MedicationClass.Testosterone)
            .Assess();

        Assert.Equal(Classification.AndrogenDeprivation, assessment.Classification);
        Assert.Equal(Recommendation.TestosteroneContraindicated, assessment.Recommendation);
        Assert.Empty(assessment.AdditionalWorkup);
        Assert.Empty(assessment.MissingData);
        Assert.Empty(assessment.Causes);
        Assert.Null(assessment.MonitoringFor);
    }

    [Theory]
    [InlineData(MedicationClass.Clomiphene, 0, TherapyKind.Serm)]
    [InlineData(MedicationClass.Hcg, 60, TherapyKind.Hcg)]
    [InlineData(MedicationClass.AromataseInhibitor, 80, TherapyKind.Serm)]
    public void GivenFertilityTherapyActiveOrStoppedWithinThreeMonths_WhenAssessed_ThenOnFertilityTherapyWithItsPlan(
        MedicationClass drug, int stoppedDaysAgo, TherapyKind plan)
    {
        var medication = stoppedDaysAgo == 0
            ? Some.Medication(drug, MedicationState.Active, startDaysAgo: 120)
            : Some.Medication(drug, MedicationState.Stopped, startDaysAgo: 200, endDaysAgo: stoppedDaysAgo);

        var assessment = SnapshotBuilder.EugonadalPattern().With(medication).WithIntent(FertilityIntent.Desired).Assess();

        Assert.Equal(Classification.OnFertilityTherapy, assessment.Classification);
        Assert.Equal(Recommendation.ContinueWithMonitoring, assessment.Recommendation);
        Assert.Equal(plan, assessment.MonitoringFor);
        Assert.Empty(assessment.TrtContraindications);
    }

    [Fact]
    public void GivenLowTestosteroneWithNoCodedSymptom_WhenAssessed_ThenSymptomsAreMissing()
    {
        var withSymptom = SnapshotBuilder.SecondaryPattern().Assess();
        var without = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 10), Some.TotalTestosterone(ngPerDl: 205, daysAgo: 40), Some.Lh(3m))
            .Assess();

        Assert.DoesNotContain(MissingData.Symptoms, withSymptom.MissingData);
        Assert.Equal(["Erectile dysfunction (2025-04-16)"], withSymptom.Symptoms);
        Assert.Contains(MissingData.Symptoms, without.MissingData);
        Assert.Contains("MD-7", without.RuleIds);
    }

    [Fact]
    public void GivenASingleVeryLowValue_WhenUnconfirmed_ThenNoPituitaryMriUntilConfirmed()
    {
        var single = SnapshotBuilder.AdultMan().With(Some.TotalTestosterone(ngPerDl: 120, daysAgo: 5), Some.Lh(2m)).With(Some.Symptom()).Assess();
        var confirmed = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 120, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 140, daysAgo: 30), Some.Lh(2m)).With(Some.Symptom())
            .Assess();

        Assert.DoesNotContain(AdditionalWorkup.PituitaryMri, single.AdditionalWorkup);
        Assert.Contains(AdditionalWorkup.PituitaryMri, confirmed.AdditionalWorkup);
    }
}
