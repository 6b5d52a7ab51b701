// The storage layer's integrity check (what PRAGMA integrity_check runs below the SQL
// level). It walks the freelist and every b-tree from the given roots and reports, in
// SQLite's wording where SQLite has one:
//   - pages out of range, referenced twice, or never used;
//   - freelist trunk/leaf structure and the header's free-page count;
//   - for each tree page: a valid header, cells inside the page, cells and freeblocks
//     not overlapping, the fragment count, equal depth of all leaves;
//   - keys in order (rowids strictly increasing and within their parents' dividers;
//     index records strictly increasing in-order);
//   - overflow chains of the right length;
//   - in auto-vacuum databases, every pointer-map entry.
using System.Buffers.Binary;
using Tern.Storage.Pager;
using Tern.Storage.Record;

namespace Tern.Storage.BTree;

/// <summary>Checks the structure of a database's b-trees and freelist.</summary>
internal sealed class IntegrityChecker
{
    private readonly BTree _bt;
    private readonly List<string> _errors = new();
    private readonly int _maxErrors;
    private bool[] _seen = Array.Empty<bool>();
    private uint _pageCount;
    private byte[]? _lastIndexKey;
    private int _lastIndexKeyLength;
    private string _context = "";
    private IReadOnlyDictionary<uint, KeyInfo>? _keys;
    private KeyInfo? _currentKey;

    public IntegrityChecker(BTree bt, int maxErrors = 100)
    {
        _bt = bt;
        _maxErrors = maxErrors;
    }

    /// <summary>Checks the trees with these roots (table or index) and the freelist. Empty result: ok.</summary>
    public List<string> Check(IEnumerable<(uint Root, bool IsTable)> roots, IReadOnlyDictionary<uint, KeyInfo>? keys = null)
    {
        _keys = keys;
        bool started = _bt.Pager.State == PagerState.Open;
        if (started) _bt.BeginRead();
        try
        {
            _pageCount = _bt.Pager.PageCount;
            _seen = new bool[_pageCount + 1];
            if (_pageCount == 0) return _errors;
            uint pending = _bt.Pager.PendingBytePage;
            if (pending <= _pageCount) _seen[pending] = true;
            CheckFreelist();
            uint maxRoot = 0;
            var list = roots.ToList();
            if (!list.Any(r => r.Root == 1)) list.Insert(0, (1, true));
            foreach ((uint root, bool table) in list)
            {
                if (_errors.Count >= _maxErrors) break;
                if (root == 0) continue;
                maxRoot = Math.Max(maxRoot, root);
                if (_bt.AutoVacuum && root > 1) CheckPtrmap(root, PtrmapType.RootPage, 0);
                _currentKey = _keys != null && _keys.TryGetValue(root, out KeyInfo? ki) ? ki : null;
                _lastIndexKey = null;
                _context = "";
                try
                {
                    CheckTreePage(root, table, 0, false, 0, long.MaxValue, out _);
                }
                catch (TernException e)
                {
                    Add($"Tree {root}: {e.Message}");
                }
            }
            if (_bt.AutoVacuum)
            {
                uint header = _bt.GetMeta(DatabaseHeader.LargestRootPageOffset);
                if (maxRoot > header) Add($"max rootpage ({maxRoot}) disagrees with header ({header})");
            }
            for (uint p = 1; p <= _pageCount && _errors.Count < _maxErrors; p++)
            {
                bool isMap = _bt.AutoVacuum && _bt.IsPtrmapPage(p);
                if (!_seen[p] && !isMap) Add($"Page {p}: never used");
                else if (_seen[p] && isMap && p != pending) Add($"Page {p}: pointer map referenced");
            }
            return _errors;
        }
        finally
        {
            if (started) _bt.EndRead();
        }
    }

    private void Add(string message)
    {
        if (_errors.Count < _maxErrors) _errors.Add(_context + message);
    }

    /// <summary>Marks a page as used; false (with an error) when it is out of range or already used.</summary>
    private bool CheckRef(uint pgno)
    {
        if (pgno == 0 || pgno > _pageCount)
        {
            Add($"invalid page number {pgno}");
            return false;
        }
        if (_seen[pgno])
        {
            Add($"2nd reference to page {pgno}");
            return false;
        }
        _seen[pgno] = true;
        return true;
    }

    private void CheckPtrmap(uint child, byte type, uint parent)
    {
        (byte t, uint p) entry;
        try
        {
            entry = _bt.PtrmapGet(child);
        }
        catch (TernException)
        {
            Add($"Failed to read ptrmap key={child}");
            return;
        }
        if (entry.t != type || entry.p != parent)
            Add($"Bad ptr map entry key={child} expected=({type},{parent}) got=({entry.t},{entry.p})");
    }

    private void CheckFreelist()
    {
        uint trunk = _bt.GetMeta(DatabaseHeader.FirstFreelistTrunkOffset);
        uint expected = _bt.GetMeta(DatabaseHeader.FreelistCountOffset);
        uint found = 0;
        _context = "Freelist: ";
        while (trunk != 0 && _errors.Count < _maxErrors)
        {
            if (!CheckRef(trunk)) break;
            found++;
            if (_bt.AutoVacuum) CheckPtrmap(trunk, PtrmapType.FreePage, 0);
            Page t = _bt.Pager.Get(trunk);
            try
            {
                uint leaves = BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(4));
                if (leaves > (uint)(_bt.Usable / 4 - 2))
                {
                    Add($"freelist leaf count too big on page {trunk}");
                    break;
                }
                for (int i = 0; i < leaves; i++)
                {
                    uint leaf = BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(8 + 4 * i));
                    if (CheckRef(leaf) && _bt.AutoVacuum) CheckPtrmap(leaf, PtrmapType.FreePage, 0);
                    found++;
                }
                trunk = BinaryPrimitives.ReadUInt32BigEndian(t.Data);
            }
            finally
            {
                _bt.Pager.Release(t);
            }
        }
        _context = "";
        if (found != expected) Add($"Freelist: size is {found} but should be {expected}");
    }

    /// <summary>
    /// Checks one tree page and its subtree. Table rowids must lie in (lo, hi]. Returns the
    /// depth of the subtree (leaves are depth 0) through <paramref name="height"/>.
    /// </summary>
    private void CheckTreePage(uint pgno, bool table, int depth, bool hasLo, long lo, long hi, out int height)
    {
        height = 0;
        if (depth > BTreeCursor.MaxDepth)
        {
            Add($"Page {pgno}: tree too deep");
            return;
        }
        if (!CheckRef(pgno)) return;
        Page page = _bt.Pager.Get(pgno);
        try
        {
            var n = new Node(page);
            string saved = _context;
            _context = $"On tree page {pgno} ";
            if (!_bt.CheckNodeHeader(n, table))
            {
                Add("btreeInitPage() returns error code 11");
                _context = saved;
                return;
            }
            int nCell = n.CellCount;
            int usable = _bt.Usable;
            var spans = new List<(int Start, int End)>(nCell + 4);
            int childHeight = -1;
            long prevKey = lo;
            bool hasPrev = hasLo;
            for (int i = 0; i < nCell && _errors.Count < _maxErrors; i++)
            {
                int off = n.CellOffset(i);
                string cellCtx = $"On tree page {pgno} cell {i}: ";
                _context = cellCtx;
                if (off < n.CellArray + 2 * nCell || off > usable - 4)
                {
                    Add($"Offset {off} out of range {n.CellArray + 2 * nCell}..{usable - 4}");
                    continue;
                }
                CellInfo c;
                try
                {
                    c = _bt.ParseCell(n, off);
                }
                catch (TernException)
                {
                    Add("Extends off end of page");
                    continue;
                }
                spans.Add((off, off + c.Size));
                if (!n.IsLeaf)
                {
                    long childHi = table ? c.RowId : hi;
                    if (table && (hasPrev && c.RowId <= prevKey || c.RowId > hi)) Add($"Rowid {c.RowId} out of order");
                    if (_bt.AutoVacuum) CheckPtrmap(c.Child, PtrmapType.BTree, pgno);
                    CheckTreePage(c.Child, table, depth + 1, hasPrev, prevKey, childHi, out int h);
                    _context = cellCtx;
                    if (childHeight >= 0 && h != childHeight) Add("Child page depth differs");
                    childHeight = h;
                    if (table)
                    {
                        prevKey = c.RowId;
                        hasPrev = true;
                    }
                }
                else if (table)
                {
                    if (hasPrev && c.RowId <= prevKey || c.RowId > hi) Add($"Rowid {c.RowId} out of order");
                    prevKey = c.RowId;
                    hasPrev = true;
                }
                if (!table)
                {
                    CheckIndexOrder(n, c);
                }
                if (c.Overflow != 0) CheckOverflow(pgno, c);
            }
            if (!n.IsLeaf)
            {
                uint right = n.RightChild;
                _context = $"On page {pgno} at right child: ";
                if (_bt.AutoVacuum) CheckPtrmap(right, PtrmapType.BTree, pgno);
                CheckTreePage(right, table, depth + 1, hasPrev, prevKey, hi, out int h);
                if (childHeight >= 0 && h != childHeight) Add("Child page depth differs");
                childHeight = h;
                height = childHeight + 1;
            }
            _context = $"On tree page {pgno}: ";
            CheckSpace(n, spans, pgno);
            _context = saved;
        }
        finally
        {
            _bt.Pager.Release(page);
        }
    }

    /// <summary>In-order index entries must be strictly increasing.</summary>
    private void CheckIndexOrder(in Node n, in CellInfo c)
    {
        byte[] key = new byte[c.PayloadSize];
        try
        {
            _bt.ReadPayload(n, c, key);
            if (_lastIndexKey != null)
            {
                int cmp = RecordComparer.Compare(_lastIndexKey.AsSpan(0, _lastIndexKeyLength), key, _currentKey);
                if (cmp >= 0) Add("Index entries out of order");
            }
            _lastIndexKey = key;
            _lastIndexKeyLength = key.Length;
        }
        catch (TernException)
        {
            Add("Corrupt index record");
        }
    }

    private void CheckOverflow(uint cellPage, in CellInfo c)
    {
        int expected = _bt.OverflowPageCount(c);
        uint next = c.Overflow;
        uint parent = cellPage;
        byte type = PtrmapType.Overflow1;
        for (int i = 0; i < expected; i++)
        {
            if (next == 0)
            {
                Add($"overflow list length is {i} but should be {expected}");
                return;
            }
            if (_bt.AutoVacuum) CheckPtrmap(next, type, parent);
            if (!CheckRef(next)) return;
            Page p = _bt.Pager.Get(next);
            uint after;
            try { after = BinaryPrimitives.ReadUInt32BigEndian(p.Data); }
            finally { _bt.Pager.Release(p); }
            parent = next;
            type = PtrmapType.Overflow2;
            if (i == expected - 1 && after != 0) Add($"extends past end of overflow list (page {after})");
            next = after;
        }
    }

    /// <summary>Cells and freeblocks must not overlap; what is left over must equal the fragment count.</summary>
    private void CheckSpace(in Node n, List<(int Start, int End)> spans, uint pgno)
    {
        int usable = _bt.Usable;
        int content = n.ContentStart;
        int block = n.FirstFreeblock;
        int prev = 0;
        int guard = 0;
        while (block != 0)
        {
            if (block <= prev || block + 4 > usable || guard++ > usable / 4)
            {
                Add($"Freeblock at {block} out of order or out of range");
                return;
            }
            int size = (n.Data[block + 2] << 8) | n.Data[block + 3];
            if (block + size > usable)
            {
                Add($"Freeblock at {block} extends off end of page");
                return;
            }
            spans.Add((block, block + size));
            prev = block;
            block = (n.Data[block] << 8) | n.Data[block + 1];
        }
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        int covered = 0;
        int last = content;
        foreach ((int start, int end) in spans)
        {
            if (start < last)
            {
                Add($"Multiple uses for byte {start} of page {pgno}");
                return;
            }
            covered += end - start;
            last = end;
        }
        int frag = usable - content - covered;
        if (frag != n.Fragmented) Add($"Fragmentation of {frag} bytes reported as {n.Fragmented} on page {pgno}");
    }
}
