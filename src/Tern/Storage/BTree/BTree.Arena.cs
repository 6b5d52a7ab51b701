// Scratch memory for balancing. Balancing lays out every cell of up to three sibling
// pages plus their parent's dividers; instead of copying each cell into an array of its
// own, whole pages are copied into page-sized arena buffers and cells are referred to
// by (buffer, offset, length). New small cells (dividers) are carved from the same
// buffers. The arena and the cell lists are reused by every change to the database and
// reset when a cursor starts the next insert or delete, so balancing allocates almost
// nothing once warm.
namespace Tern.Storage.BTree;

/// <summary>A cell's bytes inside some buffer (a page copy, an arena buffer, a cursor's cell buffer).</summary>
internal readonly struct CellRef
{
    public readonly byte[] Buffer;
    public readonly int Offset;
    public readonly int Length;

    public CellRef(byte[] buffer, int offset, int length)
    {
        Buffer = buffer;
        Offset = offset;
        Length = length;
    }

    public Span<byte> Span => Buffer.AsSpan(Offset, Length);

    /// <summary>Bytes the cell takes on a page (at least 4) plus its 2-byte pointer.</summary>
    public int SpaceOnPage => Math.Max(Length, 4) + 2;
}

internal sealed partial class BTree
{
    private readonly List<byte[]> _arena = new();
    private int _arenaPage;        // buffer being carved
    private int _arenaUsed;        // bytes used in it
    private readonly List<List<CellRef>> _cellLists = new();
    private int _cellListsUsed;
    private int[] _ints = new int[64];

    /// <summary>Forgets everything the arena holds (start of an insert or delete).</summary>
    internal void ResetArena()
    {
        _arenaPage = 0;
        _arenaUsed = 0;
        _cellListsUsed = 0;
    }

    /// <summary>A fresh, empty cell list from the pool.</summary>
    internal List<CellRef> RentCellList()
    {
        if (_cellListsUsed == _cellLists.Count) _cellLists.Add(new List<CellRef>(64));
        List<CellRef> list = _cellLists[_cellListsUsed++];
        list.Clear();
        return list;
    }

    /// <summary>A scratch int array of at least <paramref name="n"/> entries (contents undefined).</summary>
    internal int[] RentInts(int n)
    {
        if (_ints.Length < n) _ints = new int[Math.Max(n, _ints.Length * 2)];
        return _ints;
    }

    /// <summary><paramref name="length"/> bytes of arena space (at most a page).</summary>
    internal CellRef AllocateCell(int length)
    {
        int size = Pager.PageSize;
        if (_arenaPage < _arena.Count && _arenaUsed + length > size)
        {
            _arenaPage++;
            _arenaUsed = 0;
        }
        if (_arenaPage == _arena.Count || _arena[_arenaPage].Length < size)
        {
            if (_arenaPage == _arena.Count) _arena.Add(new byte[size]);
            else _arena[_arenaPage] = new byte[size];
        }
        var cell = new CellRef(_arena[_arenaPage], _arenaUsed, length);
        _arenaUsed += length;
        return cell;
    }

    /// <summary>Copies bytes into the arena.</summary>
    internal CellRef CopyToArena(ReadOnlySpan<byte> bytes)
    {
        CellRef c = AllocateCell(bytes.Length);
        bytes.CopyTo(c.Span);
        return c;
    }

    /// <summary>Appends the cells of a node to <paramref name="into"/>, referring to a copy of the page in the arena.</summary>
    internal void ReadCells(in Node n, List<CellRef> into)
    {
        CellRef copy = AllocateCell(Usable);
        n.Data.AsSpan(0, Usable).CopyTo(copy.Span);
        int nCell = n.CellCount;
        for (int i = 0; i < nCell; i++)
        {
            int off = n.CellOffset(i);
            CellInfo ci = ParseCell(n, off);
            int len = n.Flags == PageType.InteriorTable
                ? ci.Size
                : ci.PayloadOffset - off + ci.Local + (ci.Overflow != 0 ? 4 : 0);
            into.Add(new CellRef(copy.Buffer, copy.Offset + off, len));
        }
    }

    /// <summary>Bytes a list of cells needs on a page (content + pointers).</summary>
    internal static int SpaceNeeded(List<CellRef> cells, int from, int count)
    {
        int total = 0;
        for (int i = from; i < from + count; i++) total += cells[i].SpaceOnPage;
        return total;
    }

    /// <summary>Rewrites a node to hold exactly these cells (in order), packed at the end of the page.</summary>
    internal void WriteNode(in Node n, byte flags, List<CellRef> cells, int from, int count, uint rightChild)
    {
        n.Initialize(flags, Usable);
        byte[] d = n.Data;
        int top = Usable;
        int arr = n.CellArray;
        if (arr + SpaceNeeded(cells, from, count) > Usable) TernException.ThrowCorrupt();
        for (int i = 0; i < count; i++)
        {
            CellRef c = cells[from + i];
            top -= Math.Max(c.Length, 4);
            Buffer.BlockCopy(c.Buffer, c.Offset, d, top, c.Length);
            d[arr + 2 * i] = (byte)(top >> 8);
            d[arr + 2 * i + 1] = (byte)top;
        }
        n.SetCellCount(count);
        n.SetContentStart(top);
        if ((flags & 8) == 0) n.SetRightChild(rightChild);
    }
}
