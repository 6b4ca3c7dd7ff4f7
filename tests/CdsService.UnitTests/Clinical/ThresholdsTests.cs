using System.Reflection;
using CdsService.Clinical.Hypogonadism;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>Thresholds (docs/clinical/hypogonadism-rules.md §1): defaults, sources, validation, configurability.</summary>
public sealed class ThresholdsTests
{
    [Fact]
    public void GivenDefaults_WhenRead_ThenTheyAreTheIssueContract()
    {
        var t = ClinicalThresholds.Default;

        Assert.Equal(300m, t.TotalTestosteroneLowNgPerDl);
        Assert.Equal(150m, t.TotalTestosteroneVeryLowNgPerDl);
        Assert.Equal(9.4m, t.LhHighIuPerL);
        Assert.Equal(220m, t.FreeTestosteroneLowPmolPerL);
        Assert.Equal((13m, 71m), (t.ShbgLowNmolPerL, t.ShbgHighNmolPerL));
        Assert.Equal((8m, 12m), (t.GreyZoneLowNmolPerL, t.GreyZoneHighNmolPerL));
        Assert.Equal(4.3m, t.DefaultAlbuminGPerDl);
        Assert.Equal(new TimeOnly(11, 0), t.MorningCutoff);
        Assert.Equal(12, t.LabLookbackMonths);
        Assert.Equal(6, t.ExogenousAndrogenWindowMonths);
        Assert.Equal(12, t.FertilityIntentLookbackMonths);
        Assert.Equal(48m, t.HematocritContraindicationPercent);
        Assert.Equal((4m, 3m), (t.PsaContraindicationNgPerMl, t.PsaContraindicationHighRiskNgPerMl));
        Assert.Equal(6, t.RecentMiOrStrokeMonths);
        Assert.Empty(t.Validate());
    }

    [Fact]
    public void GivenEveryThresholdProperty_WhenDescribed_ThenItHasAUnitAndASource()
    {
        var properties = typeof(ClinicalThresholds).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite).Select(p => p.Name).Order();
        var described = ClinicalThresholds.Default.Describe();

        Assert.Equal(properties, described.Select(d => d.Key).Order());
        Assert.All(described, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Unit));
            Assert.False(string.IsNullOrWhiteSpace(d.Source));
            Assert.False(string.IsNullOrWhiteSpace(d.Value));
        });
    }

    public static TheoryData<ClinicalThresholds, string> Nonsense => new()
    {
        { ClinicalThresholds.Default with { TotalTestosteroneLowNgPerDl = 10.4m }, nameof(ClinicalThresholds.TotalTestosteroneLowNgPerDl) },
        { ClinicalThresholds.Default with { TotalTestosteroneLowNgPerDl = -1m }, nameof(ClinicalThresholds.TotalTestosteroneLowNgPerDl) },
        { ClinicalThresholds.Default with { TotalTestosteroneVeryLowNgPerDl = 320m }, nameof(ClinicalThresholds.TotalTestosteroneVeryLowNgPerDl) },
        { ClinicalThresholds.Default with { GreyZoneLowNmolPerL = 12m, GreyZoneHighNmolPerL = 8m }, nameof(ClinicalThresholds.GreyZoneLowNmolPerL) },
        { ClinicalThresholds.Default with { ShbgLowNmolPerL = 80m }, nameof(ClinicalThresholds.ShbgLowNmolPerL) },
        { ClinicalThresholds.Default with { LhHighIuPerL = 0m }, nameof(ClinicalThresholds.LhHighIuPerL) },
        { ClinicalThresholds.Default with { FreeTestosteroneLowPmolPerL = 63.5m }, nameof(ClinicalThresholds.FreeTestosteroneLowPmolPerL) },
        { ClinicalThresholds.Default with { HematocritContraindicationPercent = 0.48m }, nameof(ClinicalThresholds.HematocritContraindicationPercent) },
        { ClinicalThresholds.Default with { HematocritWithholdPercent = 45m }, nameof(ClinicalThresholds.HematocritContraindicationPercent) },
        { ClinicalThresholds.Default with { PsaContraindicationHighRiskNgPerMl = 5m }, nameof(ClinicalThresholds.PsaContraindicationHighRiskNgPerMl) },
        { ClinicalThresholds.Default with { MorningCutoff = new TimeOnly(23, 0) }, nameof(ClinicalThresholds.MorningCutoff) },
        { ClinicalThresholds.Default with { LabLookbackMonths = 0 }, nameof(ClinicalThresholds.LabLookbackMonths) },
        { ClinicalThresholds.Default with { AdultAgeYears = 5 }, nameof(ClinicalThresholds.AdultAgeYears) },
        { ClinicalThresholds.Default with { TrtTargetLowNgPerDl = 700m }, nameof(ClinicalThresholds.TrtTargetLowNgPerDl) },
    };

    [Theory]
    [MemberData(nameof(Nonsense))]
    public void GivenANonsenseValue_WhenValidated_ThenTheErrorNamesTheSetting(ClinicalThresholds thresholds, string setting)
    {
        var errors = thresholds.Validate();

        Assert.Contains(errors, e => e.Contains($"Clinical:{setting}", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new HypogonadismAssessor(thresholds, Some.Clock()));
    }

    [Fact]
    public void GivenTheEndocrineSocietyLimit_WhenConfigured_ThenTheOutcomeAndVersionChange()
    {
        var es = ClinicalThresholds.Default with { TotalTestosteroneLowNgPerDl = 264m };
        var builder = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 200, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 280, daysAgo: 20), Some.Lh(3m));

        var byDefault = builder.Assess();
        var configured = builder.Assess(es);

        Assert.Equal(CdsService.Clinical.Model.Classification.Secondary, byDefault.Classification);
        Assert.Equal(CdsService.Clinical.Model.Classification.InsufficientData, configured.Classification);
        Assert.Equal(HypogonadismRules.Version, byDefault.RulesVersion);
        Assert.Matches(@"^\d+\.\d+\.\d+\+local\.[0-9a-f]{8}$", configured.RulesVersion);
        Assert.Contains(configured.Evidence, e => e.Interpretation?.StartsWith("not below 264 ng/dL", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void GivenOnlyTheSiteTimeZoneSet_WhenAssessed_ThenTheRulesVersionHasNoLocalSuffix()
    {
        var site = ClinicalThresholds.Default with { SiteTimeZone = "America/New_York" };
        var changed = site with { DateOnlyCountsAsMorning = false };

        Assert.Equal(HypogonadismRules.Version, SnapshotBuilder.SecondaryPattern().Assess(site).RulesVersion);
        Assert.Matches(@"^\d+\.\d+\.\d+\+local\.[0-9a-f]{8}$", SnapshotBuilder.SecondaryPattern().Assess(changed).RulesVersion);
    }

    [Fact]
    public void GivenAnotherMorningCutoff_WhenConfigured_ThenItIsUsed()
    {
        var early = ClinicalThresholds.Default with { MorningCutoff = new TimeOnly(10, 0) };
        var builder = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 250, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 240, daysAgo: 20, hour: 10, minute: 30), Some.Lh(3m));

        Assert.Equal(CdsService.Clinical.Model.Classification.Secondary, builder.Assess().Classification);
        Assert.Equal(CdsService.Clinical.Model.Classification.InsufficientData, builder.Assess(early).Classification);
    }
}
