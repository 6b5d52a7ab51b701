// The sort order of an index's key fields, as RecordComparer needs it (SQLite's KeyInfo).
// Today it says, per field, whether the field sorts DESC; every field compares text with the
// BINARY collation. When collations arrive, this is where the per-field collation goes
// (SQLite's KeyInfo.aColl), and RecordComparer.CompareText is the one place that consults it.
namespace Tern.Storage.Record;

/// <summary>The per-field sort order of index keys: ascending or descending, BINARY collation.</summary>
internal sealed class KeyInfo
{
    private readonly bool[] _descending;

    /// <summary>Key fields that all sort ascending.</summary>
    /// <param name="fieldCount">The number of key fields.</param>
    public KeyInfo(int fieldCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fieldCount);
        _descending = new bool[fieldCount];
    }

    /// <summary>Key fields with the given orders: <c>true</c> for DESC.</summary>
    /// <param name="descending">Per field, whether it sorts descending (copied).</param>
    public KeyInfo(params ReadOnlySpan<bool> descending)
    {
        _descending = descending.ToArray();
    }

    /// <summary>The number of key fields this describes. Fields past it sort ascending.</summary>
    public int FieldCount => _descending.Length;

    /// <summary>Per field, whether it sorts descending.</summary>
    public ReadOnlySpan<bool> Descending => _descending;

    /// <summary>Whether field <paramref name="field"/> sorts descending (false past <see cref="FieldCount"/>).</summary>
    public bool IsDescending(int field) => (uint)field < (uint)_descending.Length && _descending[field];
}
