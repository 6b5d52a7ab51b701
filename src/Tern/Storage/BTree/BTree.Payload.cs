// Payloads: building a cell from a key and payload (spilling what does not fit on the
// page into a chain of overflow pages), reading a payload back, and freeing a chain.
//
// Overflow page:  0  4  next overflow page (0 on the last page)
//                 4  U-4 payload bytes
using System.Buffers.Binary;
using Tern.Storage.Pager;
using Tern.Storage.Record;

namespace Tern.Storage.BTree;

internal sealed partial class BTree
{
    /// <summary>
    /// Writes a leaf cell for <paramref name="payload"/> into <paramref name="cell"/> (at least
    /// a page long), allocating and filling overflow pages when needed. Returns the cell's length.
    /// </summary>
    internal int BuildLeafCell(bool table, long rowId, ReadOnlySpan<byte> payload, Span<byte> cell, uint cellPage)
    {
        int p = Varint.Write(cell, (ulong)payload.Length);
        if (table) p += Varint.Write(cell[p..], (ulong)rowId);
        int local = LocalSize(payload.Length, table);
        payload[..local].CopyTo(cell[p..]);
        p += local;
        if (local < payload.Length)
        {
            uint first = WriteOverflow(payload[local..], cellPage);
            BinaryPrimitives.WriteUInt32BigEndian(cell[p..], first);
            p += 4;
        }
        return p;
    }

    /// <summary>Writes bytes into a new chain of overflow pages and returns its first page.</summary>
    private uint WriteOverflow(ReadOnlySpan<byte> rest, uint cellPage)
    {
        uint first = 0;
        Page? prev = null;
        try
        {
            while (rest.Length > 0)
            {
                Page page = AllocatePage();
                if (prev == null)
                {
                    first = page.Number;
                    PtrmapPut(page.Number, PtrmapType.Overflow1, cellPage);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32BigEndian(prev.Data, page.Number);
                    PtrmapPut(page.Number, PtrmapType.Overflow2, prev.Number);
                    Pager.Release(prev);
                }
                prev = page;
                int n = Math.Min(rest.Length, Usable - 4);
                BinaryPrimitives.WriteUInt32BigEndian(page.Data, 0);
                rest[..n].CopyTo(page.Data.AsSpan(4));
                rest = rest[n..];
            }
        }
        finally
        {
            if (prev != null) Pager.Release(prev);
        }
        return first;
    }

    /// <summary>Copies the whole payload of a cell into <paramref name="dest"/> (length = PayloadSize).</summary>
    internal void ReadPayload(in Node n, in CellInfo c, Span<byte> dest)
    {
        n.Data.AsSpan(c.PayloadOffset, c.Local).CopyTo(dest);
        if (c.Local == c.PayloadSize) return;
        int done = c.Local;
        uint next = c.Overflow;
        int pages = OverflowPageCount(c);
        while (done < c.PayloadSize)
        {
            if (pages-- <= 0 || next < 2) TernException.ThrowCorrupt();
            Page p = GetPage(next);
            try
            {
                int n2 = Math.Min(c.PayloadSize - done, Usable - 4);
                p.Data.AsSpan(4, n2).CopyTo(dest[done..]);
                done += n2;
                next = BinaryPrimitives.ReadUInt32BigEndian(p.Data);
            }
            finally
            {
                Pager.Release(p);
            }
        }
    }

    /// <summary>Number of overflow pages a cell's payload needs.</summary>
    internal int OverflowPageCount(in CellInfo c)
    {
        if (c.Local >= c.PayloadSize) return 0;
        long rest = c.PayloadSize - c.Local;
        return (int)((rest + Usable - 5) / (Usable - 4));
    }

    /// <summary>Frees the overflow chain of a cell, if it has one.</summary>
    internal void FreeOverflow(in CellInfo c)
    {
        uint next = c.Overflow;
        int pages = OverflowPageCount(c);
        while (pages-- > 0)
        {
            if (next < 2 || next > Pager.PageCount) TernException.ThrowCorrupt();
            Page p = GetUnsharedPage(next);
            uint after;
            try { after = BinaryPrimitives.ReadUInt32BigEndian(p.Data); }
            finally { Pager.Release(p); }
            if (pages > 0 && after == 0) TernException.ThrowCorrupt();
            FreePage(next);
            next = after;
        }
    }
}
