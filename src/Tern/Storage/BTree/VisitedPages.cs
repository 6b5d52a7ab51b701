// A set of page numbers, one bit per page of the database, for walks over a whole tree that
// must not visit a page twice: in a valid file every page has one parent, but a corrupt file
// can make subtrees share pages (or point back up), and a walk that trusted it could free a
// page twice or take time exponential in the tree's depth. Adding a page already in the set
// (or one outside the database) is corruption.
namespace Tern.Storage.BTree;

/// <summary>Pages already visited by a walk over a tree.</summary>
internal sealed class VisitedPages
{
    private readonly ulong[] _bits;
    private readonly uint _pageCount;

    /// <summary>An empty set for a database of <paramref name="pageCount"/> pages.</summary>
    public VisitedPages(uint pageCount)
    {
        _pageCount = pageCount;
        _bits = new ulong[(pageCount >> 6) + 1];
    }

    /// <summary>Adds a page; throws SQLITE_CORRUPT when it is out of range or was added before.</summary>
    public void Add(uint pageNumber)
    {
        if (pageNumber == 0 || pageNumber > _pageCount) TernException.ThrowCorrupt();
        ref ulong word = ref _bits[pageNumber >> 6];
        ulong bit = 1UL << (int)(pageNumber & 63);
        if ((word & bit) != 0) TernException.ThrowCorrupt();
        word |= bit;
    }
}
