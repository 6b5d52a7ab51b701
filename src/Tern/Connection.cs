// A connection: prepares statements against a database's schema, runs scripts, and
// tracks what SQLite tracks per connection: autocommit mode (BEGIN turns it off, COMMIT
// and ROLLBACK back on), the rows changed by the last INSERT/UPDATE/DELETE, the total
// changed since opening, and the last inserted rowid.
//
// Besides its main database a connection has a TEMP database (a private in-memory b-tree,
// made when first used) and the databases ATTACH adds; SchemaSet numbers them and
// TransactionStores begins and ends their transactions together.
using System.Diagnostics;
using System.Text;
using Tern.Sql;
using Tern.Schema;
using Tern.Storage;
using Tern.Storage.BTree;
using Tern.Storage.Pager;
using Tern.Vdbe;

namespace Tern;

/// <summary>A connection to a <see cref="Database"/>.</summary>
public sealed partial class Connection : IDisposable, IVdbeHost
{
    private readonly Database _db;
    private readonly BTree _btree;
    /// <summary>Where transactions begin and end: the B-tree itself, or this connection's handle on a shared cache.</summary>
    private readonly ITransactionStore _store;
    private readonly SharedCacheConnection? _shared;
    private DatabaseSchema? _schema;
    private bool _disposed;
    /// <summary>The transactions of every database of the connection (main's is <see cref="_store"/>).</summary>
    private readonly TransactionStores _stores;

    /// <summary>A database of the connection other than main: temp (number 1) or an attached one.</summary>
    private sealed class OtherDatabase
    {
        public required string Name { get; init; }
        public required BTree Tree { get; init; }
        public DatabaseSchema? Schema { get; set; }
    }

    /// <summary>The databases by number; [0] (main) is unused, [1] (temp) is null until made.</summary>
    private readonly List<OtherDatabase?> _others = [null, null];

    /// <summary>The most databases ATTACH may add (SQLITE_MAX_ATTACHED's default).</summary>
    private const int MaxAttached = 10;

    internal Connection(Database db, BTree btree)
    {
        _db = db;
        _btree = btree;
        _store = btree;
        _btree.Pager.BusyHandler = WaitWhileBusy;
        _stores = new TransactionStores(_store);
    }

    internal Connection(Database db, SharedCacheConnection shared)
    {
        _db = db;
        _shared = shared;
        _btree = shared.Cache.Tree;
        _store = shared;
        shared.BusyHandler = WaitWhileBusy;
        _stores = new TransactionStores(_store);
    }

    /// <summary>
    /// The lock calls on this connection are made under: the connection itself, or for a
    /// shared-cache connection the cache's, which all its connections take turns on.
    /// </summary>
    internal object SyncRoot => _shared?.Cache.Gate ?? this;

    /// <summary>Whether this connection is in a shared cache (<see cref="Tern.Database.Connect(bool)"/>).</summary>
    public bool SharedCache => _shared != null;

    /// <summary>
    /// Shared cache: fails with SQLITE_LOCKED_SHAREDCACHE ("database schema is locked: main")
    /// while another connection has schema changes it has not committed, as SQLite's prepare does.
    /// </summary>
    internal void ThrowIfSchemaLocked()
    {
        if (_shared is { SchemaLocked: true }) throw new TernException(ResultCode.LockedSharedCache, "database schema is locked: main");
    }

    /// <summary>The schema as this connection last read it from sqlite_schema (read when first needed or after a change).</summary>
    internal DatabaseSchema Schema
    {
        get
        {
            // A shared-cache connection uses the schema its cache's connections share, unless it
            // has schema changes of its own not committed yet.
            if (_shared is { HoldsSchemaWriteLock: false } && _shared.Cache.Schema is DatabaseSchema common)
            {
                if (!ReferenceEquals(_schema, common)) _schemaSeesWrites = false;
                return _schema = common;
            }
            return _schema ?? LoadSchema();
        }
    }

    /// <summary>Whether the schema was read inside a write transaction, so may hold changes a rollback undoes.</summary>
    private bool _schemaSeesWrites;

    /// <summary>
    /// Reads the schema. A shared-cache connection takes the one its cache's connections last
    /// read, as SQLite's connections share one (a statement's transaction checks the cookie,
    /// so a stale one is found and read again); one it reads itself it offers to the others,
    /// unless a connection holds schema changes not yet committed.
    /// </summary>
    private DatabaseSchema LoadSchema()
    {
        DatabaseSchema loaded = Reading(() => DatabaseSchema.Load(_btree, _btree.GetMeta(DatabaseHeader.SchemaCookieOffset)));
        _schemaSeesWrites |= _store.TransactionState == TransactionState.Write;
        if (_shared != null && !_shared.Cache.SchemaWriteLocked) _shared.Cache.Schema = loaded;
        return _schema = loaded;
    }

    /// <summary>Runs <paramref name="read"/> inside a read transaction of <paramref name="store"/> (main's by default), a short one of its own when none is open.</summary>
    private T Reading<T>(Func<T> read, ITransactionStore? store = null)
    {
        store ??= _store;
        bool started = store.TransactionState == TransactionState.None;
        if (started) store.BeginRead();
        try
        {
            return read();
        }
        finally
        {
            if (started) store.EndRead();
        }
    }

    /// <summary>
    /// Whether another connection changed the schema since this one read it (a short read of
    /// the header; false when the file cannot be read now). Attached files are checked too.
    /// </summary>
    internal bool SchemaIsStale()
    {
        try
        {
            if (_schema is { } schema && Reading(() => _btree.GetMeta(DatabaseHeader.SchemaCookieOffset) != schema.Cookie)) return true;
            for (int i = 2; i < _others.Count; i++)
            {
                if (_others[i] is { Schema: { } s } other && Reading(() => other.Tree.GetMeta(DatabaseHeader.SchemaCookieOffset) != s.Cookie, other.Tree))
                    return true;
            }
            return false;
        }
        catch (TernException)
        {
            return false;
        }
    }

    /// <summary>The schema if it has been read (and not forgotten since).</summary>
    internal DatabaseSchema? LoadedSchema => _schema;

    /// <summary>Forgets the schemas so the next use reads them again (in a shared cache, main's for every connection that shares it).</summary>
    internal void InvalidateSchema()
    {
        if (_shared != null && _schema != null && ReferenceEquals(_shared.Cache.Schema, _schema)) _shared.Cache.Schema = null;
        _schema = null;
        _schemaSeesWrites = false;
        foreach (OtherDatabase? other in _others)
        {
            if (other != null) other.Schema = null;
        }
        _schemas = null;
    }

    private SchemaSet? _schemas;

    /// <summary>Which database each TEMP trigger was bound to when made (see SchemaSet.TempTriggerBindings).</summary>
    private readonly Dictionary<string, string> _tempTriggerBindings = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The schemas of all the connection's databases (each read when first needed).</summary>
    internal SchemaSet Schemas
    {
        get
        {
            DatabaseSchema main = Schema;
            if (_schemas != null && ReferenceEquals(_schemas.Main, main) && _schemas.Count == _others.Count && _schemas.TempOpen == HasTempDatabase) return _schemas;
            var names = new string[_others.Count];
            var schemas = new DatabaseSchema[_others.Count];
            names[0] = "main";
            schemas[0] = main;
            names[1] = "temp";
            for (int i = 1; i < _others.Count; i++)
            {
                if (i > 1) names[i] = _others[i]!.Name;
                schemas[i] = _others[i] is { } other ? other.Schema ??= LoadOther(other, i) : DatabaseSchema.Empty(i);
            }
            var files = new string[names.Length];
            for (int i = 0; i < files.Length; i++) files[i] = FileOf(i);
            return _schemas = new SchemaSet(names, schemas) { Files = files, TempOpen = HasTempDatabase, TempTriggerBindings = _tempTriggerBindings };
        }
    }

    /// <summary>Reads the schema of temp or an attached database.</summary>
    private DatabaseSchema LoadOther(OtherDatabase other, int db)
    {
        DatabaseSchema loaded = Reading(() => DatabaseSchema.Load(other.Tree, other.Tree.GetMeta(DatabaseHeader.SchemaCookieOffset), db), other.Tree);
        _schemaSeesWrites |= other.Tree.TransactionState == TransactionState.Write;
        return loaded;
    }

    /// <summary>The b-tree of database <paramref name="db"/>; temp's is made when first asked for.</summary>
    internal BTree TreeOf(int db)
    {
        if (db == 0) return _btree;
        if (db == DatabaseSchema.TempDb && _others[1] == null)
        {
            BTree temp = _db.OpenTempStorage();
            _others[1] = new OtherDatabase { Name = "temp", Tree = temp };
            _stores.Set(1, temp);
            _schemas = null;
        }
        return _others[db]?.Tree ?? throw new TernException(ResultCode.Internal, "no database number " + db);
    }

    /// <summary>Whether the TEMP database has been made (PRAGMA database_list shows it from then on).</summary>
    internal bool HasTempDatabase => _others[1] != null;

    /// <summary>The file of database <paramref name="db"/> ("" for an in-memory one), for PRAGMA database_list.</summary>
    internal string FileOf(int db) => db == 0 ? (_db.Path == ":memory:" ? "" : System.IO.Path.GetFullPath(_db.Path))
        : _others[db]?.Tree.Pager.Path is { } p && p != ":memory:" && p.Length > 0 ? System.IO.Path.GetFullPath(p) : "";

    /// <summary>
    /// Changes when ATTACH or DETACH renumbers the databases: a statement compiled before
    /// compiles again (SQLite expires every statement then).
    /// </summary>
    internal int DatabaseGeneration { get; private set; }

    /// <summary>ATTACH DATABASE <paramref name="path"/> AS <paramref name="name"/>.</summary>
    internal void Attach(string path, string name)
    {
        for (int i = 0; i < _others.Count; i++)
        {
            if (string.Equals(i == 0 ? "main" : i == 1 ? "temp" : _others[i]!.Name, name, StringComparison.OrdinalIgnoreCase))
                throw new TernException(ResultCode.Error, $"database {name} is already in use");
        }
        if (_others.Count - 2 >= MaxAttached) throw new TernException(ResultCode.Error, $"too many attached databases - max {MaxAttached}");
        BTree tree = _db.OpenAttached(path);
        var other = new OtherDatabase { Name = name, Tree = tree };
        try
        {
            tree.Pager.BusyHandler = WaitWhileBusy;
            // The new database's schema is read now, so a damaged one fails the ATTACH.
            other.Schema = Reading(() => DatabaseSchema.Load(tree, tree.GetMeta(DatabaseHeader.SchemaCookieOffset), _others.Count), tree);
        }
        catch
        {
            tree.Dispose();
            throw;
        }
        _others.Add(other);
        _stores.Set(_others.Count - 1, tree);
        _schemas = null;
        DatabaseGeneration++;
    }

    /// <summary>DETACH DATABASE <paramref name="name"/>.</summary>
    internal void Detach(string name)
    {
        int db = -1;
        for (int i = 2; i < _others.Count; i++)
        {
            if (string.Equals(_others[i]!.Name, name, StringComparison.OrdinalIgnoreCase)) db = i;
        }
        if (db < 0)
        {
            if (name.Equals("main", StringComparison.OrdinalIgnoreCase)) throw new TernException(ResultCode.Error, $"cannot detach database {name}");
            throw new TernException(ResultCode.Error, $"no such database: {name}");
        }
        if (_stores.StateOf(db) != TransactionState.None) throw new TernException(ResultCode.Error, $"database {name} is locked");
        OtherDatabase gone = _others[db]!;
        _others.RemoveAt(db);
        _stores.Remove(db);
        gone.Tree.Dispose();
        // The databases after it move down a number: their schemas are read again with the new one.
        for (int i = db; i < _others.Count; i++) _others[i]!.Schema = null;
        _schemas = null;
        DatabaseGeneration++;
    }

    /// <summary>
    /// How long a statement waits for a lock another connection holds before it fails with
    /// SQLITE_BUSY ("database is locked"): sqlite3_busy_timeout, PRAGMA busy_timeout.
    /// Zero (the default) fails at once.
    /// </summary>
    public TimeSpan BusyTimeout
    {
        get => TimeSpan.FromMilliseconds(Settings.GetValueOrDefault("busy_timeout"));
        set => Settings["busy_timeout"] = (long)Math.Clamp(value.TotalMilliseconds, 0, int.MaxValue);
    }

    /// <summary>
    /// Whether a double-quoted name that names no column is read as a string literal in
    /// SELECT, INSERT, UPDATE and DELETE (SQLite's <c>SQLITE_DBCONFIG_DQS_DML</c>, the shell's
    /// <c>.dbconfig dqs_dml</c>). On by default, as in SQLite's default build; off, such a
    /// name fails with "no such column", as in builds with <c>SQLITE_DQS=0</c>.
    /// </summary>
    public bool DoubleQuotedStringsInDml
    {
        get => Settings.GetValueOrDefault(DqsDmlKey, 1) != 0;
        set => Settings[DqsDmlKey] = value ? 1 : 0;
    }

    /// <summary>
    /// Whether a double-quoted name that names no column is read as a string literal in
    /// CREATE TABLE, CREATE INDEX and other schema statements (SQLite's
    /// <c>SQLITE_DBCONFIG_DQS_DDL</c>). On by default, as in SQLite's default build. Either
    /// way, a schema read from the file accepts such strings, as SQLite's loader does.
    /// </summary>
    public bool DoubleQuotedStringsInDdl
    {
        get => Settings.GetValueOrDefault(DqsDdlKey, 1) != 0;
        set => Settings[DqsDdlKey] = value ? 1 : 0;
    }

    // Keys of the two switches above among the settings the compiler reads; they are not pragmas.
    internal const string DqsDmlKey = "dqs_dml";
    internal const string DqsDdlKey = "dqs_ddl";

    /// <summary>This connection's storage (the B-tree file under its own pager).</summary>
    internal BTree Tree => _btree;

    /// <summary>
    /// Called when a lock is busy, with how many times it was called for that lock; true to
    /// try again (sqlite3_busy_handler). Null (the default) waits as <see cref="BusyTimeout"/> says.
    /// </summary>
    public Func<int, bool>? BusyHandler { get; set; }

    // SQLite's default busy handler: sleeps of 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 and
    // then 100 ms until the timeout is used up.
    private static readonly int[] BusyDelays = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];

    private bool WaitWhileBusy(int count)
    {
        if (BusyHandler != null) return BusyHandler(count);
        long timeout = (long)BusyTimeout.TotalMilliseconds;
        if (timeout <= 0) return false;
        long waited = 0;
        for (int i = 0; i < count; i++) waited += BusyDelays[Math.Min(i, BusyDelays.Length - 1)];
        int delay = BusyDelays[Math.Min(count, BusyDelays.Length - 1)];
        if (waited + delay > timeout) delay = (int)(timeout - waited);
        if (delay <= 0) return false;
        Thread.Sleep(delay);
        return true;
    }

    /// <summary>Open SAVEPOINTs, oldest first.</summary>
    internal List<SavepointEntry> Savepoints { get; } = [];

    List<SavepointEntry> IVdbeHost.Savepoints => Savepoints;

    long IVdbeHost.DeferredViolations { get; set; }

    long IVdbeHost.DeferredImmediateViolations { get; set; }

    bool IVdbeHost.SavepointStartedTransaction { get; set; }

    /// <summary>Settings changed by PRAGMA on this connection.</summary>
    internal Dictionary<string, long> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    Dictionary<string, long> IVdbeHost.Settings => Settings;

    bool IVdbeHost.ReadOnly => _db.ReadOnly;

    long IVdbeHost.SortMemoryLimit => _db.SortMemoryLimit;

    Storage.Io.TempFiles IVdbeHost.TempFiles => _db.TempFiles;

    /// <summary>The database this connection uses.</summary>
    public Database Database => _db;

    /// <summary>Whether the connection is in autocommit mode (no explicit transaction open).</summary>
    public bool AutoCommit { get; internal set; } = true;

    int IVdbeHost.ActiveStatements { get; set; }

    bool IVdbeHost.AutoCommit
    {
        get => AutoCommit;
        set => AutoCommit = value;
    }

    /// <summary>Rows changed by the most recent INSERT, UPDATE or DELETE (<c>sqlite3_changes64</c>).</summary>
    public long Changes { get; internal set; }

    /// <summary>Rows changed by INSERT, UPDATE and DELETE since the connection opened (<c>sqlite3_total_changes64</c>).</summary>
    public long TotalChanges { get; internal set; }

    long IVdbeHost.Changes
    {
        get => Changes;
        set => Changes = value;
    }

    long IVdbeHost.TotalChanges
    {
        get => TotalChanges;
        set => TotalChanges = value;
    }

    /// <summary>The rowid of the most recent successful INSERT (<c>sqlite3_last_insert_rowid</c>).</summary>
    public long LastInsertRowId { get; internal set; }

    long IVdbeHost.LastInsertRowId
    {
        get => LastInsertRowId;
        set => LastInsertRowId = value;
    }

    BTree IVdbeHost.Tree(int db) => TreeOf(db);

    TransactionStores IVdbeHost.Stores => _stores;

    void IVdbeHost.Attach(string path, string name) => Attach(path, name);

    void IVdbeHost.Detach(string name) => Detach(name);

    void IVdbeHost.ResetTempDatabase()
    {
        if (_others[1] is not { } temp) return;
        if (!AutoCommit || _stores.StateOf(DatabaseSchema.TempDb) != TransactionState.None)
            throw new TernException(ResultCode.Error, "temporary storage cannot be changed from within a transaction");
        _others[1] = null;
        _stores.Set(DatabaseSchema.TempDb, null);
        temp.Tree.Dispose();
        _schemas = null;
    }

    DatabaseSchema IVdbeHost.Schema => Schema;

    void IVdbeHost.ReloadSchema() => InvalidateSchema();

    void IVdbeHost.RollbackSchema()
    {
        if (_schemaSeesWrites) InvalidateSchema();
    }

    private volatile bool _interrupted;

    bool IVdbeHost.IsInterrupted => _interrupted;

    /// <summary>
    /// Makes running statements of this connection stop with SQLITE_INTERRUPT ("interrupted") at
    /// their next row step. Safe to call from another thread. Statements started afterwards run normally.
    /// </summary>
    public void Interrupt() => _interrupted = true;

    internal void ClearInterrupt() => _interrupted = false;

    /// <summary>
    /// Prepares the first statement of <paramref name="sql"/>. <paramref name="tail"/> is the
    /// character offset where the rest of the text starts. Returns null when the text holds no
    /// statement (only spaces, comments or semicolons).
    /// </summary>
    /// <exception cref="TernException">A syntax error, or a name that does not resolve.</exception>
    public Statement? Prepare(string sql, out int tail)
    {
        ArgumentNullException.ThrowIfNull(sql);
        byte[] utf8 = Encoding.UTF8.GetBytes(sql);
        Statement? s = Prepare(utf8, 0, out int tailBytes);
        tail = Encoding.UTF8.GetCharCount(utf8, 0, tailBytes);
        return s;
    }

    /// <summary>Prepares one statement; the text must hold exactly one (a trailing semicolon is allowed).</summary>
    /// <exception cref="TernException">A syntax error, a name that does not resolve, or no statement.</exception>
    public Statement Prepare(string sql)
    {
        Statement? s = Prepare(sql, out int tail);
        if (s == null) throw new TernException(ResultCode.Misuse, "no statement to prepare");
        if (sql.AsSpan(tail).Trim().TrimStart(';').Trim().Length > 0 && Prepare(sql[tail..], out _) is { } extra)
        {
            extra.Dispose();
            s.Dispose();
            throw new TernException(ResultCode.Misuse, "more than one statement: use Execute for scripts");
        }
        return s;
    }

    /// <summary>
    /// Prepares the first statement of UTF-8 text starting at byte <paramref name="offset"/>, so a caller running
    /// a script statement by statement encodes it once. <paramref name="tail"/> is the byte offset where the rest
    /// starts. Returns null when no statement remains (only spaces, comments or semicolons). The statement keeps
    /// a reference to <paramref name="utf8"/>: do not change the array afterwards.
    /// </summary>
    /// <exception cref="TernException">A syntax error, or a name that does not resolve.</exception>
    public Statement? Prepare(byte[] utf8, int offset, out int tail)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, utf8.Length);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ParsedStatement? parsed;
        try
        {
            parsed = SqlParser.ParseNext(utf8, offset);
        }
        catch (SqlParseException e)
        {
            throw new TernException(ResultCode.Error, e.Message, e) { Offset = ErrorOffsets.OfParseError(e, offset) };
        }
        if (parsed == null)
        {
            tail = utf8.Length;
            return null;
        }
        tail = parsed.End;
        // SQLITE_MAX_SQL_LENGTH: SQLite's tokenizer gives up past this many bytes of one statement.
        if (tail - offset > Functions.ArgValues.MaxLength) TernException.Throw(ResultCode.TooBig);
        try
        {
            lock (SyncRoot) return new Statement(this, utf8, parsed.Statement);
        }
        catch (TernException e) when (e.Offset < 0)
        {
            e.Offset = ErrorOffsets.OfCompileError(e, parsed, offset);
            throw;
        }
    }

    /// <summary>Runs every statement of a script to completion, in order; stops at the first error.</summary>
    /// <exception cref="TernException">The error of the statement that failed.</exception>
    public void Execute(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        byte[] utf8 = Encoding.UTF8.GetBytes(sql);
        int offset = 0;
        while (offset < utf8.Length)
        {
            using Statement? s = Prepare(utf8, offset, out int tail);
            if (s == null) break;
            while (s.Step())
            {
            }
            offset = tail;
        }
    }

    /// <summary>
    /// Writes a copy of the database to <paramref name="destination"/>: every page in order, as
    /// this connection's open transaction sees it, or through a read transaction begun (and
    /// ended) for the copy. The bytes are a database file that SQLite and Tern open as the
    /// same database (what the shell's <c>.backup</c> and <c>.save</c> write).
    /// </summary>
    /// <exception cref="TernException">The database cannot be read (locked, damaged, an I/O error).</exception>
    public void WriteCopy(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_shared != null) throw new TernException(ResultCode.Misuse, "cannot copy through a shared-cache connection");
        lock (SyncRoot)
        {
            Pager pager = _btree.Pager;
            bool began = pager.State == PagerState.Open;
            if (began) _btree.BeginRead();
            try
            {
                uint count = pager.PageCount;
                int size = pager.PageSize;
                for (uint n = 1; n <= count; n++)
                {
                    // The page holding the lock bytes is never used; it is written as zeros.
                    if (n == pager.PendingBytePage)
                    {
                        destination.Write(new byte[size]);
                        continue;
                    }
                    Page page = pager.Get(n);
                    try
                    {
                        Debug.Assert(page.Data.Length >= size);
                        destination.Write(page.Data, 0, size);
                    }
                    finally
                    {
                        pager.Release(page);
                    }
                }
            }
            finally
            {
                if (began) _btree.EndRead();
            }
        }
    }

    /// <summary>Closes the connection; an open transaction is rolled back.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (SyncRoot)
        {
            // Closing the pager rolls back an open transaction and gives up the file's locks;
            // a shared cache's storage closes with its last connection.
            if (_shared != null) _shared.Detach();
            else _btree.Dispose();
            foreach (OtherDatabase? other in _others) other?.Tree.Dispose();
        }
    }
}
