// The oracle: SQLite 3.50.4 in-process through Microsoft.Data.Sqlite (DESIGN §1), used
// here only to prepare statements and read SQLite's error message.
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Tern.Sql.Tests.Support;

internal static partial class SqliteOracle
{
    private static readonly Lazy<bool> Initialized = new(() =>
    {
        SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
        return true;
    });

    public static SqliteConnection OpenMemory()
    {
        _ = Initialized.Value;
        var c = new SqliteConnection("Data Source=:memory:");
        c.Open();
        return c;
    }

    public static void Execute(SqliteConnection c, string sql)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Prepares the first statement of <paramref name="sql"/> (as sqlite3_prepare_v2 does)
    /// and returns null when it prepares, else SQLite's error message.
    /// </summary>
    public static string? PrepareError(SqliteConnection c, string sql)
    {
        int rc = SQLitePCL.raw.sqlite3_prepare_v2(c.Handle!, sql, out SQLitePCL.sqlite3_stmt stmt, out _);
        string? msg = rc == 0 ? null : SQLitePCL.raw.sqlite3_errmsg(c.Handle!).utf8_to_string();
        stmt.Dispose();
        return msg;
    }

    /// <summary>True for the messages SQLite's parser itself raises (the ones Tern.Sql reproduces).</summary>
    public static bool IsParserMessage(string message) => ParserMessage().IsMatch(message);

    [GeneratedRegex("""^(near ".*": syntax error|incomplete input|unrecognized token: .*|Expression tree is too large \(maximum depth 1000\)|a JOIN clause is required before (ON|USING)|unknown join type: .*|(ORDER BY|LIMIT) clause should come after .* not before|too many terms in compound SELECT|unknown table option: .*|DISTINCT is not supported for window functions|unsupported frame specification|syntax error after column name ".*"|the (INDEXED BY|NOT INDEXED) clause is not allowed on UPDATE or DELETE statements within triggers|qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers|too many arguments on function .*|variable number must be between \?1 and \?32766|too many SQL variables|parser stack overflow)$""", RegexOptions.Singleline)]
    private static partial Regex ParserMessage();
}
