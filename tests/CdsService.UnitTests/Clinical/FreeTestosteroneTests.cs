using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>Vermeulen calculation (clinical brief §1.3) and the free-testosterone override of androgen status (AND-1, AND-2).</summary>
public sealed class FreeTestosteroneTests
{
    [Theory]
    [InlineData(10.0, 30, 207, 59.7)]
    [InlineData(3.5, 30, 68, 19.6)]
    [InlineData(8.5, 20, 213, 61.4)]
    [InlineData(12.0, 40, 213, 61.3)]
    [InlineData(16.0, 153, 98, 28.4)]
    public void GivenBriefTestVector_WhenCalculated_ThenMatchesWithinRounding(double total, double shbg, double expectedPmol, double expectedPg)
    {
        var pmol = FreeTestosterone.CalculatePmolPerL((decimal)total, (decimal)shbg, 4.3m);

        // The brief's table rounds to whole pmol/L and to 0.1 pg/mL from the unrounded value.
        Assert.InRange((double)pmol, expectedPmol - 0.5, expectedPmol + 0.5);
        Assert.InRange((double)(pmol * LabUnits.TestosteronePgPerMlPerPmolPerL), expectedPg - 0.1, expectedPg + 0.1);
    }

    [Fact]
    public void GivenHigherAlbumin_WhenCalculated_ThenLessFreeTestosterone()
    {
        Assert.True(FreeTestosterone.CalculatePmolPerL(10m, 30m, 5.0m) < FreeTestosterone.CalculatePmolPerL(10m, 30m, 3.5m));
    }

    [Fact]
    public void GivenInputsBeyondAnyLabResult_WhenTryCalculated_ThenNoNumberIsMadeUp()
    {
        // Found by the request fuzzer: a total of 7.9e28 nmol/L overflowed decimal and crashed the assessment.
        Assert.False(FreeTestosterone.TryCalculatePmolPerL(79_228_162_514_264_337_593_543_950_335m, 0m, 4.3m, out var free));
        Assert.Equal(0m, free);
        Assert.True(FreeTestosterone.TryCalculatePmolPerL(10m, 30m, 4.3m, out var normal));
        Assert.InRange(normal, 200m, 215m);
    }

    [Fact]
    public void GivenValueThatOverflowsOnConversion_WhenConverted_ThenNotConvertibleInsteadOfACrash()
    {
        Assert.False(LabUnits.TryToCanonical(Analyte.TotalTestosterone, 79_228_162_514_264_337_593_543_950_335m, LabUnit.NanomolesPerLiter, out _));
        Assert.True(LabUnits.TryToCanonical(Analyte.TotalTestosterone, 10m, LabUnit.NanomolesPerLiter, out var ngPerDl));
        Assert.Equal(288.4m, ngPerDl);
    }

    [Fact]
    public void GivenZeroTotal_WhenCalculated_ThenRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FreeTestosterone.CalculatePmolPerL(0m, 30m, 4.3m));
    }

    [Fact]
    public void GivenGreyZoneTotalsThatAreLow_WhenEachDrawsMeasuredFreeIsNormal_ThenFreeDecidesNormal()
    {
        // 280 and 290 ng/dL are low by total T, but both lie in 8–12 nmol/L (231–346 ng/dL), and each draw has its own
        // free testosterone measured the same day.
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 280, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 290, daysAgo: 20),
                Some.FreeTestosterone(260, daysAgo: 5), Some.FreeTestosterone(250, daysAgo: 20), Some.Lh(4m))
            .Assess();

        Assert.Equal(AndrogenStatus.Normal, assessment.AndrogenStatus);
        Assert.Equal(Classification.Eugonadal, assessment.Classification);
        Assert.Contains("AND-2", assessment.RuleIds);
    }

    [Fact]
    public void GivenGreyZoneTotals_WhenOnlyTheNewestDrawHasAFreeValue_ThenEachDrawIsJudgedOnItsOwnAndTheyDisagree()
    {
        // The newest draw is normal by its free testosterone; the older one has no free value (no SHBG either), so its
        // total decides: low. One free value does not stand in for the second sample (AUA 2018 statement 2).
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 280, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 290, daysAgo: 20),
                Some.FreeTestosterone(260, daysAgo: 5), Some.Lh(4m))
            .Assess();

        Assert.Equal(AndrogenStatus.Unconfirmed, assessment.AndrogenStatus);
        Assert.Contains("AND-3", assessment.RuleIds);
    }

    [Fact]
    public void GivenShbgOutsideRangeOnlyNearTheOlderDraw_WhenAssessed_ThenFreeDecidesOnlyThatDraw()
    {
        // SHBG 9 (low) was measured next to the older draw, SHBG 30 next to the newest: the newest is judged by its total
        // (350 ng/dL, normal), the older by its calculated free testosterone.
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 350, daysAgo: 5), Some.Shbg(30, daysAgo: 5),
                Some.TotalTestosterone(ngPerDl: 360, daysAgo: 90), Some.Shbg(9, daysAgo: 90), Some.Lh(4m))
            .Assess();

        Assert.Equal(AndrogenStatus.Normal, assessment.AndrogenStatus);
        Assert.Contains("AND-2", assessment.RuleIds);
    }

    [Fact]
    public void GivenGreyZoneSingleValue_WhenCalculatedFreeIsLow_ThenStillUnconfirmed()
    {
        // 10 nmol/L with SHBG 30 → calculated 207 pmol/L, below 220; one sample alone is unconfirmed, whatever its free
        // testosterone (AUA 2018 statement 2).
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(nmolPerL: 10m, daysAgo: 5), Some.Shbg(30), Some.Albumin(4.3m), Some.Lh(3m))
            .Assess();

        Assert.Equal(AndrogenStatus.Unconfirmed, assessment.AndrogenStatus);
        Assert.Equal(Classification.InsufficientData, assessment.Classification);
        Assert.Contains(MissingData.SecondMorningTotalTestosterone, assessment.MissingData);
        var calculated = Assert.Single(assessment.Evidence, e => e.CalculatedByService);
        Assert.Equal(Analyte.FreeTestosterone, calculated.Analyte);
        Assert.Equal(207.1m, calculated.Quantity.Value);
        Assert.Equal(LabUnit.PicomolesPerLiter, calculated.Quantity.Unit);
        Assert.DoesNotContain("assumed", calculated.Interpretation, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNoAlbumin_WhenFreeIsCalculated_ThenAlbumin43IsAssumedAndSaid()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(nmolPerL: 10m, daysAgo: 5), Some.Shbg(30), Some.Lh(3m))
            .Assess();

        var calculated = Assert.Single(assessment.Evidence, e => e.CalculatedByService);
        Assert.Equal(207.1m, calculated.Quantity.Value);
        Assert.Contains("4.3 g/dL assumed", calculated.Interpretation, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNormalTotalsButShbgHigh_WhenMeasuredFreeIsLow_ThenLowAndPrimaryWithHighLh()
    {
        // Clinical brief case C08 pattern: normal total T, high SHBG, low free T, LH high → primary, not compensated.
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 460, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 470, daysAgo: 20),
                Some.Shbg(153), Some.FreeTestosterone(106), Some.Lh(33m))
            .Assess();

        Assert.Equal(Classification.Primary, assessment.Classification);
        Assert.Contains("AND-1", assessment.RuleIds);
    }

    [Fact]
    public void GivenShbgWithinTheLabsOwnRange_WhenAboveTheDefaultRange_ThenTotalTestosteroneDecides()
    {
        var labRange = new ReferenceRange(new LabQuantity(10, LabUnit.NanomolesPerLiter), new LabQuantity(90, LabUnit.NanomolesPerLiter));
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 460, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 470, daysAgo: 20),
                Some.Shbg(80, range: labRange), Some.FreeTestosterone(106), Some.Lh(4m))
            .Assess();

        Assert.Equal(Classification.Eugonadal, assessment.Classification);
        Assert.Contains("AND-2", assessment.RuleIds);
    }

    [Fact]
    public void GivenTotalsBelowTheGreyZoneAndNormalShbg_WhenFreeIsNormal_ThenTotalStillDecides()
    {
        // 200 ng/dL = 6.9 nmol/L is below the grey zone; SHBG 30 is in range: free T does not override.
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 200, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 210, daysAgo: 20),
                Some.Shbg(30), Some.FreeTestosterone(300), Some.Lh(3m))
            .Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
        Assert.Contains("AND-1", assessment.RuleIds);
    }

    [Theory]
    [InlineData(7.9, 260.0, "AND-1")]
    [InlineData(8.0, 260.0, "AND-2")]
    [InlineData(12.0, 200.0, "AND-1")]
    [InlineData(12.1, 200.0, "AND-2")]
    public void GivenTotalsAtTheGreyZoneEdges_WhenEachDrawHasAFreeValue_ThenFreeDecidesOnlyInside8To12(
        double nmol, double freePmol, string expectedRule)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(nmolPerL: (decimal)nmol, daysAgo: 5), Some.TotalTestosterone(nmolPerL: (decimal)nmol, daysAgo: 20),
                Some.FreeTestosterone((decimal)freePmol, daysAgo: 5), Some.FreeTestosterone((decimal)freePmol, daysAgo: 20), Some.Lh(3m))
            .Assess();

        Assert.Contains(expectedRule, assessment.RuleIds);
    }

    [Fact]
    public void GivenGreyZoneWithNoFreeValueAvailable_WhenAssessed_ThenTotalDecidesAndShbgIsMissing()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 280, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 290, daysAgo: 20), Some.Lh(3m))
            .Assess();

        Assert.Equal(Classification.Secondary, assessment.Classification);
        Assert.Contains(MissingData.Shbg, assessment.MissingData);
    }

    [Theory]
    [InlineData(220.0, AndrogenStatus.Normal)]
    [InlineData(219.9, AndrogenStatus.Unconfirmed)]
    public void GivenMeasuredFreeAtTheCut_WhenItDecidesASingleDraw_Then220IsNotLowAndBelowIsUnconfirmed(double pmol, AndrogenStatus expected)
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 300, daysAgo: 5), Some.FreeTestosterone((decimal)pmol, daysAgo: 5), Some.Lh(3m))
            .Assess();

        Assert.Equal(expected, assessment.AndrogenStatus);
    }

    [Fact]
    public void GivenFreeInPicogramsPerMilliliter_WhenItDecides_ThenConvertedTo63Point5AtTheCut()
    {
        static LabResult Dialysis(decimal pgPerMl) =>
            Some.Lab(Analyte.FreeTestosterone, pgPerMl, LabUnit.PicogramsPerMilliliter) with { Method = FreeTestosteroneMethod.EquilibriumDialysis };
        var low = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 300), Dialysis(63.4m), Some.Lh(3m))
            .Assess();
        var normal = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 300), Dialysis(63.5m), Some.Lh(3m))
            .Assess();

        // A single draw: low by its free value is still only unconfirmed; not low is normal.
        Assert.Equal(AndrogenStatus.Unconfirmed, low.AndrogenStatus);
        Assert.Equal(AndrogenStatus.Normal, normal.AndrogenStatus);
    }

    [Fact]
    public void GivenFreeByDirectImmunoassay_WhenAssessed_ThenNotUsedAndSaid()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 280, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 290, daysAgo: 20),
                Some.FreeTestosterone(400, daysAgo: 5, method: FreeTestosteroneMethod.DirectImmunoassay),
                Some.FreeTestosterone(400, daysAgo: 20, method: FreeTestosteroneMethod.DirectImmunoassay), Some.Lh(3m))
            .Assess();

        // The totals decide (both low); the analog values are listed as data issues, never used.
        Assert.Equal(AndrogenStatus.Low, assessment.AndrogenStatus);
        Assert.Equal(2, assessment.DataIssues.Count(i => i.Kind == "free-testosterone-method"));
    }

    [Fact]
    public void GivenMeasuredFreeOfUnknownMethod_WhenItHasNoReferenceRange_ThenNotUsed()
    {
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 280, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 290, daysAgo: 20),
                Some.FreeTestosterone(400, daysAgo: 5, method: FreeTestosteroneMethod.Unknown),
                Some.FreeTestosterone(400, daysAgo: 20, method: FreeTestosteroneMethod.Unknown), Some.Lh(3m))
            .Assess();

        Assert.Equal(AndrogenStatus.Low, assessment.AndrogenStatus);
        Assert.Contains(assessment.DataIssues, i => i.Kind == "free-testosterone-method");
    }

    [Theory]
    [InlineData(4.9, AndrogenStatus.Low)]
    [InlineData(5.0, AndrogenStatus.Normal)]
    public void GivenMeasuredFreeOfUnknownMethod_WhenItHasItsOwnRange_ThenComparedWithThatRange(double pgPerMl, AndrogenStatus expected)
    {
        // An analog-scale range (5.0–25.0 pg/mL) is about ten times lower than the dialysis cut of 63.4 pg/mL: the value
        // is read against its own laboratory's low limit, not the fixed cut.
        var range = new ReferenceRange(new LabQuantity(5.0m, LabUnit.PicogramsPerMilliliter), new LabQuantity(25.0m, LabUnit.PicogramsPerMilliliter));
        LabResult Free(int daysAgo) => Some.Lab(Analyte.FreeTestosterone, (decimal)pgPerMl, LabUnit.PicogramsPerMilliliter, daysAgo, range: range);
        var assessment = SnapshotBuilder.AdultMan()
            .With(Some.TotalTestosterone(ngPerDl: 280, daysAgo: 5), Some.TotalTestosterone(ngPerDl: 290, daysAgo: 20), Free(5), Free(20), Some.Lh(3m))
            .Assess();

        Assert.Equal(expected, assessment.AndrogenStatus);
    }
}
