using ArchUnitNET.Domain;

namespace CdsService.UnitTests.Architecture;

/// <summary>
/// Cycles between groups of types (namespaces cut at a chosen depth, or assemblies), which ArchUnitNET's slices cannot
/// express: its <c>(*)</c> names a slice by the whole remaining namespace, so sub-namespaces would be slices of their
/// own and a cycle through one of them would be missed.
/// </summary>
internal static class DependencyCycles
{
    /// <summary>Every dependency between two groups that lies on a cycle, with one type-level example each.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<IType> types, Func<IType, string?> groupOf)
    {
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var examples = new Dictionary<(string From, string To), string>();
        foreach (var type in types)
        {
            if (groupOf(type) is not { } from)
            {
                continue;
            }

            foreach (var dependency in type.Dependencies)
            {
                if (groupOf(dependency.Target) is not { } to || to == from)
                {
                    continue;
                }

                (edges.TryGetValue(from, out var targets) ? targets : edges[from] = new HashSet<string>(StringComparer.Ordinal)).Add(to);
                examples.TryAdd((from, to), $"{type.FullName} -> {dependency.Target.FullName}");
            }
        }

        return [.. examples
            .Where(edge => Reaches(edges, edge.Key.To, edge.Key.From))
            .Select(edge => $"{edge.Key.From} -> {edge.Key.To} (e.g. {edge.Value})")
            .Order(StringComparer.Ordinal)];
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> edges, string start, string goal)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var pending = new Stack<string>([start]);
        while (pending.TryPop(out var current))
        {
            if (current == goal)
            {
                return true;
            }

            foreach (var next in edges.GetValueOrDefault(current) ?? [])
            {
                if (seen.Add(next))
                {
                    pending.Push(next);
                }
            }
        }

        return false;
    }
}
