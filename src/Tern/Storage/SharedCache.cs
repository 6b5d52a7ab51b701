// A shared cache (SQLite's shared-cache mode): the connections of one database handle that
// ask for it use one storage together — one B-tree, pager, page cache, file lock and
// transaction — instead of a storage each. Toward other processes and other connections
// they are one connection; among themselves they take turns through table locks, as
// SQLite's btree.c has them:
//
//   - one of them writes at a time: a second writer is refused with SQLITE_LOCKED
//     ("database table is locked"), not SQLITE_BUSY, and nobody waits in the engine;
//   - each statement locks the tables it uses when it begins (a read lock on a table it
//     reads, a write lock on one it changes; an index counts as its table), and keeps the
//     locks until its connection's transaction ends. A read lock and a write lock on one
//     table by two connections conflict: SQLITE_LOCKED_SHAREDCACHE, "database table is
//     locked: NAME";
//   - a writer refused by a reader's lock marks the cache pending: no connection may begin
//     a new transaction until the readers are done, so the writer is not starved;
//   - BEGIN EXCLUSIVE makes the writer's locks exclusive: nobody else may lock a table;
//   - every transaction holds a read lock on sqlite_schema (root page 1), so schema changes
//     wait until the other connections' transactions end; uncommitted ones (a write lock on
//     it) make the others' prepares fail: "database schema is locked: main";
//   - a connection with PRAGMA read_uncommitted takes no read locks, and reads what the
//     writer has changed but not committed (the pages are the same pages).
//
// The storage's own transaction is the union of its connections': it reads while any of
// them reads, writes while the writer writes, and goes back to reading (not to nothing)
// when the writer ends while others still read. Every call on a shared cache runs under its
// gate (Statement takes it), so connections on different threads take turns there.
//
//   connection state:  None --BeginRead--> Read --BeginWrite--> Write
//                        ^                   |                    |
//                        +------EndRead------+--Commit/Rollback---+
//
//   cache:  writer (0 or 1), exclusive, pending; locks: (connection, table root, read|write)*
using System.Diagnostics;
using Tern.Storage.BTree;
using Tern.Storage.Pager;

namespace Tern.Storage;

/// <summary>One storage shared by several connections, with SQLite's table locks between them.</summary>
internal sealed class SharedCache
{
    /// <summary>The root page of sqlite_schema, whose write lock locks the schema.</summary>
    public const uint SchemaRoot = 1;

    private readonly List<(SharedCacheConnection Owner, uint Table, bool Write)> _locks = [];
    private readonly BTree.BTree _tree;
    private SharedCacheConnection? _writer;
    private bool _exclusive;
    private bool _pending;
    private int _inTransaction;
    private int _connections;

    public SharedCache(BTree.BTree tree) => _tree = tree;

    /// <summary>The storage every connection of the cache uses.</summary>
    public BTree.BTree Tree => _tree;

    /// <summary>The lock every call on the cache is made under.</summary>
    public object Gate { get; } = new();

    /// <summary>The schema the cache's connections share (null until one reads it, and after it changes).</summary>
    public Schema.DatabaseSchema? Schema { get; set; }

    /// <summary>Whether a connection has schema changes not committed yet (a write lock on sqlite_schema).</summary>
    public bool SchemaWriteLocked => _locks.Exists(l => l.Table == SchemaRoot && l.Write);

    /// <summary>Whether the last connection has gone (the storage is closed).</summary>
    public bool Closed { get; private set; }

    /// <summary>A new connection's handle on the cache; null when the cache has closed.</summary>
    public SharedCacheConnection? TryAttach()
    {
        lock (Gate)
        {
            if (Closed) return null;
            _connections++;
            return new SharedCacheConnection(this);
        }
    }

    /// <summary>A connection leaves: its transaction is rolled back; the last one closes the storage.</summary>
    internal void Detach(SharedCacheConnection c)
    {
        try
        {
            c.End(commit: false);
        }
        finally
        {
            if (c.State != TransactionState.None) EndTransaction(c);
            if (--_connections == 0)
            {
                Closed = true;
                _tree.Dispose();
            }
            else if (_inTransaction == 0 && _tree.TransactionState != TransactionState.None)
            {
                _tree.End(commit: false);
            }
        }
    }

    /// <summary>SQLITE_LOCKED_SHAREDCACHE with SQLite's text.</summary>
    private static TernException Locked(string? table) => new(ResultCode.LockedSharedCache,
        table == null ? TernException.DefaultMessage(ResultCode.Locked) : "database table is locked: " + table);

    /// <summary>
    /// Starts <paramref name="c"/>'s read or write transaction (SQLite's sqlite3BtreeBeginTrans):
    /// refused while another connection writes (for a writer), while a writer waits for readers
    /// (pending), and for BEGIN EXCLUSIVE while anyone else holds a table lock.
    /// </summary>
    internal void Begin(SharedCacheConnection c, bool write, bool exclusive)
    {
        if (c.State == TransactionState.Write) return;
        if (c.State == TransactionState.Read && !write)
        {
            // (The storage's own read transaction may have been lost to a failed commit of the writer.)
            if (_tree.TransactionState == TransactionState.None) _tree.BeginRead();
            return;
        }
        bool blocked = (write && _writer != null && _writer != c) || (_pending && _writer != c);
        if (!blocked && write && exclusive) blocked = _locks.Exists(l => l.Owner != c);
        // Every transaction holds a read lock on sqlite_schema: uncommitted schema changes keep it out.
        if (blocked || Conflicts(c, SchemaRoot, write: false, markPending: false)) throw Locked(null);
        if (write) _tree.BeginWrite(exclusive);
        else if (_tree.TransactionState == TransactionState.None) _tree.BeginRead();
        if (c.State == TransactionState.None)
        {
            _inTransaction++;
            _locks.Add((c, SchemaRoot, false));
        }
        c.State = write ? TransactionState.Write : TransactionState.Read;
        if (write)
        {
            _writer = c;
            _exclusive = exclusive;
        }
    }

    /// <summary>
    /// Commits (or rolls back) the writer's transaction; the storage keeps reading for the
    /// others. With <paramref name="keepReading"/> (other statements of the writer still read)
    /// the writer goes on reading, its locks made read locks (SQLite's downgradeAllSharedCacheTableLocks).
    /// </summary>
    internal void EndWrite(SharedCacheConnection c, bool commit, bool keepReading)
    {
        Debug.Assert(c.State == TransactionState.Write && _writer == c);
        bool othersRead = _inTransaction > 1 || keepReading;
        try
        {
            if (commit) _tree.Commit(othersRead);
            else _tree.Rollback(othersRead);
        }
        catch (TernException) when (_tree.TransactionState == TransactionState.Write)
        {
            // A commit that must wait (SQLITE_BUSY) leaves the transaction open, to be tried again.
            throw;
        }
        catch (TernException)
        {
            // The transaction is gone (rolled back by the failure): so is the writer's.
            EndTransaction(c);
            KeepReadingForOthers();
            throw;
        }
        if (keepReading)
        {
            for (int i = 0; i < _locks.Count; i++)
            {
                if (_locks[i].Owner == c) _locks[i] = (c, _locks[i].Table, false);
            }
            _writer = null;
            _exclusive = false;
            _pending = false;
            c.State = TransactionState.Read;
            return;
        }
        EndTransaction(c);
        KeepReadingForOthers();
    }

    /// <summary>Ends <paramref name="c"/>'s read transaction; the last reader ends the storage's.</summary>
    internal void EndRead(SharedCacheConnection c)
    {
        if (c.State != TransactionState.Read) return;
        EndTransaction(c);
        if (_inTransaction == 0 && _tree.TransactionState == TransactionState.Read) _tree.EndRead();
    }

    /// <summary>
    /// After a failed commit or rollback the storage may hold no transaction while others read:
    /// they read on a new one (their cursors were tripped, so their statements stop with
    /// SQLITE_ABORT_ROLLBACK). When even that fails, their next statement begins it again.
    /// </summary>
    private void KeepReadingForOthers()
    {
        if (_inTransaction == 0 || _tree.TransactionState != TransactionState.None) return;
        try
        {
            _tree.BeginRead();
        }
        catch (TernException)
        {
            // The failure being reported says enough.
        }
    }

    /// <summary>Forgets <paramref name="c"/>'s transaction and its table locks (SQLite's clearAllSharedCacheTableLocks).</summary>
    private void EndTransaction(SharedCacheConnection c)
    {
        Debug.Assert(c.State != TransactionState.None);
        _locks.RemoveAll(l => l.Owner == c);
        if (_writer == c)
        {
            _writer = null;
            _exclusive = false;
            _pending = false;
        }
        else if (_inTransaction == 2)
        {
            // The only other connection in a transaction is the writer: no reader is left in its way.
            _pending = false;
        }
        c.State = TransactionState.None;
        _inTransaction--;
    }

    /// <summary>
    /// Takes a read or write lock on table <paramref name="table"/> (its root page) for
    /// <paramref name="c"/>, which is in a transaction; <paramref name="name"/> names it in the error.
    /// </summary>
    internal void LockTable(SharedCacheConnection c, uint table, bool write, string name)
    {
        Debug.Assert(c.State != TransactionState.None && (!write || c.State == TransactionState.Write));
        if (Conflicts(c, table, write, markPending: true)) throw Locked(name);
        int mine = _locks.FindIndex(l => l.Owner == c && l.Table == table);
        if (mine < 0) _locks.Add((c, table, write));
        else if (write && !_locks[mine].Write) _locks[mine] = (c, table, true);
    }

    /// <summary>Whether <paramref name="c"/> holds the write lock on sqlite_schema.</summary>
    internal bool HoldsSchemaWriteLock(SharedCacheConnection c) => _locks.Exists(l => l.Owner == c && l.Table == SchemaRoot && l.Write);

    /// <summary>Whether another connection has made schema changes it has not committed yet.</summary>
    internal bool SchemaLocked(SharedCacheConnection c) => Conflicts(c, SchemaRoot, write: false, markPending: false);

    /// <summary>SQLite's querySharedCacheTableLock: whether a lock of <paramref name="c"/> on <paramref name="table"/> would conflict.</summary>
    private bool Conflicts(SharedCacheConnection c, uint table, bool write, bool markPending)
    {
        if (_exclusive && _writer != null && _writer != c) return true;
        foreach ((SharedCacheConnection owner, uint t, bool w) in _locks)
        {
            // One writer at a time: two write locks on one table are the same connection's.
            if (owner != c && t == table && w != write)
            {
                if (write && markPending) _pending = true;
                return true;
            }
        }
        return false;
    }
}

/// <summary>One connection's transaction on a <see cref="SharedCache"/>.</summary>
internal sealed class SharedCacheConnection : ITransactionStore
{
    private readonly SharedCache _cache;

    internal SharedCacheConnection(SharedCache cache) => _cache = cache;

    /// <summary>The cache this connection uses.</summary>
    public SharedCache Cache => _cache;

    /// <summary>Called while a file lock is busy, on this connection's behalf.</summary>
    public Func<int, bool>? BusyHandler { get; set; }

    /// <inheritdoc/>
    public TransactionState State { get; internal set; }

    TransactionState ITransactionStore.TransactionState => State;

    /// <summary>The storage asks the busy handler of whichever connection is using it now.</summary>
    private void UseBusyHandler() => _cache.Tree.Pager.BusyHandler = BusyHandler;

    /// <inheritdoc/>
    public void BeginRead()
    {
        UseBusyHandler();
        _cache.Begin(this, write: false, exclusive: false);
    }

    /// <inheritdoc/>
    public void BeginWrite(bool exclusive = false)
    {
        UseBusyHandler();
        _cache.Begin(this, write: true, exclusive);
    }

    /// <inheritdoc/>
    public void Commit(bool keepReading = false)
    {
        if (State != TransactionState.Write) return;
        UseBusyHandler();
        _cache.EndWrite(this, commit: true, keepReading);
    }

    /// <inheritdoc/>
    public void Rollback(bool keepReading = false)
    {
        if (State != TransactionState.Write) return;
        UseBusyHandler();
        _cache.EndWrite(this, commit: false, keepReading);
    }

    /// <inheritdoc/>
    public void EndRead() => _cache.EndRead(this);

    /// <inheritdoc/>
    public int OpenSavepoint() => _cache.Tree.OpenSavepoint();

    /// <inheritdoc/>
    public void ReleaseSavepoint(int index) => _cache.Tree.ReleaseSavepoint(index);

    /// <inheritdoc/>
    public void RollbackToSavepoint(int index) => _cache.Tree.RollbackToSavepoint(index);

    /// <inheritdoc/>
    public int SavepointCount => State == TransactionState.Write ? _cache.Tree.SavepointCount : 0;

    /// <summary>Locks table <paramref name="table"/> (its root page) for this connection's transaction.</summary>
    public void LockTable(uint table, bool write, string name) => _cache.LockTable(this, table, write, name);

    /// <summary>Whether another connection of the cache has uncommitted schema changes.</summary>
    public bool SchemaLocked => _cache.SchemaLocked(this);

    /// <summary>Whether this connection has schema changes not committed yet.</summary>
    public bool HoldsSchemaWriteLock => _cache.HoldsSchemaWriteLock(this);

    /// <summary>Leaves the cache, rolling back an open transaction.</summary>
    public void Detach() => _cache.Detach(this);
}
