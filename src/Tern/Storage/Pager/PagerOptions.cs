// Settings a pager is opened with: page size and reserved bytes for a new database,
// cache size, synchronous level, journal mode and read-only mode.
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

/// <summary>
/// How transactions are made atomic, as SQLite's <c>PRAGMA journal_mode</c>: a rollback
/// journal (kept the same way in all of DELETE, PERSIST, TRUNCATE and MEMORY, which differ in
/// how a transaction ends and where the journal lives; none with OFF), or a write-ahead log.
/// </summary>
public enum JournalMode
{
    /// <summary>The journal is deleted at the end of each transaction (SQLite's default).</summary>
    Delete,
    /// <summary>The journal stays; its header is zeroed at the end of each transaction.</summary>
    Persist,
    /// <summary>No journal: no atomic rollback after a crash (and the cache grows instead of spilling).</summary>
    Off,
    /// <summary>The journal stays; it is cut to nothing at the end of each transaction.</summary>
    Truncate,
    /// <summary>The journal is kept in memory: ROLLBACK works, a crash may corrupt the file.</summary>
    Memory,
    /// <summary>Changes are appended to a write-ahead log ("-wal") that readers share through the wal-index ("-shm").</summary>
    Wal,
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

    /// <summary>The journal mode a pager starts in (an in-memory database's is <see cref="JournalMode.Memory"/>).</summary>
    public JournalMode JournalMode { get; init; } = JournalMode.Delete;

    /// <summary>Sector size assumed for the journal header (SQLite's default is 512).</summary>
    public int SectorSize { get; init; } = 512;
}
