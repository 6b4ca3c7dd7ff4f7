using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CdsService.Cards;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.UnitTests.Cards.CardScenarios;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// The detail's Markdown is built without throwaway allocations (no copy when nothing needs escaping, rows written cell
/// by cell, the evidence sorted in place; docs/performance.md, round 2 item 10); the text must be the same as the plain
/// version's, character for character.
/// </summary>
public sealed class MarkdownTableTests
{
    public static TheoryData<string?> EscapeInputs() =>
    [
        "",
        "plain text 245 ng/dL, 2025-05-20",
        "\\`*_{}[]<>()#+!|~&",
        "line\r\nbreak\nand\rreturn",
        "<script>alert('x')</script> | cell | **bold**",
        "ünïcødé – ≥ 8 h 😀 # heading",
        "trailing special!",
        "!leading special",
    ];

    [Theory]
    [InlineData(null)]
    [MemberData(nameof(EscapeInputs))]
    public void GivenText_WhenEscaped_ThenSameAsEscapingCharacterByCharacter(string? text)
    {
        Assert.Equal(ReferenceEscape(text), MarkdownText.Escape(text));
    }

    [Fact]
    public void GivenRowsWithEmptyCells_WhenWrittenCellByCell_ThenSameAsAppendTable()
    {
        string[] headers = ["", "A", "B"];
        string[][] rows = [["x", "", "y"], ["", "", ""], ["1", "2", "3"]];
        var expected = new StringBuilder();
        MarkdownText.AppendTable(expected, headers, rows);

        var actual = new StringBuilder();
        MarkdownText.AppendTableHeader(actual, headers);
        foreach (var cells in rows)
        {
            var row = new MarkdownRow(actual);
            for (var column = 0; column < cells.Length; column++)
            {
                if (column > 0)
                {
                    row.Next();
                }

                actual.Append(cells[column]);
            }

            row.End();
        }

        actual.Append('\n');

        Assert.Equal(expected.ToString(), actual.ToString());
        Assert.Equal("|  | A | B |\n|---|---|---|\n| x | – | y |\n| – | – | – |\n| 1 | 2 | 3 |\n\n", actual.ToString());
    }

    [Fact]
    public void GivenEvidenceWithTiesAndMixedAnalytes_WhenRendered_ThenRowsInAnalyteThenNewestFirstOrderKeepingTies()
    {
        var early = new DateTimeOffset(2025, 5, 2, 8, 0, 0, TimeSpan.Zero);
        var late = new DateTimeOffset(2025, 5, 20, 8, 0, 0, TimeSpan.FromHours(-5));
        var sameInstantOtherZone = late.ToOffset(TimeSpan.FromHours(2));
        ImmutableArray<EvidenceItem> evidence =
        [
            Item(Analyte.Lh, 3.1m, early),
            Item(Analyte.TotalTestosterone, 250m, early),
            Item(Analyte.TotalTestosterone, 251m, late),
            Item(Analyte.Lh, 3.2m, late),
            Item(Analyte.TotalTestosterone, 252m, sameInstantOtherZone),
            Item(Analyte.TotalTestosterone, 253m, late),
            Item(Analyte.FreeTestosterone, 168m, early, ValueComparator.LessThan),
        ];
        var assessment = Assessment(Classification.Secondary, FertilityIntent.Desired) with { Evidence = evidence };

        var card = Assert.Single(Composer().Compose(Request(HookKind.PatientView, assessment, Snapshot())).Cards);

        var expected = evidence.OrderBy(e => e.Analyte).ThenByDescending(e => e.EffectiveTime.Value)
            .Select(e => ClinicalWording.Comparator(e.Comparator) + e.Quantity.Value.ToString("0.###", CultureInfo.InvariantCulture));
        Assert.Equal(expected, CardAssertions.EvidenceRows(card.Detail!).Select(row => row[1]));
        Assert.Equal(["251", "252", "253", "250", "below 168", "3.2", "3.1"], CardAssertions.EvidenceRows(card.Detail!).Select(row => row[1]));
        // The summary's key value is the first of the newest (251, not 252 or 253 taken at the same instant).
        Assert.Contains("TT 251 ng/dL", card.Summary, StringComparison.Ordinal);
    }

    private static EvidenceItem Item(Analyte analyte, decimal value, DateTimeOffset at, ValueComparator comparator = ValueComparator.Equal) => new()
    {
        Analyte = analyte,
        Quantity = new LabQuantity(value, analyte == Analyte.Lh ? LabUnit.InternationalUnitsPerLiter : LabUnit.NanogramsPerDeciliter),
        Comparator = comparator,
        EffectiveTime = SampleTime.At(at),
        IsMorning = true,
    };

    /// <summary>The plain escape the allocation-free one replaced: every character looked at, every value copied.</summary>
    private static string ReferenceEscape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                builder.Append(' ');
                continue;
            }

            if ("\\`*_{}[]<>()#+!|~&".Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
