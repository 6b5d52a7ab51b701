// A database: one file (or an in-memory image) opened once, with its b-trees and the
// schema read from sqlite_schema. Connections made from it share its pager, so one
// connection at a time holds a transaction; another connection that wants one while it
// is held gets SQLITE_BUSY ("database is locked").
using Tern.Schema;
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;

namespace Tern;

/// <summary>An open database file. Create connections with <see cref="Connect"/>.</summary>
public sealed class Database : IDisposable
{
    private DatabaseSchema? _schema;
    private bool _disposed;

    private Database(BTree bt, string path)
    {
        BTree = bt;
        Path = path;
    }

    /// <summary>
    /// Opens (creating if needed) a database file, or a private in-memory database when
    /// <paramref name="path"/> is <c>":memory:"</c>.
    /// </summary>
    /// <param name="path">The file path, or <c>":memory:"</c>.</param>
    /// <param name="options">Open options; null for the defaults.</param>
    /// <exception cref="TernException">The file cannot be opened or is not a database.</exception>
    public static Database Open(string path, DatabaseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DatabaseOptions();
        IFileSystem fs = path == ":memory:" ? new MemoryFileSystem() : options.FileSystem ?? OsFileSystem.Instance;
        var pagerOptions = new PagerOptions
        {
            PageSize = options.PageSize,
            CacheSize = options.CacheSize,
            ReadOnly = options.ReadOnly,
            Synchronous = path == ":memory:" ? SynchronousMode.Off : options.Synchronous,
        };
        BTree bt = BTree.Open(fs, path, pagerOptions);
        return new Database(bt, path);
    }

    /// <summary>The path the database was opened with.</summary>
    public string Path { get; }

    internal BTree BTree { get; }

    /// <summary>The connection holding the current transaction, if any.</summary>
    internal Connection? TransactionOwner { get; set; }

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
            if (_schema != null) return _schema;
            bool started = BTree.Pager.State == PagerState.Open;
            if (started) BTree.BeginRead();
            try
            {
                uint cookie = BTree.GetMeta(DatabaseHeader.SchemaCookieOffset);
                _schema = DatabaseSchema.Load(BTree, cookie);
            }
            finally
            {
                if (started) BTree.EndRead();
            }
            return _schema;
        }
    }

    /// <summary>Forgets the schema so the next use reads it again.</summary>
    internal void InvalidateSchema() => _schema = null;

    /// <summary>Closes the file. Open connections must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        BTree.Dispose();
    }
}
