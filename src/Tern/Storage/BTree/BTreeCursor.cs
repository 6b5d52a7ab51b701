// A cursor over one b-tree: a path of pages from the root to the current entry, and the
// index of the cell (or child slot) taken on each page.
//
//   level 0 (root)   _pages[0], _idx[0] = child slot followed (nCell = right-most child)
//   level 1          _pages[1], _idx[1]
//   ...
//   level _depth     current page; _idx[_depth] = current cell
//
// On a table tree the current entry is always a leaf cell. On an index tree entries
// live in interior cells too, so the cursor may rest on an interior page, at the cell
// between child slots idx and idx+1.
//
// Cursor states:
//
//            seek/first/last ok                 tree changed by another cursor,
//   Invalid ---------------------> Valid ----------------------------------> RequireSeek
//      ^   <---------------------   |  ^  <-------------------------------------  |
//      |     next/prev past end     |  |        restored by seeking the saved key  |
//      +----------------------------+  +-------------------------------------------+
//
// Pages on the path are pinned while the cursor holds them; saving the position lets
// them go.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Tern.Storage.Pager;
using Tern.Storage.Record;

namespace Tern.Storage.BTree;

/// <summary>Where a seek landed relative to the key sought.</summary>
internal enum SeekOp
{
    /// <summary>First entry with key &gt;= the key.</summary>
    GE,
    /// <summary>First entry with key &gt; the key.</summary>
    GT,
    /// <summary>Last entry with key &lt;= the key.</summary>
    LE,
    /// <summary>Last entry with key &lt; the key.</summary>
    LT,
}

internal enum CursorState : byte
{
    Invalid,
    Valid,
    RequireSeek,
    /// <summary>The transaction under the cursor was rolled back: every use fails (SQLite's CURSOR_FAULT).</summary>
    Fault,
}

/// <summary>A position in one b-tree, with navigation, seeks, insert and delete.</summary>
internal sealed partial class BTreeCursor : IDisposable
{
    /// <summary>Deepest tree a cursor follows; deeper trees are corrupt (as in SQLite).</summary>
    public const int MaxDepth = 20;

    private readonly BTree _bt;
    private readonly Page?[] _pages = new Page?[MaxDepth];
    private readonly int[] _idx = new int[MaxDepth];
    private int _depth = -1;
    private CursorState _state;
    private readonly bool _table;
    private readonly KeyInfo? _keyInfo;

    // Saved position (RequireSeek) and the step owed after a delete.
    private long _savedRowId;
    private byte[]? _savedKey;
    private int _savedKeyLength;
    private int _skip;          // +1: Next stays put once; -1: Prev stays put once

    // Current cell, decoded lazily.
    private CellInfo _cell;
    private bool _cellValid;
    private byte[] _payloadBuffer = Array.Empty<byte>();

    // Key being sought in an index tree: either unpacked values or a packed record.
    private Value[]? _seekValues;
    private int _seekValueCount;
    private byte[]? _seekRecord;
    private int _seekRecordLength;
    private int _seekDefault;

    private bool _disposed;

    /// <summary>Opens a cursor on the tree rooted at <paramref name="root"/>; <paramref name="keyInfo"/> null means a table tree.</summary>
    public BTreeCursor(BTree bt, uint root, bool table, KeyInfo? keyInfo = null)
    {
        _bt = bt;
        Root = root;
        _table = table;
        _keyInfo = keyInfo;
        bt.Register(this);
    }

    /// <summary>The root page of the tree.</summary>
    public uint Root { get; }

    /// <summary>Whether the tree is a table (rowid) tree.</summary>
    public bool IsTable => _table;

    /// <summary>Whether the cursor has no current entry (empty tree, or moved past either end).</summary>
    public bool IsEof
    {
        get
        {
            if (_state == CursorState.RequireSeek) Restore();
            ThrowIfFaulted();
            return _state != CursorState.Valid;
        }
    }

    // ------------------------------------------------------------ page path

    private Node Top
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_pages[_depth]!);
    }

    private void ReleaseAll()
    {
        for (int i = 0; i <= _depth; i++)
        {
            if (_pages[i] != null)
            {
                _bt.Pager.Release(_pages[i]!);
                _pages[i] = null;
            }
        }
        _depth = -1;
        _cellValid = false;
    }

    private void ReleaseAbove(int level)
    {
        while (_depth > level)
        {
            _bt.Pager.Release(_pages[_depth]!);
            _pages[_depth] = null;
            _depth--;
        }
        _cellValid = false;
    }

    private void Push(uint child)
    {
        if (_depth + 1 >= MaxDepth) TernException.ThrowCorrupt();
        // A page that is its own ancestor: a cycle (a change would rewrite a page the path still uses).
        for (int i = 0; i <= _depth; i++)
        {
            if (_pages[i]!.Number == child) TernException.ThrowCorrupt();
        }
        Page p = _bt.GetNodePage(child, _table);
        _pages[++_depth] = p;
        var n = new Node(p);
        if (n.CellCount == 0 && n.IsLeaf)
        {
            // Only a root may be an empty leaf.
            TernException.ThrowCorrupt();
        }
        _cellValid = false;
    }

    /// <summary>Puts the cursor on the root page. Returns false when the tree is empty.</summary>
    private bool MoveToRoot()
    {
        ThrowIfFaulted();
        ReleaseAll();
        _skip = 0;
        if (Root == 1 && _bt.Pager.PageCount == 0)
        {
            // A database file with no pages yet: sqlite_schema exists and is empty.
            _state = CursorState.Invalid;
            return false;
        }
        Page root = _bt.GetNodePage(Root, _table);
        _pages[0] = root;
        _depth = 0;
        var n = new Node(root);
        if (n.CellCount == 0)
        {
            if (n.IsLeaf)
            {
                _state = CursorState.Invalid;
                return false;
            }
            // An interior root without cells has only its right-most child.
        }
        _state = CursorState.Valid;
        return true;
    }

    private void MoveToLeftmost()
    {
        while (true)
        {
            Node n = Top;
            if (n.IsLeaf) break;
            _idx[_depth] = 0;
            Push(n.ChildOfSlot(0, _bt.Usable));
        }
        _idx[_depth] = 0;
    }

    private void MoveToRightmost()
    {
        while (true)
        {
            Node n = Top;
            if (n.IsLeaf) break;
            int nCell = n.CellCount;
            _idx[_depth] = nCell;
            Push(n.RightChild);
        }
        _idx[_depth] = Top.CellCount - 1;
    }

    // ------------------------------------------------------------ navigation

    /// <summary>Moves to the first entry. Returns false when the tree is empty.</summary>
    public bool First()
    {
        if (!MoveToRoot()) return false;
        MoveToLeftmost();
        return true;
    }

    /// <summary>Moves to the last entry. Returns false when the tree is empty.</summary>
    public bool Last()
    {
        if (!MoveToRoot()) return false;
        MoveToRightmost();
        return true;
    }

    /// <summary>Moves to the next entry. Returns false (and becomes invalid) past the last one.</summary>
    public bool Next()
    {
        if (_state != CursorState.Valid)
        {
            if (_state == CursorState.Invalid) return false;
            ThrowIfFaulted();
            Restore();
            if (_state != CursorState.Valid) return false;
        }
        if (_skip > 0)
        {
            _skip = 0;
            return true;
        }
        _skip = 0;
        _cellValid = false;
        Node n = Top;
        if (!n.IsLeaf)
        {
            // On an interior index entry: the next entry is the first of the subtree to its right.
            int slot = ++_idx[_depth];
            Push(n.ChildOfSlot(slot, _bt.Usable));
            MoveToLeftmost();
            return true;
        }
        if (++_idx[_depth] < n.CellCount) return true;
        while (true)
        {
            if (_depth == 0)
            {
                ReleaseAll();
                _state = CursorState.Invalid;
                return false;
            }
            _bt.Pager.Release(_pages[_depth]!);
            _pages[_depth--] = null;
            Node parent = Top;
            int slot = _idx[_depth];
            if (slot < parent.CellCount)
            {
                if (!_table) return true;          // the index entry between the two subtrees
                _idx[_depth] = slot + 1;
                Push(parent.ChildOfSlot(slot + 1, _bt.Usable));
                MoveToLeftmost();
                return true;
            }
        }
    }

    /// <summary>Moves to the previous entry. Returns false (and becomes invalid) before the first one.</summary>
    public bool Prev()
    {
        if (_state != CursorState.Valid)
        {
            if (_state == CursorState.Invalid) return false;
            ThrowIfFaulted();
            Restore();
            if (_state != CursorState.Valid) return false;
        }
        if (_skip < 0)
        {
            _skip = 0;
            return true;
        }
        _skip = 0;
        _cellValid = false;
        Node n = Top;
        if (!n.IsLeaf)
        {
            // On an interior index entry: the previous entry is the last of the subtree to its left.
            Push(n.ChildOfSlot(_idx[_depth], _bt.Usable));
            MoveToRightmost();
            return true;
        }
        if (--_idx[_depth] >= 0) return true;
        while (true)
        {
            if (_depth == 0)
            {
                ReleaseAll();
                _state = CursorState.Invalid;
                return false;
            }
            _bt.Pager.Release(_pages[_depth]!);
            _pages[_depth--] = null;
            int slot = _idx[_depth];
            if (slot > 0)
            {
                _idx[_depth] = slot - 1;
                if (!_table) return true;          // the index entry left of the subtree we left
                Push(Top.ChildOfSlot(slot - 1, _bt.Usable));
                MoveToRightmost();
                return true;
            }
        }
    }

    // ------------------------------------------------------------ current entry

    private ref CellInfo Cell
    {
        get
        {
            if (!_cellValid)
            {
                Node n = Top;
                int i = _idx[_depth];
                if ((uint)i >= (uint)n.CellCount) TernException.ThrowCorrupt();
                _cell = _bt.ParseCellAt(n, i);
                _cellValid = true;
            }
            return ref _cell;
        }
    }

    private void RequireValid()
    {
        if (_state == CursorState.RequireSeek) Restore();
        ThrowIfFaulted();
        if (_state != CursorState.Valid) TernException.Throw(ResultCode.Misuse, "cursor has no current entry");
    }

    /// <summary>The rowid of the current entry (table trees).</summary>
    public long RowId
    {
        get
        {
            RequireValid();
            return Cell.RowId;
        }
    }

    /// <summary>The payload size of the current entry.</summary>
    public int PayloadSize
    {
        get
        {
            RequireValid();
            return Cell.PayloadSize;
        }
    }

    /// <summary>
    /// The whole payload of the current entry: a view of the page when it is all local, else
    /// assembled from the overflow chain into a buffer the cursor reuses. Valid until the cursor moves.
    /// </summary>
    public ReadOnlySpan<byte> Payload
    {
        get
        {
            RequireValid();
            ref CellInfo c = ref Cell;
            Node n = Top;
            if (c.Local == c.PayloadSize) return n.Data.AsSpan(c.PayloadOffset, c.Local);
            if (_payloadBuffer.Length < c.PayloadSize) _payloadBuffer = new byte[Math.Max(c.PayloadSize, _payloadBuffer.Length * 2)];
            Span<byte> dest = _payloadBuffer.AsSpan(0, c.PayloadSize);
            _bt.ReadPayload(n, c, dest);
            return dest;
        }
    }

    // ------------------------------------------------------------ seeks

    /// <summary>
    /// Moves to the entry with this rowid or a neighbour. Returns the comparison of the
    /// entry reached with the rowid (0 exact, &lt;0 entry smaller, &gt;0 entry larger), or
    /// null when the tree is empty.
    /// </summary>
    public int? MoveTo(long rowId)
    {
        Debug.Assert(_table);
        if (!MoveToRoot()) return null;
        while (true)
        {
            Node n = Top;
            int nCell = n.CellCount;
            int lo = 0, hi = nCell - 1;
            if (n.IsLeaf)
            {
                while (lo <= hi)
                {
                    int mid = (lo + hi) >> 1;
                    long r = _bt.ReadRowId(n, mid);
                    if (r == rowId)
                    {
                        _idx[_depth] = mid;
                        return 0;
                    }
                    if (r < rowId) lo = mid + 1; else hi = mid - 1;
                }
                if (lo < nCell)
                {
                    _idx[_depth] = lo;
                    return 1;
                }
                _idx[_depth] = nCell - 1;
                return -1;
            }
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                if (_bt.ReadRowId(n, mid) >= rowId) hi = mid - 1; else lo = mid + 1;
            }
            _idx[_depth] = lo;
            Push(n.ChildOfSlot(lo, _bt.Usable));
        }
    }

    /// <summary>Moves to the entry with exactly this rowid; false when there is none.</summary>
    public bool SeekRowId(long rowId) => MoveTo(rowId) == 0;

    /// <summary>Positions on the first/last entry relative to a rowid as <paramref name="op"/> says; false when there is none.</summary>
    public bool Seek(long rowId, SeekOp op)
    {
        int? c = MoveTo(rowId);
        if (c == null) return false;
        return Adjust(c.Value, op);
    }

    /// <summary>Positions relative to an index key given as values (a prefix of the stored records is allowed).</summary>
    public bool Seek(ReadOnlySpan<Value> key, SeekOp op)
    {
        if (_seekValues == null || _seekValues.Length < key.Length) _seekValues = new Value[Math.Max(key.Length, 4)];
        key.CopyTo(_seekValues);
        _seekValueCount = key.Length;
        _seekRecord = null;
        int? c = MoveToKey(op is SeekOp.GE or SeekOp.LT ? -1 : 1);
        if (c == null) return false;
        return Adjust(c.Value, op);
    }

    /// <summary>Positions relative to an index key given as a serialized record.</summary>
    public bool Seek(ReadOnlySpan<byte> keyRecord, SeekOp op)
    {
        SetSeekRecord(keyRecord);
        int? c = MoveToKey(op is SeekOp.GE or SeekOp.LT ? -1 : 1);
        if (c == null) return false;
        return Adjust(c.Value, op);
    }

    /// <summary>Moves to the index entry equal to this record (all its fields), or a neighbour; null when the tree is empty.</summary>
    public int? MoveTo(ReadOnlySpan<byte> keyRecord)
    {
        SetSeekRecord(keyRecord);
        return MoveToKey(0);
    }

    private void SetSeekRecord(ReadOnlySpan<byte> keyRecord)
    {
        if (_seekRecord == null || _seekRecord.Length < keyRecord.Length) _seekRecord = new byte[Math.Max(keyRecord.Length, 64)];
        keyRecord.CopyTo(_seekRecord);
        _seekRecordLength = keyRecord.Length;
    }

    private bool Adjust(int c, SeekOp op)
    {
        // c compares the entry reached with the key (ties already broken by the seek's default).
        switch (op)
        {
            case SeekOp.GE:
            case SeekOp.GT:
                if (c < 0 || (c == 0 && op == SeekOp.GT)) return Next();
                return true;
            default:
                if (c > 0 || (c == 0 && op == SeekOp.LT)) return Prev();
                return true;
        }
    }

    /// <summary>Compares the sought key with an entry's payload: &lt;0 when the key sorts first.</summary>
    private int CompareKey(ReadOnlySpan<byte> entry)
    {
        int c = _seekRecord != null
            ? RecordComparer.Compare(_seekRecord.AsSpan(0, _seekRecordLength), entry, _keyInfo)
            : RecordComparer.Compare(_seekValues.AsSpan(0, _seekValueCount), entry, _keyInfo);
        return c != 0 ? c : _seekDefault;
    }

    /// <summary>
    /// Descends to the entry matching the sought key. <paramref name="whenEqual"/> is what a
    /// tie counts as (0: a match; -1: key sorts before equal entries; +1: after). Returns the
    /// comparison of the entry reached with the key, or null when the tree is empty.
    /// </summary>
    private int? MoveToKey(int whenEqual)
    {
        Debug.Assert(!_table);
        _seekDefault = whenEqual;
        if (!MoveToRoot()) return null;
        while (true)
        {
            Node n = Top;
            int nCell = n.CellCount;
            int lo = 0, hi = nCell - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                int c = CompareKey(EntryPayload(n, mid));
                if (c == 0)
                {
                    _idx[_depth] = mid;
                    _cellValid = false;
                    return 0;
                }
                if (c < 0) hi = mid - 1; else lo = mid + 1;
            }
            if (n.IsLeaf)
            {
                _cellValid = false;
                if (nCell == 0)
                {
                    _idx[_depth] = 0;
                    _state = CursorState.Invalid;
                    return null;
                }
                if (lo < nCell)
                {
                    _idx[_depth] = lo;
                    return 1;
                }
                _idx[_depth] = nCell - 1;
                return -1;
            }
            _idx[_depth] = lo;
            Push(n.ChildOfSlot(lo, _bt.Usable));
        }
    }

    /// <summary>The full payload of cell <paramref name="i"/> of a node, assembled when it overflows.</summary>
    private ReadOnlySpan<byte> EntryPayload(in Node n, int i)
    {
        CellInfo c = _bt.ParseCellAt(n, i);
        if (c.Local == c.PayloadSize) return n.Data.AsSpan(c.PayloadOffset, c.Local);
        if (_payloadBuffer.Length < c.PayloadSize) _payloadBuffer = new byte[Math.Max(c.PayloadSize, _payloadBuffer.Length * 2)];
        Span<byte> dest = _payloadBuffer.AsSpan(0, c.PayloadSize);
        _bt.ReadPayload(n, c, dest);
        return dest;
    }

    // ------------------------------------------------------------ saving and restoring

    /// <summary>Remembers the current key and releases the path (another cursor is about to change the tree).</summary>
    internal void SavePosition()
    {
        if (_state != CursorState.Valid)
        {
            ReleaseAll();
            return;
        }
        SaveKey();
        ReleaseAll();
        _state = CursorState.RequireSeek;
    }

    private void SaveKey()
    {
        if (_table)
        {
            _savedRowId = Cell.RowId;
            return;
        }
        ReadOnlySpan<byte> key = Payload;
        if (_savedKey == null || _savedKey.Length < key.Length) _savedKey = new byte[Math.Max(key.Length, 64)];
        key.CopyTo(_savedKey);
        _savedKeyLength = key.Length;
    }

    /// <summary>Finds the saved key again; when it is gone the cursor rests on a neighbour and the next step is adjusted.</summary>
    private void Restore()
    {
        int skip = _skip;
        int? c = _table ? MoveTo(_savedRowId) : MoveTo(_savedKey.AsSpan(0, _savedKeyLength));
        if (c == null)
        {
            _state = CursorState.Invalid;
            return;
        }
        _state = CursorState.Valid;
        // Landing on a larger entry means Next must not step; on a smaller one, Prev must not.
        _skip = c.Value > 0 ? 1 : c.Value < 0 ? -1 : skip;
    }

    /// <summary>
    /// The transaction under the cursor is gone (rolled back, or a failed commit): the cursor
    /// lets go of its pages and fails every later use with SQLITE_ABORT_ROLLBACK, as SQLite's
    /// tripped cursors do, rather than look like the end of the tree.
    /// </summary>
    internal void Trip()
    {
        ReleaseAll();
        _state = CursorState.Fault;
    }

    private void ThrowIfFaulted()
    {
        if (_state == CursorState.Fault) TernException.Throw(ResultCode.AbortRollback, "abort due to ROLLBACK");
    }

    /// <summary>Counts the entries of the tree without moving the cursor.</summary>
    public long Count()
    {
        long count = 0;
        // A corrupt file can make subtrees share pages (a DAG), which a plain walk would count
        // again and again, exponentially in the depth: every page may be visited once.
        var visited = new VisitedPages(_bt.Pager.PageCount);
        CountSubtree(Root, 0, visited, ref count);
        return count;
    }

    private void CountSubtree(uint pgno, int depth, VisitedPages visited, ref long count)
    {
        if (depth >= MaxDepth) TernException.ThrowCorrupt();
        visited.Add(pgno);
        Page p = _bt.GetNodePage(pgno, _table);
        try
        {
            var n = new Node(p);
            int nCell = n.CellCount;
            if (n.IsLeaf)
            {
                count += nCell;
                return;
            }
            if (!_table) count += nCell;
            for (int i = 0; i <= nCell; i++) CountSubtree(n.ChildOfSlot(i, _bt.Usable), depth + 1, visited, ref count);
        }
        finally
        {
            _bt.Pager.Release(p);
        }
    }

    /// <summary>Closes the cursor.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ReleaseAll();
        _bt.Unregister(this);
    }
}
