// Auto-vacuum: in a database with auto_vacuum=FULL, every commit gives free pages back
// to the file system. Pages in use at the end of the file move into free pages nearer
// the start (the pointer map says who points to each one, so only that pointer changes),
// then the file is cut after the last page in use and the freelist becomes empty.
//
//   before:  [1][map][a][free][b][free][c][d]        pages 1..nOrig
//   after:   [1][map][a][ d  ][b][ c  ]               pages 1..nFin
//
// With auto_vacuum=INCREMENTAL the same step runs only when asked (incremental_vacuum).
using System.Buffers.Binary;
using Tern.Storage.Pager;

namespace Tern.Storage.BTree;

internal sealed partial class BTree
{
    /// <summary>Whether a page is never a b-tree, overflow or free page (a pointer map or the pending-byte page).</summary>
    private bool IsSpecialPage(uint pgno) => pgno == Pager.PendingBytePage || (AutoVacuum && IsPtrmapPage(pgno));

    /// <summary>
    /// Moves pages so that up to <paramref name="maxPages"/> free pages (all of them when null)
    /// leave the end of the file, and cuts the file. Returns the number of pages released.
    /// Only for auto-vacuum databases, inside a write transaction.
    /// </summary>
    public uint Vacuum(uint? maxPages = null)
    {
        if (!AutoVacuum || !InWriteTransaction) return 0;
        uint nOrig = Pager.PageCount;
        uint nFree = GetMeta(DatabaseHeader.FreelistCountOffset);
        if (nFree == 0) return 0;
        if (nFree >= nOrig) TernException.ThrowCorrupt();
        uint release = maxPages is uint m && m < nFree ? m : nFree;
        SaveAllCursors(null);

        // The new end: drop `release` ordinary pages from the end, then any special pages left last.
        uint nFin = nOrig;
        for (uint left = release; left > 0; nFin--)
        {
            if (nFin <= 1) TernException.ThrowCorrupt();
            if (!IsSpecialPage(nFin)) left--;
        }
        while (nFin > 1 && IsSpecialPage(nFin)) nFin--;

        // Free pages past the new end are simply dropped; free pages before it take in the
        // pages that are still used past it.
        var freeBelow = new List<uint>();
        var freeAbove = new HashSet<uint>();
        CollectFreelist(nFin, freeBelow, freeAbove);
        int target = 0;
        for (uint p = nOrig; p > nFin; p--)
        {
            if (IsSpecialPage(p) || freeAbove.Contains(p)) continue;
            if (target >= freeBelow.Count) TernException.ThrowCorrupt();
            RelocatePage(p, freeBelow[target++]);
        }
        RebuildFreelist(freeBelow, target);
        Pager.Truncate(nFin);
        return nOrig - nFin;
    }

    /// <summary>Splits the freelist's pages into those at or below <paramref name="limit"/> and those above.</summary>
    private void CollectFreelist(uint limit, List<uint> below, HashSet<uint> above)
    {
        uint trunk = GetMeta(DatabaseHeader.FirstFreelistTrunkOffset);
        uint guard = 0;
        while (trunk != 0)
        {
            if (trunk > Pager.PageCount || guard++ > Pager.PageCount) TernException.ThrowCorrupt();
            if (trunk <= limit) below.Add(trunk); else above.Add(trunk);
            Page t = GetPage(trunk);
            try
            {
                uint leaves = BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(4));
                if (leaves > (uint)(Usable / 4 - 2)) TernException.ThrowCorrupt();
                for (int i = 0; i < leaves; i++)
                {
                    uint leaf = BinaryPrimitives.ReadUInt32BigEndian(t.Data.AsSpan(8 + 4 * i));
                    if (leaf < 2 || leaf > Pager.PageCount) TernException.ThrowCorrupt();
                    if (leaf <= limit) below.Add(leaf); else above.Add(leaf);
                }
                trunk = BinaryPrimitives.ReadUInt32BigEndian(t.Data);
            }
            finally
            {
                Pager.Release(t);
            }
        }
        below.Sort();
    }

    /// <summary>Makes the freelist hold exactly the pages of <paramref name="free"/> from index <paramref name="from"/> on.</summary>
    private void RebuildFreelist(List<uint> free, int from)
    {
        SetMeta(DatabaseHeader.FirstFreelistTrunkOffset, 0);
        SetMeta(DatabaseHeader.FreelistCountOffset, 0);
        for (int i = from; i < free.Count; i++) FreePage(free[i]);
    }
}
