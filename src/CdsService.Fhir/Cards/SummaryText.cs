namespace CdsService.Fhir.Cards;

/// <summary>
/// Card summaries: CDS Hooks 2.0 §Card requires "one-sentence, &lt;140-character"; Inferno flags 140 and longer.
/// A summary is a fixed core plus patient-specific qualifiers; qualifiers are kept while they fit.
/// </summary>
internal static class SummaryText
{
    public const int MaxLength = 139;

    public static string Fit(string core, params IEnumerable<string?> qualifiers)
    {
        var kept = new List<string>();
        foreach (var qualifier in qualifiers)
        {
            if (string.IsNullOrWhiteSpace(qualifier))
            {
                continue;
            }

            var candidate = With(core, [.. kept, qualifier]);
            if (candidate.Length <= MaxLength)
            {
                kept.Add(qualifier);
            }
        }

        var summary = With(core, kept);
        if (summary.Length <= MaxLength)
        {
            return summary;
        }

        // Only reachable if a core phrase itself is too long; shortened visibly rather than sent non-conformant.
        var cut = summary[..(MaxLength - 1)];
        var space = cut.LastIndexOf(' ');
        return (space > 80 ? cut[..space] : cut) + "…";
    }

    private static string With(string core, List<string> qualifiers) =>
        qualifiers.Count == 0 ? core : $"{core} ({string.Join(", ", qualifiers)})";
}
