using System.Text;

namespace CdsService.Cards;

/// <summary>
/// One GFM table row written cell by cell straight into the detail, for the tables with a row per result or plan item
/// (building each cell as a string and each row as an array first was most of what those tables allocated;
/// docs/performance.md, round 2 item 10).
/// The output is what <see cref="MarkdownText.AppendTable"/> writes for the same cells, an empty cell shown as "–".
/// Cell content must already be escaped.
/// </summary>
internal ref struct MarkdownRow
{
    private readonly StringBuilder _builder;
    private int _cellStart;

    public MarkdownRow(StringBuilder builder)
    {
        _builder = builder;
        builder.Append("| ");
        _cellStart = builder.Length;
    }

    /// <summary>Closes the current cell and opens the next.</summary>
    public void Next()
    {
        CloseCell();
        _builder.Append(" | ");
        _cellStart = _builder.Length;
    }

    /// <summary>Closes the last cell and the row.</summary>
    public readonly void End()
    {
        CloseCell();
        _builder.Append(" |\n");
    }

    private readonly void CloseCell()
    {
        if (_builder.Length == _cellStart)
        {
            _builder.Append(MarkdownText.EmptyCell);
        }
    }
}
