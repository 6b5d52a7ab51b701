// One page of the database as held in the page cache: its number, its buffer, and the
// cache's bookkeeping (pin count, dirty flag, SIEVE "visited" bit and list links).
// The b-tree reads and writes Data directly; before writing it must call
// Pager.MakeWritable so the page's original content reaches the rollback journal.
namespace Tern.Storage.Pager;

/// <summary>A cached database page.</summary>
internal sealed class Page
{
    internal Page(uint number, byte[] data)
    {
        Number = number;
        Data = data;
    }

    /// <summary>The page number (1-based). The cache reuses evicted page objects for other pages.</summary>
    public uint Number { get; internal set; }

    /// <summary>The page's bytes; its length is the database page size.</summary>
    public byte[] Data { get; internal set; }

    /// <summary>Number of holders that keep the page from being evicted.</summary>
    internal int PinCount;

    /// <summary>Whether the page differs from what is in the database file.</summary>
    internal bool IsDirty;

    /// <summary>SIEVE's visited bit: set on every hit, cleared by the eviction hand.</summary>
    internal bool Visited;

    /// <summary>Newer neighbour in the cache's queue (toward the head).</summary>
    internal Page? Newer;

    /// <summary>Older neighbour in the cache's queue (toward the tail).</summary>
    internal Page? Older;

    /// <inheritdoc />
    public override string ToString() => $"page {Number}{(IsDirty ? " dirty" : "")} pins={PinCount}";
}
