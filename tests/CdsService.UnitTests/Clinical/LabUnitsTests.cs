using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>Unit conversion per analyte (clinical brief §1.4) and what happens to a unit the rules cannot convert.</summary>
public sealed class LabUnitsTests
{
    [Theory]
    [InlineData(Analyte.TotalTestosterone, 10.4, LabUnit.NanomolesPerLiter, 299.936)]
    [InlineData(Analyte.TotalTestosterone, 3.0, LabUnit.NanogramsPerMilliliter, 300)]
    [InlineData(Analyte.FreeTestosterone, 63.45, LabUnit.PicogramsPerMilliliter, 220.0069)]
    [InlineData(Analyte.FreeTestosterone, 0.22, LabUnit.NanomolesPerLiter, 220)]
    [InlineData(Analyte.Shbg, 285, LabUnit.MicrogramsPerDeciliter, 30)]
    [InlineData(Analyte.Albumin, 43, LabUnit.GramsPerLiter, 4.3)]
    [InlineData(Analyte.Lh, 9400, LabUnit.MilliInternationalUnitsPerLiter, 9.4)]
    [InlineData(Analyte.Estradiol, 100, LabUnit.PicomolesPerLiter, 27.24)]
    [InlineData(Analyte.Hematocrit, 0.49, LabUnit.LitersPerLiter, 49)]
    [InlineData(Analyte.Psa, 4.1, LabUnit.MicrogramsPerLiter, 4.1)]
    [InlineData(Analyte.Prolactin, 424, LabUnit.MilliInternationalUnitsPerLiter, 20)]
    [InlineData(Analyte.TransferrinSaturation, 45, LabUnit.Percent, 45)]
    [InlineData(Analyte.Bmi, 30, LabUnit.KilogramsPerSquareMeter, 30)]
    public void GivenASupportedUnit_WhenConverted_ThenCanonicalValue(Analyte analyte, double value, LabUnit unit, double expected)
    {
        Assert.True(LabUnits.TryToCanonical(analyte, (decimal)value, unit, out var canonical));
        Assert.Equal(expected, (double)canonical, 3);
    }

    [Theory]
    [InlineData(Analyte.TotalTestosterone, LabUnit.PicomolesPerLiter)]
    [InlineData(Analyte.Prolactin, LabUnit.Percent)]
    [InlineData(Analyte.Hematocrit, LabUnit.GramsPerDeciliter)]
    [InlineData(Analyte.Lh, LabUnit.NanogramsPerMilliliter)]
    public void GivenAnUnsupportedUnit_WhenConverted_ThenRefused(Analyte analyte, LabUnit unit)
    {
        Assert.False(LabUnits.IsConvertible(analyte, unit));
        Assert.False(LabUnits.TryToCanonical(analyte, 1m, unit, out _));
    }

    [Fact]
    public void GivenNanogramsPerDeciliter_WhenConvertedToNmolAndBack_ThenRoundTrips()
    {
        Assert.True(LabUnits.TryConvert(Analyte.TotalTestosterone, 300m, LabUnit.NanogramsPerDeciliter, LabUnit.NanomolesPerLiter, out var nmol));
        Assert.Equal(10.40, (double)nmol, 2);
        Assert.True(LabUnits.TryConvert(Analyte.TotalTestosterone, nmol, LabUnit.NanomolesPerLiter, LabUnit.NanogramsPerDeciliter, out var back));
        Assert.Equal(300, (double)back, 6);
    }

    [Fact]
    public void GivenEveryAnalyte_WhenAskedForItsCanonicalUnit_ThenThatUnitConvertsToItself()
    {
        foreach (var analyte in Enum.GetValues<Analyte>())
        {
            var unit = LabUnits.CanonicalUnit(analyte);
            Assert.True(LabUnits.TryToCanonical(analyte, 7m, unit, out var same));
            Assert.Equal(7m, same);
        }
    }

    [Fact]
    public void GivenATestosteroneInAnUnconvertibleUnit_WhenAssessed_ThenIgnoredForDecisionsAndReported()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 250, daysAgo: 5), Some.Lab(Analyte.TotalTestosterone, 8000, LabUnit.PicomolesPerLiter, daysAgo: 20),
                Some.Lh(3m))
            .Assess();

        Assert.Equal(AndrogenStatus.Unconfirmed, assessment.AndrogenStatus);
        var issue = Assert.Single(assessment.DataIssues);
        Assert.Equal("unit-not-convertible", issue.Kind);
        Assert.Contains("pmol/L", issue.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenSnapshotDataIssues_WhenAssessed_ThenTheyAreKeptBesideTheEnginesOwn()
    {
        var snapshot = SnapshotBuilder.AdultMan()
            .With(Some.Lab(Analyte.Prolactin, 300, LabUnit.Percent))
            .Build() with { DataIssues = [new DataIssue("unknown-unit", "Ferritin in 'mg/furlong' ignored.")] };

        var assessment = new HypogonadismAssessor(ClinicalThresholds.Default, Some.Clock()).Assess(snapshot);

        Assert.Equal(["unknown-unit", "unit-not-convertible"], assessment.DataIssues.Select(i => i.Kind));
    }

    [Theory]
    [InlineData(100, ValueComparator.LessThan, AndrogenStatus.Low)]
    [InlineData(300, ValueComparator.LessThan, AndrogenStatus.Low)]
    [InlineData(300, ValueComparator.GreaterOrEqual, AndrogenStatus.Normal)]
    public void GivenComparatorValues_WhenTheyAreOnOneSideForCertain_ThenUsed(double value, ValueComparator comparator, AndrogenStatus expected)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: (decimal)value, daysAgo: 5, comparator: comparator),
                Some.TotalTestosterone(ngPerDl: (decimal)value, daysAgo: 20, comparator: comparator), Some.Lh(3m))
            .Assess();

        Assert.Equal(expected, assessment.AndrogenStatus);
    }

    [Fact]
    public void GivenAComparatorValueOnBothSidesOfTheLimit_WhenAssessed_ThenNotUsedAndReported()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 500, daysAgo: 5, comparator: ValueComparator.LessThan), Some.Lh(3m))
            .Assess();

        Assert.Equal(AndrogenStatus.Unknown, assessment.AndrogenStatus);
        Assert.Equal("value-not-comparable", Assert.Single(assessment.DataIssues).Kind);
    }
}
