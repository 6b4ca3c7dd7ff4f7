using System.Runtime.CompilerServices;
using CdsService.Clinical.Hypogonadism;

namespace CdsService.UnitTests.Clinical;

/// <summary>
/// docs/clinical/hypogonadism-rules.md is generated from the rule tables and the default thresholds. When the committed
/// file differs, this test rewrites it and fails, so the next run passes and the diff shows up for review.
/// </summary>
public sealed class RulesDocumentTests
{
    [Fact]
    public void GivenTheRuleTables_WhenRendered_ThenTheCommittedRulesDocumentIsCurrent()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "clinical", "hypogonadism-rules.md");
        var expected = RulesDocument.Render(ClinicalThresholds.Default);
        var actual = File.Exists(path) ? File.ReadAllText(path) : null;

        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
            Assert.Fail($"{path} was stale and has been regenerated; review and commit it.");
        }
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

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
}
