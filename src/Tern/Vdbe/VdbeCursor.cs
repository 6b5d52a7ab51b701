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
//               (past 2048 entries: an EphemeralTree, a b-tree in a temporary file)
//   Sorter      List<byte[]> sorted at Sort     SorterSort/SorterNext
//               (past its memory limit: sorted runs in a temporary file, merged at Sort)
//   Sorter as   SorterQueue: FIFO, or smallest  Rewind (next row current)/Delete (take it)
//     queue     key first (ties in arrival order)   (past the limit: runs in a temporary file)
//   Pseudo      the record in a register        (none)
//   Function    a table-valued function's rows  VFilter/Next (values, not records)
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
    Function,
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

    /// <summary>For a table-valued function: the rows still to come, and the current one.</summary>
    public IEnumerator<Mem[]>? FunctionRows;
    public Mem[]? FunctionRow;
    /// <summary>How many rows the function cursor has moved to (the current one's index + 1).</summary>
    public long FunctionRowCount;
    public Functions.TableValuedFunction? Function;

    /// <summary>A table-valued function cursor moves to its next row; false past the last.</summary>
    public bool FunctionNext()
    {
        if (FunctionRows != null && FunctionRows.MoveNext())
        {
            FunctionRow = FunctionRows.Current;
            FunctionRowCount++;
            return true;
        }
        FunctionRows?.Dispose();
        FunctionRows = null;
        FunctionRow = null;
        return false;
    }

    // ---- sorter rows past the memory limit (see SorterSpill.cs)

    /// <summary>For a sorter with key fields: the bytes of rows held in memory past which they spill (0: never).</summary>
    public long SpillLimit;
    /// <summary>Where a sorter's runs and a large ephemeral index's b-tree go (the database's file system).</summary>
    public Storage.Io.TempFiles? TempFiles;
    private long _memoryBytes;
    private SorterSpill? _spill;
    private SorterSpill.Merge? _merge;

    /// <summary>Adds a record to a sorter, spilling the rows in memory as a sorted run when they pass the limit.</summary>
    public void SorterAdd(byte[] record)
    {
        Rows!.Add(record);
        if (SpillLimit <= 0 || (KeyInfo?.FieldCount ?? 0) == 0) return;
        _memoryBytes += record.Length + 32;
        if (_memoryBytes > SpillLimit) SpillRun();
    }

    private void SpillRun()
    {
        SortStable();
        _spill ??= new SorterSpill(TempFiles!);
        _spill.WriteRun(Rows!);
        Rows!.Clear();
        _memoryBytes = 0;
    }

    /// <summary>Sorts the rows and moves to the first; false when there are none.</summary>
    public bool SorterSort()
    {
        if (_spill == null)
        {
            SortStable();
            Position = 0;
            return Rows!.Count > 0;
        }
        if (Rows!.Count > 0) SpillRun();
        _merge = _spill.OpenMerge(KeyInfo!, KeyInfo!.FieldCount);
        return _merge.MoveNext();
    }

    /// <summary>Moves to the next sorted row; false past the last.</summary>
    public bool SorterNext() => _merge != null ? _merge.MoveNext() : ++Position < Rows!.Count;

    /// <summary>For a sorter opened as a queue (a recursive CTE's rows to visit): the queue; else null.</summary>
    public SorterQueue? Queue;

    /// <summary>The record a sorter, ephemeral or list cursor is on.</summary>
    public byte[] CurrentRow => Queue != null ? Queue.Current : _merge != null ? _merge.Current : Rows![Position];

    /// <summary>Rows held (in memory, spilled, or in the ephemeral b-tree).</summary>
    public long RowCount => Tree != null ? Tree.Cursor.Count() : Rows!.Count + (_spill?.RowCount ?? 0);

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
        if (Tree != null)
        {
            Tree.Insert(record);
            return;
        }
        InsertSorted(record);
        if (Rows!.Count > MaxListEntries)
        {
            // Grown past a small list: move into a b-tree in a temporary file.
            Tree = new EphemeralTree(TempFiles!, KeyInfo, SpillLimit > 0 ? SpillLimit : long.MaxValue);
            foreach (byte[] row in Rows) Tree.Insert(row);
            Rows.Clear();
        }
    }

    /// <summary>Entries an ephemeral index keeps as a sorted list before it becomes a b-tree.</summary>
    private const int MaxListEntries = 2048;

    /// <summary>For an ephemeral index grown large: the b-tree holding it (Rows is then empty).</summary>
    public EphemeralTree? Tree;

    private void InsertSorted(byte[] record)
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
        if (Tree != null) return Tree.Find(record);
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
        if (Tree != null)
        {
            Tree.Delete(record);
            return;
        }
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

    /// <summary>An index cursor over a transient b-tree of the statement's own (<see cref="Tree"/>), not the database.</summary>
    public bool Transient;

    public void Close()
    {
        if (Transient) BTree = null; // the tree's own cursor, disposed with the tree below
        BTree?.Dispose();
        BTree = null;
        Rows = null;
        _merge = null;
        _spill?.Dispose();
        _spill = null;
        Queue?.Dispose();
        Queue = null;
        Tree?.Dispose();
        Tree = null;
        FunctionRows?.Dispose();
        FunctionRows = null;
        FunctionRow = null;
    }
}
