using System.Collections.Immutable;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.UnitTests.Cards.CardScenarios;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// The contraindication warning's summary names the first finding and its date once. Found by the golden examples
/// (fhir-profiles/examples/golden/contra-hematocrit-psa.response.json): the engine's evidence text already carries the
/// date, and the summary appended it a second time ("Hematocrit 50.5 % on 2026-10-09, 2026-10-09").
/// </summary>
public sealed class ContraindicationSummaryTests
{
    private static readonly DateTimeOffset SampleTime = new(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5));

    [Theory]
    [InlineData("Hematocrit 51.2 % on 2025-05-20", "(Hematocrit 51.2 % on 2025-05-20)")]
    [InlineData("Malignant neoplasm of prostate (onset 2025-05-20)", "(Malignant neoplasm of prostate (onset 2025-05-20))")]
    public void GivenEvidenceThatNamesItsDate_WhenTestosteroneSigned_ThenTheSummaryShowsTheDateOnce(string evidence, string qualifier)
    {
        var summary = ContraindicationSummary(evidence);

        Assert.EndsWith(qualifier, summary, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(summary, "2025-05-20"));
    }

    [Fact]
    public void GivenEvidenceWithoutItsDate_WhenTestosteroneSigned_ThenTheSummaryAddsTheDate()
    {
        var summary = ContraindicationSummary("Hematocrit 51.2 %");

        Assert.EndsWith("(Hematocrit 51.2 %, 2025-05-20)", summary, StringComparison.Ordinal);
    }

    private static string ContraindicationSummary(string evidence)
    {
        ImmutableArray<ContraindicationFinding> findings = [new(TrtContraindication.HematocritAbove48, evidence, SampleTime)];
        var assessment = Assessment(Classification.Secondary, FertilityIntent.NotDesired, TherapyKind.TestosteroneReplacement, findings);

        var response = Composer().Compose(Request(HookKind.OrderSign, assessment, Snapshot(TestosteroneDraft())));

        return Assert.Single(response.Cards, c => c.Source.Topic!.Code == "trt-contraindication").Summary;
    }
}
