using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>Additional work-up (docs/clinical/hypogonadism-rules.md §8) and missing data (§7).</summary>
public sealed class WorkupTests
{
    [Fact]
    public void GivenSecondaryWithoutProlactinOrFerritin_WhenAssessed_ThenProlactinAndIronStudies()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 220, daysAgo: 20), Some.Lh(3m), Some.Fsh())
            .Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
        Assert.Equal([AdditionalWorkup.Prolactin, AdditionalWorkup.IronStudies], assessment.AdditionalWorkup);
    }

    [Fact]
    public void GivenSecondaryWithProlactinAndFerritin_WhenAssessed_ThenNoFurtherWorkup()
    {
        Assert.Empty(SnapshotBuilder.SecondaryPattern().Assess().AdditionalWorkup);
    }

    [Theory]
    [InlineData(149.9, true)]
    [InlineData(150.0, false)]
    public void GivenSecondary_WhenAMorningValueIsBelow150_ThenPituitaryMri(double ngPerDl, bool mri)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 200, daysAgo: 5), Some.TotalTestosterone(ngPerDl: (decimal)ngPerDl, daysAgo: 20),
                Some.Lh(2m), Some.Prolactin(), Some.Ferritin())
            .Assess();

        Assert.Equal(mri, assessment.AdditionalWorkup.Contains(AdditionalWorkup.PituitaryMri));
    }

    [Theory]
    [InlineData(25.0, true)]
    [InlineData(15.0, false)]
    public void GivenSecondary_WhenProlactinIsAboveItsRange_ThenPituitaryMri(double prolactin, bool mri)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 205, daysAgo: 40), Some.Lh(3m),
                Some.Prolactin((decimal)prolactin, upperLimit: 18m), Some.Ferritin())
            .Assess();

        Assert.Equal(mri, assessment.AdditionalWorkup.Contains(AdditionalWorkup.PituitaryMri));
    }

    [Fact]
    public void GivenSecondaryAndCodedHyperprolactinemia_WhenAssessed_ThenPituitaryMri()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().With(Some.Condition(ConditionKind.Hyperprolactinemia)).Assess();

        Assert.Contains(AdditionalWorkup.PituitaryMri, assessment.AdditionalWorkup);
    }

    [Fact]
    public void GivenPrimary_WhenAssessed_ThenKaryotype()
    {
        Assert.Equal([AdditionalWorkup.Karyotype], SnapshotBuilder.PrimaryPattern().WithIntent(FertilityIntent.NotDesired).Assess().AdditionalWorkup);
    }

    [Theory]
    [InlineData("primary")]
    [InlineData("eugonadal")]
    [InlineData("exogenous")]
    public void GivenFertilityDesired_WhenAssessed_ThenSemenAnalysis(string pattern)
    {
        var assessment = RecommendationTests.Pattern(pattern).WithIntent(FertilityIntent.Desired).Assess();

        Assert.Contains(AdditionalWorkup.SemenAnalysis, assessment.AdditionalWorkup);
    }

    [Fact]
    public void GivenBreastSymptoms_WhenAssessed_ThenEstradiol()
    {
        var assessment = SnapshotBuilder.EugonadalPattern().With(Some.Condition(ConditionKind.BreastSymptoms)).Assess();

        Assert.Equal([AdditionalWorkup.Estradiol], assessment.AdditionalWorkup);
    }

    [Fact]
    public void GivenNothingAtAll_WhenAssessed_ThenEveryMissingItemIsListed()
    {
        var assessment = SnapshotBuilder.AdultMan().Assess();

        Assert.Equal(Classification.InsufficientData, assessment.Classification);
        Assert.Equal([MissingData.MorningTotalTestosterone, MissingData.Lh, MissingData.Fsh], assessment.MissingData);
    }

    [Fact]
    public void GivenOneLowValueInTheGreyZone_WhenNothingElse_ThenSecondValueLhFshShbgAndProlactinAreMissing()
    {
        var assessment = SnapshotBuilder.AdultMan().With(Some.TotalTestosterone(ngPerDl: 280)).Assess();

        Assert.Equal(
            [MissingData.SecondMorningTotalTestosterone, MissingData.Lh, MissingData.Fsh, MissingData.Shbg, MissingData.Prolactin,
                MissingData.Symptoms],
            assessment.MissingData);
    }

    [Fact]
    public void GivenEugonadal_WhenAssessed_ThenNothingIsMissing()
    {
        Assert.Empty(SnapshotBuilder.EugonadalPattern().Assess().MissingData);
    }
}
