// Whole-tree operations: creating a tree (in auto-vacuum databases at the page after the
// largest root, moving whatever was there), clearing all entries of a tree, and dropping
// a tree (its pages go to the freelist).
using System.Buffers.Binary;
using Tern.Storage.Pager;

namespace Tern.Storage.BTree;

internal sealed partial class BTree
{
    /// <summary>Creates an empty table b-tree and returns its root page number.</summary>
    public uint CreateTable() => CreateTree(PageType.LeafTable);

    /// <summary>Creates an empty index b-tree and returns its root page number.</summary>
    public uint CreateIndex() => CreateTree(PageType.LeafIndex);

    private uint CreateTree(byte flags)
    {
        SaveAllCursors(null);
        Page root;
        if (!AutoVacuum)
        {
            root = AllocatePage();
        }
        else
        {
            uint largest = GetMeta(DatabaseHeader.LargestRootPageOffset);
            // A largest root past the end would make us append pages up to it (as SQLite, corrupt).
            if (largest > Pager.PageCount) TernException.ThrowCorrupt();
            uint want = largest + 1;
            while (IsPtrmapPage(want) || want == Pager.PendingBytePage) want++;
            if (want > Pager.PageCount)
            {
                root = AppendPage();
                while (root.Number < want)
                {
                    // Only reachable when pages between were skipped; hand them to the freelist.
                    uint skipped = root.Number;
                    Pager.Release(root);
                    FreePage(skipped);
                    root = AppendPage();
                }
            }
            else if (RemoveFromFreelist(want))
            {
                root = GetPage(want);
                Pager.MakeWritable(root);
            }
            else
            {
                Page moved = AllocatePage();
                uint to = moved.Number;
                Pager.Release(moved);
                RelocatePage(want, to);
                root = GetPage(want);
                Pager.MakeWritable(root);
            }
            PtrmapPut(want, PtrmapType.RootPage, 0);
            SetMeta(DatabaseHeader.LargestRootPageOffset, want);
        }
        try
        {
            new Node(root).Initialize(flags, Usable);
            return root.Number;
        }
        finally
        {
            Pager.Release(root);
        }
    }

    /// <summary>Deletes every entry of a tree, keeping its (now empty) root page. Returns the number of entries removed from a table tree.</summary>
    public long ClearTree(uint root)
    {
        SaveAllCursors(null, root);
        Page page = GetPage(root);
        try
        {
            var n = new Node(page);
            bool table = n.IsTable;
            if (!CheckNodeHeader(n, table)) TernException.ThrowCorrupt();
            // Every page is freed once: a page shared by two subtrees (a corrupt DAG) would be freed
            // twice and handed out twice, and the walk could take exponential time.
            var visited = new VisitedPages(Pager.PageCount);
            visited.Add(root);
            long count = FreeSubtreeContent(n, table, 0, visited);
            Pager.MakeWritable(page);
            n.Initialize(table ? PageType.LeafTable : PageType.LeafIndex, Usable);
            return count;
        }
        finally
        {
            Pager.Release(page);
        }
    }

    /// <summary>Drops a tree: every page, the root included, goes to the freelist.</summary>
    /// <remarks>
    /// In an auto-vacuum database root pages stay together at the front of the file, where
    /// vacuuming never has to move them: the last root moves into the dropped root's page,
    /// its sqlite_schema row is updated, and the largest-root field goes down. The moved
    /// root's old page number is returned (0 when nothing moved), so a caller dropping
    /// several trees should drop them from the largest root down, as SQLite does.
    /// </remarks>
    public uint DropTree(uint root)
    {
        // Page 1 is sqlite_schema's, and 0 is no page: a schema naming either as a root lies.
        if (root < 2) TernException.ThrowCorrupt();
        ClearTree(root);
        if (!AutoVacuum)
        {
            FreePage(root);
            return 0;
        }
        uint largest = GetMeta(DatabaseHeader.LargestRootPageOffset);
        if (largest > Pager.PageCount || root > largest) TernException.ThrowCorrupt();
        uint moved = 0;
        if (root < largest)
        {
            SaveAllCursors(null);
            MoveRootPage(largest, root);
            SchemaTable.ReplaceRootPage(this, largest, root);
            moved = largest;
        }
        FreePage(largest);
        uint newLargest = largest - 1;
        while (newLargest > 1 && IsSpecialPage(newLargest)) newLargest--;
        SetMeta(DatabaseHeader.LargestRootPageOffset, newLargest);
        return moved;
    }

    /// <summary>Moves a whole root page (auto-vacuum): content, and the pointer map of everything it points to.</summary>
    private void MoveRootPage(uint from, uint to)
    {
        (byte type, _) = PtrmapGet(from);
        if (type != PtrmapType.RootPage) TernException.ThrowCorrupt();
        Page src = GetPage(from);
        Page dst = GetPage(to);
        try
        {
            var sn = new Node(src);
            if (!CheckNodeHeader(sn, sn.IsTable)) TernException.ThrowCorrupt();
            Pager.MakeWritable(dst);
            Array.Copy(src.Data, dst.Data, Pager.PageSize);
            PtrmapUpdateChildren(new Node(dst));
        }
        finally
        {
            Pager.Release(src);
            Pager.Release(dst);
        }
        PtrmapPut(to, PtrmapType.RootPage, 0);
    }

    /// <summary>Frees all pages below a node and the overflow chains of its cells; returns the entries in table leaves.</summary>
    private long FreeSubtreeContent(in Node n, bool table, int depth, VisitedPages visited)
    {
        if (depth >= BTreeCursor.MaxDepth) TernException.ThrowCorrupt();
        long count = 0;
        int nCell = n.CellCount;
        for (int i = 0; i < nCell; i++)
        {
            CellInfo c = ParseCellAt(n, i);
            if (c.Overflow != 0) FreeOverflow(c);
            if (!n.IsLeaf) count += FreeChild(c.Child, table, depth, visited);
        }
        if (n.IsLeaf) return table ? nCell : 0;
        count += FreeChild(n.RightChild, table, depth, visited);
        return count;
    }

    private long FreeChild(uint child, bool table, int depth, VisitedPages visited)
    {
        visited.Add(child);
        Page p = GetNodePage(child, table);
        long count;
        try { count = FreeSubtreeContent(new Node(p), table, depth + 1, visited); }
        finally { Pager.Release(p); }
        FreePage(child);
        return count;
    }
}
