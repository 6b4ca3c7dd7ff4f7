using CdsService.Cards;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// Summaries are composed on the stack, without a list or string per
/// candidate (docs/performance.md, round 2 item 10); the list-and-join version they replaced is the oracle, and the
/// 140-character limit of CDS Hooks 2.0 §Card holds for every input.
/// </summary>
public sealed class SummaryTextTests
{
    public static TheoryData<string, string?[]> Inputs()
    {
        var longCore = "Testosterone contraindicated: untreated severe sleep apnea and 3 more, with a core phrase that runs on and on past the limit";
        return new TheoryData<string, string?[]>
        {
            { "Testosterone monitoring: 5 checks", [] },
            { "Testosterone monitoring: 5 checks", [null, "", "  "] },
            { "Testosterone will suppress sperm production – patient wants children", ["secondary hypogonadism", "TT 245 ng/dL"] },
            { "Testosterone will suppress sperm production – patient wants children", [new string('q', 60), "TT 245 ng/dL", "LH 3.1 IU/L"] },
            { "Testosterone will suppress sperm production – patient wants children", [new string('q', 63), "x"] },
            { "Testosterone will suppress sperm production – patient wants children", [new string('q', 64), "x"] },
            { new string('c', 139), ["x"] },
            { new string('c', 136), ["x", "y"] },
            { new string('c', 135), ["x", "y"] },
            { longCore + " " + longCore, ["x"] },
            { new string('c', 200), [] },
            { new string('c', 140), [] },
        };
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void GivenCoreAndQualifiers_WhenFitted_ThenSameAsTheJoinedVersionAndUnder140(string core, string?[] qualifiers)
    {
        var summary = SummaryText.Fit(core, qualifiers);

        Assert.Equal(Reference(core, qualifiers), summary);
        Assert.True(summary.Length < 140, $"{summary.Length} characters");
    }

    /// <summary>The list-and-join implementation the stack-composed one replaced.</summary>
    private static string Reference(string core, IEnumerable<string?> qualifiers)
    {
        var kept = new List<string>();
        foreach (var qualifier in qualifiers)
        {
            if (string.IsNullOrWhiteSpace(qualifier))
            {
                continue;
            }

            if (With(core, [.. kept, qualifier]).Length <= SummaryText.MaxLength)
            {
                kept.Add(qualifier);
            }
        }

        var summary = With(core, kept);
        if (summary.Length <= SummaryText.MaxLength)
        {
            return summary;
        }

        var cut = summary[..(SummaryText.MaxLength - 1)];
        var space = cut.LastIndexOf(' ');
        return (space > 80 ? cut[..space] : cut) + "…";
    }

    private static string With(string core, List<string> qualifiers) =>
        qualifiers.Count == 0 ? core : $"{core} ({string.Join(", ", qualifiers)})";
}
