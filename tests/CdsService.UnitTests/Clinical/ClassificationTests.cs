using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>Classification decision table (docs/clinical/hypogonadism-rules.md §4): every step and boundary.</summary>
public sealed class ClassificationTests
{
    [Theory]
    [InlineData(299.9, 12.0, Classification.Primary)]
    [InlineData(300.0, 12.0, Classification.Compensated)]
    [InlineData(299.9, 5.0, Classification.Secondary)]
    [InlineData(300.0, 5.0, Classification.Eugonadal)]
    public void GivenTwoMorningValuesAtTheLowLimit_WhenAssessed_ThenBelow300IsLowAnd300IsNot(double ngPerDl, double lh, Classification expected)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: (decimal)ngPerDl, daysAgo: 5), Some.TotalTestosterone(ngPerDl: (decimal)ngPerDl, daysAgo: 20),
                Some.Lh((decimal)lh))
            .Assess();

        Assert.Equal(expected, assessment.Classification);
    }

    [Theory]
    [InlineData(9.4, Classification.Secondary)]
    [InlineData(9.5, Classification.Primary)]
    public void GivenLowTestosterone_WhenLhIsAtTheLimit_Then94IsNotHighAnd95Is(double lh, Classification expected)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 200, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 210, daysAgo: 20), Some.Lh((decimal)lh))
            .Assess();

        Assert.Equal(expected, assessment.Classification);
    }

    [Fact]
    public void GivenOneLowMorningValue_WhenAssessed_ThenInsufficientDataAskingForASecond()
    {
        var assessment = SnapshotBuilder.AdultMan().With(Some.TotalTestosterone(ngPerDl: 250), Some.Lh(3m), Some.Fsh()).Assess();

        Assert.Equal(Classification.InsufficientData, assessment.Classification);
        Assert.Equal(AndrogenStatus.Unconfirmed, assessment.AndrogenStatus);
        Assert.Contains(MissingData.SecondMorningTotalTestosterone, assessment.MissingData);
        Assert.Equal(Recommendation.CompleteWorkup, assessment.Recommendation);
    }

    [Fact]
    public void GivenOneNormalMorningValue_WhenAssessed_ThenNormalWithoutConfirmation()
    {
        var assessment = SnapshotBuilder.AdultMan().With(Some.TotalTestosterone(ngPerDl: 450), Some.Lh(3m)).Assess();

        Assert.Equal(Classification.Eugonadal, assessment.Classification);
        Assert.Equal(AndrogenStatus.Normal, assessment.AndrogenStatus);
        Assert.Empty(assessment.MissingData);
    }

    [Fact]
    public void GivenTwoMorningValuesThatDisagree_WhenAssessed_ThenUnconfirmed()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 250, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 400, daysAgo: 20), Some.Lh(3m))
            .Assess();

        Assert.Equal(Classification.InsufficientData, assessment.Classification);
        Assert.Equal(AndrogenStatus.Unconfirmed, assessment.AndrogenStatus);
        Assert.Contains("AND-3", assessment.RuleIds);
    }

    [Fact]
    public void GivenThreeMorningValues_WhenAssessed_ThenOnlyTheTwoMostRecentDecide()
    {
        // The oldest value is normal; the two newest (different days) are low, so the status is low.
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 500, daysAgo: 90), Some.TotalTestosterone(ngPerDl: 250, daysAgo: 5),
                Some.TotalTestosterone(ngPerDl: 240, daysAgo: 20), Some.Lh(3m))
            .Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
    }

    [Fact]
    public void GivenTwoLowValuesOnTheSameDay_WhenAssessed_ThenTheyCountAsOneAndAreUnconfirmed()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 250, daysAgo: 5, hour: 7), Some.TotalTestosterone(ngPerDl: 240, daysAgo: 5, hour: 9), Some.Lh(3m))
            .Assess();

        Assert.Equal(AndrogenStatus.Unconfirmed, assessment.AndrogenStatus);
    }

    [Theory]
    [InlineData(10, 59, Classification.Secondary)]
    [InlineData(11, 0, Classification.InsufficientData)]
    public void GivenASecondLowValue_WhenSampledAt1059Or1100_ThenOnlyTheMorningSampleCounts(int hour, int minute, Classification expected)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 250, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 240, daysAgo: 20, hour: hour, minute: minute),
                Some.Lh(3m))
            .Assess();

        Assert.Equal(expected, assessment.Classification);
    }

    [Fact]
    public void GivenAMorningSampleInTheSampleTimeZone_WhenItIsAfternoonInUtc_ThenItCountsAsMorning()
    {
        // 10:30 at UTC−05:00 is 15:30 UTC: morning is judged in the sample's own time zone.
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 250, daysAgo: 5, hour: 10, minute: 30, offset: TimeSpan.FromHours(-5)),
                Some.TotalTestosterone(ngPerDl: 240, daysAgo: 20), Some.Lh(3m))
            .Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
    }

    [Fact]
    public void GivenADateOnlyValue_WhenAssessed_ThenItCountsAsMorningAndIsFlaggedTimeNotRecorded()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 250, daysAgo: 5, dateOnly: true), Some.TotalTestosterone(ngPerDl: 240, daysAgo: 20), Some.Lh(3m))
            .Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
        var dateOnly = Assert.Single(assessment.Evidence, e => e.Analyte == Analyte.TotalTestosterone && !e.EffectiveTime.TimeRecorded);
        Assert.True(dateOnly.IsMorning);
        Assert.Contains("time not recorded", dateOnly.Interpretation, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNmolPerLiterInput_WhenAssessed_ThenConvertedAt28Point84()
    {
        // 10.4 nmol/L = 299.9 ng/dL (low); 10.5 nmol/L = 302.8 ng/dL (not low).
        var low = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(nmolPerL: 10.4m, daysAgo: 5), Some.TotalTestosterone(nmolPerL: 10.4m, daysAgo: 20), Some.Lh(3m))
            .Assess();
        var normal = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(nmolPerL: 10.5m, daysAgo: 5), Some.TotalTestosterone(nmolPerL: 10.5m, daysAgo: 20), Some.Lh(3m))
            .Assess();

        Assert.Equal(Classification.Secondary, low.Classification);
        Assert.Equal(Classification.Eugonadal, normal.Classification);
    }

    [Fact]
    public void GivenNoTestosterone_WhenAssessed_ThenInsufficientDataAskingForMorningValue()
    {
        var assessment = SnapshotBuilder.AdultMan().With(Some.Lh(3m)).Assess();

        Assert.Equal(Classification.InsufficientData, assessment.Classification);
        Assert.Equal(AndrogenStatus.Unknown, assessment.AndrogenStatus);
        Assert.Contains(MissingData.MorningTotalTestosterone, assessment.MissingData);
    }

    [Fact]
    public void GivenOnlyAfternoonValues_WhenAssessed_ThenTheyAreShownButNotUsed()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 250, daysAgo: 5, hour: 15), Some.TotalTestosterone(ngPerDl: 240, daysAgo: 20, hour: 14), Some.Lh(3m))
            .Assess();

        Assert.Equal(Classification.InsufficientData, assessment.Classification);
        Assert.Contains(MissingData.MorningTotalTestosterone, assessment.MissingData);
        var shown = Assert.Single(assessment.Evidence, e => e.Analyte == Analyte.TotalTestosterone);
        Assert.False(shown.IsMorning);
        Assert.StartsWith("not used", shown.Interpretation, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNoLh_WhenTestosteroneIsLow_ThenInsufficientDataAskingForLh()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(nmolPerL: 9.0m, daysAgo: 5), Some.TotalTestosterone(nmolPerL: 8.8m, daysAgo: 20))
            .Assess();

        Assert.Equal(Classification.InsufficientData, assessment.Classification);
        Assert.Equal(AndrogenStatus.Low, assessment.AndrogenStatus);
        Assert.Contains(MissingData.Lh, assessment.MissingData);
        Assert.Contains(MissingData.Fsh, assessment.MissingData);
        Assert.Contains(MissingData.Prolactin, assessment.MissingData);
        Assert.Contains("CLS-7", assessment.RuleIds);
    }

    [Theory]
    [InlineData(0, Classification.Secondary)]
    [InlineData(1, Classification.InsufficientData)]
    public void GivenAValueAtTheLookbackEdge_WhenAssessed_ThenExactly12MonthsCountsAndOlderDoesNot(int minutesOlder, Classification expected)
    {
        // The instant exactly 12 months before the evaluation time, shown at UTC−05:00 so it is a morning sample (07:00).
        var edge = Some.Now.AddMonths(-12).AddMinutes(-minutesOlder).ToOffset(TimeSpan.FromHours(-5));
        var old = new LabResult
        {
            Analyte = Analyte.TotalTestosterone,
            Quantity = new LabQuantity(240, LabUnit.NanogramsPerDeciliter),
            EffectiveTime = SampleTime.At(edge),
        };

        var assessment = SnapshotBuilder.AdultMan().With(Some.TotalTestosterone(ngPerDl: 250, daysAgo: 5), old, Some.Lh(3m)).Assess();

        Assert.Equal(expected, assessment.Classification);
    }

    [Fact]
    public void GivenLowValuesButAnActiveTestosteronePrescription_WhenAssessed_ThenExogenousAndrogen()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Medication(MedicationClass.Testosterone, MedicationState.Active, startDaysAgo: 400))
            .Assess();

        Assert.Equal(Classification.ExogenousAndrogen, assessment.Classification);
        Assert.Empty(assessment.MissingData);
    }

    [Theory]
    [InlineData(MedicationClass.Testosterone, 150, Classification.ExogenousAndrogen)]
    [InlineData(MedicationClass.AnabolicSteroid, 170, Classification.ExogenousAndrogen)]
    [InlineData(MedicationClass.Testosterone, 200, Classification.Secondary)]
    [InlineData(MedicationClass.Clomiphene, 30, Classification.OnFertilityTherapy)]
    [InlineData(MedicationClass.Clomiphene, 100, Classification.Secondary)]
    public void GivenACompletedCourse_WhenEndedWithinOrBeyondSixMonths_ThenOnlyRecentAndrogensCount(
        MedicationClass medicationClass, int endedDaysAgo, Classification expected)
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Medication(medicationClass, MedicationState.Completed, startDaysAgo: endedDaysAgo + 90, endDaysAgo: endedDaysAgo))
            .Assess();

        Assert.Equal(expected, assessment.Classification);
    }

    [Fact]
    public void GivenACompletedAndrogenCourseWithNoDates_WhenAssessed_ThenItCountsBecauseItsTimingIsUnknown()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Medication(MedicationClass.Testosterone, MedicationState.Stopped))
            .Assess();

        Assert.Equal(Classification.ExogenousAndrogen, assessment.Classification);
    }

    [Fact]
    public void GivenTestosteroneOnlyAsTheDraftOrder_WhenAssessed_ThenTheDraftIsNotExogenousHistory()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .Drafting(MedicationClass.Testosterone, "draft-7")
            .With(Some.Medication(MedicationClass.Testosterone, MedicationState.Active, startDaysAgo: 0, sourceId: "MedicationRequest/draft-7"))
            .Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
    }

    [Theory]
    [InlineData(AdministrativeSex.Female, 45)]
    [InlineData(AdministrativeSex.Unknown, 45)]
    [InlineData(AdministrativeSex.Male, 17)]
    public void GivenNotAnAdultMan_WhenAssessed_ThenNotApplicable(AdministrativeSex sex, int age)
    {
        var assessment = SnapshotBuilder.SecondaryPattern(age).Sex(sex).Assess();

        Assert.Equal(Classification.NotApplicable, assessment.Classification);
        Assert.Equal(Recommendation.NotApplicable, assessment.Recommendation);
        Assert.Empty(assessment.Evidence);
        Assert.Empty(assessment.MissingData);
    }

    [Fact]
    public void GivenAManOn18thBirthday_WhenAssessed_ThenRulesApply()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().BornOn(Some.Today.AddYears(-18)).Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
    }

    [Fact]
    public void GivenADayBefore18thBirthday_WhenAssessed_ThenNotApplicable()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().BornOn(Some.Today.AddYears(-18).AddDays(1)).Assess();

        Assert.Equal(Classification.NotApplicable, assessment.Classification);
    }

    [Fact]
    public void GivenNoBirthDate_WhenAssessed_ThenAssessedAsAnAdultOfUnknownAge()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().BornOn(null).Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
        Assert.Null(assessment.AgeYears);
    }

    /// <summary>Clinical brief §6 synthetic boundary vectors (two morning values, nmol/L).</summary>
    [Theory]
    [InlineData(10.4, 9.8, 9.4, null, null, Classification.Secondary)]
    [InlineData(10.4, 9.8, 9.5, null, null, Classification.Primary)]
    [InlineData(10.5, 11.0, 9.5, null, null, Classification.Compensated)]
    [InlineData(10.5, 11.0, 5.0, null, null, Classification.Eugonadal)]
    [InlineData(9.0, null, 3.0, null, null, Classification.InsufficientData)]
    [InlineData(9.0, 8.8, null, null, null, Classification.InsufficientData)]
    [InlineData(9.5, 9.9, 4.0, 15.0, null, Classification.Eugonadal)]
    [InlineData(9.5, 9.9, 4.0, null, 260.0, Classification.InsufficientData)]
    public void GivenBriefSection6Vector_WhenAssessed_ThenExpectedClassification(
        double newest, double? older, double? lh, double? shbg, double? freePmol, Classification expected)
    {
        var builder = SnapshotBuilder.AdultMan().With(Some.TotalTestosterone(nmolPerL: (decimal)newest, daysAgo: 5));
        if (older is { } o)
        {
            builder.With(Some.TotalTestosterone(nmolPerL: (decimal)o, daysAgo: 30));
        }

        if (lh is { } l)
        {
            builder.With(Some.Lh((decimal)l));
        }

        if (shbg is { } s)
        {
            builder.With(Some.Shbg((decimal)s));
        }

        if (freePmol is { } free)
        {
            // Measured on the newest draw's day: it decides that draw only; the older grey-zone draw has no free value
            // of its own, so its total decides (each draw judged on its own, AUA 2018 statement 2).
            builder.With(Some.FreeTestosterone((decimal)free, daysAgo: 5));
        }

        Assert.Equal(expected, builder.Assess().Classification);
    }
}
