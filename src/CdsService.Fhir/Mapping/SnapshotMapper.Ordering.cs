using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CdsService.Clinical.Model;

namespace CdsService.Fhir.Mapping;

/// <summary>The snapshot's canonical order: the same data gives an identical snapshot whichever path it came by.</summary>
internal sealed partial class SnapshotMapper
{
    // Canonical order (same data, same snapshot, whichever path it came by). A stable sort: items equal on every key
    // keep their input order, as LINQ OrderBy/ThenBy did. Sorted in a pooled buffer of (item, input position) with a
    // struct comparer (no closure, no delegate per call); the only allocation is the result's own array.
    private static ImmutableArray<T> Sorted<T>(ReadOnlySpan<T> items, Comparison<T> comparison)
    {
        if (items.Length == 0)
        {
            return [];
        }

        var buffer = ArrayPool<(T Item, int Index)>.Shared.Rent(items.Length);
        try
        {
            var indexed = buffer.AsSpan(0, items.Length);
            for (var i = 0; i < indexed.Length; i++)
            {
                indexed[i] = (items[i], i);
            }

            indexed.Sort(new StableComparer<T>(comparison));
            var sorted = new T[indexed.Length];
            for (var i = 0; i < sorted.Length; i++)
            {
                sorted[i] = indexed[i].Item;
            }

            return ImmutableCollectionsMarshal.AsImmutableArray(sorted);
        }
        finally
        {
            // The pooled buffer must not keep this request's records alive.
            ArrayPool<(T Item, int Index)>.Shared.Return(buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }

    private readonly struct StableComparer<T>(Comparison<T> comparison) : IComparer<(T Item, int Index)>
    {
        public int Compare((T Item, int Index) x, (T Item, int Index) y) =>
            comparison(x.Item, y.Item) is var c and not 0 ? c : x.Index.CompareTo(y.Index);
    }

    // Newest first, then analyte, source and value. Enums compare through Comparer<T>.Default: Enum.CompareTo(object)
    // boxes both sides (two allocations per comparison, measured while sorting 60 labs).
    private static int CompareLabs(LabResult a, LabResult b)
    {
        var c = b.EffectiveTime.Value.CompareTo(a.EffectiveTime.Value);
        if (c == 0)
        {
            c = Comparer<Analyte>.Default.Compare(a.Analyte, b.Analyte);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.SourceId, b.SourceId);
        }

        return c != 0 ? c : a.Quantity.Value.CompareTo(b.Quantity.Value);
    }

    private static int CompareConditions(ConditionFact a, ConditionFact b)
    {
        var c = Comparer<ConditionKind>.Default.Compare(a.Kind, b.Kind);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.SourceId, b.SourceId);
        }

        return c != 0 ? c : string.CompareOrdinal(a.Code, b.Code);
    }

    private static int CompareMedications(MedicationFact a, MedicationFact b)
    {
        var c = Comparer<MedicationClass>.Default.Compare(a.Class, b.Class);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.SourceId, b.SourceId);
        }

        return c != 0 ? c : Nullable.Compare(a.Start, b.Start);
    }

    private static int CompareIntents(FertilityIntentRecord a, FertilityIntentRecord b)
    {
        var c = b.RecordedAt.CompareTo(a.RecordedAt);
        return c != 0 ? c : string.CompareOrdinal(a.SourceId, b.SourceId);
    }
}
