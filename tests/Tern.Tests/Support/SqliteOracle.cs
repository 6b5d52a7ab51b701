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

    /// <summary>Opens a connection to a database file (pooling off, so files are released on dispose).</summary>
    public static SqliteConnection Open(string path)
    {
        _ = Initialized.Value;
        var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        return c;
    }

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
