// An immutable list of syntax-tree items with value equality (element by element), so
// that records holding lists compare by content. A struct over an array: no extra
// allocation; the default value is the empty list.
using System.Collections;

namespace Tern.Sql.Ast;

/// <summary>An immutable, value-equal list used throughout the syntax tree.</summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct NodeList<T> : IReadOnlyList<T>, IEquatable<NodeList<T>>
{
    private readonly T[]? _items;

    /// <summary>Wraps <paramref name="items"/> (not copied: the caller gives up the array).</summary>
    public NodeList(T[] items) => _items = items.Length == 0 ? null : items;

    /// <summary>The empty list.</summary>
    public static NodeList<T> Empty => default;

    /// <summary>Number of elements.</summary>
    public int Count => _items?.Length ?? 0;

    /// <summary>True when the list has no elements.</summary>
    public bool IsEmpty => _items is null;

    /// <summary>The element at <paramref name="index"/>.</summary>
    public T this[int index] => (_items ?? [])[index];

    /// <summary>The elements as a span.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    /// <summary>Builds a list from a sequence.</summary>
    public static NodeList<T> From(IEnumerable<T> items) => new(items.ToArray());

    /// <summary>Element-wise equality.</summary>
    public bool Equals(NodeList<T> other)
    {
        ReadOnlySpan<T> a = _items, b = other._items;
        if (a.Length != b.Length) return false;
        var cmp = EqualityComparer<T>.Default;
        for (int i = 0; i < a.Length; i++)
        {
            if (!cmp.Equals(a[i], b[i])) return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NodeList<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (T item in _items ?? []) h.Add(item);
        return h.ToHashCode();
    }

    /// <summary>Element-wise equality.</summary>
    public static bool operator ==(NodeList<T> left, NodeList<T> right) => left.Equals(right);

    /// <summary>Element-wise inequality.</summary>
    public static bool operator !=(NodeList<T> left, NodeList<T> right) => !left.Equals(right);

    /// <summary>Enumerates the elements.</summary>
    public Enumerator GetEnumerator() => new(_items);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_items ?? []).GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", _items ?? []) + "]";

    /// <summary>An allocation-free enumerator.</summary>
    public struct Enumerator
    {
        private readonly T[]? _items;
        private int _index;

        internal Enumerator(T[]? items)
        {
            _items = items;
            _index = -1;
        }

        /// <summary>The current element.</summary>
        public readonly T Current => _items![_index];

        /// <summary>Moves to the next element.</summary>
        public bool MoveNext() => _items is not null && ++_index < _items.Length;
    }
}
