// Settings a pager is opened with: page size and reserved bytes for a new database,
// cache size, synchronous level and read-only mode.
namespace Tern.Storage.Pager;

/// <summary>How often the pager calls fsync, as SQLite's <c>PRAGMA synchronous</c>.</summary>
public enum SynchronousMode
{
    /// <summary>Never sync: fast, and a power cut may corrupt the database.</summary>
    Off = 0,
    /// <summary>Sync the journal once before writing the database, and the database before committing.</summary>
    Normal = 1,
    /// <summary>Sync the journal's records, then its header, then the database (SQLite's default).</summary>
    Full = 2,
}

/// <summary>Options for opening a <see cref="Pager"/>.</summary>
public sealed class PagerOptions
{
    /// <summary>Page size of a new database (a power of two from 512 to 65536). Existing files keep theirs.</summary>
    public int PageSize { get; init; } = 4096;

    /// <summary>Bytes reserved at the end of every page of a new database (0..255).</summary>
    public int ReservedBytes { get; init; }

    /// <summary>Pages kept in the page cache.</summary>
    public int CacheSize { get; init; } = 2000;

    /// <summary>The synchronous level.</summary>
    public SynchronousMode Synchronous { get; init; } = SynchronousMode.Full;

    /// <summary>Open the database read-only.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Sector size assumed for the journal header (SQLite's default is 512).</summary>
    public int SectorSize { get; init; } = 512;
}
