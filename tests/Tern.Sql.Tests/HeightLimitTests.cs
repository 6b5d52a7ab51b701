// SQLite's expression-depth limit (1000) counted the way SQLite's parser counts it: each
// construct nested or chained just below, at and above the limit, compared with SQLite.
//
// SQLite checks the limit a second time when it resolves names, adding up the heights
// of nested subqueries and checking nodes its parser does not (CAST, IN table): that
// check belongs to the engine's resolver (it can use SqlNode.Height), so shapes where it
// fires first (nested subqueries, CAST chains, IN-table chains) are not compared here.
using System.Text;
using Tern.Sql.Tests.Support;

namespace Tern.Sql.Tests;

public sealed class HeightLimitTests
{
    public static TheoryData<string, string, string, string> Shapes() => new()
    {
        { "SELECT ", "abs(", "1", ")" },
        { "SELECT ", "CASE WHEN 1 THEN ", "1", " END" },
        { "SELECT ", "CASE ", "1", " WHEN 1 THEN 1 END" },
        { "SELECT ", "~ ", "1", "" },
        { "SELECT ", "- + ", "1", "" },
        { "SELECT ", "+ - ", "1", "" },
        { "SELECT ", "NOT ", "1", "" },
        { "SELECT ", "RAISE(ABORT, ", "1", ")" },
        { "SELECT ", "coalesce(1, ", "1", ")" },
        { "SELECT ", "(1, ", "1", ")" },
        { "SELECT 1", "", "", " BETWEEN 1 AND 2" },
        { "SELECT 1", "", "", " NOT BETWEEN 1 AND 2" },
        { "SELECT 1", "", "", " LIKE 1" },
        { "SELECT 1", "", "", " NOT LIKE 1 ESCAPE 1" },
        { "SELECT 1", "", "", " IS 1" },
        { "SELECT 1", "", "", " IS NOT NULL" },
        { "SELECT 1", "", "", " ISNULL" },
        { "SELECT 1", "", "", " NOT NULL" },
        { "SELECT 1", "", "", " IN (1, 2)" },
        { "SELECT 1", "", "", " IN (1)" },
        { "SELECT 1", "", "", " NOT IN (1)" },
        { "SELECT 1", "", "", " IN ()" },
        { "SELECT 1", "", "", " NOT IN (SELECT 1)" },
        { "SELECT 1", "", "", " -> 1" },
        { "SELECT 1", "", "", " COLLATE x + 1" },
        { "SELECT 1", "", "", " = t.a" },
        { "SELECT 1", "", "", " = main.t.a" },
        { "SELECT abs(1)", "", "", " IN ()" },
        { "SELECT 1 FROM t WHERE 1", "", "", " AND 1" },
        { "CREATE TABLE x(a DEFAULT (1", "", "", " + 1" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Depth_limit_matches_SQLite(string prefix, string open, string inner, string close)
    {
        using var db = SqliteOracle.OpenMemory();
        SqliteOracle.Execute(db, "CREATE TABLE t(a)");
        var mismatches = new List<string>();
        for (int n = 996; n <= 1003; n++)
        {
            string sql = prefix + Repeat(open, n) + inner + Repeat(close, n) + (prefix.StartsWith("CREATE TABLE") ? "))" : "");
            string? theirs = SqliteOracle.PrepareError(db, sql);
            if (theirs is not null && !SqliteOracle.IsParserMessage(theirs)) theirs = null;
            string? ours = null;
            try
            {
                SqlParser.ParseNext(Encoding.UTF8.GetBytes(sql));
            }
            catch (SqlParseException e)
            {
                ours = e.Message;
            }
            if (ours != theirs) mismatches.Add($"n={n}: Tern {ours ?? "ok"}, SQLite {theirs ?? "ok"}");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(5)));
    }

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();
}
