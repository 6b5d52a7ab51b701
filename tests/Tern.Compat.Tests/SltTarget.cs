// Where the sqllogictest runner sends SQL: the engine API (EngineTarget) or any ADO.NET
// connection (AdoTarget, used with Tern.Data's TernConnection). A target runs statements,
// runs queries into rows of values rendered as the corpus prints them, and says which
// exceptions are the database's own errors (as opposed to crashes).
using System.Data.Common;

namespace Tern.Compat.Tests;

/// <summary>A database the runner executes records against.</summary>
public abstract class SltTarget : IDisposable
{
    /// <summary>
    /// How long one query may run before it is interrupted: a guard against a truly stuck
    /// record only. A slow record (some many-table joins take seconds today) is a speed
    /// finding for the benchmarks, never a failure on a loaded machine.
    /// </summary>
    protected const int HangGuardMilliseconds = 180_000;

    /// <summary>Runs every statement of <paramref name="sql"/>; throws on error.</summary>
    public abstract void Execute(string sql);

    /// <summary>
    /// Runs a query and renders its rows by <paramref name="types"/> (one letter per column); <paramref name="columns"/>
    /// is the statement's column count (-1 where the target cannot tell). A query still running after 5 seconds is interrupted and fails. As SQLite's
    /// own runner does, an error while stepping (such as "integer overflow" from sum()) ends the rows: only the rows
    /// before it are kept.
    /// </summary>
    public abstract List<string[]> Query(string sql, string types, out int columns);

    /// <summary>Whether an exception is an error the database reports (not a crash).</summary>
    public abstract bool IsDatabaseError(Exception e);

    public abstract void Dispose();

    protected static char TypeOf(string types, int c) => c < types.Length ? types[c] : 'T';
}

/// <summary>The engine API: a private in-memory database.</summary>
public sealed class EngineTarget : SltTarget
{
    private readonly Database _db = Database.Open(":memory:");
    private readonly Connection _conn;

    public EngineTarget() => _conn = _db.Connect();

    public override void Execute(string sql) => _conn.Execute(sql);

    public override List<string[]> Query(string sql, string types, out int columns)
    {
        using Statement s = _conn.Prepare(sql);
        columns = s.ColumnCount;
        using var timer = new Timer(_ => _conn.Interrupt(), null, HangGuardMilliseconds, Timeout.Infinite);
        var rows = new List<string[]>();
        try
        {
            while (s.Step())
            {
                var row = new string[s.ColumnCount];
                for (int c = 0; c < row.Length; c++)
                {
                    int col = c;
                    row[c] = SltRunner.Render(s.IsNull(c), TypeOf(types, c), () => s.GetInt64(col), () => s.GetDouble(col), () => s.GetString(col));
                }
                rows.Add(row);
            }
        }
        catch (TernException e) when (e.Code != ResultCode.Interrupt)
        {
        }
        return rows;
    }

    public override bool IsDatabaseError(Exception e) => e is TernException;

    public override void Dispose()
    {
        _conn.Dispose();
        _db.Dispose();
    }
}

/// <summary>An ADO.NET connection (opened by the target, disposed with it).</summary>
public sealed class AdoTarget : SltTarget
{
    private readonly DbConnection _conn;
    private readonly Func<Exception, bool> _interrupted;

    /// <param name="connection">A closed connection to a fresh database.</param>
    /// <param name="interrupted">Whether a database error is SQLITE_INTERRUPT (the runner's time guard).</param>
    public AdoTarget(DbConnection connection, Func<Exception, bool> interrupted)
    {
        _conn = connection;
        _interrupted = interrupted;
        _conn.Open();
    }

    public override void Execute(string sql)
    {
        using DbCommand cmd = _conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public override List<string[]> Query(string sql, string types, out int columns)
    {
        using DbCommand cmd = _conn.CreateCommand();
        cmd.CommandText = sql;
        // Compile errors surface here and fail the record; errors from here on are stepping errors.
        cmd.Prepare();
        using var timer = new Timer(_ => cmd.Cancel(), null, HangGuardMilliseconds, Timeout.Infinite);
        var rows = new List<string[]>();
        DbDataReader? reader = null;
        // ADO.NET shows the column count only on a reader: when the first step fails there is
        // none, and the count is unknown (-1; the engine path checks every record's count).
        columns = -1;
        try
        {
            reader = cmd.ExecuteReader();
            columns = reader.FieldCount;
            while (reader.Read())
            {
                var row = new string[reader.FieldCount];
                for (int c = 0; c < row.Length; c++)
                {
                    int col = c;
                    DbDataReader r = reader;
                    row[c] = SltRunner.Render(r.IsDBNull(c), TypeOf(types, c), () => r.GetInt64(col), () => r.GetDouble(col), () => r.GetString(col));
                }
                rows.Add(row);
            }
        }
        catch (DbException e) when (!_interrupted(e))
        {
        }
        finally
        {
            try
            {
                reader?.Dispose();
            }
            catch (DbException)
            {
            }
        }
        return rows;
    }

    public override bool IsDatabaseError(Exception e) => e is DbException;

    public override void Dispose() => _conn.Dispose();
}
