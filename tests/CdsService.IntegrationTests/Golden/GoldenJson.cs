using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CdsService.IntegrationTests.Golden;

/// <summary>
/// Canonical text of the JSON the golden tests compare, and a line diff for their failure messages. Only uuids are
/// normalised (to <c>uuid-1</c>, <c>uuid-2</c>… by order of first appearance): card and suggestion uuids are per call by
/// design (CDS Hooks 2.0 §Card: uuid identifies this card for feedback). Everything else, dates included, must be
/// reproducible from the request and the fixed evaluation time; if it is not, that is a defect to fix, not to mask.
/// </summary>
public static partial class GoldenJson
{
    // Relaxed escaping keeps "–", "≥" and Markdown's "<" readable in the committed files and in review diffs; these
    // files are never embedded in HTML.
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Pretty-printed JSON with a trailing newline and "\n" line ends (stable across platforms and in git).</summary>
    public static string Canonical(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary><see cref="Canonical"/> with every uuid (anywhere in any string) replaced by its ordinal placeholder.</summary>
    public static string Normalised(JsonNode node)
    {
        var placeholders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return Uuid().Replace(Canonical(node), m =>
        {
            if (!placeholders.TryGetValue(m.Value, out var placeholder))
            {
                placeholder = $"uuid-{placeholders.Count + 1}";
                placeholders[m.Value] = placeholder;
            }

            return placeholder;
        });
    }

    /// <summary>Parses and normalises a response body.</summary>
    public static string Normalised(string json) =>
        Normalised(JsonNode.Parse(json) ?? throw new InvalidDataException("The body is JSON null."));

    /// <summary>
    /// A unified-style line diff (longest common subsequence) with <paramref name="context"/> unchanged lines around each
    /// change, "-" for expected and "+" for actual. Golden files are a few hundred lines, so the quadratic table is small.
    /// </summary>
    public static string Diff(string expected, string actual, int context = 3)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var a = expected.ReplaceLineEndings("\n").Split('\n');
        var b = actual.ReplaceLineEndings("\n").Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<(char Op, string Text, int ExpectedLine)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', a[x], x + 1));
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                lines.Add(('-', a[x], x + 1));
                x++;
            }
            else
            {
                lines.Add(('+', b[y], x + 1));
                y++;
            }
        }

        var changed = lines.Select((l, i) => (l, i)).Where(p => p.l.Op != ' ').Select(p => p.i).ToList();
        var output = new StringBuilder();
        var lastPrinted = -1;
        foreach (var index in changed)
        {
            var from = Math.Max(lastPrinted + 1, index - context);
            if (from > lastPrinted + 1)
            {
                output.Append("@@ expected line ").Append(lines[from].ExpectedLine).Append(" @@\n");
            }

            var to = Math.Min(lines.Count - 1, index + context);
            for (var i = from; i <= to; i++)
            {
                if (i > lastPrinted)
                {
                    output.Append(lines[i].Op).Append(' ').Append(lines[i].Text).Append('\n');
                    lastPrinted = i;
                }
            }
        }

        return output.ToString();
    }

    // RFC 9562 textual form; any version (the service's card uuids are version 8, hookInstance is version 4).
    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid();
}
