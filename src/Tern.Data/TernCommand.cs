// A SQL command, shaped like Microsoft.Data.Sqlite's SqliteCommand. The text may hold
// several statements: they are prepared one at a time as execution reaches them (so a
// statement may use a table an earlier one created), kept for the next execution, and
// bound from the parameter collection by name before each runs. A statement that finds
// the database locked by another connection is retried every 150 ms until the command
// timeout runs out, as Microsoft.Data.Sqlite does for SQLITE_BUSY.
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Tern.Data;

/// <summary>A SQL statement (or several) to run against a Tern database.</summary>
public class TernCommand : DbCommand
{
    private readonly List<Statement> _statements = [];
    private readonly HashSet<Statement> _started = [];
    private TernParameterCollection? _parameters;
    private TernConnection? _connection;
    private string _commandText = "";
    private byte[]? _utf8;
    private int _preparedBytes;
    private bool _prepared;
    private int? _commandTimeout;

    /// <summary>Creates a command.</summary>
    public TernCommand()
    {
    }

    /// <summary>Creates a command with its SQL.</summary>
    /// <param name="commandText">The SQL.</param>
    public TernCommand(string? commandText) => CommandText = commandText;

    /// <summary>Creates a command with its SQL and connection.</summary>
    /// <param name="commandText">The SQL.</param>
    /// <param name="connection">The connection.</param>
    public TernCommand(string? commandText, TernConnection? connection)
        : this(commandText) => Connection = connection;

    /// <summary>Creates a command with its SQL, connection and transaction.</summary>
    /// <param name="commandText">The SQL.</param>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The transaction.</param>
    public TernCommand(string? commandText, TernConnection? connection, TernTransaction? transaction)
        : this(commandText, connection) => Transaction = transaction;

    /// <summary>How the text is interpreted: only <see cref="CommandType.Text"/> is supported.</summary>
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text) throw new ArgumentException($"The CommandType '{value}' is not supported.");
        }
    }

    /// <summary>The SQL to run; may hold several statements separated by semicolons.</summary>
    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set
        {
            if (DataReader != null) throw new InvalidOperationException("An open reader is associated with this command. Close it before changing the CommandText property.");
            if (value != _commandText)
            {
                ReleaseStatements();
                _commandText = value ?? "";
            }
        }
    }

    /// <summary>The connection the command runs on.</summary>
    public new virtual TernConnection? Connection
    {
        get => _connection;
        set
        {
            if (DataReader != null) throw new InvalidOperationException("An open reader is associated with this command. Close it before changing the Connection property.");
            if (value == _connection) return;
            ReleaseStatements();
            _connection?.RemoveCommand(this);
            _connection = value;
            value?.AddCommand(this);
        }
    }

    /// <summary>The connection the command runs on (must be a <see cref="TernConnection"/>).</summary>
    protected override DbConnection? DbConnection
    {
        get => Connection;
        set => Connection = (TernConnection?)value;
    }

    /// <summary>The transaction the command runs in; must be the connection's current transaction.</summary>
    public new virtual TernTransaction? Transaction { get; set; }

    /// <summary>The transaction the command runs in (must be a <see cref="TernTransaction"/>).</summary>
    protected override DbTransaction? DbTransaction
    {
        get => Transaction;
        set => Transaction = (TernTransaction?)value;
    }

    /// <summary>The parameters bound to the statements by name.</summary>
    public new virtual TernParameterCollection Parameters => _parameters ??= [];

    /// <summary>The parameters bound to the statements by name.</summary>
    protected override DbParameterCollection DbParameterCollection => Parameters;

    /// <summary>Seconds to wait for a locked database before failing (0: wait forever). Defaults to the connection's.</summary>
    public override int CommandTimeout
    {
        get => _commandTimeout ?? _connection?.DefaultTimeout ?? 30;
        set => _commandTimeout = value;
    }

    /// <summary>Whether the command is visible in designers.</summary>
    public override bool DesignTimeVisible { get; set; }

    /// <summary>How results are applied to a DataRow (used by data adapters).</summary>
    public override UpdateRowSource UpdatedRowSource { get; set; }

    /// <summary>The reader currently open on this command, if any.</summary>
    protected internal virtual TernDataReader? DataReader { get; set; }

    /// <summary>Creates a parameter.</summary>
    public new virtual TernParameter CreateParameter() => new();

    /// <summary>Creates a parameter.</summary>
    protected override DbParameter CreateDbParameter() => CreateParameter();

    /// <summary>Prepares every statement of the text now, so errors surface here and executions reuse them.</summary>
    /// <exception cref="InvalidOperationException">The connection is not open.</exception>
    /// <exception cref="TernException">A statement does not compile.</exception>
    public override void Prepare()
    {
        if (_connection?.State != ConnectionState.Open) throw new InvalidOperationException("Prepare can only be called when the connection is open.");
        if (_prepared) return;
        using IEnumerator<Statement> e = PrepareStatements().GetEnumerator();
        while (e.MoveNext())
        {
        }
    }

    /// <summary>Runs the command and returns a reader over its result sets.</summary>
    public new virtual TernDataReader ExecuteReader() => ExecuteReader(CommandBehavior.Default);

    /// <summary>Runs the command and returns a reader; <see cref="CommandBehavior.CloseConnection"/> closes the connection with the reader.</summary>
    /// <param name="behavior">The command behavior.</param>
    /// <exception cref="TernException">A statement fails.</exception>
    public new virtual TernDataReader ExecuteReader(CommandBehavior behavior)
    {
        if (DataReader != null) throw new InvalidOperationException("An open reader is already associated with this command. Close it before opening a new one.");
        if (_connection?.State != ConnectionState.Open) throw new InvalidOperationException("ExecuteReader can only be called when the connection is open.");
        if (Transaction != _connection.Transaction)
        {
            throw new InvalidOperationException(Transaction == null
                ? "Execute requires the command to have a transaction object when the connection assigned to the command is in a pending local transaction.  The Transaction property of the command has not been initialized."
                : "The transaction object is not associated with the same connection object as this command.");
        }
        if (_connection.Transaction?.ExternalRollback == true) throw new InvalidOperationException("This TernTransaction has completed; it is no longer usable.");
        var reader = new TernDataReader(this, BoundStatements(), (behavior & CommandBehavior.CloseConnection) != 0);
        DataReader = reader;
        try
        {
            reader.NextResult();
        }
        catch
        {
            DataReader = null;
            throw;
        }
        return reader;
    }

    /// <summary>Runs the command and returns a reader.</summary>
    /// <param name="behavior">The command behavior.</param>
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReader(behavior);

    /// <summary>Runs the command and returns a reader (synchronously; the token is checked first).</summary>
    /// <param name="behavior">The command behavior.</param>
    /// <param name="cancellationToken">Checked before running; cancelling it interrupts the first statement.</param>
    public new virtual Task<TernDataReader> ExecuteReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(WithCancellation(cancellationToken, () => ExecuteReader(behavior)));
    }

    /// <summary>Runs the command and returns a reader.</summary>
    public new virtual Task<TernDataReader> ExecuteReaderAsync() => ExecuteReaderAsync(CommandBehavior.Default, CancellationToken.None);

    /// <summary>Runs the command and returns a reader.</summary>
    /// <param name="cancellationToken">Checked before running.</param>
    public new virtual Task<TernDataReader> ExecuteReaderAsync(CancellationToken cancellationToken) => ExecuteReaderAsync(CommandBehavior.Default, cancellationToken);

    /// <summary>Runs the command and returns a reader.</summary>
    /// <param name="behavior">The command behavior.</param>
    public new virtual Task<TernDataReader> ExecuteReaderAsync(CommandBehavior behavior) => ExecuteReaderAsync(behavior, CancellationToken.None);

    /// <summary>Runs the command and returns a reader.</summary>
    /// <param name="behavior">The command behavior.</param>
    /// <param name="cancellationToken">Checked before running.</param>
    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs the command; returns the rows inserted, updated or deleted (-1 when no statement changes rows).</summary>
    /// <exception cref="TernException">A statement fails.</exception>
    public override int ExecuteNonQuery()
    {
        if (_connection?.State != ConnectionState.Open) throw new InvalidOperationException("ExecuteNonQuery can only be called when the connection is open.");
        TernDataReader reader = ExecuteReader();
        reader.Dispose();
        return reader.RecordsAffected;
    }

    /// <summary>Runs the command; the token is checked first and interrupts the statements when cancelled.</summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => AsTask(cancellationToken, ExecuteNonQuery);

    /// <summary>Runs the command and returns the first column of the first row, or null when there is no row.</summary>
    /// <exception cref="TernException">A statement fails.</exception>
    public override object? ExecuteScalar()
    {
        if (_connection?.State != ConnectionState.Open) throw new InvalidOperationException("ExecuteScalar can only be called when the connection is open.");
        using TernDataReader reader = ExecuteReader();
        return reader.Read() ? reader.GetValue(0) : null;
    }

    /// <summary>Runs the command and returns the first column of the first row; the token is checked first.</summary>
    /// <param name="cancellationToken">The cancellation token.</param>
    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => AsTask(cancellationToken, ExecuteScalar);

    /// <summary>Interrupts the statement running on the connection, if any.</summary>
    public override void Cancel()
    {
        if (_connection?.State == ConnectionState.Open && DataReader != null) _connection.Engine.Interrupt();
    }

    /// <summary>Releases the prepared statements.</summary>
    /// <param name="disposing">Whether managed resources are released.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleaseStatements();
            _connection?.RemoveCommand(this);
        }
        base.Dispose(disposing);
    }

    // ------------------------------------------------------------ statements

    /// <summary>Closes an open reader and forgets the prepared statements (text, connection or open state changed).</summary>
    internal void ReleaseStatements()
    {
        if (DataReader != null)
        {
            DataReader.Dispose();
            DataReader = null;
        }
        if (_started.Count > 0)
        {
            lock (_connection?.State == ConnectionState.Open ? Gate : _started)
            {
                foreach (Statement s in _started) s.Reset();
            }
        }
        _started.Clear();
        _statements.Clear();
        _utf8 = null;
        _preparedBytes = 0;
        _prepared = false;
    }

    // The engine's Statement.Reset (and Dispose, which resets) records the calling connection as the
    // holder of the database's transaction whenever one is open, even when another connection holds it.
    // So a statement is reset only when it has run (it then belongs to this connection's transaction
    // or to none), and never merely to be dropped; a statement refused with "database is locked"
    // never started and needs no reset.

    /// <summary>The lock engine calls on the connection's database are made under.</summary>
    internal object Gate => _connection!.Inner.Gate;

    /// <summary>Notes that a statement has started running and must be reset before its next run.</summary>
    internal void MarkStarted(Statement s) => _started.Add(s);

    /// <summary>Resets a statement that has run; one that has not is left alone.</summary>
    internal void ResetStatement(Statement s)
    {
        if (!_started.Remove(s)) return;
        lock (Gate) s.Reset();
    }

    /// <summary>The statements of the text, prepared as they are reached (or all at once by <see cref="Prepare"/>).</summary>
    private IEnumerable<Statement> PrepareStatements()
    {
        foreach (Statement s in _statements) yield return s;
        if (_prepared) yield break;
        Connection engine = _connection!.Engine;
        _utf8 ??= Encoding.UTF8.GetBytes(_commandText);
        while (_preparedBytes < _utf8.Length)
        {
            int tail = 0;
            object gate = Gate;
            Statement? s = RetryWhileBusy(() =>
            {
                lock (gate) return engine.Prepare(_utf8, _preparedBytes, out tail);
            });
            _preparedBytes = tail;
            if (s == null) break;
            _statements.Add(s);
            yield return s;
        }
        _prepared = true;
    }

    /// <summary>The statements with the parameters bound; a statement missing a parameter is refused.</summary>
    private IEnumerable<Statement> BoundStatements()
    {
        foreach (Statement s in PrepareStatements())
        {
            ResetStatement(s);
            int expected = s.ParameterCount;
            int bound = _parameters?.Bind(s) ?? 0;
            if (bound != expected)
            {
                var missing = new List<string>();
                for (int i = 1; i <= expected; i++)
                {
                    string? name = s.ParameterName(i);
                    // Only names the collection lacks are listed (none when the command never had a collection).
                    if (_parameters != null && !_parameters.Any(p => p.ParameterName == name)) missing.Add(name ?? "");
                }
                if (!s.Sql.TrimStart().StartsWith("EXPLAIN", StringComparison.OrdinalIgnoreCase))
                    throw new InvalidOperationException("Must add values for the following parameters: " + string.Join(", ", missing));
            }
            yield return s;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/>, retrying every 150 ms while the database is locked by another
    /// connection, until <see cref="CommandTimeout"/> seconds have passed (0: no limit).
    /// </summary>
    internal T RetryWhileBusy<T>(Func<T> action, Stopwatch? timer = null)
    {
        timer ??= Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return action();
            }
            catch (Tern.TernException e) when (e.Code is ResultCode.Busy or ResultCode.Locked)
            {
                int timeout = CommandTimeout;
                if (timeout != 0 && timer.ElapsedMilliseconds >= timeout * 1000L) throw TernException.From(e);
                Thread.Sleep(150);
            }
            catch (Tern.TernException e)
            {
                throw TernException.From(e);
            }
        }
    }

    /// <summary>Runs synchronously and returns a completed, cancelled or faulted task, as DbCommand's defaults do.</summary>
    private Task<T> AsTask<T>(CancellationToken token, Func<T> run)
    {
        if (token.IsCancellationRequested) return Task.FromCanceled<T>(token);
        try
        {
            return Task.FromResult(WithCancellation(token, run));
        }
        catch (OperationCanceledException)
        {
            return Task.FromCanceled<T>(token);
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    private T WithCancellation<T>(CancellationToken token, Func<T> run)
    {
        if (!token.CanBeCanceled) return run();
        Connection engine = _connection?.State == ConnectionState.Open ? _connection.Engine : null!;
        using CancellationTokenRegistration reg = engine == null ? default : token.Register(engine.Interrupt);
        try
        {
            return run();
        }
        catch (TernException e) when (e.SqliteErrorCode == (int)ResultCode.Interrupt && token.IsCancellationRequested)
        {
            throw new OperationCanceledException(token);
        }
    }
}
