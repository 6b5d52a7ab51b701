// The page cache: a map from page number to Page, bounded by a page count, with SIEVE
// eviction (a FIFO queue plus one "visited" bit per page and a hand that sweeps from
// the tail toward the head).
//
//   head (newest) <-> ... <-> ... <-> tail (oldest)
//                               ^ hand
//
// On a hit the page's visited bit is set; nothing moves. To make room the hand walks
// toward the head (wrapping to the tail): a visited page has its bit cleared and is
// kept; the first page that is unvisited, unpinned and clean is evicted. Pinned pages
// (held by cursors) and dirty pages (not yet in the file) are never evicted; when
// nothing can be evicted the pager may spill dirty pages, or the cache grows past its
// bound until pages are released.
namespace Tern.Storage.Pager;

/// <summary>A bounded page cache with SIEVE eviction.</summary>
internal sealed class PageCache
{
    private readonly Dictionary<uint, Page> _map = new();
    private readonly Stack<Page> _freePages = new();
    private readonly int _pageSize;
    private Page? _head;
    private Page? _tail;
    private Page? _hand;

    public PageCache(int pageSize, int capacity)
    {
        _pageSize = pageSize;
        Capacity = Math.Max(capacity, 10);
    }

    /// <summary>The number of pages the cache tries to stay within.</summary>
    public int Capacity { get; set; }

    /// <summary>Pages currently cached.</summary>
    public int Count => _map.Count;

    /// <summary>Looks a page up, marking it visited.</summary>
    public Page? Get(uint pageNumber)
    {
        if (_map.TryGetValue(pageNumber, out Page? page))
        {
            page.Visited = true;
            return page;
        }
        return null;
    }

    /// <summary>Whether the cache is at its bound.</summary>
    public bool IsFull => _map.Count >= Capacity;

    /// <summary>
    /// Takes a page object for <paramref name="number"/>, reusing an evicted one (object and
    /// buffer) when there is one, so a steady stream of cache misses allocates nothing. The
    /// buffer's content is whatever it held: the caller fills it.
    /// </summary>
    public Page RentPage(uint number)
    {
        if (_freePages.Count == 0) return new Page(number, new byte[_pageSize]);
        Page p = _freePages.Pop();
        p.Number = number;
        return p;
    }

    /// <summary>Adds a page at the head of the queue.</summary>
    public void Add(Page page)
    {
        _map.Add(page.Number, page);
        page.Older = _head;
        page.Newer = null;
        if (_head != null) _head.Newer = page;
        _head = page;
        _tail ??= page;
    }

    /// <summary>
    /// Evicts one clean, unpinned page chosen by SIEVE. Returns false when every page is
    /// pinned or dirty.
    /// </summary>
    public bool TryEvictOne()
    {
        int budget = 2 * _map.Count + 1;
        Page? p = _hand ?? _tail;
        while (p != null && budget-- > 0)
        {
            if (p.Visited)
            {
                p.Visited = false;
            }
            else if (p.PinCount == 0 && !p.IsDirty)
            {
                _hand = p.Newer;
                Remove(p);
                p.Visited = false;
                _freePages.Push(p);
                return true;
            }
            p = p.Newer ?? _tail;
        }
        _hand = p;
        return false;
    }

    /// <summary>Removes a page from the cache (its buffer is not reused).</summary>
    public void Remove(Page page)
    {
        if (_hand == page) _hand = page.Newer;
        if (page.Newer != null) page.Newer.Older = page.Older; else _head = page.Older;
        if (page.Older != null) page.Older.Newer = page.Newer; else _tail = page.Newer;
        page.Newer = page.Older = null;
        _map.Remove(page.Number);
    }

    /// <summary>Removes every page above a page number (after a truncation or rollback).</summary>
    public void RemoveAbove(uint lastKept)
    {
        List<Page>? doomed = null;
        foreach (Page p in _map.Values)
        {
            if (p.Number > lastKept) (doomed ??= new()).Add(p);
        }
        if (doomed != null)
        {
            foreach (Page p in doomed) Remove(p);
        }
    }

    /// <summary>Drops every page.</summary>
    public void Clear()
    {
        _map.Clear();
        _head = _tail = _hand = null;
    }

    /// <summary>All cached pages (for rollback and diagnostics).</summary>
    public IEnumerable<Page> Pages => _map.Values;
}
