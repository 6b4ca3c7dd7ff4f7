using System.Buffers;
using System.Globalization;
using System.Text;

namespace CdsService.Cards;

/// <summary>
/// GitHub-flavoured Markdown for card <c>detail</c> (CDS Hooks 2.0 §Card: detail is GFM). Values that come from
/// patient data are escaped so they can neither inject raw HTML (some clients render it, e.g. the sandbox uses
/// rehype-raw) nor break a table: backslash escapes are part of CommonMark, so nothing here is HTML.
/// </summary>
internal static class MarkdownText
{
    // CommonMark §2.4: any ASCII punctuation may be backslash-escaped. These are the ones that start markup.
    private static readonly SearchValues<char> Special = SearchValues.Create("\\`*_{}[]<>()#+!|~&");

    // The characters Escape rewrites: markup starters, and line breaks (which would end a table row).
    private static readonly SearchValues<char> Rewritten = SearchValues.Create("\\`*_{}[]<>()#+!|~&\r\n");

    /// <summary>Shown for an empty table cell, so the clinician sees "nothing recorded" rather than a gap.</summary>
    public const char EmptyCell = '–';

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        // Most values (test names, dates, plain sentences) need no escape: hand them back without a copy, as
        // most cells of the evidence and plan tables would otherwise be copied for nothing.
        var first = text.AsSpan().IndexOfAny(Rewritten);
        if (first < 0)
        {
            return text;
        }

        var added = 0;
        foreach (var c in text.AsSpan(first))
        {
            added += Special.Contains(c) ? 1 : 0;
        }

        return string.Create(text.Length + added, text, static (escaped, source) =>
        {
            var at = 0;
            foreach (var c in source)
            {
                if (c is '\r' or '\n')
                {
                    // A line break inside a table cell would end the row.
                    escaped[at++] = ' ';
                    continue;
                }

                if (Special.Contains(c))
                {
                    escaped[at++] = '\\';
                }

                escaped[at++] = c;
            }
        });
    }

    /// <summary>A GFM table. Cells must already be escaped (they are built from escaped values and our own text).</summary>
    public static void AppendTable(StringBuilder builder, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        AppendTableHeader(builder, headers);
        foreach (var row in rows)
        {
            builder.Append("| ");
            for (var column = 0; column < row.Count; column++)
            {
                var cell = row[column];
                builder.Append(column > 0 ? " | " : string.Empty);
                if (cell.Length == 0)
                {
                    builder.Append(EmptyCell);
                }
                else
                {
                    builder.Append(cell);
                }
            }

            builder.Append(" |\n");
        }

        builder.Append('\n');
    }

    /// <summary>
    /// The header and delimiter rows of a GFM table (GFM §4.10); the rows follow (<see cref="MarkdownRow"/>), then an
    /// empty line ends the table.
    /// </summary>
    public static void AppendTableHeader(StringBuilder builder, IReadOnlyList<string> headers)
    {
        builder.Append("| ");
        for (var column = 0; column < headers.Count; column++)
        {
            builder.Append(column > 0 ? " | " : string.Empty).Append(headers[column]);
        }

        builder.Append(" |\n|");
        for (var column = 0; column < headers.Count; column++)
        {
            builder.Append(column > 0 ? "|---" : "---");
        }

        builder.Append("|\n");
    }

    public static string Number(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
