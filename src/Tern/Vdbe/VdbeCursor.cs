// A cursor as the VM sees it: a b-tree cursor (table or index), an in-memory ephemeral
// index (sorted records, used for DISTINCT and IN lists), a sorter (records collected,
// then sorted once, for ORDER BY and GROUP BY), or a pseudo cursor over one record held
// in a register. Column reads go through Record(), which gives the current record's
// bytes whatever the kind.
//
//   kind        rows come from                  navigation
//   Table       BTreeCursor (rowid tree)        Rewind/Next/SeekRowid/...
//   Index       BTreeCursor (index tree)        Rewind/Next/SeekGE.../IdxGE...
//   Ephemeral   List<byte[]> kept sorted        Rewind/Next/Found/NotFound
//   Sorter      List<byte[]> sorted at Sort     SorterSort/SorterNext
//   Pseudo      the record in a register        (none)
using Tern.Storage.BTree;
using Tern.Storage.Record;

namespace Tern.Vdbe;

internal enum CursorKind : byte
{
    Table,
    Index,
    Ephemeral,
    Sorter,
    Pseudo,
}

/// <summary>A VM cursor.</summary>
internal sealed class VdbeCursor
{
    public CursorKind Kind;
    public BTreeCursor? BTree;
    public KeyInfo? KeyInfo;
    public List<byte[]>? Rows;
    public int Position;
    public int PseudoRegister;
    public bool NullRow;
    /// <summary>Whether the b-tree cursor has a current row (EOF otherwise).</summary>
    public bool Valid;

    public bool IsBTree => Kind is CursorKind.Table or CursorKind.Index;

    public int Compare(byte[] a, byte[] b) => RecordComparer.Compare(a, b, KeyInfo);

    /// <summary>
    /// Sorts a sorter's rows by its key fields only, rows with equal keys keeping the order
    /// they were added in (as SQLite's merge sorter does); without key fields, by whole records.
    /// </summary>
    public void SortStable()
    {
        int keys = KeyInfo?.FieldCount ?? 0;
        if (keys == 0)
        {
            Rows!.Sort(Compare);
            return;
        }
        var keyed = new (byte[] Row, int Seq)[Rows!.Count];
        for (int i = 0; i < keyed.Length; i++) keyed[i] = (Rows[i], i);
        KeyInfo info = KeyInfo!;
        Array.Sort(keyed, (x, y) =>
        {
            int c = RecordComparer.Compare(x.Row, y.Row, info, keys);
            return c != 0 ? c : x.Seq.CompareTo(y.Seq);
        });
        for (int i = 0; i < keyed.Length; i++) Rows[i] = keyed[i].Row;
    }

    /// <summary>
    /// Inserts into the ephemeral index in order; a record equal to one already there replaces
    /// it (as inserting an equal key into a b-tree does), so under NOCASE the last spelling stays.
    /// </summary>
    public void EphemeralInsert(byte[] record)
    {
        int lo = 0, hi = Rows!.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            int c = Compare(Rows[mid], record);
            if (c == 0)
            {
                Rows[mid] = record;
                return;
            }
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        Rows.Insert(lo, record);
    }

    /// <summary>Whether the ephemeral index holds an entry equal to the record (over the record's fields).</summary>
    public bool EphemeralFind(ReadOnlySpan<byte> record)
    {
        int lo = 0, hi = Rows!.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            int c = RecordComparer.Compare(Rows[mid], record, KeyInfo);
            if (c == 0) return true;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return false;
    }

    /// <summary>Removes the ephemeral entry equal to the record, if there is one.</summary>
    public void EphemeralDelete(byte[] record)
    {
        int lo = 0, hi = Rows!.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            int c = Compare(Rows[mid], record);
            if (c == 0)
            {
                Rows.RemoveAt(mid);
                return;
            }
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
    }

    public void Close()
    {
        BTree?.Dispose();
        BTree = null;
        Rows = null;
    }
}
