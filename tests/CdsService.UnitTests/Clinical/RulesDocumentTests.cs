using CdsService.Clinical.Hypogonadism;

namespace CdsService.UnitTests.Clinical;

/// <summary>
/// docs/clinical/hypogonadism-rules.md is generated from the rule tables and the default thresholds. When the committed
/// file differs this test fails; <c>UPDATE_APPROVED=1 dotnet test</c> rewrites it, to be reviewed as a git diff.
/// </summary>
public sealed class RulesDocumentTests
{
    [Fact]
    public void GivenTheRuleTables_WhenRendered_ThenTheCommittedRulesDocumentIsCurrent()
    {
        ApprovedFiles.Verify(RepositoryPaths.Of("docs", "clinical", "hypogonadism-rules.md"), RulesDocument.Render(ClinicalThresholds.Default));
    }

    [Fact]
    public void GivenTheDocument_WhenRendered_ThenEveryRuleIdAndThresholdAppears()
    {
        var document = RulesDocument.Render(ClinicalThresholds.Default);

        foreach (var id in HypogonadismRules.ClassificationRules.Select(r => r.Id)
            .Concat(HypogonadismRules.RecommendationRules.Select(r => r.Id))
            .Concat(HypogonadismRules.ContraindicationRules.Select(r => r.Id)))
        {
            Assert.Contains($"| {id} |", document, StringComparison.Ordinal);
        }

        foreach (var threshold in ClinicalThresholds.Default.Describe())
        {
            Assert.Contains($"`{threshold.Key}`", document, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("{", document.Replace("{{", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void GivenConfiguredThresholds_WhenRendered_ThenTheDocumentShowsThem()
    {
        var document = RulesDocument.Render(ClinicalThresholds.Default with { TotalTestosteroneLowNgPerDl = 264m });

        Assert.Contains("below 264 ng/dL (9.2 nmol/L)", document, StringComparison.Ordinal);
    }
}
