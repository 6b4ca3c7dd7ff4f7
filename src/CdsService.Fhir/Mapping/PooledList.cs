using System.Buffers;
using System.Runtime.CompilerServices;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// A short-lived list for one call's scratch items (the codings and texts of one medication), kept in arrays rented
/// from the shared pool so that reading a resource allocates no list (bytes allocated per hook call, docs/performance.md).
/// A mutable struct: pass it by <c>ref</c>, and <see cref="Dispose"/> it to give the array back.
/// </summary>
internal struct PooledList<T> : IDisposable
{
    private const int InitialCapacity = 4;

    private T[]? _items;
    private int _count;

    /// <summary>A list with room for <paramref name="capacity"/> items before it has to grow.</summary>
    public PooledList(int capacity)
    {
        _items = capacity > 0 ? ArrayPool<T>.Shared.Rent(capacity) : null;
    }

    public readonly int Count => _count;

    /// <summary>The items added, in order; valid until the next <see cref="Add"/> or <see cref="Dispose"/>.</summary>
    public readonly ReadOnlySpan<T> Items => _items is null ? [] : _items.AsSpan(0, _count);

    public void Add(T item)
    {
        if (_items is null)
        {
            _items = ArrayPool<T>.Shared.Rent(InitialCapacity);
        }
        else if (_count == _items.Length)
        {
            var larger = ArrayPool<T>.Shared.Rent(_items.Length * 2);
            _items.AsSpan(0, _count).CopyTo(larger);
            Return(_items);
            _items = larger;
        }

        _items[_count++] = item;
    }

    public void Dispose()
    {
        if (_items is not null)
        {
            Return(_items);
            _items = null;
            _count = 0;
        }
    }

    // Cleared on return: a pooled array must not keep this request's strings alive.
    private static void Return(T[] items) =>
        ArrayPool<T>.Shared.Return(items, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
}
