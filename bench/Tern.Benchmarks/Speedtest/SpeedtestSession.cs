// One engine's side of the speedtest1 run: an open ADO.NET connection (any
// System.Data.Common provider, so Tern and SQLite run literally the same code), the
// test's pseudo-random generator, and the checksum of what the test's statements
// returned. Statements are run the way speedtest1 runs them: prepared once with numbered
// parameters (?1, ?2, ...), then bound, stepped to the end and reset in a loop; every
// result row is read, column by column, into the checksum.
using System.Data.Common;

namespace Tern.Benchmarks.Speedtest;

/// <summary>One engine's connection and per-test state.</summary>
internal sealed class SpeedtestSession : IDisposable
{
    private readonly List<DbCommand> _commands = [];

    /// <summary>Opens a session on <paramref name="connection"/> (already open).</summary>
    public SpeedtestSession(string engine, DbConnection connection)
    {
        Engine = engine;
        Connection = connection;
    }

    /// <summary>The engine's display name.</summary>
    public string Engine { get; }

    /// <summary>The open connection.</summary>
    public DbConnection Connection { get; }

    /// <summary>speedtest1's generator, reset when each test begins.</summary>
    public SpeedtestRandom Random { get; } = new();

    /// <summary>The checksum of the current test.</summary>
    public ResultChecksum Checksum { get; private set; } = new();

    /// <summary>The SQL texts the current test ran, in order.</summary>
    public List<string> Statements { get; private set; } = [];

    /// <summary>Starts a test: fresh checksum, generator back at its seeds.</summary>
    public void BeginTest()
    {
        Checksum = new ResultChecksum();
        Statements = [];
        Random.Reset();
    }

    /// <summary>Ends a test: releases the statements it prepared.</summary>
    public void EndTest()
    {
        foreach (DbCommand c in _commands) c.Dispose();
        _commands.Clear();
    }

    /// <summary>Runs <paramref name="sql"/> once (one or more statements), reading every row.</summary>
    public void Exec(string sql)
    {
        Statements.Add(sql);
        using DbCommand cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        Run(cmd);
    }

    /// <summary>Prepares <paramref name="sql"/> with parameters ?1..?<paramref name="parameters"/>, for <see cref="Run"/> in a loop.</summary>
    public DbCommand Prepare(string sql, int parameters)
    {
        Statements.Add(sql);
        DbCommand cmd = Connection.CreateCommand();
        _commands.Add(cmd);
        cmd.CommandText = sql;
        for (int i = 1; i <= parameters; i++)
        {
            DbParameter p = cmd.CreateParameter();
            p.ParameterName = "?" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            p.Value = 0L;
            cmd.Parameters.Add(p);
        }
        cmd.Prepare();
        return cmd;
    }

    /// <summary>Runs a prepared command to the end, reading every row into the checksum.</summary>
    public void Run(DbCommand cmd)
    {
        using DbDataReader reader = cmd.ExecuteReader();
        do
        {
            while (reader.Read()) Checksum.AddRow(reader);
        }
        while (reader.NextResult());
        reader.Close();
        // Rows changed count only for INSERT/UPDATE/DELETE/REPLACE: for other statements
        // Microsoft.Data.Sqlite reports sqlite3_changes() left over from an earlier write.
        if (IsWrite(cmd.CommandText)) Checksum.AddChanges(reader.RecordsAffected);
    }

    private static bool IsWrite(string sql)
    {
        ReadOnlySpan<char> s = sql.AsSpan().TrimStart();
        foreach (string verb in (ReadOnlySpan<string>)["INSERT", "UPDATE", "DELETE", "REPLACE"])
        {
            if (s.StartsWith(verb, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>Binds an integer to parameter ?<paramref name="index"/>.</summary>
    public static void Bind(DbCommand cmd, int index, long value) => cmd.Parameters[index - 1].Value = value;

    /// <summary>Binds text to parameter ?<paramref name="index"/>.</summary>
    public static void Bind(DbCommand cmd, int index, string value) => cmd.Parameters[index - 1].Value = value;

    /// <summary>The query plan of <paramref name="sql"/> (EXPLAIN QUERY PLAN, parameters bound to 0), one line per step.</summary>
    public List<string> QueryPlan(string sql)
    {
        var lines = new List<string>();
        using DbCommand cmd = Connection.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + sql;
        for (int i = 1; i <= 9; i++)
        {
            if (!sql.Contains("?" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)) break;
            DbParameter p = cmd.CreateParameter();
            p.ParameterName = "?" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            p.Value = 0L;
            cmd.Parameters.Add(p);
        }
        using DbDataReader r = cmd.ExecuteReader();
        while (r.Read()) lines.Add(Convert.ToString(r.GetValue(3), System.Globalization.CultureInfo.InvariantCulture) ?? "");
        return lines;
    }

    /// <summary>Rolls back a transaction a failed test left open; errors (no transaction) are ignored.</summary>
    public void RollbackQuietly()
    {
        EndTest();
        try
        {
            using DbCommand cmd = Connection.CreateCommand();
            cmd.CommandText = "ROLLBACK";
            cmd.ExecuteNonQuery();
        }
        catch (DbException)
        {
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        EndTest();
        Connection.Dispose();
    }
}
