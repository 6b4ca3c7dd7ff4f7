using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>
/// Who the rules are for (CLS-1: sex for clinical use, birth sex, gender identity, gender, age) and when a sample
/// counts as a morning sample (site time zone for UTC timestamps, date-only setting).
/// </summary>
public sealed class ScopeAndSampleTimeTests
{
    [Theory]
    [InlineData(null, null, null, AdministrativeSex.Male, Classification.Secondary)]
    [InlineData(AdministrativeSex.Female, null, null, AdministrativeSex.Male, Classification.NotApplicable)]
    [InlineData(AdministrativeSex.Male, null, null, AdministrativeSex.Male, Classification.Secondary)]
    [InlineData(AdministrativeSex.Unknown, null, null, AdministrativeSex.Male, Classification.Secondary)]
    [InlineData(null, AdministrativeSex.Female, null, AdministrativeSex.Male, Classification.NotApplicable)]
    [InlineData(AdministrativeSex.Female, AdministrativeSex.Male, null, AdministrativeSex.Male, Classification.Secondary)]
    [InlineData(null, AdministrativeSex.Unknown, null, AdministrativeSex.Male, Classification.NotApplicable)]
    [InlineData(null, null, AdministrativeSex.Female, AdministrativeSex.Male, Classification.NotApplicable)]
    [InlineData(null, null, AdministrativeSex.Other, AdministrativeSex.Male, Classification.NotApplicable)]
    [InlineData(null, null, AdministrativeSex.Male, AdministrativeSex.Male, Classification.Secondary)]
    [InlineData(null, null, null, AdministrativeSex.Unknown, Classification.NotApplicable)]
    public void GivenTheRecordsSexFields_WhenAssessed_ThenTheClinicalUseFieldDecidesThenBirthSexThenIdentityThenGender(
        AdministrativeSex? birth, AdministrativeSex? clinical, AdministrativeSex? identity, AdministrativeSex gender, Classification expected)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().Sex(gender).Recorded(birth, clinical, identity).Assess();

        Assert.Equal(expected, assessment.Classification);
        if (expected == Classification.NotApplicable)
        {
            Assert.Empty(assessment.Evidence);
            Assert.Empty(assessment.Causes);
        }
    }

    [Theory]
    [InlineData("America/New_York", 13, 30, true)]
    [InlineData("America/New_York", 14, 59, true)]
    [InlineData("America/New_York", 15, 0, false)]
    [InlineData("UTC", 13, 30, false)]
    [InlineData("Asia/Tokyo", 1, 30, true)]
    [InlineData("Asia/Tokyo", 2, 0, false)]
    public void GivenSamplesTimestampedInUtc_WhenTheSiteZoneIsSet_ThenMorningIsJudgedInThatZone(string zone, int hour, int minute, bool morning)
    {
        // Two draws in UTC; in June New York is UTC−4, so 13:30Z is 09:30 there and 15:00Z is 11:00.
        var thresholds = ClinicalThresholds.Default with { SiteTimeZone = zone };
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 10, hour: hour, minute: minute),
                Some.TotalTestosterone(ngPerDl: 205, daysAgo: 40, hour: hour, minute: minute), Some.Lh(3m)).With(Some.Symptom())
            .Assess(thresholds);

        Assert.Equal(morning ? AndrogenStatus.Low : AndrogenStatus.Unknown, assessment.AndrogenStatus);
    }

    [Fact]
    public void GivenASampleWithItsOwnOffset_WhenTheSiteZoneDiffers_ThenItsOwnOffsetDecides()
    {
        // 08:30 at UTC−07:00 is a morning draw whatever the site's zone.
        var thresholds = ClinicalThresholds.Default with { SiteTimeZone = "Asia/Tokyo" };
        var offset = TimeSpan.FromHours(-7);
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 10, hour: 8, minute: 30, offset: offset),
                Some.TotalTestosterone(ngPerDl: 205, daysAgo: 40, hour: 8, minute: 30, offset: offset), Some.Lh(3m)).With(Some.Symptom())
            .Assess(thresholds);

        Assert.Equal(AndrogenStatus.Low, assessment.AndrogenStatus);
    }

    [Theory]
    [InlineData(true, AndrogenStatus.Low)]
    [InlineData(false, AndrogenStatus.Unknown)]
    public void GivenDateOnlySamples_WhenTheSiteSettingSaysSo_ThenTheyCountAsMorningOrNot(bool dateOnlyCounts, AndrogenStatus expected)
    {
        var thresholds = ClinicalThresholds.Default with { DateOnlyCountsAsMorning = dateOnlyCounts };
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 210, daysAgo: 10, dateOnly: true), Some.TotalTestosterone(ngPerDl: 205, daysAgo: 40, dateOnly: true),
                Some.Lh(3m)).With(Some.Symptom())
            .Assess(thresholds);

        Assert.Equal(expected, assessment.AndrogenStatus);
    }

    [Fact]
    public void GivenAnUnknownSiteZone_WhenValidated_ThenRefusedAtStart()
    {
        var errors = (ClinicalThresholds.Default with { SiteTimeZone = "Mars/Olympus_Mons" }).Validate();

        Assert.Contains(errors, e => e.Contains("SiteTimeZone", StringComparison.Ordinal));
    }
}
