// The in-process oracle: SQLite 3.50.4 through Microsoft.Data.Sqlite, with the
// e_sqlite3 provider set once for the test assembly.
using Microsoft.Data.Sqlite;

namespace Tern.Tests.Support;

internal static class SqliteOracle
{
    private static readonly Lazy<bool> Initialized = new(() =>
    {
        SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
        return true;
    });

    /// <summary>Sets the e_sqlite3 provider (once) for code that calls SQLite's C API directly.</summary>
    public static void EnsureProvider() => _ = Initialized.Value;

    /// <summary>
    /// Opens a connection to a database file (pooling off, so files are released on dispose).
    /// The e_sqlite3 build reads double-quoted names as names only (SQLITE_DQS=0); the
    /// connection turns DQS_DML and DQS_DDL on, so it behaves as SQLite's default build and as
    /// a Tern connection by default. <paramref name="doubleQuotedStrings"/> false keeps them off.
    /// </summary>
    public static SqliteConnection Open(string path, bool doubleQuotedStrings = true)
    {
        _ = Initialized.Value;
        var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        int on = doubleQuotedStrings ? 1 : 0;
        SQLitePCL.raw.sqlite3_db_config(c.Handle, SqliteDbConfigDqsDml, on, out _);
        SQLitePCL.raw.sqlite3_db_config(c.Handle, SqliteDbConfigDqsDdl, on, out _);
        return c;
    }

    // sqlite3.h: SQLITE_DBCONFIG_DQS_DML and SQLITE_DBCONFIG_DQS_DDL.
    private const int SqliteDbConfigDqsDml = 1013;
    private const int SqliteDbConfigDqsDdl = 1014;

    /// <summary>Runs statements that return no rows.</summary>
    public static void Execute(SqliteConnection c, string sql)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row.</summary>
    public static object? Scalar(SqliteConnection c, string sql)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
