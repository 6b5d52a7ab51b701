// A b-tree page seen as a node: the page header, the cell pointer array and the cell
// content area, as SQLite's file format lays them out.
//
//   +-----------------------------+  offset Hdr (100 on page 1, else 0)
//   | page header (8 or 12 bytes) |   0  1  flags: 2 interior index, 5 interior table,
//   |                             |              10 leaf index, 13 leaf table
//   |                             |   1  2  first freeblock (0: none)
//   |                             |   3  2  number of cells
//   |                             |   5  2  start of cell content area (0 means 65536)
//   |                             |   7  1  fragmented free bytes
//   |                             |   8  4  right-most child (interior pages only)
//   +-----------------------------+
//   | cell pointer array          |  2 bytes per cell, in key order
//   +-----------------------------+
//   | unallocated space ("gap")   |
//   +-----------------------------+  content start
//   | cell content area           |  cells and freeblocks, in any order
//   +-----------------------------+  usable size (page size - reserved bytes)
//
// A freeblock is a chain link inside the content area: 2 bytes offset of the next
// freeblock (0 ends the chain, offsets ascending), 2 bytes size of this block. Free
// fragments of 1..3 bytes are not linked; they are only counted at offset 7.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Tern.Storage.Pager;

namespace Tern.Storage.BTree;

/// <summary>Page-type flag values.</summary>
internal static class PageType
{
    public const byte InteriorIndex = 2;
    public const byte InteriorTable = 5;
    public const byte LeafIndex = 10;
    public const byte LeafTable = 13;
}

/// <summary>A view of a page as a b-tree node (no allocation).</summary>
internal readonly struct Node
{
    public readonly Page Page;
    public readonly byte[] Data;
    public readonly int Hdr;

    public Node(Page page)
    {
        Page = page;
        Data = page.Data;
        Hdr = page.Number == 1 ? DatabaseHeader.Size : 0;
    }

    /// <summary>A view of another buffer laid out as this page (e.g. a copy taken while defragmenting).</summary>
    public Node(Page page, byte[] data)
    {
        Page = page;
        Data = data;
        Hdr = page.Number == 1 ? DatabaseHeader.Size : 0;
    }

    public uint Number => Page.Number;

    public byte Flags
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Data[Hdr];
    }

    public bool IsLeaf
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Data[Hdr] & 8) != 0;
    }

    /// <summary>Table pages (flags 5 and 13) key cells by rowid.</summary>
    public bool IsTable => (Data[Hdr] & 1) != 0;

    public int HeaderSize => IsLeaf ? 8 : 12;

    /// <summary>Offset of the cell pointer array.</summary>
    public int CellArray => Hdr + (IsLeaf ? 8 : 12);

    public int CellCount
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Data[Hdr + 3] << 8) | Data[Hdr + 4];
    }

    public int FirstFreeblock => (Data[Hdr + 1] << 8) | Data[Hdr + 2];

    public int ContentStart
    {
        get
        {
            int v = (Data[Hdr + 5] << 8) | Data[Hdr + 6];
            return v == 0 ? 65536 : v;
        }
    }

    public int Fragmented => Data[Hdr + 7];

    public uint RightChild => BinaryPrimitives.ReadUInt32BigEndian(Data.AsSpan(Hdr + 8, 4));

    /// <summary>Offset of cell <paramref name="i"/> from its pointer (not bounds-checked against the page; see BTree.CheckedCell).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int CellOffset(int i)
    {
        int p = CellArray + 2 * i;
        return (Data[p] << 8) | Data[p + 1];
    }

    /// <summary>The left child page of an interior cell at <paramref name="cellOffset"/>.</summary>
    public uint ChildAt(int cellOffset) => BinaryPrimitives.ReadUInt32BigEndian(Data.AsSpan(cellOffset, 4));

    /// <summary>The child page followed at slot <paramref name="i"/> (i == CellCount is the right-most child).</summary>
    public uint ChildOfSlot(int i, int usable)
    {
        int nCell = CellCount;
        if (i == nCell) return RightChild;
        // A slot past the right-most child: the page changed under a cursor of another tree sharing it.
        if ((uint)i > (uint)nCell) TernException.ThrowCorrupt();
        int off = CellOffset(i);
        if (off + 4 > usable) TernException.ThrowCorrupt();
        return ChildAt(off);
    }

    public void SetCellCount(int n)
    {
        Data[Hdr + 3] = (byte)(n >> 8);
        Data[Hdr + 4] = (byte)n;
    }

    public void SetContentStart(int v)
    {
        v = v == 65536 ? 0 : v;
        Data[Hdr + 5] = (byte)(v >> 8);
        Data[Hdr + 6] = (byte)v;
    }

    public void SetFirstFreeblock(int v)
    {
        Data[Hdr + 1] = (byte)(v >> 8);
        Data[Hdr + 2] = (byte)v;
    }

    public void SetFragmented(int v) => Data[Hdr + 7] = (byte)v;

    public void SetRightChild(uint child) => BinaryPrimitives.WriteUInt32BigEndian(Data.AsSpan(Hdr + 8, 4), child);

    public void SetCellOffset(int i, int offset)
    {
        int p = CellArray + 2 * i;
        Data[p] = (byte)(offset >> 8);
        Data[p + 1] = (byte)offset;
    }

    /// <summary>Clears the page and writes an empty node header of the given type.</summary>
    public void Initialize(byte flags, int usable)
    {
        Array.Clear(Data, Hdr, usable - Hdr);
        Data[Hdr] = flags;
        SetContentStart(usable);
    }
}
