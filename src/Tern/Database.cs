// A database: one file (or an in-memory image) that connections open. Every connection
// has storage of its own over the file — its own pager, page cache, lock level, read
// snapshot and transaction, and its own copy of the schema — and connections coordinate
// through the file's locks, as SQLite's connections do: any number read at once, one
// writes at a time (the RESERVED lock), and a commit waits for the readers to finish (the
// EXCLUSIVE lock), within this process and across processes alike. A connection that finds
// the file changed by another since it last read drops its cached pages (the header's
// change counter) and reloads its schema when the schema cookie moved.
//
//   Database.Open("a.db") ── Connect() ──> Connection ── BTree ── Pager ── IFile (locks)
//                         └─ Connect() ──> Connection ── BTree ── Pager ── IFile (locks)
//
// ":memory:" is a private in-memory file that the connections of one Database share.
//
// Connect(sharedCache: true) gives SQLite's shared-cache mode instead: all such connections of
// this handle use one storage together and take turns through table locks (SharedCache).
using Tern.Storage;
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;

namespace Tern;

/// <summary>An open database file. Create connections with <see cref="Connect()"/>.</summary>
public sealed class Database : IDisposable
{
    private readonly IFileSystem _fs;
    private readonly PagerOptions _pagerOptions;
    private bool _disposed;
    /// <summary>The storage Open checked the file with, until the first connection takes it.</summary>
    private BTree? _unclaimed;
    /// <summary>The storage the shared-cache connections use, while any is open.</summary>
    private SharedCache? _shared;

    private Database(IFileSystem fs, string path, DatabaseOptions options)
    {
        _fs = fs;
        Path = path;
        ReadOnly = options.ReadOnly;
        SortMemoryLimit = options.SortMemoryLimit;
        _pagerOptions = new PagerOptions
        {
            PageSize = options.PageSize,
            CacheSize = options.CacheSize,
            ReadOnly = options.ReadOnly,
            Synchronous = path == ":memory:" ? SynchronousMode.Off : options.Synchronous,
            JournalMode = path == ":memory:" ? JournalMode.Memory : JournalMode.Delete,
        };
        TempFiles = new TempFiles(fs, path);
    }

    /// <summary>
    /// Opens (creating if needed) a database file, or a private in-memory database when
    /// <paramref name="path"/> is <c>":memory:"</c>. The file is checked to be a database
    /// now; connections open it again each (see <see cref="Connect()"/>).
    /// </summary>
    /// <param name="path">The file path, or <c>":memory:"</c>.</param>
    /// <param name="options">Open options; null for the defaults.</param>
    /// <exception cref="TernException">The file cannot be opened or is not a database.</exception>
    public static Database Open(string path, DatabaseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DatabaseOptions();
        IFileSystem fs = path == ":memory:" ? new MemoryFileSystem() : options.FileSystem ?? OsFileSystem.Instance;
        var db = new Database(fs, path, options);
        // Opening checks the header (SQLITE_NOTADB) and plays back a hot journal; the storage
        // opened for that serves the first connection.
        db._unclaimed = db.OpenStorage();
        return db;
    }

    /// <summary>Opens the storage one connection works on: its own pager and cache over the file.</summary>
    internal BTree OpenStorage()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return BTree.Open(_fs, Path, _pagerOptions);
    }

    /// <summary>A connection's TEMP database: a private in-memory b-tree with this handle's page size.</summary>
    internal BTree OpenTempStorage() => BTree.Open(new MemoryFileSystem(), ":memory:", InMemory(_pagerOptions));

    private static PagerOptions InMemory(PagerOptions o) => new()
    {
        PageSize = o.PageSize,
        CacheSize = o.CacheSize,
        Synchronous = SynchronousMode.Off,
        JournalMode = JournalMode.Memory,
    };

    /// <summary>
    /// A database ATTACH adds: the file at <paramref name="path"/> on this handle's file system
    /// (created when missing, unless the handle is read-only), or a new in-memory one for
    /// ":memory:" or "".
    /// </summary>
    internal BTree OpenAttached(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (path.Length == 0 || path == ":memory:") return BTree.Open(new MemoryFileSystem(), ":memory:", InMemory(_pagerOptions));
        // A ":memory:" main database has a private in-memory file system: files attached to
        // it are on disk. Otherwise they share the handle's file system (a MemoryFileSystem given
        // in the options holds the attached files too, so faults and power cuts reach them).
        IFileSystem fs = Path == ":memory:" ? OsFileSystem.Instance : _fs;
        try
        {
            return BTree.Open(fs, path, new PagerOptions
            {
                PageSize = _pagerOptions.PageSize,
                CacheSize = _pagerOptions.CacheSize,
                ReadOnly = _pagerOptions.ReadOnly,
                Synchronous = _pagerOptions.Synchronous == SynchronousMode.Off ? SynchronousMode.Full : _pagerOptions.Synchronous,
                JournalMode = JournalMode.Delete,
            });
        }
        catch (TernException e) when (e.Code == ResultCode.CantOpen)
        {
            throw new TernException(ResultCode.CantOpen, "unable to open database: " + path, e);
        }
    }

    /// <summary>The path the database was opened with.</summary>
    public string Path { get; }

    /// <summary>Whether this handle's connections may only read.</summary>
    public bool ReadOnly { get; }

    internal long SortMemoryLimit { get; }

    /// <summary>Where statements put their temporary files: the database's own file system.</summary>
    internal TempFiles TempFiles { get; }

    /// <summary>Opens a connection to this database.</summary>
    /// <exception cref="TernException">The file cannot be opened.</exception>
    public Connection Connect() => Connect(sharedCache: false);

    /// <summary>
    /// Opens a connection to this database. With <paramref name="sharedCache"/> it joins the
    /// shared cache of this handle (SQLite's <c>cache=shared</c>): the shared-cache connections
    /// use one page cache and one transaction on the file, and between themselves lock tables,
    /// failing with SQLITE_LOCKED where private connections would wait on file locks
    /// (SQLITE_BUSY); <c>PRAGMA read_uncommitted</c> lets one read what another has not committed.
    /// </summary>
    /// <exception cref="TernException">The file cannot be opened.</exception>
    public Connection Connect(bool sharedCache)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!sharedCache)
        {
            BTree? storage = Interlocked.Exchange(ref _unclaimed, null);
            return new Connection(this, storage ?? OpenStorage());
        }
        lock (this)
        {
            SharedCacheConnection? handle = _shared?.TryAttach();
            if (handle == null)
            {
                _shared = new SharedCache(Interlocked.Exchange(ref _unclaimed, null) ?? OpenStorage());
                handle = _shared.TryAttach()!;
            }
            return new Connection(this, handle);
        }
    }

    /// <summary>
    /// Releases this handle. Connections made from it keep working until they are disposed;
    /// an in-memory database lives as long as any of them.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        Interlocked.Exchange(ref _unclaimed, null)?.Dispose();
    }
}
