// Changing a tree through a cursor: insert (or replace) an entry, delete the current
// entry. The common case changes one page in place; when a page overflows or becomes
// too empty, BTreeCursor.Balance.cs redistributes cells among siblings.
//
// After a change that balanced the tree the cursor's path is stale: it keeps the key it
// was on and finds it again when next used (RequireSeek). After Delete the cursor rests
// on the deleted entry's neighbour so that Next/Prev continue from there.
using System.Buffers.Binary;
using System.Diagnostics;
using Tern.Storage.Pager;
using Tern.Storage.Record;

namespace Tern.Storage.BTree;

internal sealed partial class BTreeCursor
{
    private byte[] _cellBuffer = Array.Empty<byte>();

    private Span<byte> CellBuffer
    {
        get
        {
            int need = _bt.Pager.PageSize + 32;
            if (_cellBuffer.Length < need) _cellBuffer = new byte[need];
            return _cellBuffer;
        }
    }

    /// <summary>Inserts a row into a table tree, replacing the row with the same rowid if there is one.</summary>
    public void Insert(long rowId, ReadOnlySpan<byte> payload)
    {
        if (!_table) TernException.Throw(ResultCode.Misuse, "rowid insert into an index tree");
        if (!_bt.InWriteTransaction) TernException.Throw(ResultCode.ReadOnly);
        _bt.SaveAllCursors(this, Root);
        _bt.ResetArena();
        int c;
        if (!IsAppendPosition(rowId))
        {
            int? r = MoveTo(rowId);
            if (r == null)
            {
                // Empty tree: the root is an empty leaf.
                _idx[0] = 0;
                c = 1;
            }
            else
            {
                c = r.Value;
            }
        }
        else
        {
            c = -1;
        }
        Node leaf = Top;
        int idx = _idx[_depth];
        _bt.Pager.MakeWritable(leaf.Page);
        if (c == 0)
        {
            CellInfo old = _bt.ParseCellAt(leaf, idx);
            if (old.Overflow != 0) _bt.FreeOverflow(old);
            _bt.DropCell(leaf, idx, old.Size);
        }
        else if (c < 0)
        {
            idx++;
        }
        Span<byte> cell = CellBuffer;
        int len = _bt.BuildLeafCell(true, rowId, payload, cell, leaf.Number);
        PlaceLeafCell(idx, cell[..len]);
        _savedRowId = rowId;
    }

    /// <summary>Whether the cursor sits on the last entry of the tree and the new rowid goes after it (sequential inserts skip the seek).</summary>
    private bool IsAppendPosition(long rowId)
    {
        if (_state != CursorState.Valid || _depth < 0) return false;
        Node n = Top;
        if (!n.IsLeaf || _idx[_depth] != n.CellCount - 1) return false;
        for (int d = 0; d < _depth; d++)
        {
            if (_idx[d] != new Node(_pages[d]!).CellCount) return false;
        }
        return _bt.ReadRowId(n, _idx[_depth]) < rowId;
    }

    /// <summary>Inserts a record into an index tree (an identical entry is replaced).</summary>
    public void Insert(ReadOnlySpan<byte> record)
    {
        if (_table) TernException.Throw(ResultCode.Misuse, "record insert into a table tree");
        if (!_bt.InWriteTransaction) TernException.Throw(ResultCode.ReadOnly);
        _bt.SaveAllCursors(this, Root);
        _bt.ResetArena();
        int? r = MoveTo(record);
        int c;
        if (r == null)
        {
            _idx[0] = 0;
            c = 1;
        }
        else
        {
            c = r.Value;
        }
        Node n = Top;
        int idx = _idx[_depth];
        if (c == 0)
        {
            // The same key is already there: replace its cell (it may be on an interior page).
            _bt.Pager.MakeWritable(n.Page);
            CellInfo old = _bt.ParseCellAt(n, idx);
            if (old.Overflow != 0) _bt.FreeOverflow(old);
            _bt.DropCell(n, idx, old.Size);
            Span<byte> buf = CellBuffer;
            int off = n.IsLeaf ? 0 : 4;
            if (!n.IsLeaf) BinaryPrimitives.WriteUInt32BigEndian(buf, old.Child);
            int len = off + _bt.BuildLeafCell(false, 0, record, buf[off..], n.Number);
            if (n.IsLeaf) PlaceLeafCell(idx, buf[..len]);
            else PlaceInteriorCell(idx, buf[..len]);
        }
        else
        {
            _bt.Pager.MakeWritable(n.Page);
            if (c < 0) idx++;
            Span<byte> cell = CellBuffer;
            int len = _bt.BuildLeafCell(false, 0, record, cell, n.Number);
            PlaceLeafCell(idx, cell[..len]);
        }
        SaveIndexKey(record);
    }

    /// <summary>
    /// Appends a record after the last entry of an index tree, without comparing keys: the
    /// caller guarantees it sorts after every entry there (VACUUM copies a tree in order).
    /// </summary>
    public void AppendIndexEntry(ReadOnlySpan<byte> record)
    {
        if (_table) TernException.Throw(ResultCode.Misuse, "record insert into a table tree");
        if (!_bt.InWriteTransaction) TernException.Throw(ResultCode.ReadOnly);
        _bt.SaveAllCursors(this, Root);
        _bt.ResetArena();
        // An empty tree leaves the cursor on its root (an empty leaf) with no entry.
        int idx = Last() ? _idx[_depth] + 1 : 0;
        if (idx == 0) _idx[0] = 0;
        Node n = Top;
        Debug.Assert(n.IsLeaf);
        _bt.Pager.MakeWritable(n.Page);
        Span<byte> cell = CellBuffer;
        int len = _bt.BuildLeafCell(false, 0, record, cell, n.Number);
        PlaceLeafCell(idx, cell[..len]);
        SaveIndexKey(record);
    }

    private void SaveIndexKey(ReadOnlySpan<byte> record)
    {
        if (_savedKey == null || _savedKey.Length < record.Length) _savedKey = new byte[Math.Max(record.Length, 64)];
        record.CopyTo(_savedKey);
        _savedKeyLength = record.Length;
    }

    /// <summary>Puts a cell into the current leaf at <paramref name="idx"/>, balancing when it does not fit.</summary>
    private void PlaceLeafCell(int idx, ReadOnlySpan<byte> cell)
    {
        Node leaf = Top;
        if (_bt.TryInsertCell(leaf, idx, cell))
        {
            _idx[_depth] = idx;
            _cellValid = false;
            _state = CursorState.Valid;
            _skip = 0;
            return;
        }
        BalanceInsert(idx, _bt.CopyToArena(cell));
    }

    /// <summary>Puts a cell into the interior page on top of the path at <paramref name="idx"/>, balancing when it does not fit.</summary>
    private void PlaceInteriorCell(int idx, ReadOnlySpan<byte> cell)
    {
        Node n = Top;
        if (_bt.TryInsertCell(n, idx, cell))
        {
            CellInfo ci = _bt.ParseCellAt(n, idx);
            if (ci.Overflow != 0) _bt.PtrmapPut(ci.Overflow, PtrmapType.Overflow1, n.Number);
            _idx[_depth] = idx;
            _cellValid = false;
            _state = CursorState.Valid;
            _skip = 0;
            return;
        }
        List<CellRef> cells = _bt.RentCellList();
        _bt.ReadCells(n, cells);
        cells.Insert(idx, _bt.CopyToArena(cell));
        BalanceLevel(_depth, cells, n.RightChild);
        FinishBalance();
    }

    /// <summary>Deletes the current entry. The cursor then rests so that Next/Prev reach its neighbours.</summary>
    public void Delete()
    {
        if (!_bt.InWriteTransaction) TernException.Throw(ResultCode.ReadOnly);
        RequireValid();
        _bt.SaveAllCursors(this, Root);
        _bt.ResetArena();
        SaveKey();
        Node n = Top;
        if (n.IsLeaf)
        {
            int idx = _idx[_depth];
            CellInfo c = _bt.ParseCellAt(n, idx);
            if (c.Overflow != 0) _bt.FreeOverflow(c);
            DropFromLeaf(idx, c.Size);
        }
        else
        {
            DeleteInteriorEntry();
        }
        ReleaseAll();
        _state = CursorState.RequireSeek;
        _skip = 0;
    }

    /// <summary>Removes cell <paramref name="idx"/> from the leaf on top of the path and rebalances an underfull page.</summary>
    private void DropFromLeaf(int idx, int size)
    {
        Node leaf = Top;
        _bt.Pager.MakeWritable(leaf.Page);
        _bt.DropCell(leaf, idx, size);
        if (_depth > 0 && IsUnderfull(leaf))
        {
            List<CellRef> cells = _bt.RentCellList();
            _bt.ReadCells(leaf, cells);
            BalanceNonRoot(_depth, cells, 0);
        }
    }

    /// <summary>
    /// Deletes an entry held in an interior cell of an index tree: its in-order predecessor
    /// (the last entry of the subtree to its left, always on a leaf) is removed from its leaf
    /// and takes the deleted entry's place.
    /// </summary>
    private void DeleteInteriorEntry()
    {
        byte[] victim = Payload.ToArray();
        // 1. The predecessor: the right-most entry of the left subtree.
        Node n = Top;
        Push(n.ChildOfSlot(_idx[_depth], _bt.Usable));
        MoveToRightmost();
        Node leaf = Top;
        int li = _idx[_depth];
        CellInfo pc = _bt.ParseCellAt(leaf, li);
        List<CellRef> one = _bt.RentCellList();
        _bt.ReadCells(leaf, one);
        CellRef predCell = one[li];
        // 2. Take it off its leaf (its overflow chain moves with it).
        DropFromLeaf(li, pc.Size);
        // 3. Find the entry being deleted again (balancing may have moved it) and put the predecessor in its place.
        int? r = MoveTo(victim);
        if (r != 0) TernException.ThrowCorrupt();
        Node at = Top;
        int idx = _idx[_depth];
        _bt.Pager.MakeWritable(at.Page);
        CellInfo old = _bt.ParseCellAt(at, idx);
        if (old.Overflow != 0) _bt.FreeOverflow(old);
        _bt.DropCell(at, idx, old.Size);
        if (at.IsLeaf)
        {
            PlaceLeafCell(idx, predCell.Span);
            if (pc.Overflow != 0 && _state == CursorState.Valid) _bt.PtrmapPut(pc.Overflow, PtrmapType.Overflow1, Top.Number);
        }
        else
        {
            CellRef interior = _bt.AllocateCell(predCell.Length + 4);
            BinaryPrimitives.WriteUInt32BigEndian(interior.Span, old.Child);
            predCell.Span.CopyTo(interior.Span[4..]);
            PlaceInteriorCell(idx, interior.Span);
        }
    }

    /// <summary>Whether a non-root page holds so little that it should be merged or refilled (SQLite's rule: over 2/3 free).</summary>
    private bool IsUnderfull(in Node n) => n.CellCount == 0 || _bt.FreeBytes(n) > _bt.Usable * 2 / 3;
}
