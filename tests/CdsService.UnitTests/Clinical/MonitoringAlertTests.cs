using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>
/// Men already on testosterone (docs/clinical/hypogonadism-rules.md section 11a, rows MA-1 to MA-9, REC-22 to REC-24):
/// decision tables at each boundary of the on-treatment limits (ES 2018 Table 8; AUA 2018 Table 7), due dates from the
/// results in the record, and the stopped and anabolic-steroid situations.
/// </summary>
public sealed class MonitoringAlertTests
{
    private const int TwoYears = 730;

    /// <summary>A 50-year-old on testosterone cypionate for two years, not wanting children, with a renewal drafted.</summary>
    private static SnapshotBuilder OnTestosterone(int age = 60, int startDaysAgo = TwoYears, bool renewal = true)
    {
        var builder = SnapshotBuilder.AdultMan(age).With(Some.Symptom()).WithIntent(FertilityIntent.NotDesired)
            .With(Some.Medication(MedicationClass.Testosterone, MedicationState.Active, startDaysAgo: startDaysAgo)
                with { Display = "testosterone cypionate 200 MG/ML Injectable Solution" });
        return renewal ? builder.Drafting(MedicationClass.Testosterone) : builder;
    }

    private static IEnumerable<MonitoringAlert> Codes(Assessment assessment) => assessment.MonitoringAlerts.Select(a => a.Code);

    // ---- hematocrit: 48 % is for starting, 54 % is the on-treatment limit ---------------------------------------------

    [Theory]
    [InlineData("48.0", null, Recommendation.ContinueWithMonitoring)]
    [InlineData("48.1", MonitoringAlert.HematocritElevated, Recommendation.ContinueWithMonitoring)]
    [InlineData("50.0", MonitoringAlert.HematocritElevated, Recommendation.ContinueWithMonitoring)]
    [InlineData("54.0", MonitoringAlert.HematocritElevated, Recommendation.ContinueWithMonitoring)]
    [InlineData("54.1", MonitoringAlert.HematocritAboveWithhold, Recommendation.WithholdTestosterone)]
    [InlineData("55.0", MonitoringAlert.HematocritAboveWithhold, Recommendation.WithholdTestosterone)]
    public void GivenOnTestosterone_WhenHematocritIsAtEachBoundary_ThenTheOnTreatmentRowDecides(string percent, MonitoringAlert? expected,
        Recommendation recommendation)
    {
        var assessment = OnTestosterone().With(Some.Hematocrit(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture), daysAgo: 20),
            Some.Psa(1.0m, daysAgo: 20), Some.TotalTestosterone(ngPerDl: 520, daysAgo: 20)).Assess();

        Assert.Equal(expected is { } code ? [code] : [], Codes(assessment));
        Assert.Equal(recommendation, assessment.Recommendation);

        // On treatment the starting limit is never a contraindication (ES 2018 Table 4 is about starting).
        Assert.DoesNotContain(assessment.TrtContraindications, c => c.Code == TrtContraindication.HematocritAbove48);
        Assert.True(assessment.IsTestosteroneRenewal);
    }

    [Fact]
    public void GivenANewStart_WhenHematocritIs50_ThenTheStartingLimitStillApplies()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired).With(Some.Hematocrit(50m))
            .Drafting(MedicationClass.Testosterone).Assess();

        Assert.Equal(TrtContraindication.HematocritAbove48, Assert.Single(assessment.TrtContraindications).Code);
        Assert.Empty(assessment.MonitoringAlerts);
        Assert.False(assessment.IsTestosteroneRenewal);
    }

    [Fact]
    public void GivenAHematocritTakenBeforeStarting_WhenOnTestosterone_ThenItIsABaselineAndTheTreatmentValueIsOverdue()
    {
        var assessment = OnTestosterone(startDaysAgo: 200).With(Some.Hematocrit(55m, daysAgo: 210), Some.Psa(1m, daysAgo: 20),
            Some.TotalTestosterone(ngPerDl: 500, daysAgo: 20)).Assess();

        Assert.Equal([MonitoringAlert.OverdueHematocrit], Codes(assessment));
        Assert.Equal(Recommendation.ContinueWithMonitoring, assessment.Recommendation);
    }

    // ---- PSA: rise above 1.4 ng/mL within 12 months; above 4 ng/mL confirmed ------------------------------------------

    [Theory]
    [InlineData("2.4", 300, false)] // rise 1.4: not more than the limit
    [InlineData("2.5", 300, true)] // rise 1.5
    [InlineData("2.5", 374, true)] // baseline 364 days before the newest: within 12 months
    [InlineData("2.5", 380, false)] // baseline 370 days before the newest: outside the window
    public void GivenOnTestosterone_WhenPsaRises_ThenMa3AtTheBoundary(string newest, int baselineDaysAgo, bool rise)
    {
        var assessment = OnTestosterone().With(Some.Psa(1.0m, daysAgo: baselineDaysAgo),
            Some.Psa(decimal.Parse(newest, System.Globalization.CultureInfo.InvariantCulture), daysAgo: 10),
            Some.Hematocrit(45m, daysAgo: 10), Some.TotalTestosterone(ngPerDl: 520, daysAgo: 10)).Assess();

        Assert.Equal(rise, Codes(assessment).Contains(MonitoringAlert.PsaRise));
        if (rise)
        {
            var finding = Assert.Single(assessment.MonitoringAlerts, a => a.Code == MonitoringAlert.PsaRise);
            Assert.Equal("MA-3", finding.RuleId);
            Assert.Contains("up 1.5 ng/mL", finding.Evidence, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("4.0", null, null)]
    [InlineData("4.1", null, "not yet confirmed: repeat PSA")]
    [InlineData("4.1", "4.3", "confirmed by PSA 4.3 ng/mL")]
    [InlineData("4.1", "3.9", "not yet confirmed: repeat PSA")]
    public void GivenOnTestosterone_WhenPsaIsAboveFour_ThenMa4SaysWhetherItIsConfirmed(string newest, string? earlier, string? evidence)
    {
        var builder = OnTestosterone().With(Some.Psa(decimal.Parse(newest, System.Globalization.CultureInfo.InvariantCulture), daysAgo: 10),
            Some.Hematocrit(45m, daysAgo: 10), Some.TotalTestosterone(ngPerDl: 520, daysAgo: 10));
        if (earlier is not null)
        {
            builder.With(Some.Psa(decimal.Parse(earlier, System.Globalization.CultureInfo.InvariantCulture), daysAgo: 40));
        }

        var assessment = builder.Assess();

        var finding = assessment.MonitoringAlerts.SingleOrDefault(a => a.Code == MonitoringAlert.PsaAboveLimit);
        Assert.Equal(evidence is null, finding is null);
        if (evidence is not null)
        {
            Assert.Contains(evidence, finding!.Evidence, StringComparison.Ordinal);
        }

        // The starting limit (CI-3) is not a contraindication on treatment.
        Assert.DoesNotContain(assessment.TrtContraindications, c => c.Code == TrtContraindication.PsaAbove4);
    }

    // ---- target 450–600 ng/dL, read for the formulation ------------------------------------------------------------

    [Theory]
    [InlineData(449, MonitoringAlert.TestosteroneBelowTarget)]
    [InlineData(450, null)]
    [InlineData(600, null)]
    [InlineData(601, MonitoringAlert.TestosteroneAboveTarget)]
    public void GivenOnTestosteroneForMonths_WhenTheLevelIsAtEachTargetBoundary_ThenMa5OrMa6(int ngPerDl, MonitoringAlert? expected)
    {
        var assessment = OnTestosterone().With(Some.TotalTestosterone(ngPerDl: ngPerDl, daysAgo: 20, hour: 14),
            Some.Hematocrit(45m, daysAgo: 20), Some.Psa(1m, daysAgo: 20)).Assess();

        Assert.Equal(expected is { } code ? [code] : [], Codes(assessment));
        if (expected is not null)
        {
            Assert.Contains("cypionate/enanthate injections", assessment.MonitoringAlerts[0].Evidence, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void GivenALevelTakenBeforeTheFirstCheck_WhenOnTestosterone_ThenNotReadAgainstTheTarget()
    {
        var assessment = OnTestosterone(startDaysAgo: 120).With(Some.TotalTestosterone(ngPerDl: 300, daysAgo: 100),
            Some.Hematocrit(45m, daysAgo: 20), Some.Psa(1m, daysAgo: 20)).Assess();

        Assert.Empty(assessment.MonitoringAlerts);
        var testosterone = Assert.Single(assessment.MonitoringPlan, m => m.Test == "Total testosterone");
        Assert.Equal(Some.Today, testosterone.Due); // first check (start + 3 months) has passed without a steady-state level
    }

    [Theory]
    [InlineData("testosterone 1.62% topical gel", TestosteroneFormulation.Transdermal)]
    [InlineData("testosterone enanthate 250 mg/mL", TestosteroneFormulation.CypionateOrEnanthateInjection)]
    [InlineData("testosterone undecanoate 750 mg/3 mL injection", TestosteroneFormulation.UndecanoateInjection)]
    [InlineData("testosterone undecanoate 237 mg oral capsule", TestosteroneFormulation.OralUndecanoate)]
    [InlineData("testosterone 75 mg pellet", TestosteroneFormulation.Pellet)]
    [InlineData("testosterone", TestosteroneFormulation.Unknown)]
    [InlineData(null, TestosteroneFormulation.Unknown)]
    public void GivenDrugText_WhenRead_ThenFormulation(string? text, TestosteroneFormulation expected) =>
        Assert.Equal(expected, OnTherapyFacts.FormulationOf(text));

    // ---- overdue: on therapy ≥ 3 months without a result in the last 12 months / since starting ----------------------

    [Theory]
    [InlineData(60, TwoYears, new[] { MonitoringAlert.OverdueHematocrit, MonitoringAlert.OverduePsa, MonitoringAlert.OverdueTestosterone })]
    [InlineData(50, TwoYears, new[] { MonitoringAlert.OverdueHematocrit, MonitoringAlert.OverdueTestosterone })]
    [InlineData(35, TwoYears, new[] { MonitoringAlert.OverdueHematocrit, MonitoringAlert.OverdueTestosterone })]
    [InlineData(60, 92, new[] { MonitoringAlert.OverdueHematocrit, MonitoringAlert.OverduePsa, MonitoringAlert.OverdueTestosterone })]
    [InlineData(60, 80, new MonitoringAlert[0])]
    public void GivenOnTestosteroneWithoutResults_WhenPastTheFirstCheck_ThenOverdue(int age, int startDaysAgo, MonitoringAlert[] expected)
    {
        var assessment = OnTestosterone(age, startDaysAgo).Assess();

        Assert.Equal(expected, Codes(assessment));
        Assert.All(assessment.MonitoringAlerts, a => Assert.Null(a.Date));
    }

    [Fact]
    public void GivenResultsOlderThanTwelveMonths_WhenOnTestosteroneForTwoYears_ThenOverdueAndDueToday()
    {
        var assessment = OnTestosterone().With(Some.Hematocrit(45m, daysAgo: 400), Some.Psa(1m, daysAgo: 400),
            Some.TotalTestosterone(ngPerDl: 500, daysAgo: 400)).Assess();

        Assert.Equal([MonitoringAlert.OverdueHematocrit, MonitoringAlert.OverduePsa, MonitoringAlert.OverdueTestosterone], Codes(assessment));
        Assert.All(assessment.MonitoringPlan.Where(m => m.Loinc is not null), m => Assert.Equal(Some.Today, m.Due));
    }

    // ---- due dates from the results already in the record ------------------------------------------------------------

    [Fact]
    public void GivenTwoYearsOnTestosterone_WhenResultsExist_ThenNoBaselineAndEachTestIsDueAYearAfterItsLastResult()
    {
        var assessment = OnTestosterone().With(Some.Hematocrit(46m, daysAgo: 100), Some.Psa(1.1m, daysAgo: 100),
            Some.TotalTestosterone(ngPerDl: 510, daysAgo: 100)).Assess();

        Assert.Empty(assessment.MonitoringAlerts);
        Assert.Equal(TherapyKind.TestosteroneReplacement, assessment.MonitoringFor);
        Assert.DoesNotContain(assessment.MonitoringPlan, m => m.When.StartsWith("Baseline", StringComparison.Ordinal));
        var lastResult = Some.Today.AddDays(-100);
        Assert.All(assessment.MonitoringPlan.Where(m => m.Loinc is not null), m => Assert.Equal(lastResult.AddMonths(12), m.Due));

        // The review recurs yearly from the first check (start + 3 months), so it is never "due today" for no reason.
        var review = Assert.Single(assessment.MonitoringPlan, m => m.Test == "Symptom and benefit review");
        var firstCheck = DateOnly.FromDateTime(Some.Now.AddDays(-TwoYears).Date).AddMonths(3);
        Assert.Equal(firstCheck.AddMonths(24), review.Due);
        Assert.True(review.Due > Some.Today);
    }

    [Theory]
    [InlineData("48.0", 12)]
    [InlineData("50.0", 3)]
    public void GivenOnTestosterone_WhenHematocritIsAboveTheStartingLimit_ThenTheNextOneIsDueSooner(string percent, int months)
    {
        var assessment = OnTestosterone().With(Some.Hematocrit(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture), daysAgo: 20),
            Some.Psa(1m, daysAgo: 20), Some.TotalTestosterone(ngPerDl: 520, daysAgo: 20)).Assess();

        var sampled = Some.Today.AddDays(-20);
        Assert.Equal(sampled.AddMonths(months), Assert.Single(assessment.MonitoringPlan, m => m.Test == "Hematocrit").Due);
        Assert.Equal(sampled.AddMonths(12), Assert.Single(assessment.MonitoringPlan, m => m.Test == "PSA").Due);
    }

    [Fact]
    public void GivenOneMonthOnTestosterone_WhenNoResultYet_ThenTheFirstCheckIsDueAtThreeMonths()
    {
        var assessment = OnTestosterone(startDaysAgo: 30).Assess();

        var start = DateOnly.FromDateTime(Some.Now.AddDays(-30).Date);
        Assert.Empty(assessment.MonitoringAlerts);
        Assert.All(assessment.MonitoringPlan, m => Assert.Equal(start.AddMonths(3), m.Due));
    }

    // ---- stopped testosterone, anabolic steroids -----------------------------------------------------------------------

    [Fact]
    public void GivenTestosteroneStoppedAMonthAgo_WhenAssessed_ThenRepeatAfterTheWashoutAndNoTestosteronePlan()
    {
        var assessment = SnapshotBuilder.AdultMan(51).With(Some.Symptom())
            .With(Some.Medication(MedicationClass.Testosterone, MedicationState.Completed, startDaysAgo: 120, endDaysAgo: 30))
            .Assess();

        Assert.Equal(AndrogenExposure.StoppedTestosterone, assessment.AndrogenExposure);
        Assert.Equal(Recommendation.CompleteWorkup, assessment.Recommendation);
        Assert.Contains("REC-24", assessment.RuleIds);
        Assert.Null(assessment.MonitoringFor);
        Assert.Empty(assessment.MonitoringAlerts);
        Assert.Equal(26, assessment.WashoutWeeks);
        var stopped = Some.Now.AddDays(-30);
        var expected = DateOnly.FromDateTime((stopped.AddDays(182) > stopped.AddMonths(6).AddDays(1) ? stopped.AddDays(182) : stopped.AddMonths(6).AddDays(1)).Date);
        Assert.Equal(expected, assessment.RetestAfterWashoutFrom);
    }

    [Fact]
    public void GivenAnAnabolicSteroid_WhenAssessed_ThenStopAndCounselNotContinue()
    {
        var assessment = SnapshotBuilder.AdultMan(28).With(Some.Symptom())
            .With(Some.Medication(MedicationClass.AnabolicSteroid, MedicationState.Active, startDaysAgo: 90)).Assess();

        Assert.Equal(AndrogenExposure.AnabolicSteroid, assessment.AndrogenExposure);
        Assert.Equal(Recommendation.NoTestosteroneTherapy, assessment.Recommendation);
        Assert.Contains("REC-23", assessment.RuleIds);
        Assert.Null(assessment.MonitoringFor);
    }

    // ---- fertility: the plan follows the advised therapy; sperm banking; last documented intent ------------------------

    [Theory]
    [InlineData("secondary", TherapyKind.Serm)]
    [InlineData("pituitary", TherapyKind.Hcg)]
    [InlineData("primary", null)]
    public void GivenTestosteroneDraftedForAManWhoWantsChildren_WhenAssessed_ThenThePlanIsTheAdvisedTherapys(string pattern, TherapyKind? expected)
    {
        var builder = pattern == "primary" ? SnapshotBuilder.PrimaryPattern() : SnapshotBuilder.SecondaryPattern();
        if (pattern == "pituitary")
        {
            builder.With(Some.Condition(ConditionKind.PituitaryDisorder, onsetDaysAgo: 100));
        }

        var assessment = builder.WithIntent(FertilityIntent.Desired).Drafting(MedicationClass.Testosterone).Assess();

        Assert.Equal(expected, assessment.MonitoringFor);
    }

    [Theory]
    [InlineData(39, FertilityIntent.NotDesired, true)]
    [InlineData(40, FertilityIntent.NotDesired, false)]
    [InlineData(30, FertilityIntent.Desired, false)]
    public void GivenAManStartingTestosterone_WhenYoungAndNotWantingChildrenNow_ThenSpermBankingIsOffered(int age, FertilityIntent intent,
        bool offer)
    {
        var assessment = SnapshotBuilder.SecondaryPattern(age).WithIntent(intent).Drafting(MedicationClass.Testosterone).Assess();

        Assert.Equal(offer, assessment.OfferSpermBanking);
    }

    [Fact]
    public void GivenARenewal_WhenYoungAndNotWantingChildren_ThenNoSpermBankingLine()
    {
        Assert.False(OnTestosterone(age: 30).With(Some.Hematocrit(45m), Some.Psa(1m), Some.TotalTestosterone(ngPerDl: 500)).Assess().OfferSpermBanking);
    }

    [Theory]
    [InlineData(425, FertilityIntent.NotDesired)]
    [InlineData(300, null)]
    public void GivenAnIntentOlderThanTwelveMonths_WhenAssessed_ThenUnknownWithTheLastDocumentedAnswer(int daysAgo, FertilityIntent? last)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired, daysAgo).Assess();

        Assert.Equal(last is null ? FertilityIntent.NotDesired : FertilityIntent.Unknown, assessment.FertilityIntent);
        Assert.Equal(last, assessment.LastDocumentedIntent?.Intent);
        if (last is not null)
        {
            Assert.Equal(Some.Now.AddDays(-daysAgo), assessment.LastDocumentedIntent!.RecordedAt);
        }
    }

    // ---- plan additions ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(39, false)]
    [InlineData(40, true)]
    public void GivenHcgDrafted_WhenAged40OrOlder_ThenPsaIsInThePlan(int age, bool psa)
    {
        var assessment = SnapshotBuilder.SecondaryPattern(age).WithIntent(FertilityIntent.Desired).Drafting(MedicationClass.Hcg).Assess();

        Assert.Equal(psa, assessment.MonitoringPlan.Any(m => m.Test == "PSA"));
        Assert.Equal(Some.Today, Assert.Single(assessment.MonitoringPlan, m => m.Test == "Semen analysis (baseline)").Due);
    }

    [Fact]
    public void GivenOsteoporosisCoded_WhenTestosteroneIsPlanned_ThenDxaAfterAYear()
    {
        var withOsteoporosis = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired)
            .With(Some.Condition(ConditionKind.Osteoporosis, onsetDaysAgo: 300)).Drafting(MedicationClass.Testosterone).Assess();
        var without = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired).Drafting(MedicationClass.Testosterone).Assess();

        Assert.Equal(Some.Today.AddMonths(12), Assert.Single(withOsteoporosis.MonitoringPlan, m => m.Test == "Bone density (DXA)").Due);
        Assert.DoesNotContain(without.MonitoringPlan, m => m.Test == "Bone density (DXA)");
    }

    [Fact]
    public void GivenDefaultThresholds_WhenDescribed_ThenEveryOnTreatmentNumberHasAUnitAndASource()
    {
        var described = ClinicalThresholds.Default.Describe().ToDictionary(d => d.Key);
        foreach (var key in new[]
        {
            nameof(ClinicalThresholds.HematocritWithholdPercent), nameof(ClinicalThresholds.PsaRiseReferralNgPerMl),
            nameof(ClinicalThresholds.PsaOnTreatmentReferralNgPerMl), nameof(ClinicalThresholds.TrtTargetLowNgPerDl),
            nameof(ClinicalThresholds.TrtTargetHighNgPerDl), nameof(ClinicalThresholds.TestosteroneWashoutWeeks),
            nameof(ClinicalThresholds.SpermBankingOfferUnderAgeYears),
        })
        {
            Assert.False(string.IsNullOrWhiteSpace(described[key].Unit), key);
            Assert.False(string.IsNullOrWhiteSpace(described[key].Source), key);
        }

        Assert.Equal("26", described[nameof(ClinicalThresholds.TestosteroneWashoutWeeks)].Value);
        Assert.Equal("weeks", described[nameof(ClinicalThresholds.TestosteroneWashoutWeeks)].Unit);
    }
}
