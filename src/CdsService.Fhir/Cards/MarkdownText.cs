using System.Globalization;
using System.Text;

namespace CdsService.Fhir.Cards;

/// <summary>
/// GitHub-flavoured Markdown for card <c>detail</c> (CDS Hooks 2.0 §Card: detail is GFM). Values that come from
/// patient data are escaped so they can neither inject raw HTML (some clients render it, e.g. the sandbox uses
/// rehype-raw) nor break a table: backslash escapes are part of CommonMark, so nothing here is HTML.
/// </summary>
internal static class MarkdownText
{
    // CommonMark §2.4: any ASCII punctuation may be backslash-escaped. These are the ones that start markup.
    private const string Special = "\\`*_{}[]<>()#+!|~&";

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                // A line break inside a table cell would end the row.
                builder.Append(' ');
                continue;
            }

            if (Special.Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>A GFM table. Cells must already be escaped (they are built from escaped values and our own text).</summary>
    public static void AppendTable(StringBuilder builder, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        builder.Append("| ").AppendJoin(" | ", headers).Append(" |\n");
        builder.Append('|').AppendJoin('|', headers.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
        {
            builder.Append("| ").AppendJoin(" | ", row.Select(cell => cell.Length == 0 ? "–" : cell)).Append(" |\n");
        }

        builder.Append('\n');
    }

    public static string Number(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
