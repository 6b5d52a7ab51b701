// Space inside one b-tree page: finding room for a new cell (from a freeblock, from the
// gap between the cell pointer array and the content area, or after defragmenting),
// giving a cell's bytes back (as a freeblock coalesced with its neighbours, or by
// moving the content start), and rewriting a page from a list of cells.
using System.Buffers.Binary;

namespace Tern.Storage.BTree;

internal sealed partial class BTree
{
    private static int Read16(byte[] d, int at) => (d[at] << 8) | d[at + 1];

    private static void Write16(byte[] d, int at, int v)
    {
        d[at] = (byte)(v >> 8);
        d[at + 1] = (byte)v;
    }

    /// <summary>Total free bytes of a node: gap + freeblocks + fragments. Walks the freeblock chain, checking it.</summary>
    internal int FreeBytes(in Node n)
    {
        byte[] d = n.Data;
        int gapStart = n.CellArray + 2 * n.CellCount;
        int content = n.ContentStart;
        if (gapStart > content || content > Usable) TernException.ThrowCorrupt();
        int free = content - gapStart + n.Fragmented;
        int block = n.FirstFreeblock;
        int prevEnd = content;
        while (block != 0)
        {
            if (block < prevEnd || block + 4 > Usable) TernException.ThrowCorrupt();
            int size = Read16(d, block + 2);
            if (size < 4 || block + size > Usable) TernException.ThrowCorrupt();
            free += size;
            prevEnd = block + size;
            block = Read16(d, block);
        }
        return free;
    }

    /// <summary>
    /// Inserts <paramref name="cell"/> as cell <paramref name="index"/> of the node if it fits
    /// (the page must already be writable). Returns false, changing nothing, when it does not.
    /// </summary>
    internal bool TryInsertCell(in Node n, int index, ReadOnlySpan<byte> cell)
    {
        int size = Math.Max(cell.Length, 4);
        int nCell = n.CellCount;
        if (FreeBytes(n) < size + 2) return false;
        int offset = AllocateSpace(n, size);
        cell.CopyTo(n.Data.AsSpan(offset));
        int arr = n.CellArray;
        byte[] d = n.Data;
        Buffer.BlockCopy(d, arr + 2 * index, d, arr + 2 * index + 2, 2 * (nCell - index));
        Write16(d, arr + 2 * index, offset);
        n.SetCellCount(nCell + 1);
        return true;
    }

    /// <summary>Finds <paramref name="size"/> bytes in the content area for a cell whose pointer also needs 2 bytes.</summary>
    private int AllocateSpace(in Node n, int size)
    {
        byte[] d = n.Data;
        int gapStart = n.CellArray + 2 * n.CellCount + 2;   // after the new pointer
        int content = n.ContentStart;
        // First fit among the freeblocks, when the pointer array can still grow.
        if (gapStart <= content)
        {
            int prevLink = n.Hdr + 1;
            int block = n.FirstFreeblock;
            while (block != 0)
            {
                int bsize = Read16(d, block + 2);
                int next = Read16(d, block);
                if (bsize >= size)
                {
                    int left = bsize - size;
                    if (left < 4)
                    {
                        if (n.Fragmented + left <= 57)
                        {
                            Write16(d, prevLink, next);
                            n.SetFragmented(n.Fragmented + left);
                            return block;
                        }
                    }
                    else
                    {
                        Write16(d, block + 2, left);
                        return block + left;
                    }
                }
                prevLink = block;
                block = next;
            }
        }
        if (content - gapStart < size)
        {
            Defragment(n);
            content = n.ContentStart;
            // FreeBytes counted room that is not there: freeblocks or fragments overlapping cells.
            if (content - gapStart < size) TernException.ThrowCorrupt();
        }
        content -= size;
        n.SetContentStart(content);
        return content;
    }

    /// <summary>Moves every cell to the end of the page so that all free space is one gap.</summary>
    internal void Defragment(in Node n)
    {
        byte[] d = n.Data;
        byte[] tmp = _scratch;
        int nCell = n.CellCount;
        int arrEnd = n.CellArray + 2 * nCell;
        int top = Usable;
        Buffer.BlockCopy(d, 0, tmp, 0, Usable);
        for (int i = 0; i < nCell; i++)
        {
            int off = n.CellOffset(i);
            int sz = CellSizeFrom(tmp, off, n);
            top -= sz;
            // Cells that overlap (or share bytes with the pointer array) take more room than the page has.
            if (top < arrEnd) TernException.ThrowCorrupt();
            Buffer.BlockCopy(tmp, off, d, top, sz);
            Write16(d, n.CellArray + 2 * i, top);
        }
        n.SetContentStart(top);
        n.SetFirstFreeblock(0);
        n.SetFragmented(0);
    }

    /// <summary>Size on the page of the cell at <paramref name="off"/> in <paramref name="data"/> (a copy of node n's page).</summary>
    private int CellSizeFrom(byte[] data, int off, in Node n)
    {
        var view = new Node(n.Page, data);
        return ParseCell(view, off).Size;
    }

    /// <summary>Removes cell <paramref name="index"/> (of <paramref name="size"/> bytes) from the node; the page must be writable.</summary>
    internal void DropCell(in Node n, int index, int size)
    {
        byte[] d = n.Data;
        int nCell = n.CellCount;
        int off = n.CellOffset(index);
        FreeRange(n, off, size);
        int arr = n.CellArray;
        Buffer.BlockCopy(d, arr + 2 * index + 2, d, arr + 2 * index, 2 * (nCell - index - 1));
        n.SetCellCount(nCell - 1);
        if (nCell == 1)
        {
            // An empty page: reset its content area entirely.
            n.SetContentStart(Usable);
            n.SetFirstFreeblock(0);
            n.SetFragmented(0);
        }
    }

    /// <summary>
    /// Returns bytes [start, start+size) of the content area to the free space: merged with a
    /// neighbouring freeblock when they touch (or are within 3 bytes, the gap being counted
    /// as fragments), or added to the content start when the range begins there.
    /// </summary>
    private void FreeRange(in Node n, int start, int size)
    {
        byte[] d = n.Data;
        int link = n.Hdr + 1;              // where the pointer to the next block is stored
        int next = Read16(d, link);
        while (next != 0 && next < start)
        {
            // Freeblocks ascend (the first one past the header): a chain that does not could loop
            // forever. A block before the freed range ends before it too, so it lies in the page.
            if (next <= link) TernException.ThrowCorrupt();
            link = next;
            next = Read16(d, next);
        }
        int end = start + size;
        int fragsAbsorbed = 0;
        if (next != 0 && next <= end + 3)
        {
            if (next < end || next + 4 > Usable) TernException.ThrowCorrupt();
            fragsAbsorbed += next - end;
            end = next + Read16(d, next + 2);
            if (end > Usable) TernException.ThrowCorrupt();
            next = Read16(d, next);
        }
        bool hasPrev = link != n.Hdr + 1;
        if (hasPrev)
        {
            int prevEnd = link + Read16(d, link + 2);
            if (prevEnd > start) TernException.ThrowCorrupt();
            if (prevEnd + 3 >= start)
            {
                fragsAbsorbed += start - prevEnd;
                start = link;
            }
        }
        int frag = n.Fragmented;
        if (fragsAbsorbed > frag) TernException.ThrowCorrupt();
        n.SetFragmented(frag - fragsAbsorbed);
        int content = n.ContentStart;
        if (start <= content)
        {
            if (start < content || (hasPrev && start != link)) TernException.ThrowCorrupt();
            // The freed range begins the content area: just move the content start.
            Write16(d, n.Hdr + 1, next);
            n.SetContentStart(end);
            return;
        }
        if (hasPrev && start == link)
        {
            Write16(d, link, next);
            Write16(d, link + 2, end - start);
        }
        else
        {
            Write16(d, link, start);
            Write16(d, start, next);
            Write16(d, start + 2, end - start);
        }
    }

    /// <summary>Room for cells on a node with header at <paramref name="hdr"/>.</summary>
    internal int Capacity(int hdr, bool leaf) => Usable - hdr - (leaf ? 8 : 12);

}
