// A connection to a Tern database, shaped like Microsoft.Data.Sqlite's SqliteConnection:
// the connection string names the database and how to open it; Open borrows an engine
// connection from the pool (or opens one), applies the connection string's PRAGMAs and
// raises StateChange; Close rolls back an open transaction, drops the commands' prepared
// statements and returns the engine connection. One transaction at a time per connection.
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Tern.Data;

/// <summary>A connection to a Tern database.</summary>
public class TernConnection : DbConnection
{
    private const string MainDatabaseName = "main";

    private readonly List<WeakReference<TernCommand>> _commands = [];
    private string _connectionString = "";
    private TernConnectionStringBuilder _options = new();
    private ConnectionState _state;
    private TernConnectionInternal? _inner;
    private int _poolGeneration = -1;
    private int? _defaultTimeout;

    /// <summary>Creates a connection with no connection string.</summary>
    public TernConnection()
    {
    }

    /// <summary>Creates a connection for <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">The connection string (see <see cref="TernConnectionStringBuilder"/>).</param>
    public TernConnection(string? connectionString) => ConnectionString = connectionString;

    /// <summary>The connection string. Can only be set while the connection is closed.</summary>
    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (State != ConnectionState.Closed) throw new InvalidOperationException("ConnectionString cannot be set when the connection is open.");
            _connectionString = value ?? "";
            _options = new TernConnectionStringBuilder(_connectionString);
        }
    }

    /// <summary>The name of the current database: always <c>main</c>.</summary>
    public override string Database => MainDatabaseName;

    /// <summary>The database file (absolute while open), or the data source of the connection string.</summary>
    public override string DataSource => State == ConnectionState.Open && _inner != null ? _inner.FileName : _options.DataSource;

    /// <summary>The version of SQLite whose behaviour Tern implements.</summary>
    public override string ServerVersion => "3.50.4";

    /// <summary>The state of the connection.</summary>
    public override ConnectionState State => _state;

    /// <summary>The default <see cref="TernCommand.CommandTimeout"/> of commands made by this connection, in seconds.</summary>
    public virtual int DefaultTimeout
    {
        get => _defaultTimeout ?? _options.DefaultTimeout;
        set => _defaultTimeout = value;
    }

    /// <summary>The factory of this provider.</summary>
    protected override DbProviderFactory DbProviderFactory => TernFactory.Instance;

    /// <summary>The transaction in progress on this connection, if any.</summary>
    protected internal virtual TernTransaction? Transaction { get; set; }

    /// <summary>The engine connection while open.</summary>
    internal Connection Engine => (_inner ?? throw new InvalidOperationException("The connection is not open.")).Connection;

    internal TernConnectionInternal Inner => _inner ?? throw new InvalidOperationException("The connection is not open.");

    /// <summary>Closes every idle pooled connection.</summary>
    public static void ClearAllPools() => TernConnectionPool.ClearAll();

    /// <summary>Closes the idle pooled connections of this connection's connection string.</summary>
    /// <param name="connection">The connection whose pool to clear.</param>
    public static void ClearPool(TernConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        TernConnectionPool.Clear(connection.ConnectionString);
    }

    /// <summary>
    /// Opens the connection. With <c>Mode=ReadWriteCreate</c> (the default) the file is created if it does not exist.
    /// Does nothing when already open.
    /// </summary>
    /// <exception cref="TernException">The database cannot be opened.</exception>
    public override void Open()
    {
        if (State == ConnectionState.Open) return;
        (_inner, _poolGeneration) = TernConnectionPool.Get(_connectionString, _options);
        _state = ConnectionState.Open;
        try
        {
            // e_sqlite3, which Microsoft.Data.Sqlite ships, enforces foreign keys unless told
            // otherwise; Tern's provider does the same.
            ExecuteInternal("PRAGMA foreign_keys = " + (_options.ForeignKeys ?? true ? "1" : "0") + ";");
            if (_options.RecursiveTriggers) ExecuteInternal("PRAGMA recursive_triggers = 1;");
        }
        catch
        {
            _inner.Dispose();
            _inner = null;
            _state = ConnectionState.Closed;
            throw;
        }
        OnStateChange(new StateChangeEventArgs(ConnectionState.Closed, ConnectionState.Open));
    }

    /// <summary>Opens the connection (synchronously, as the engine is synchronous).</summary>
    /// <param name="cancellationToken">Checked before opening.</param>
    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        try
        {
            Open();
            return Task.CompletedTask;
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    /// <summary>Closes the connection; an open transaction is rolled back. Does nothing when closed.</summary>
    public override void Close()
    {
        if (State != ConnectionState.Open) return;
        Transaction?.Dispose();
        for (int i = _commands.Count - 1; i >= 0; i--)
        {
            if (_commands[i].TryGetTarget(out TernCommand? c)) c.ReleaseStatements();
        }
        _commands.Clear();
        TernConnectionInternal inner = _inner!;
        _inner = null;
        TernConnectionPool.Return(_connectionString, inner, _poolGeneration);
        _state = ConnectionState.Closed;
        OnStateChange(new StateChangeEventArgs(ConnectionState.Open, ConnectionState.Closed));
    }

    /// <summary>Closes the connection (synchronously).</summary>
    public override Task CloseAsync()
    {
        Close();
        return Task.CompletedTask;
    }

    /// <summary>Closes the connection when disposing.</summary>
    /// <param name="disposing">Whether managed resources are released.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    /// <summary>Creates a command on this connection, in its current transaction.</summary>
    public new virtual TernCommand CreateCommand() => new()
    {
        Connection = this,
        CommandTimeout = DefaultTimeout,
        Transaction = Transaction,
    };

    /// <summary>Creates a command on this connection.</summary>
    protected override DbCommand CreateDbCommand() => CreateCommand();

    internal void AddCommand(TernCommand command) => _commands.Add(new WeakReference<TernCommand>(command));

    internal void RemoveCommand(TernCommand command) =>
        _commands.RemoveAll(r => !r.TryGetTarget(out TernCommand? c) || c == command);

    /// <summary>Begins a transaction (serializable, BEGIN IMMEDIATE).</summary>
    public new virtual TernTransaction BeginTransaction() => BeginTransaction(IsolationLevel.Unspecified);

    /// <summary>Begins a transaction; a deferred one takes its locks when first needed (BEGIN rather than BEGIN IMMEDIATE).</summary>
    /// <param name="deferred">Whether to defer taking the write lock.</param>
    public virtual TernTransaction BeginTransaction(bool deferred) => BeginTransaction(IsolationLevel.Unspecified, deferred);

    /// <summary>Begins a transaction with an isolation level (ReadUncommitted is deferred).</summary>
    /// <param name="isolationLevel">The isolation level.</param>
    public new virtual TernTransaction BeginTransaction(IsolationLevel isolationLevel) =>
        BeginTransaction(isolationLevel, deferred: isolationLevel == IsolationLevel.ReadUncommitted);

    /// <summary>
    /// Begins a transaction. ReadCommitted, RepeatableRead and Unspecified are raised to Serializable;
    /// ReadUncommitted is honoured only for a deferred transaction on a shared cache; others are refused.
    /// </summary>
    /// <param name="isolationLevel">The isolation level.</param>
    /// <param name="deferred">Whether to defer taking the write lock.</param>
    /// <exception cref="InvalidOperationException">The connection is closed, or a transaction is already open.</exception>
    public virtual TernTransaction BeginTransaction(IsolationLevel isolationLevel, bool deferred)
    {
        if (State != ConnectionState.Open) throw new InvalidOperationException("BeginTransaction can only be called when the connection is open.");
        if (Transaction != null) throw new InvalidOperationException("TernConnection does not support nested transactions.");
        return Transaction = new TernTransaction(this, isolationLevel, deferred);
    }

    /// <summary>Begins a transaction.</summary>
    /// <param name="isolationLevel">The isolation level.</param>
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => BeginTransaction(isolationLevel);

    internal TernCacheMode CacheMode => _options.Cache;

    /// <summary>Not supported: a Tern connection has one database.</summary>
    /// <param name="databaseName">The database name.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

    /// <summary>Runs SQL that returns no rows on this connection, waiting for locks up to <see cref="DefaultTimeout"/>.</summary>
    internal void ExecuteInternal(string sql)
    {
        using var cmd = new TernCommand(sql, this) { CommandTimeout = DefaultTimeout, Transaction = Transaction };
        cmd.ExecuteNonQuery();
    }
}
