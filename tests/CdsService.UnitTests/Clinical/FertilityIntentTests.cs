using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.UnitTests.Clinical.Support;

namespace CdsService.UnitTests.Clinical;

/// <summary>Fertility intent (docs/clinical/hypogonadism-rules.md §5): codes, conditions, newest within 12 months wins.</summary>
public sealed class FertilityIntentTests
{
    [Theory]
    [InlineData("http://snomed.info/sct", "454411000124108", FertilityIntent.Desired)]
    [InlineData("http://snomed.info/sct", "454391000124108", FertilityIntent.Desired)]
    [InlineData("http://loinc.org", "LA26438-4", FertilityIntent.Desired)]
    [InlineData("http://loinc.org", "LA26439-2", FertilityIntent.Desired)]
    [InlineData("http://snomed.info/sct", "454401000124105", FertilityIntent.NotDesired)]
    [InlineData("http://loinc.org", "LA26440-0", FertilityIntent.NotDesired)]
    [InlineData("http://snomed.info/sct", "454381000124105", FertilityIntent.Unsure)]
    [InlineData("http://loinc.org", "LA14072-5", FertilityIntent.Unsure)]
    public void GivenAnAnswerCode_WhenLookedUp_ThenTheIssueIntent(string system, string code, FertilityIntent expected)
    {
        Assert.Equal(expected, FertilityIntentCodes.Lookup(system, code));
    }

    [Fact]
    public void GivenAnUnknownCode_WhenLookedUp_ThenNull()
    {
        Assert.Null(FertilityIntentCodes.Lookup("http://snomed.info/sct", "261665006"));
    }

    [Theory]
    [InlineData(FertilityIntent.Desired)]
    [InlineData(FertilityIntent.NotDesired)]
    [InlineData(FertilityIntent.Unsure)]
    [InlineData(FertilityIntent.Unknown)]
    public void GivenOneRecordWithinTwelveMonths_WhenAssessed_ThenThatIntent(FertilityIntent intent)
    {
        Assert.Equal(intent, SnapshotBuilder.SecondaryPattern().WithIntent(intent, daysAgo: 100).Assess().FertilityIntent);
    }

    [Fact]
    public void GivenARecordOlderThanTwelveMonths_WhenAssessed_ThenUnknown()
    {
        Assert.Equal(FertilityIntent.Unknown, SnapshotBuilder.SecondaryPattern().WithIntent(FertilityIntent.NotDesired, daysAgo: 370).Assess().FertilityIntent);
    }

    [Fact]
    public void GivenSeveralRecords_WhenAssessed_ThenTheNewestWins()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .WithIntent(FertilityIntent.Desired, daysAgo: 200)
            .WithIntent(FertilityIntent.NotDesired, daysAgo: 20)
            .WithIntent(FertilityIntent.Unsure, daysAgo: 90)
            .Assess();

        Assert.Equal(FertilityIntent.NotDesired, assessment.FertilityIntent);
    }

    [Theory]
    [InlineData(ConditionKind.MaleInfertility)]
    [InlineData(ConditionKind.ProcreativeManagement)]
    public void GivenAnActiveInfertilityOrProcreativeCondition_WhenNoNewerAnswer_ThenDesired(ConditionKind kind)
    {
        var assessment = SnapshotBuilder.SecondaryPattern().With(Some.Condition(kind, recordedDaysAgo: 800)).Assess();

        Assert.Equal(FertilityIntent.Desired, assessment.FertilityIntent);
        Assert.Contains("INT-2", assessment.RuleIds);
    }

    [Fact]
    public void GivenANewerNotDesiredAnswer_WhenAnOlderInfertilityConditionIsActive_ThenNotDesired()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Condition(ConditionKind.MaleInfertility, recordedDaysAgo: 300))
            .WithIntent(FertilityIntent.NotDesired, daysAgo: 10)
            .Assess();

        Assert.Equal(FertilityIntent.NotDesired, assessment.FertilityIntent);
    }

    [Fact]
    public void GivenAnUndatedInfertilityCondition_WhenADatedAnswerExists_ThenTheAnswerWins()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .With(Some.Condition(ConditionKind.MaleInfertility))
            .WithIntent(FertilityIntent.Unsure, daysAgo: 10)
            .Assess();

        Assert.Equal(FertilityIntent.Unsure, assessment.FertilityIntent);
    }

    [Fact]
    public void GivenTwoAnswersOnTheSameDate_WhenTheyDisagree_ThenDesiredWins()
    {
        var assessment = SnapshotBuilder.SecondaryPattern()
            .WithIntent(FertilityIntent.NotDesired, daysAgo: 10)
            .WithIntent(FertilityIntent.Desired, daysAgo: 10)
            .Assess();

        Assert.Equal(FertilityIntent.Desired, assessment.FertilityIntent);
    }
}
