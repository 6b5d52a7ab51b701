// Pointer-map pages, present when auto_vacuum is FULL or INCREMENTAL (header offset 52
// non-zero). They record, for every page after them, what kind of page it is and which
// page points to it, so pages can be moved (vacuumed) without searching the whole file.
//
//   page 2 is the first pointer-map page; each covers the J = U/5 pages that follow it,
//   so pointer-map pages sit at 2, 2+(J+1), 2+2(J+1), ... (moved up by one if one would
//   land on the pending-byte page).
//
//   entry for page P (5 bytes at 5*(P - mapPage - 1)):  1 type | 4 parent page
//     1 ROOTPAGE   root of a b-tree (parent 0)
//     2 FREEPAGE   on the freelist (parent 0)
//     3 OVERFLOW1  first overflow page of a cell (parent: the page holding the cell)
//     4 OVERFLOW2  later overflow page (parent: the previous overflow page)
//     5 BTREE      non-root b-tree page (parent: its parent b-tree page)
using System.Buffers.Binary;
using Tern.Storage.Pager;

namespace Tern.Storage.BTree;

/// <summary>Pointer-map entry types.</summary>
internal static class PtrmapType
{
    public const byte RootPage = 1;
    public const byte FreePage = 2;
    public const byte Overflow1 = 3;
    public const byte Overflow2 = 4;
    public const byte BTree = 5;
}

internal sealed partial class BTree
{
    /// <summary>The pointer-map page that holds the entry for <paramref name="pgno"/>.</summary>
    internal uint PtrmapPageFor(uint pgno)
    {
        if (pgno < 2) return 0;
        uint perMap = (uint)(Usable / 5) + 1;
        uint ret = (pgno - 2) / perMap * perMap + 2;
        if (ret == Pager.PendingBytePage) ret++;
        return ret;
    }

    /// <summary>Whether a page is a pointer-map page.</summary>
    internal bool IsPtrmapPage(uint pgno) => pgno >= 2 && PtrmapPageFor(pgno) == pgno;

    /// <summary>Records a page's type and parent (only in auto-vacuum databases).</summary>
    internal void PtrmapPut(uint pgno, byte type, uint parent)
    {
        if (!AutoVacuum) return;
        uint map = PtrmapPageFor(pgno);
        if (map == 0 || map >= pgno || map > Pager.PageCount) TernException.ThrowCorrupt();
        int off = 5 * (int)(pgno - map - 1);
        if (off + 5 > Usable) TernException.ThrowCorrupt();
        Page p = GetUnsharedPage(map);
        try
        {
            byte[] d = p.Data;
            if (d[off] == type && BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(off + 1)) == parent) return;
            Pager.MakeWritable(p);
            d[off] = type;
            BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(off + 1), parent);
        }
        finally
        {
            Pager.Release(p);
        }
    }

    /// <summary>Reads a page's pointer-map entry.</summary>
    internal (byte Type, uint Parent) PtrmapGet(uint pgno)
    {
        uint map = PtrmapPageFor(pgno);
        if (map == 0 || map >= pgno || map > Pager.PageCount) TernException.ThrowCorrupt();
        int off = 5 * (int)(pgno - map - 1);
        if (off + 5 > Usable) TernException.ThrowCorrupt();
        Page p = GetPage(map);
        try
        {
            return (p.Data[off], BinaryPrimitives.ReadUInt32BigEndian(p.Data.AsSpan(off + 1)));
        }
        finally
        {
            Pager.Release(p);
        }
    }

    /// <summary>
    /// After cells or children land on a page (balance, relocation), points the pointer map of
    /// each child page and each first overflow page at it.
    /// </summary>
    internal void PtrmapUpdateChildren(in Node n)
    {
        if (!AutoVacuum) return;
        int nCell = n.CellCount;
        bool leaf = n.IsLeaf;
        for (int i = 0; i < nCell; i++)
        {
            CellInfo c = ParseCellAt(n, i);
            if (!leaf) PtrmapPut(c.Child, PtrmapType.BTree, n.Number);
            if (c.Overflow != 0) PtrmapPut(c.Overflow, PtrmapType.Overflow1, n.Number);
        }
        if (!leaf) PtrmapPut(n.RightChild, PtrmapType.BTree, n.Number);
    }

    /// <summary>
    /// Moves the content of page <paramref name="from"/> (a non-root b-tree or overflow page)
    /// to the free page <paramref name="to"/>, fixing the pointer that leads to it and the
    /// pointer-map entries of the pages it points to.
    /// </summary>
    private void RelocatePage(uint from, uint to)
    {
        (byte type, uint parent) = PtrmapGet(from);
        if (type != PtrmapType.BTree && type != PtrmapType.Overflow1 && type != PtrmapType.Overflow2)
            TernException.ThrowCorrupt();
        Page src = GetPage(from);
        Page dst = GetPage(to);
        try
        {
            Pager.MakeWritable(dst);
            Array.Copy(src.Data, dst.Data, Pager.PageSize);
            if (type == PtrmapType.BTree)
            {
                var moved = new Node(dst);
                if (!CheckNodeHeader(moved, moved.IsTable)) TernException.ThrowCorrupt();
                PtrmapUpdateChildren(moved);
            }
            else
            {
                uint next = BinaryPrimitives.ReadUInt32BigEndian(dst.Data);
                if (next != 0) PtrmapPut(next, PtrmapType.Overflow2, to);
            }
        }
        finally
        {
            Pager.Release(src);
            Pager.Release(dst);
        }
        PtrmapPut(to, type, parent);

        Page par = GetPage(parent);
        try
        {
            Pager.MakeWritable(par);
            if (type == PtrmapType.Overflow2)
            {
                if (BinaryPrimitives.ReadUInt32BigEndian(par.Data) != from) TernException.ThrowCorrupt();
                BinaryPrimitives.WriteUInt32BigEndian(par.Data, to);
                return;
            }
            var n = new Node(par);
            if (!CheckNodeHeader(n, n.IsTable)) TernException.ThrowCorrupt();
            int nCell = n.CellCount;
            for (int i = 0; i < nCell; i++)
            {
                int off = n.CellOffset(i);
                CellInfo c = ParseCell(n, off);
                if (type == PtrmapType.Overflow1 && c.Overflow == from)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(par.Data.AsSpan(c.PayloadOffset + c.Local), to);
                    return;
                }
                if (type == PtrmapType.BTree && !n.IsLeaf && c.Child == from)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(par.Data.AsSpan(off), to);
                    return;
                }
            }
            if (type == PtrmapType.BTree && !n.IsLeaf && n.RightChild == from)
            {
                n.SetRightChild(to);
                return;
            }
            TernException.ThrowCorrupt();
        }
        finally
        {
            Pager.Release(par);
        }
    }
}
