// Balancing: keeping every page within its size after an insert or delete.
//
// A page that must hold a list of cells it cannot hold (or that has become mostly
// empty) is redistributed together with up to two siblings under the same parent:
//
//        parent:   ... [d0]      [d1] ...            ... [e0]   [e1]   [e2] ...
//                     /     \        \      ==>          /     |      |       \
//   siblings:     [s0]     [s1]     [s2]              [n0]   [n1]   [n2]     [n3]
//
// All cells of the siblings, with the parent's dividers between them, are laid out in
// order and cut into as few pages as hold them (filled left to right, then evened out
// from the right). On table leaves the dividers are copies of keys (the last rowid of
// the page on the left); elsewhere a divider is a real cell that moves up from, or down
// into, the children. The parent then takes the new dividers and is balanced the same
// way, up to the root. A root that overflows moves its content into a new child and
// becomes an interior page over it ("deeper"); an interior root left without cells takes
// its only child's content when it fits ("shallower"). Appending past the right-most
// leaf of a table just starts a new leaf ("quick"), which keeps sequential inserts dense.
using System.Buffers.Binary;
using Tern.Storage.Pager;
using Tern.Storage.Record;

namespace Tern.Storage.BTree;

internal sealed partial class BTreeCursor
{
    /// <summary>The leaf on top of the path cannot take <paramref name="cell"/> at <paramref name="idx"/>: rebalance.</summary>
    private void BalanceInsert(int idx, CellRef cell)
    {
        Node leaf = Top;
        if (_table && _depth > 0 && idx == leaf.CellCount && leaf.CellCount > 0
            && _idx[_depth - 1] == new Node(_pages[_depth - 1]!).CellCount)
        {
            BalanceQuick(cell);
        }
        else
        {
            List<CellRef> cells = _bt.RentCellList();
            _bt.ReadCells(leaf, cells);
            cells.Insert(idx, cell);
            BalanceLevel(_depth, cells, 0);
        }
        FinishBalance();
    }

    private void FinishBalance()
    {
        ReleaseAll();
        _state = CursorState.RequireSeek;
        _skip = 0;
    }

    /// <summary>Starts a new right-most leaf holding only the appended cell.</summary>
    private void BalanceQuick(CellRef cell)
    {
        Node leaf = Top;
        Node parent = new(_pages[_depth - 1]!);
        Page fresh = _bt.AllocatePage();
        try
        {
            var fn = new Node(fresh);
            List<CellRef> one = _bt.RentCellList();
            one.Add(cell);
            _bt.WriteNode(fn, PageType.LeafTable, one, 0, 1, 0);
            _bt.PtrmapPut(fresh.Number, PtrmapType.BTree, parent.Number);
            _bt.PtrmapUpdateChildren(fn);
            long lastKey = _bt.ReadRowId(leaf, leaf.CellCount - 1);
            CellRef divider = MakeTableDivider(leaf.Number, lastKey);
            _bt.Pager.MakeWritable(parent.Page);
            parent.SetRightChild(fresh.Number);
            if (!_bt.TryInsertCell(parent, parent.CellCount, divider.Span))
            {
                List<CellRef> cells = _bt.RentCellList();
                _bt.ReadCells(parent, cells);
                cells.Add(divider);
                ReleaseAbove(_depth - 1);
                BalanceLevel(_depth, cells, fresh.Number);
            }
        }
        finally
        {
            _bt.Pager.Release(fresh);
        }
    }

    /// <summary>An interior table cell: 4-byte child page, varint rowid (in the arena).</summary>
    private CellRef MakeTableDivider(uint child, long rowId)
    {
        Span<byte> tmp = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(tmp, child);
        int len = 4 + Varint.Write(tmp[4..], (ulong)rowId);
        return _bt.CopyToArena(tmp[..len]);
    }

    private static long RowIdOfLeafCell(CellRef cell)
    {
        ReadOnlySpan<byte> s = cell.Span;
        int p = Varint.Read(s, out _);
        Varint.Read(s[p..], out ulong rid);
        return (long)rid;
    }

    /// <summary>
    /// Makes the page at path level <paramref name="d"/> hold exactly <paramref name="cells"/>
    /// (and <paramref name="rightChild"/> when interior), splitting, merging or changing the
    /// tree's height as needed. The path above <paramref name="d"/> must be valid.
    /// </summary>
    private void BalanceLevel(int d, List<CellRef> cells, uint rightChild)
    {
        Node n = new(_pages[d]!);
        byte flags = n.Flags;
        bool leaf = n.IsLeaf;
        _bt.Pager.MakeWritable(n.Page);
        int need = BTree.SpaceNeeded(cells, 0, cells.Count);
        int cap = _bt.Capacity(n.Hdr, leaf);
        if (d == 0)
        {
            if (need <= cap)
            {
                if (!leaf && cells.Count == 0)
                {
                    BalanceShallower(n, rightChild);
                    return;
                }
                _bt.WriteNode(n, flags, cells, 0, cells.Count, rightChild);
                _bt.PtrmapUpdateChildren(n);
                return;
            }
            // Deeper: the root's content moves into a new child page, the root points to it.
            ReleaseAbove(0);
            Page child = _bt.AllocatePage();
            _bt.PtrmapPut(child.Number, PtrmapType.BTree, n.Number);
            new Node(child).Initialize(flags, _bt.Usable);
            byte interior = leaf ? (_table ? PageType.InteriorTable : PageType.InteriorIndex) : flags;
            n.Initialize(interior, _bt.Usable);
            n.SetRightChild(child.Number);
            _idx[0] = 0;
            _pages[1] = child;
            _depth = 1;
            BalanceNonRoot(1, cells, rightChild);
            return;
        }
        if (need <= cap && cells.Count > 0 && need >= _bt.Usable / 3)
        {
            _bt.WriteNode(n, flags, cells, 0, cells.Count, rightChild);
            _bt.PtrmapUpdateChildren(n);
            return;
        }
        BalanceNonRoot(d, cells, rightChild);
    }

    /// <summary>An interior root without cells: pull its only child up into it when it fits.</summary>
    private void BalanceShallower(in Node root, uint onlyChild)
    {
        Page cp = _bt.GetNodePage(onlyChild, _table);
        bool fits;
        try
        {
            var cn = new Node(cp);
            List<CellRef> cells = _bt.RentCellList();
            _bt.ReadCells(cn, cells);
            fits = BTree.SpaceNeeded(cells, 0, cells.Count) <= _bt.Capacity(root.Hdr, cn.IsLeaf);
            if (fits)
            {
                _bt.WriteNode(root, cn.Flags, cells, 0, cells.Count, cn.IsLeaf ? 0 : cn.RightChild);
                _bt.PtrmapUpdateChildren(root);
            }
            else
            {
                root.Initialize(root.Flags, _bt.Usable);
                root.SetRightChild(onlyChild);
            }
        }
        finally
        {
            _bt.Pager.Release(cp);
        }
        if (fits) _bt.FreePage(onlyChild);
    }

    /// <summary>
    /// Redistributes the cells of the page at level <paramref name="d"/> (given in memory)
    /// and of up to two of its siblings, then balances the parent.
    /// </summary>
    private void BalanceNonRoot(int d, List<CellRef> nodeCells, uint nodeRight)
    {
        BTree bt = _bt;
        Node parent = new(_pages[d - 1]!);
        Node node = new(_pages[d]!);
        byte flags = node.Flags;
        bool leaf = node.IsLeaf;
        int pIdx = _idx[d - 1];
        int nParent = parent.CellCount;
        int nChildren = nParent + 1;
        int m = Math.Min(3, nChildren);
        int first = nChildren <= 3 ? 0 : Math.Clamp(pIdx - 1, 0, nChildren - 3);
        bool consume = !(leaf && _table);

        // The dividers between the siblings, copied before any page changes.
        List<CellRef> oldDividers = bt.RentCellList();
        int oldDividerSpace = 0;
        for (int s = 0; s < m - 1; s++)
        {
            int off = parent.CellOffset(first + s);
            CellInfo ci = bt.ParseCell(parent, off);
            oldDividers.Add(bt.CopyToArena(parent.Data.AsSpan(off, ci.Size)));
            oldDividerSpace += ci.Size + 2;
        }

        // 1. Gather every cell of the siblings, in key order, with the dividers between them.
        List<CellRef> all = bt.RentCellList();
        Span<uint> oldPages = stackalloc uint[3];
        uint finalRight = 0;
        for (int s = 0; s < m; s++)
        {
            int slot = first + s;
            uint pg = parent.ChildOfSlot(slot, bt.Usable);
            // Siblings are distinct pages, and none is the parent or above it (a corrupt file's cycle).
            for (int t = 0; t < s; t++) if (oldPages[t] == pg) TernException.ThrowCorrupt();
            for (int t = 0; t < d; t++) if (_pages[t]!.Number == pg) TernException.ThrowCorrupt();
            oldPages[s] = pg;
            uint rc;
            if (slot == pIdx)
            {
                if (pg != node.Number) TernException.ThrowCorrupt();
                all.AddRange(nodeCells);
                rc = nodeRight;
            }
            else
            {
                Page sp = bt.GetNodePage(pg, _table);
                try
                {
                    var sn = new Node(sp);
                    if (sn.Flags != flags) TernException.ThrowCorrupt();
                    bt.ReadCells(sn, all);
                    rc = leaf ? 0 : sn.RightChild;
                }
                finally
                {
                    bt.Pager.Release(sp);
                }
            }
            if (s < m - 1)
            {
                CellRef div = oldDividers[s];
                if (!leaf)
                {
                    CellRef copy = bt.CopyToArena(div.Span);
                    BinaryPrimitives.WriteUInt32BigEndian(copy.Span, rc);
                    all.Add(copy);
                }
                else if (!_table)
                {
                    all.Add(new CellRef(div.Buffer, div.Offset + 4, div.Length - 4));
                }
            }
            else
            {
                finalRight = rc;
            }
        }

        // 2. Cut the cells into pages: fill left to right, then even out from the right.
        //    cnt[j] cells go to page j; with `consume`, one cell between pages goes up as divider.
        int cap = bt.Capacity(0, leaf);
        int n = all.Count;
        int[] ints = bt.RentInts(3 * n + 3);
        Span<int> sz = ints.AsSpan(0, n);
        Span<int> cnt = ints.AsSpan(n, n + 1);
        Span<int> used = ints.AsSpan(2 * n + 1, n + 1);
        for (int i = 0; i < n; i++) sz[i] = all[i].SpaceOnPage;
        int k = 0;
        int at = 0;
        while (at < n)
        {
            int u = 0, start = at;
            while (at < n && u + sz[at] <= cap) u += sz[at++];
            if (at == start) TernException.ThrowCorrupt();
            cnt[k] = at - start;
            used[k++] = u;
            if (consume && at < n)
            {
                if (at == n - 1)
                {
                    // Only one cell is left: it gets a page, and this page's last cell divides.
                    cnt[k - 1]--;
                    used[k - 1] -= sz[at - 1];
                    if (cnt[k - 1] == 0) TernException.ThrowCorrupt();
                    cnt[k] = 1;
                    used[k++] = sz[at];
                    at = n;
                    break;
                }
                at++;
            }
        }
        if (k == 0)
        {
            // No cells at all (the last entry of a page under an interior root with no cells was
            // deleted): one empty page, which the root then takes back (BalanceShallower).
            cnt[0] = 0;
            used[0] = 0;
            k = 1;
        }
        int gap = consume ? 1 : 0;
        for (int j = k - 1; j > 0; j--)
        {
            while (cnt[j - 1] > 1)
            {
                int startL = 0;
                for (int t = 0; t < j - 1; t++) startL += cnt[t] + gap;
                int lastL = startL + cnt[j - 1] - 1;
                int entering = consume ? lastL + 1 : lastL;
                int newR = used[j] + sz[entering];
                int newL = used[j - 1] - sz[lastL];
                if (newR > cap || (cnt[j] > 0 && newR > newL)) break;
                cnt[j - 1]--;
                cnt[j]++;
                used[j - 1] = newL;
                used[j] = newR;
            }
        }

        // 3. Pages for the new layout: the old siblings first, then fresh pages.
        var pages = new Page[k];
        List<CellRef> dividers = bt.RentCellList();
        try
        {
            for (int j = 0; j < k; j++)
            {
                if (j < m)
                {
                    pages[j] = bt.GetPage(oldPages[j]);
                    bt.Pager.MakeWritable(pages[j]);
                }
                else
                {
                    pages[j] = bt.AllocatePage();
                    // A corrupt freelist could hand out a page the path is using.
                    for (int t = 0; t < d; t++) if (_pages[t]!.Number == pages[j].Number) TernException.ThrowCorrupt();
                }
            }

            // 4. Write the pages and make the dividers that go up.
            int pos = 0;
            for (int j = 0; j < k; j++)
            {
                int count = cnt[j];
                uint right = 0;
                if (!leaf)
                {
                    right = j < k - 1 ? BinaryPrimitives.ReadUInt32BigEndian(all[pos + count].Span) : finalRight;
                }
                var pn = new Node(pages[j]);
                bt.WriteNode(pn, flags, all, pos, count, right);
                bt.PtrmapPut(pn.Number, PtrmapType.BTree, parent.Number);
                bt.PtrmapUpdateChildren(pn);
                pos += count;
                if (j == k - 1) break;
                CellRef div;
                if (!consume)
                {
                    div = MakeTableDivider(pn.Number, RowIdOfLeafCell(all[pos - 1]));
                }
                else
                {
                    CellRef c = all[pos++];
                    if (leaf)
                    {
                        div = bt.AllocateCell(c.Length + 4);
                        c.Span.CopyTo(div.Span[4..]);
                    }
                    else
                    {
                        div = bt.CopyToArena(c.Span);
                    }
                    BinaryPrimitives.WriteUInt32BigEndian(div.Span, pn.Number);
                }
                dividers.Add(div);
            }
        }
        finally
        {
            foreach (Page? p in pages)
            {
                if (p != null) bt.Pager.Release(p);
            }
        }

        // 5. The parent: old dividers out, new ones in, the pointer after the group to the last page.
        uint lastPage = pages[k - 1].Number;
        int newDividerSpace = BTree.SpaceNeeded(dividers, 0, dividers.Count);
        if (bt.FreeBytes(parent) + oldDividerSpace >= newDividerSpace)
        {
            // The common case: edit the parent in place, as cheap as the dividers are few.
            ReplaceDividersInPlace(parent, first, m, nParent, dividers, lastPage);
            ReleaseAbove(d - 1);
            for (int j = k; j < m; j++) bt.FreePage(oldPages[j]);
            if (d - 1 > 0)
            {
                if (IsUnderfull(parent))
                {
                    List<CellRef> cells = bt.RentCellList();
                    bt.ReadCells(parent, cells);
                    BalanceNonRoot(d - 1, cells, parent.RightChild);
                }
            }
            else if (parent.CellCount == 0)
            {
                BalanceShallower(parent, parent.RightChild);
            }
            return;
        }
        List<CellRef> pc = bt.RentCellList();
        bt.ReadCells(parent, pc);
        uint parentRight = parent.RightChild;
        pc.RemoveRange(first, m - 1);
        if (first + m - 1 == nParent)
        {
            parentRight = lastPage;
        }
        else
        {
            CellRef after = bt.CopyToArena(pc[first].Span);
            BinaryPrimitives.WriteUInt32BigEndian(after.Span, lastPage);
            pc[first] = after;
        }
        pc.InsertRange(first, dividers);
        // The path lets go of the page at level d first: a page being freed is no longer in use.
        ReleaseAbove(d - 1);
        for (int j = k; j < m; j++) bt.FreePage(oldPages[j]);
        BalanceLevel(d - 1, pc, parentRight);
    }

    /// <summary>
    /// Swaps the <paramref name="m"/>-1 old dividers at <paramref name="first"/> of the parent for
    /// the new ones and points the slot after the group at <paramref name="lastPage"/> (the caller
    /// checked that they fit).
    /// </summary>
    private void ReplaceDividersInPlace(in Node parent, int first, int m, int nParent, List<CellRef> dividers, uint lastPage)
    {
        BTree bt = _bt;
        bt.Pager.MakeWritable(parent.Page);
        for (int i = m - 2; i >= 0; i--)
        {
            CellInfo ci = bt.ParseCellAt(parent, first + i);
            bt.DropCell(parent, first + i, ci.Size);
        }
        if (first + m - 1 == nParent)
        {
            parent.SetRightChild(lastPage);
        }
        else
        {
            int off = parent.CellOffset(first);
            if (off + 4 > bt.Usable) TernException.ThrowCorrupt();
            BinaryPrimitives.WriteUInt32BigEndian(parent.Data.AsSpan(off, 4), lastPage);
        }
        for (int j = 0; j < dividers.Count; j++)
        {
            if (!bt.TryInsertCell(parent, first + j, dividers[j].Span)) TernException.ThrowCorrupt();
            if (!_table)
            {
                CellInfo ci = bt.ParseCellAt(parent, first + j);
                if (ci.Overflow != 0) bt.PtrmapPut(ci.Overflow, PtrmapType.Overflow1, parent.Number);
            }
        }
    }
}
