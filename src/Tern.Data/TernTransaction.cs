// A transaction, shaped like Microsoft.Data.Sqlite's SqliteTransaction. Isolation levels
// map as there: Unspecified, ReadCommitted and RepeatableRead become Serializable;
// ReadUncommitted stays only for a deferred transaction on a shared cache; Snapshot and
// Chaos are refused. Serializable begins with BEGIN IMMEDIATE unless deferred (BEGIN).
// Savepoints are SAVEPOINT / ROLLBACK TO / RELEASE with the name quoted. A ROLLBACK run
// as SQL ends the transaction object too (it is then unusable, as in the reference).
using System.Data;
using System.Data.Common;

namespace Tern.Data;

/// <summary>A transaction on a <see cref="TernConnection"/>.</summary>
public class TernTransaction : DbTransaction
{
    private TernConnection? _connection;
    private bool _completed;

    internal TernTransaction(TernConnection connection, IsolationLevel isolationLevel, bool deferred)
    {
        if ((isolationLevel == IsolationLevel.ReadUncommitted && (connection.CacheMode != TernCacheMode.Shared || !deferred))
            || isolationLevel is IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Unspecified)
        {
            isolationLevel = IsolationLevel.Serializable;
        }
        _connection = connection;
        IsolationLevel = isolationLevel;
        if (isolationLevel == IsolationLevel.ReadUncommitted) connection.ExecuteInternal("PRAGMA read_uncommitted = 1;");
        else if (isolationLevel != IsolationLevel.Serializable) throw new ArgumentException($"The IsolationLevel '{isolationLevel}' is not supported.");
        bool immediate = isolationLevel == IsolationLevel.Serializable && !deferred;
        connection.ExecuteInternal(immediate ? "BEGIN IMMEDIATE;" : "BEGIN;");
    }

    /// <summary>The connection, or null once the transaction has completed.</summary>
    public new virtual TernConnection? Connection => _connection;

    /// <summary>The connection, or null once the transaction has completed.</summary>
    protected override DbConnection? DbConnection => Connection;

    /// <summary>The isolation level.</summary>
    public override IsolationLevel IsolationLevel { get; }

    /// <summary>Whether SQL run on the connection rolled the transaction back.</summary>
    internal bool ExternalRollback { get; private set; }

    /// <summary>Savepoints are supported.</summary>
    public override bool SupportsSavepoints => true;

    /// <summary>Commits the transaction.</summary>
    /// <exception cref="InvalidOperationException">The transaction has completed.</exception>
    public override void Commit()
    {
        if (ExternalRollback || _completed || _connection!.State != ConnectionState.Open)
            throw new InvalidOperationException("This TernTransaction has completed; it is no longer usable.");
        _connection.ExecuteInternal("COMMIT;");
        Complete();
    }

    /// <summary>Rolls the transaction back.</summary>
    /// <exception cref="InvalidOperationException">The transaction has completed.</exception>
    public override void Rollback()
    {
        if (_completed || _connection!.State != ConnectionState.Open)
            throw new InvalidOperationException("This TernTransaction has completed; it is no longer usable.");
        RollbackInternal();
    }

    /// <summary>Creates a savepoint.</summary>
    /// <param name="savepointName">The savepoint's name.</param>
    public override void Save(string savepointName) => Savepoint("SAVEPOINT \"", savepointName);

    /// <summary>Rolls back to a savepoint (which stays open).</summary>
    /// <param name="savepointName">The savepoint's name.</param>
    public override void Rollback(string savepointName) => Savepoint("ROLLBACK TO SAVEPOINT \"", savepointName);

    /// <summary>Releases a savepoint, keeping its changes in the transaction.</summary>
    /// <param name="savepointName">The savepoint's name.</param>
    public override void Release(string savepointName) => Savepoint("RELEASE SAVEPOINT \"", savepointName);

    private void Savepoint(string verb, string name)
    {
        ArgumentNullException.ThrowIfNull(name, "savepointName");
        if (_completed || _connection!.State != ConnectionState.Open)
            throw new InvalidOperationException("This TernTransaction has completed; it is no longer usable.");
        _connection.ExecuteInternal(verb + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\";");
    }

    /// <summary>Rolls back when disposed before completing.</summary>
    /// <param name="disposing">Whether managed resources are released.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_completed && _connection!.State == ConnectionState.Open) RollbackInternal();
    }

    /// <summary>Called when SQL run on the connection ended the transaction (COMMIT/END or ROLLBACK).</summary>
    internal void EndedExternally(string sql)
    {
        string head = sql.TrimStart();
        // A COMMIT leaves the object usable until Commit/Rollback report that no transaction is active.
        if (!head.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase) && !head.StartsWith("END", StringComparison.OrdinalIgnoreCase))
            ExternalRollback = true;
    }

    private void Complete()
    {
        TernConnection connection = _connection!;
        connection.Transaction = null;
        _connection = null;
        _completed = true;
        if (IsolationLevel == IsolationLevel.ReadUncommitted)
        {
            try
            {
                connection.ExecuteInternal("PRAGMA read_uncommitted = 0;");
            }
            catch (Exception e) when (e is TernException or InvalidOperationException)
            {
                // Best effort: the transaction is over either way.
            }
        }
    }

    private void RollbackInternal()
    {
        try
        {
            if (!ExternalRollback) _connection!.ExecuteInternal("ROLLBACK;");
        }
        finally
        {
            Complete();
        }
    }
}
