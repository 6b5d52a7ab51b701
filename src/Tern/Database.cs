// A database: one file (or an in-memory image) with its b-trees and the schema read from
// sqlite_schema. Within a process, every Database.Open of the same file (by full path, on
// the operating system's file system) is a handle onto one shared open file: one pager,
// one page cache, one schema. Connections made from any handle therefore see each other's
// committed writes at once, and one connection at a time holds a transaction; another
// that wants one while it is held gets SQLITE_BUSY ("database is locked"). The last
// handle disposed closes the file.
//
//   Database.Open("a.db") ──┐
//   Database.Open("a.db") ──┼──> SharedFile (BTree, schema, transaction owner, gate, handle count)
//   Database.Open("b.db") ──────> SharedFile ...
//
// The shared file's gate is a lock that statements hold while they step, so connections
// used from different threads take turns on the pager. ":memory:" and databases on a
// caller-supplied file system are never shared.
using Tern.Schema;
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;

namespace Tern;

/// <summary>An open database file. Create connections with <see cref="Connect"/>.</summary>
public sealed class Database : IDisposable
{
    private static readonly Dictionary<string, SharedFile> Registry = new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private readonly SharedFile _shared;
    private bool _disposed;

    private Database(SharedFile shared, string path, DatabaseOptions options)
    {
        _shared = shared;
        Path = path;
        ReadOnly = options.ReadOnly;
        SortMemoryLimit = options.SortMemoryLimit;
    }

    /// <summary>
    /// Opens (creating if needed) a database file, or a private in-memory database when
    /// <paramref name="path"/> is <c>":memory:"</c>. Opening a file that is already open in
    /// this process gives another handle onto the same open file (its page size and cache
    /// size stay as first opened).
    /// </summary>
    /// <param name="path">The file path, or <c>":memory:"</c>.</param>
    /// <param name="options">Open options; null for the defaults.</param>
    /// <exception cref="TernException">The file cannot be opened or is not a database.</exception>
    public static Database Open(string path, DatabaseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DatabaseOptions();
        if (path == ":memory:" || options.FileSystem != null) return new Database(new SharedFile(OpenBTree(path, options), null), path, options);
        string key = System.IO.Path.GetFullPath(path);
        lock (Registry)
        {
            // A file first opened read-only cannot take writers: a read-write open then gets a file of its own.
            if (Registry.TryGetValue(key, out SharedFile? shared) && (!shared.BTree.Pager.IsReadOnly || options.ReadOnly))
            {
                shared.Handles++;
                return new Database(shared, path, options);
            }
            shared = new SharedFile(OpenBTree(path, options), key);
            Registry.TryAdd(key, shared);
            return new Database(shared, path, options);
        }
    }

    private static BTree OpenBTree(string path, DatabaseOptions options)
    {
        IFileSystem fs = path == ":memory:" ? new MemoryFileSystem() : options.FileSystem ?? OsFileSystem.Instance;
        var pagerOptions = new PagerOptions
        {
            PageSize = options.PageSize,
            CacheSize = options.CacheSize,
            ReadOnly = options.ReadOnly,
            Synchronous = path == ":memory:" ? SynchronousMode.Off : options.Synchronous,
        };
        return BTree.Open(fs, path, pagerOptions);
    }

    /// <summary>The path the database was opened with.</summary>
    public string Path { get; }

    /// <summary>Whether this handle's connections may only read.</summary>
    public bool ReadOnly { get; }

    internal long SortMemoryLimit { get; }

    /// <summary>Where statements put their temporary files: the database's own file system.</summary>
    internal TempFiles TempFiles => _shared.TempFiles;

    internal BTree BTree => _shared.BTree;

    /// <summary>The lock a statement holds while it steps (shared by every handle on the file).</summary>
    internal object Gate => _shared;

    /// <summary>The connection holding the current transaction, if any.</summary>
    internal Connection? TransactionOwner
    {
        get => _shared.TransactionOwner;
        set => _shared.TransactionOwner = value;
    }

    /// <summary>Opens a connection to this database.</summary>
    public Connection Connect()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new Connection(this);
    }

    /// <summary>The schema, read from sqlite_schema when first needed or after a change.</summary>
    internal DatabaseSchema Schema
    {
        get
        {
            lock (_shared)
            {
                if (_shared.Schema != null) return _shared.Schema;
                BTree bt = _shared.BTree;
                bool started = bt.Pager.State == PagerState.Open;
                if (started) bt.BeginRead();
                try
                {
                    uint cookie = bt.GetMeta(DatabaseHeader.SchemaCookieOffset);
                    _shared.Schema = DatabaseSchema.Load(bt, cookie);
                }
                finally
                {
                    if (started) bt.EndRead();
                }
                return _shared.Schema;
            }
        }
    }

    /// <summary>Forgets the schema so the next use reads it again.</summary>
    internal void InvalidateSchema() => _shared.Schema = null;

    /// <summary>Releases this handle; the file closes with the last handle. Open connections must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_shared.Key == null)
        {
            _shared.BTree.Dispose();
            return;
        }
        lock (Registry)
        {
            if (--_shared.Handles > 0) return;
            if (Registry.TryGetValue(_shared.Key, out SharedFile? registered) && registered == _shared) Registry.Remove(_shared.Key);
        }
        lock (_shared) _shared.BTree.Dispose();
    }

    /// <summary>What the handles on one open file share.</summary>
    private sealed class SharedFile(BTree bt, string? key)
    {
        public BTree BTree { get; } = bt;
        /// <summary>The registry key (full path), or null for a file no other handle can share.</summary>
        public string? Key { get; } = key;
        public int Handles { get; set; } = 1;
        public DatabaseSchema? Schema { get; set; }
        public Connection? TransactionOwner { get; set; }
        public TempFiles TempFiles { get; } = new(bt.Pager.FileSystem, bt.Pager.Path);
    }
}
