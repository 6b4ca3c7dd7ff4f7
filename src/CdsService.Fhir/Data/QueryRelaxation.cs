namespace CdsService.Fhir.Data;

/// <summary>
/// Search refinements a FHIR server may refuse while the query itself is still answerable without them. FHIR R4 §3.1.1.4
/// (search, "handling errors") lets a server reject parameters it does not support with a 400 instead of ignoring them,
/// and real servers do: Oracle Health Millennium R4 has no <c>_include</c> on MedicationRequest, lists no <c>_sort</c>
/// for Observation and caps <c>_count</c> (docs/integration/oracle-health.md). On a 400 the query is asked again
/// without the next refinement, one at a time, so a server that accepts the rest still gets the best query it can answer.
/// What each refinement did is made up for on the service side:
/// <list type="bullet">
/// <item><c>_include</c> brought referenced Medications; without it a reference is read from its <c>display</c>, and one that
/// cannot be identified is a data issue on the card (SnapshotMapper.Medications).</item>
/// <item><c>_sort</c> put the newest results on the first page; every page is read anyway (up to Fhir:MaxPages, past which the
/// call is a 412) and the snapshot has its own canonical order (SnapshotMapper.Ordering), so the outcome is the same.</item>
/// <item><c>_count</c> bounded the page; without it the server's own page size applies and paging follows <c>next</c> links.</item>
/// </list>
/// </summary>
internal static class QueryRelaxation
{
    // The order of giving up: the refinement whose loss costs least first.
    private static readonly string[] Droppable = ["_include", "_sort", "_count"];

    /// <summary>
    /// The query (a relative search URL, <c>Type?a=b&amp;…</c>) without the first droppable parameter it still has;
    /// false when it has none left (the 400 then stands).
    /// </summary>
    public static bool TryRelax(string query, out string relaxed, out string dropped)
    {
        ArgumentNullException.ThrowIfNull(query);
        relaxed = query;
        dropped = string.Empty;
        var questionMark = query.IndexOf('?', StringComparison.Ordinal);
        if (questionMark < 0)
        {
            return false;
        }

        var parameters = query[(questionMark + 1)..].Split('&');
        foreach (var name in Droppable)
        {
            var kept = parameters.Where(p => !IsNamed(p, name)).ToArray();
            if (kept.Length < parameters.Length)
            {
                relaxed = query[..(questionMark + 1)] + string.Join('&', kept);
                dropped = name;
                return true;
            }
        }

        return false;
    }

    private static bool IsNamed(string parameter, string name) =>
        parameter.StartsWith(name, StringComparison.Ordinal)
        && (parameter.Length == name.Length || parameter[name.Length] is '=' or ':');
}
