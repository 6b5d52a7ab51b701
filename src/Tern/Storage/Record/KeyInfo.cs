// The sort order of an index's key fields, as RecordComparer needs it (SQLite's KeyInfo):
// per field, whether it sorts DESC and the collating sequence its TEXT values compare
// with. Fields past the described ones (the rowid at the end of an index record, say)
// sort ascending with BINARY. A field may also sort NULL as the largest value rather than
// the smallest (ORDER BY ... ASC NULLS LAST, DESC NULLS FIRST; SQLite's KEYINFO_ORDER_BIGNULL);
// its DESC flag still applies after that.
namespace Tern.Storage.Record;

/// <summary>The per-field sort order and collation of keys.</summary>
internal sealed class KeyInfo
{
    private readonly bool[] _descending;
    private readonly Collation[]? _collations;
    private readonly bool[]? _nullsLarge;

    /// <summary>Key fields that all sort ascending with BINARY.</summary>
    /// <param name="fieldCount">The number of key fields.</param>
    public KeyInfo(int fieldCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fieldCount);
        _descending = new bool[fieldCount];
    }

    /// <summary>Key fields with the given orders (<c>true</c> for DESC), all BINARY.</summary>
    /// <param name="descending">Per field, whether it sorts descending (copied).</param>
    public KeyInfo(params ReadOnlySpan<bool> descending)
    {
        _descending = descending.ToArray();
    }

    /// <summary>Key fields with the given orders and collations (both copied; same length).</summary>
    public KeyInfo(ReadOnlySpan<bool> descending, ReadOnlySpan<Collation> collations)
    {
        if (descending.Length != collations.Length) throw new ArgumentException("one collation per field", nameof(collations));
        _descending = descending.ToArray();
        bool any = false;
        foreach (Collation c in collations) any |= c != Collation.Binary;
        if (any) _collations = collations.ToArray();
    }

    /// <summary>
    /// Key fields with orders, collations and, per field, whether NULL sorts as the largest
    /// value (all copied; same length).
    /// </summary>
    public KeyInfo(ReadOnlySpan<bool> descending, ReadOnlySpan<Collation> collations, ReadOnlySpan<bool> nullsLarge)
        : this(descending, collations)
    {
        if (nullsLarge.Length != descending.Length) throw new ArgumentException("one flag per field", nameof(nullsLarge));
        if (nullsLarge.Contains(true)) _nullsLarge = nullsLarge.ToArray();
    }

    /// <summary>
    /// For the b-tree of a WITHOUT ROWID table or of one of its indexes: where each PRIMARY KEY
    /// column (in key order) sits in an entry, so the VM can make the row's key (the record of
    /// those fields) where a rowid table has its rowid. Null for every other b-tree.
    /// </summary>
    public int[]? PrimaryKeyFields { get; init; }

    /// <summary>Whether some field sorts NULL as its largest value.</summary>
    public bool HasLargeNulls => _nullsLarge != null;

    /// <summary>Whether field <paramref name="field"/> sorts NULL after every other value (before DESC applies).</summary>
    public bool NullsLarge(int field) => _nullsLarge != null && (uint)field < (uint)_nullsLarge.Length && _nullsLarge[field];

    /// <summary>The number of key fields this describes.</summary>
    public int FieldCount => _descending.Length;

    /// <summary>Per field, whether it sorts descending.</summary>
    public ReadOnlySpan<bool> Descending => _descending;

    /// <summary>Whether any field compares text with a collation other than BINARY.</summary>
    public bool HasCollations => _collations != null;

    /// <summary>Whether field <paramref name="field"/> sorts descending (false past <see cref="FieldCount"/>).</summary>
    public bool IsDescending(int field) => (uint)field < (uint)_descending.Length && _descending[field];

    /// <summary>The collation of field <paramref name="field"/> (BINARY past <see cref="FieldCount"/>).</summary>
    public Collation CollationOf(int field) =>
        _collations != null && (uint)field < (uint)_collations.Length ? _collations[field] : Collation.Binary;
}
