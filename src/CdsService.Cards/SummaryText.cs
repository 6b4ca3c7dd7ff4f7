namespace CdsService.Cards;

/// <summary>
/// Card summaries: CDS Hooks 2.0 §Card requires "one-sentence, &lt;140-character"; Inferno flags 140 and longer.
/// A summary is a fixed core plus patient-specific qualifiers; qualifiers are kept while they fit.
/// </summary>
internal static class SummaryText
{
    public const int MaxLength = 139;

    /// <summary>
    /// "core (first, second)": each qualifier, in order, is kept if the summary with it still fits. The summary is
    /// composed once on the stack; the length of each candidate is known without building it, so no
    /// intermediate list or string per candidate is allocated (docs/performance.md, round 2 item 10).
    /// </summary>
    public static string Fit(string core, params IEnumerable<string?> qualifiers)
    {
        if (core.Length > MaxLength)
        {
            // Only reachable if a core phrase itself is too long (no qualifier can fit then); shortened visibly rather
            // than sent non-conformant.
            var cut = core[..(MaxLength - 1)];
            var space = cut.LastIndexOf(' ');
            return (space > 80 ? cut[..space] : cut) + "…";
        }

        Span<char> summary = stackalloc char[MaxLength];
        core.CopyTo(summary);
        var length = core.Length;
        var kept = 0;
        foreach (var qualifier in qualifiers)
        {
            if (string.IsNullOrWhiteSpace(qualifier))
            {
                continue;
            }

            // The first qualifier opens " (", later ones follow ", "; the closing ")" counts for every candidate.
            var separator = kept == 0 ? " (" : ", ";
            if (length + separator.Length + qualifier.Length + 1 > MaxLength)
            {
                continue;
            }

            separator.CopyTo(summary[length..]);
            qualifier.CopyTo(summary[(length + separator.Length)..]);
            length += separator.Length + qualifier.Length;
            kept++;
        }

        if (kept == 0)
        {
            return core;
        }

        summary[length++] = ')';
        return new string(summary[..length]);
    }
}
