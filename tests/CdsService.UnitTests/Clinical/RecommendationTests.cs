using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>Recommendation table (docs/clinical/hypogonadism-rules.md §6): every classification × fertility intent.</summary>
public sealed class RecommendationTests
{
    public static TheoryData<string, FertilityIntent?, Recommendation> Rows => new()
    {
        { "primary", FertilityIntent.Desired, Recommendation.ReferReproductiveUrology },
        { "primary", FertilityIntent.NotDesired, Recommendation.TestosteroneReplacement },
        { "primary", FertilityIntent.Unsure, Recommendation.AssessFertilityIntent },
        { "primary", null, Recommendation.AssessFertilityIntent },
        { "secondary", FertilityIntent.Desired, Recommendation.FertilityPreserving },
        { "secondary", FertilityIntent.NotDesired, Recommendation.TestosteroneReplacement },
        { "secondary", FertilityIntent.Unsure, Recommendation.AssessFertilityIntent },
        { "secondary", null, Recommendation.AssessFertilityIntent },
        { "eugonadal", FertilityIntent.NotDesired, Recommendation.NoTestosteroneTherapy },
        { "eugonadal", FertilityIntent.Desired, Recommendation.NoTestosteroneTherapy },
        { "compensated", FertilityIntent.NotDesired, Recommendation.NoTestosteroneTherapy },
        { "compensated", null, Recommendation.NoTestosteroneTherapy },
        { "insufficient", FertilityIntent.Desired, Recommendation.CompleteWorkup },
        { "insufficient", FertilityIntent.NotDesired, Recommendation.CompleteWorkup },
        { "exogenous", FertilityIntent.Desired, Recommendation.FertilityRestoration },
        { "exogenous", FertilityIntent.NotDesired, Recommendation.ContinueWithMonitoring },
        { "exogenous", FertilityIntent.Unsure, Recommendation.ContinueWithMonitoring },
        { "exogenous", null, Recommendation.ContinueWithMonitoring },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void GivenClassificationAndFertilityIntent_WhenAssessed_ThenOnePrimaryRecommendation(
        string pattern, FertilityIntent? intent, Recommendation expected)
    {
        var builder = Pattern(pattern);
        if (intent is { } documented)
        {
            builder.WithIntent(documented);
        }

        var assessment = builder.Assess();

        Assert.Equal(expected, assessment.Recommendation);
        Assert.Equal(intent ?? FertilityIntent.Unknown, assessment.FertilityIntent);
    }

    [Fact]
    public void GivenAnyAssessment_WhenAssessed_ThenReasonsCiteTheRulesThatFired()
    {
        var assessment = SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.Desired).Assess();

        Assert.Equal(assessment.RuleIds.Length, assessment.Reasons.Length);
        Assert.Equal(["AND-1", "CLS-10", "INT-1", "REC-15", "WU-6", "MON-serm"], assessment.RuleIds);
        Assert.All(assessment.Reasons, reason => Assert.Matches(@"\(.+\)\.$", reason));
        Assert.Contains(assessment.Reasons, r => r.Contains("300 ng/dL (10.4 nmol/L)", StringComparison.Ordinal));
        Assert.Contains(assessment.Reasons, r => r.Contains("clomiphene citrate 25 mg daily", StringComparison.Ordinal));
    }

    internal static SnapshotBuilder Pattern(string name) => name switch
    {
        "primary" => SnapshotBuilder.PrimaryPattern(),
        "secondary" => SnapshotBuilder.SecondaryPattern(),
        "eugonadal" => SnapshotBuilder.EugonadalPattern(),
        "compensated" => SnapshotBuilder.CompensatedPattern(),
        "insufficient" => SnapshotBuilder.AdultMan().With(Some.TotalTestosterone(ngPerDl: 250), Some.Lh(3m)),
        "exogenous" => SnapshotBuilder.SecondaryPattern()
            .With(Some.Medication(MedicationClass.Testosterone, MedicationState.Active, startDaysAgo: 200)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
