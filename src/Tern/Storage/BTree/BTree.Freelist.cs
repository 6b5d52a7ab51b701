// The freelist: pages no tree uses, kept for reuse before the file grows. The header
// holds the first trunk page (offset 32) and the total count of free pages (offset 36).
//
//   trunk page:  0  4  next trunk page (0 ends the list)
//                4  4  number of leaf page numbers that follow (L)
//                8  4L leaf page numbers (free pages whose content is meaningless)
//
// A trunk holds at most U/4 - 8 leaves (SQLite's limit, kept for old readers).
using System.Buffers.Binary;
using Tern.Storage.Pager;

namespace Tern.Storage.BTree;

internal sealed partial class BTree
{
    /// <summary>Number of free pages recorded in the header.</summary>
    public uint FreelistCount => GetMeta(DatabaseHeader.FreelistCountOffset);

    private int MaxTrunkLeaves => Usable / 4 - 8;

    /// <summary>
    /// Takes a page for the caller: from the freelist when it has one, else a new page at
    /// the end of the file. The page comes back zeroed, writable and pinned.
    /// </summary>
    internal Page AllocatePage()
    {
        Page p1 = Pager.Get(1);
        try
        {
            uint trunk = DatabaseHeader.ReadUInt32(p1.Data, DatabaseHeader.FirstFreelistTrunkOffset);
            uint count = DatabaseHeader.ReadUInt32(p1.Data, DatabaseHeader.FreelistCountOffset);
            if (trunk != 0 && count > 0)
            {
                Page? taken = TakeFromFreelist(p1, trunk, count);
                if (taken != null) return taken;
            }
        }
        finally
        {
            Pager.Release(p1);
        }
        return AppendPage();
    }

    private Page AppendPage()
    {
        while (true)
        {
            Page page = Pager.Append();
            uint n = page.Number;
            if (n == Pager.PendingBytePage || (AutoVacuum && IsPtrmapPage(n)))
            {
                // Pointer-map pages and the pending-byte page are never handed out.
                Pager.Release(page);
                continue;
            }
            return page;
        }
    }

    private Page? TakeFromFreelist(Page p1, uint trunk, uint count)
    {
        if (trunk < 2 || trunk > Pager.PageCount) TernException.ThrowCorrupt();
        Page t = GetUnsharedPage(trunk);
        try
        {
            uint leaves = BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(4));
            if (leaves > (uint)(Usable / 4 - 2)) TernException.ThrowCorrupt();
            uint pgno = leaves > 0 ? BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(8 + 4 * (int)(leaves - 1))) : trunk;
            // A free page is never page 1, the trunk itself, a pointer-map page or the pending-byte
            // page; handing one of those out would give a page two owners.
            if (pgno < 2 || pgno > Pager.PageCount || (leaves > 0 && pgno == trunk) || pgno == Pager.PendingBytePage
                || (AutoVacuum && IsPtrmapPage(pgno)))
            {
                TernException.ThrowCorrupt();
            }
            Page page;
            if (pgno == trunk)
            {
                page = t;
                t.PinCount++;
            }
            else
            {
                page = GetUnsharedPage(pgno);
            }
            try
            {
                Pager.MakeWritable(p1);
                if (leaves > 0)
                {
                    Pager.MakeWritable(t);
                    BinaryPrimitives.WriteUInt32BigEndian(t.Data.AsSpan(4), leaves - 1);
                }
                else
                {
                    uint next = BinaryPrimitives.ReadUInt32BigEndian(t.Data);
                    DatabaseHeader.WriteUInt32(p1.Data, DatabaseHeader.FirstFreelistTrunkOffset, next);
                }
                DatabaseHeader.WriteUInt32(p1.Data, DatabaseHeader.FreelistCountOffset, count - 1);
                Pager.MakeWritable(page);
                Array.Clear(page.Data);
                return page;
            }
            catch
            {
                Pager.Release(page);
                throw;
            }
        }
        finally
        {
            Pager.Release(t);
        }
    }

    /// <summary>Puts a page on the freelist.</summary>
    internal void FreePage(uint pgno)
    {
        if (pgno < 2 || pgno > Pager.PageCount) TernException.ThrowCorrupt();
        Page p1 = Pager.Get(1);
        try
        {
            Pager.MakeWritable(p1);
            uint trunk = DatabaseHeader.ReadUInt32(p1.Data, DatabaseHeader.FirstFreelistTrunkOffset);
            uint count = DatabaseHeader.ReadUInt32(p1.Data, DatabaseHeader.FreelistCountOffset);
            DatabaseHeader.WriteUInt32(p1.Data, DatabaseHeader.FreelistCountOffset, count + 1);
            PtrmapPut(pgno, PtrmapType.FreePage, 0);
            if (trunk != 0)
            {
                // Freeing the first trunk again would make it its own leaf.
                if (trunk < 2 || trunk > Pager.PageCount || trunk == pgno) TernException.ThrowCorrupt();
                Page t = GetUnsharedPage(trunk);
                try
                {
                    uint leaves = BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(4));
                    if (leaves < (uint)MaxTrunkLeaves)
                    {
                        Pager.MakeWritable(t);
                        BinaryPrimitives.WriteUInt32BigEndian(t.Data.AsSpan(8 + 4 * (int)leaves), pgno);
                        BinaryPrimitives.WriteUInt32BigEndian(t.Data.AsSpan(4), leaves + 1);
                        return;
                    }
                }
                finally
                {
                    Pager.Release(t);
                }
            }
            // The freed page becomes the new first trunk.
            Page page = GetPage(pgno);
            try
            {
                Pager.MakeWritable(page);
                Array.Clear(page.Data);
                BinaryPrimitives.WriteUInt32BigEndian(page.Data, trunk);
                DatabaseHeader.WriteUInt32(p1.Data, DatabaseHeader.FirstFreelistTrunkOffset, pgno);
            }
            finally
            {
                Pager.Release(page);
            }
        }
        finally
        {
            Pager.Release(p1);
        }
    }

    /// <summary>
    /// Takes a specific page off the freelist (auto-vacuum places new root pages at fixed
    /// numbers). Returns false when the page is not free.
    /// </summary>
    private bool RemoveFromFreelist(uint pgno)
    {
        Page p1 = Pager.Get(1);
        try
        {
            uint trunk = DatabaseHeader.ReadUInt32(p1.Data, DatabaseHeader.FirstFreelistTrunkOffset);
            uint count = DatabaseHeader.ReadUInt32(p1.Data, DatabaseHeader.FreelistCountOffset);
            Page? prev = null;
            int guard = 0;
            try
            {
                while (trunk != 0)
                {
                    if (trunk > Pager.PageCount || guard++ > Pager.PageCount) TernException.ThrowCorrupt();
                    Page t = GetPage(trunk);
                    uint leaves = BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(4));
                    if (leaves > (uint)(Usable / 4 - 2)) { Pager.Release(t); TernException.ThrowCorrupt(); }
                    uint next = BinaryPrimitives.ReadUInt32BigEndian(t.Data);
                    if (trunk == pgno)
                    {
                        uint replacement = next;
                        if (leaves > 0)
                        {
                            // The last leaf becomes the trunk in its place, with the other leaves.
                            replacement = BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(8 + 4 * (int)(leaves - 1)));
                            Page r = GetPage(replacement);
                            Pager.MakeWritable(r);
                            Array.Copy(t.Data, r.Data, 8 + 4 * (int)(leaves - 1));
                            BinaryPrimitives.WriteUInt32BigEndian(r.Data.AsSpan(4), leaves - 1);
                            Pager.Release(r);
                        }
                        Pager.MakeWritable(p1);
                        if (prev == null) DatabaseHeader.WriteUInt32(p1.Data, DatabaseHeader.FirstFreelistTrunkOffset, replacement);
                        else { Pager.MakeWritable(prev); BinaryPrimitives.WriteUInt32BigEndian(prev.Data, replacement); }
                        DatabaseHeader.WriteUInt32(p1.Data, DatabaseHeader.FreelistCountOffset, count - 1);
                        Pager.Release(t);
                        return true;
                    }
                    for (int i = 0; i < leaves; i++)
                    {
                        if (BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(8 + 4 * i)) != pgno) continue;
                        Pager.MakeWritable(t);
                        uint last = BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(8 + 4 * (int)(leaves - 1)));
                        BinaryPrimitives.WriteUInt32BigEndian(t.Data.AsSpan(8 + 4 * i), last);
                        BinaryPrimitives.WriteUInt32BigEndian(t.Data.AsSpan(4), leaves - 1);
                        Pager.MakeWritable(p1);
                        DatabaseHeader.WriteUInt32(p1.Data, DatabaseHeader.FreelistCountOffset, count - 1);
                        Pager.Release(t);
                        return true;
                    }
                    if (prev != null) Pager.Release(prev);
                    prev = t;
                    trunk = next;
                }
                return false;
            }
            finally
            {
                if (prev != null) Pager.Release(prev);
            }
        }
        finally
        {
            Pager.Release(p1);
        }
    }
}
