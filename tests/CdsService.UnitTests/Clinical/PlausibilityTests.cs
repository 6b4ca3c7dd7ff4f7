using System.Globalization;
using System.Text;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>
/// Physiologically impossible values (PlausibilityLimits, docs/clinical/plausibility-ranges.md) are data issues on the
/// card and never decide: before, total testosterone −5 or 0 ng/dL classified as secondary hypogonadism, 5,000,000 ng/dL
/// as eugonadal, and a man born 0001-01-01 was assessed as an adult of 2024 years.
/// </summary>
public sealed class PlausibilityTests
{
    [Theory]
    [InlineData(-5)]
    [InlineData(0)]
    [InlineData(0.5)]
    [InlineData(5_000_000)]
    public void GivenImplausibleTotalTestosterone_WhenAssessed_ThenNotUsedAndShownAsADataIssue(double ngPerDl)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: (decimal)ngPerDl, daysAgo: 5), Some.TotalTestosterone(ngPerDl: (decimal)ngPerDl, daysAgo: 20), Some.Lh(3m))
            .Assess();

        Assert.NotEqual(Classification.Secondary, assessment.Classification);
        Assert.NotEqual(Classification.Eugonadal, assessment.Classification);
        Assert.Equal(Classification.InsufficientData, assessment.Classification);
        Assert.Equal(2, assessment.DataIssues.Count(i => i.Kind == PlausibilityScreen.ImplausibleValue));
        Assert.DoesNotContain(assessment.Evidence, e => e.Analyte == Analyte.TotalTestosterone);
    }

    [Theory]
    [InlineData(1, Classification.Secondary)]
    [InlineData(10_000, Classification.Eugonadal)]
    public void GivenExtremeButPossibleTotalTestosterone_WhenAssessed_ThenUsed(double ngPerDl, Classification expected)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: (decimal)ngPerDl, daysAgo: 5), Some.TotalTestosterone(ngPerDl: (decimal)ngPerDl, daysAgo: 20), Some.Lh(3m))
            .Assess();

        Assert.Equal(expected, assessment.Classification);
        Assert.DoesNotContain(assessment.DataIssues, i => i.Kind == PlausibilityScreen.ImplausibleValue);
    }

    [Fact]
    public void GivenImplausibleTestosteroneInMolarUnits_WhenScreened_ThenJudgedAfterConversion()
    {
        var limits = PlausibilityLimits.Default;

        Assert.False(PlausibilityScreen.IsPlausible(Some.TotalTestosterone(nmolPerL: 400m), limits));   // ≈ 11,500 ng/dL
        Assert.True(PlausibilityScreen.IsPlausible(Some.TotalTestosterone(nmolPerL: 0.1m), limits));    // ≈ 2.9 ng/dL
    }

    [Fact]
    public void GivenNegativeLh_WhenAssessed_ThenNotUsed()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 200, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 210, daysAgo: 20), Some.Lh(-1m))
            .Assess();

        Assert.NotEqual(Classification.Secondary, assessment.Classification);
        Assert.Contains(assessment.DataIssues, i => i.Kind == PlausibilityScreen.ImplausibleValue && i.Description.Contains("LH", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("1900-01-01")]
    [InlineData("2030-01-01")]
    public void GivenImplausibleBirthDate_WhenAssessed_ThenTheAgeIsUnknownAndADataIssueSaysWhy(string birthDate)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().BornOn(DateOnly.Parse(birthDate, CultureInfo.InvariantCulture)).Assess();

        Assert.Null(assessment.AgeYears);
        Assert.Contains(assessment.DataIssues, i => i.Kind == PlausibilityScreen.ImplausibleBirthDate);
    }

    [Fact]
    public void GivenAManOf120_WhenAssessed_ThenHisAgeIsUsed()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().BornOn(Some.Today.AddYears(-120)).Assess();

        Assert.Equal(120, assessment.AgeYears);
    }

    [Fact]
    public void GivenASiteRange_WhenConfigured_ThenItDecides()
    {
        var snapshot = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 20, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 20, daysAgo: 20), Some.Lh(3m)).Build();

        var assessment = new HypogonadismAssessor(ClinicalThresholds.Default, Some.Clock(), PlausibilityLimits.Default with { TotalTestosteroneMinNgPerDl = 25m }).Assess(snapshot);

        Assert.Equal(Classification.InsufficientData, assessment.Classification);
    }

    [Fact]
    public void GivenInvalidLimits_WhenTheAssessorIsBuilt_ThenItRefuses()
    {
        Assert.Throws<ArgumentException>(() => new HypogonadismAssessor(ClinicalThresholds.Default, Some.Clock(), PlausibilityLimits.Default with { LhMinIuPerL = 400m }));
    }

    /// <summary>docs/clinical/plausibility-ranges.md is generated from the limits and their stated basis.</summary>
    [Fact]
    public void GivenTheDefaultLimits_WhenDocumented_ThenTheCommittedTableMatches()
    {
        var limits = PlausibilityLimits.Default;
        var text = new StringBuilder()
            .Append("# Physiological plausibility ranges\n\n")
            .Append("Generated from `src/CdsService.Clinical/Hypogonadism/PlausibilityLimits.cs` by `PlausibilityTests` (")
            .Append(ApprovedFiles.UpdateCommand).Append("). A result outside its range (inclusive, in the rules' unit after conversion) is shown on the card as a data issue ")
            .Append("(`implausible-value`) and no rule uses it; a birth date in the future or more than ")
            .Append(limits.MaxAgeYears.ToString(CultureInfo.InvariantCulture))
            .Append(" years ago is a data issue (`implausible-birth-date`) and the age is unknown. Sites override any bound in configuration section `Clinical:Plausibility` ")
            .Append("(e.g. `Clinical:Plausibility:TotalTestosteroneMinNgPerDl`); the service refuses to start when a minimum is not below its maximum.\n\n")
            .Append("| Analyte | Minimum | Maximum | Unit | Basis |\n|---|---|---|---|---|\n");
        foreach (var analyte in Enum.GetValues<Analyte>())
        {
            var (min, max) = limits.For(analyte);
            text.Append(CultureInfo.InvariantCulture, $"| {analyte} | {min:0.###} | {max:0.###} | {LabUnits.Symbol(LabUnits.CanonicalUnit(analyte))} | {PlausibilityLimits.Basis(analyte)} |\n");
        }

        ApprovedFiles.Verify(RepositoryPaths.Of("docs", "clinical", "plausibility-ranges.md"), text.ToString());
    }
}
