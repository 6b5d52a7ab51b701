// ANALYZE and sqlite_stat1 compared with SQLite 3.50.4 (built without STAT4): the table's
// schema text, one row per index with SQLite's averages (collations, NULLs, the 2-to-1 rule,
// partial and expression indexes, automatic indexes), the row-count row of tables without
// full indexes, nothing for empty tables, rows replaced when an object is analyzed again,
// temp and attached databases, the names ANALYZE accepts and its errors, DROP TABLE/INDEX
// clearing their rows, PRAGMA analysis_limit and optimize; and files: sqlite3 reads what Tern wrote
// (integrity_check ok, same rows), Tern reads and re-analyzes what sqlite3 wrote, and a
// damaged sqlite_stat1 changes no query's answer.
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public class AnalyzeTests
{
    private const string Stat = "SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx";

    public static TheoryData<string> Scripts() => new(
        // Averages: 100 rows over 7, 3x(100) and unique values; the rule that makes 2 into 1.
        "CREATE TABLE t(a, b, c); CREATE INDEX ta ON t(a); CREATE INDEX tbc ON t(b, c); CREATE UNIQUE INDEX tu ON t(c); "
        + "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100) INSERT INTO t SELECT i % 7, i % 3, i FROM r; "
        + "CREATE TABLE u(a); CREATE INDEX ua ON u(a); WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 11) INSERT INTO u SELECT min(i, 10) FROM r; "
        + "CREATE TABLE w(a); CREATE INDEX wa ON w(a); INSERT INTO w VALUES (1), (1), (2), (3); "
        + "ANALYZE; SELECT sql FROM sqlite_schema WHERE name = 'sqlite_stat1'; " + Stat + "; SELECT typeof(tbl), typeof(idx), typeof(stat) FROM sqlite_stat1 LIMIT 1",
        // Empty tables, tables without indexes, partial indexes (all partial: the row-count row too), expression indexes.
        "CREATE TABLE e(a); CREATE INDEX ea ON e(a); CREATE TABLE ep(a); CREATE INDEX epa ON ep(a) WHERE a > 1; CREATE TABLE n(x); CREATE TABLE n0(x); INSERT INTO n VALUES (1), (2); "
        + "CREATE TABLE t(a, b, c); CREATE INDEX tp ON t(a) WHERE b > 1; CREATE INDEX te ON t(a + b, lower(c)); "
        + "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100) INSERT INTO t SELECT i % 7, i % 3, 'X' || (i % 5) FROM r; "
        + "CREATE TABLE p(a, b); CREATE INDEX p1 ON p(a) WHERE a > 0; CREATE INDEX p2 ON p(b) WHERE b > 1000; INSERT INTO p VALUES (1, 1), (2, -1); "
        + "ANALYZE; " + Stat,
        // Collations and NULLs (equal for counting); automatic indexes of PRIMARY KEY and UNIQUE.
        "CREATE TABLE n(a COLLATE NOCASE, b); CREATE INDEX na ON n(a, b); CREATE INDEX nb ON n(b COLLATE RTRIM, a COLLATE BINARY); "
        + "INSERT INTO n VALUES (NULL, 1), (NULL, 1), ('x', 1), ('X', 'a '), ('y', 'a'); "
        + "CREATE TABLE q(a PRIMARY KEY, b UNIQUE, c, UNIQUE(c, b)); INSERT INTO q VALUES (1, 1, 1), (2, 2, 1), (3, NULL, 1), (4, NULL, 2); "
        + "ANALYZE main; " + Stat,
        // One table, one index, again: their rows replaced, others kept; names resolved case-insensitively.
        "CREATE TABLE t(a, b); CREATE INDEX ta ON t(a); CREATE INDEX tb ON t(b); INSERT INTO t VALUES (1, 1), (1, 2), (2, 3); "
        + "CREATE TABLE s(a); INSERT INTO s VALUES (1); ANALYZE; SELECT * FROM sqlite_stat1 WHERE tbl = 's'; "
        + "INSERT INTO t VALUES (3, 3), (4, 3); ANALYZE TB; " + Stat + "; INSERT INTO t VALUES (5, 5); ANALYZE main.T; " + Stat + "; "
        + "ANALYZE ta; ANALYZE main.ta; SELECT count(*) FROM sqlite_stat1; INSERT INTO s VALUES (2); ANALYZE s; SELECT * FROM sqlite_stat1 WHERE tbl = 's'",
        // What ANALYZE accepts and refuses.
        "ANALYZE nosuch; ANALYZE main.nosuch; ANALYZE nodb.t; CREATE VIEW v AS SELECT 1; ANALYZE v; SELECT name FROM sqlite_schema ORDER BY name; "
        + "ANALYZE sqlite_schema; ANALYZE sqlite_stat1; ANALYZE sqlite_master; ANALYZE temp; SELECT name FROM temp.sqlite_schema; "
        + "CREATE TABLE t(a); CREATE INDEX ti ON t(a); INSERT INTO t VALUES (1); ANALYZE temp.t; ANALYZE temp.ti; ANALYZE main.ti; " + Stat,
        // Temp and attached databases: each has its own sqlite_stat1; plain ANALYZE skips temp.
        "ATTACH ':memory:' AS aux; CREATE TABLE aux.t(a); CREATE INDEX aux.ta ON t(a); INSERT INTO aux.t VALUES (1), (1), (2); "
        + "CREATE TEMP TABLE tt(a); CREATE INDEX tti ON tt(a); INSERT INTO tt VALUES (5), (5); CREATE TABLE m(x); INSERT INTO m VALUES (1); "
        + "ANALYZE; SELECT * FROM main.sqlite_stat1; SELECT * FROM aux.sqlite_stat1; SELECT name FROM temp.sqlite_schema WHERE name LIKE 'sqlite%'; "
        + "ANALYZE temp; SELECT * FROM temp.sqlite_stat1; SELECT * FROM sqlite_stat1; DELETE FROM aux.t WHERE a = 2; ANALYZE aux.ta; SELECT * FROM aux.sqlite_stat1; "
        + "ANALYZE aux; SELECT * FROM aux.sqlite_stat1",
        // DROP TABLE / DROP INDEX delete their rows; sqlite_stat1 may be dropped and is made again.
        "CREATE TABLE t(a, b); CREATE INDEX ta ON t(a); CREATE INDEX tb ON t(b); INSERT INTO t VALUES (1, 2); CREATE TABLE s(a); INSERT INTO s VALUES (1); "
        + "ANALYZE; DROP INDEX tb; " + Stat + "; DROP TABLE T; " + Stat + "; DROP TABLE sqlite_stat1; SELECT name FROM sqlite_schema ORDER BY name; "
        + "ANALYZE; " + Stat + "; DROP TABLE sqlite_schema; DROP TABLE temp.sqlite_master; DROP TABLE sqlite_sequence; CREATE TABLE sqlite_stat1(a)",
        // Hand-edited statistics: queries keep their answers, ANALYZE of a table replaces only its rows, of the database all.
        "CREATE TABLE t(a, b); CREATE INDEX ta ON t(a); INSERT INTO t VALUES (1, 2), (1, 3), (2, 4); ANALYZE; "
        + "INSERT INTO sqlite_stat1 VALUES ('t', 'ta', 'garbage x y'), ('zz', NULL, '5'), (1, 2, 3), ('t', NULL, NULL), ('t', 'ta', x'00ff'); "
        + "UPDATE sqlite_stat1 SET stat = '1 1 1 1 1 unordered noskipscan sz=9' WHERE idx = 'ta'; "
        + "SELECT * FROM t WHERE a = 1 ORDER BY b; SELECT * FROM t WHERE a > 0 AND b < 4 ORDER BY b; "
        + "ANALYZE t; SELECT rowid, * FROM sqlite_stat1 ORDER BY rowid; ANALYZE; SELECT rowid, * FROM sqlite_stat1; SELECT count(*) FROM t WHERE a = 1",
        // analysis_limit: read, set (decimal, hex, text), refused values kept; as a function.
        // PRAGMA optimize: tables with rows whose indexes lack statistics are analyzed (not temp, not empty ones); the mask's 0x02 bit.
        "CREATE TABLE w(a); CREATE INDEX wa ON w(a); PRAGMA optimize; PRAGMA schema_version; SELECT count(*) FROM sqlite_schema; "
        + "CREATE TABLE t(a, b); CREATE INDEX ta ON t(a); INSERT INTO t VALUES (1, 2), (1, 3); CREATE TABLE u(a UNIQUE); INSERT INTO u VALUES (1); "
        + "CREATE TABLE v(a); INSERT INTO v VALUES (1); CREATE TEMP TABLE tt(a); CREATE INDEX tti ON tt(a); INSERT INTO tt VALUES (1); "
        + "PRAGMA optimize(0xfffd); PRAGMA optimize = 'abc'; SELECT count(*) FROM sqlite_schema; PRAGMA optimize; " + Stat + "; PRAGMA schema_version; "
        + "SELECT name FROM temp.sqlite_schema; INSERT INTO w VALUES (5); PRAGMA main.optimize; " + Stat + "; PRAGMA optimize; PRAGMA optimize(2); " + Stat,
        "PRAGMA analysis_limit; PRAGMA analysis_limit = 0x10; PRAGMA analysis_limit = -3; PRAGMA analysis_limit; PRAGMA analysis_limit = ' 7 '; "
        + "PRAGMA analysis_limit = 'abc'; PRAGMA analysis_limit = 2147483649; SELECT * FROM pragma_analysis_limit; PRAGMA temp.analysis_limit; PRAGMA analysis_limit = 0; "
        + "CREATE TABLE t(a); ANALYZE; " + Stat);

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);

    [Fact]
    public void Analyze_under_an_analysis_limit_fails_when_prepared()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(a); CREATE INDEX ta ON t(a); PRAGMA analysis_limit = 100");
        var e = Assert.Throws<TernException>(() => c.Prepare("ANALYZE"));
        Assert.Contains("analysis_limit", e.Message, StringComparison.Ordinal);
        c.Execute("PRAGMA analysis_limit = 0; ANALYZE");
    }

    [Fact]
    public void Optimize_fails_where_sqlite_would_sample_or_report()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(a); CREATE INDEX ta ON t(a); WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 2001) INSERT INTO t SELECT i FROM r");
        Assert.Contains("not supported yet", Assert.Throws<TernException>(() => c.Prepare("PRAGMA optimize(0x10002)")).Message, StringComparison.Ordinal);
        Assert.Contains("not supported yet", Assert.Throws<TernException>(() => c.Prepare("PRAGMA optimize(3)")).Message, StringComparison.Ordinal);
        // SQLite samples 2000 rows of a larger table; Tern refuses rather than write other numbers.
        Assert.Contains("more than 2000 rows", Assert.Throws<TernException>(() => c.Execute("PRAGMA optimize")).Message, StringComparison.Ordinal);
        c.Execute("DELETE FROM t WHERE a = 1; PRAGMA optimize");
        using Statement s = c.Prepare("SELECT stat FROM sqlite_stat1");
        Assert.True(s.Step());
        Assert.Equal("2000 1", s.GetString(0));
    }

    [Fact]
    public void Statistics_written_by_tern_read_in_sqlite_and_pass_integrity_check()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("stat.db");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute("CREATE TABLE t(a, b, c); CREATE INDEX ta ON t(a); CREATE INDEX tbc ON t(b, c) WHERE c > 10; CREATE TABLE n(x); "
                + "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 500) INSERT INTO t SELECT i % 7, i % 3, i FROM r; "
                + "INSERT INTO n VALUES (1), (2), (3); ANALYZE; DROP INDEX ta; ANALYZE n");
        }
        Assert.Equal("ok\n", SqliteShell.Run(path, "PRAGMA integrity_check;"));
        Assert.Equal("CREATE TABLE sqlite_stat1(tbl,idx,stat)\nn||3\nt|tbc|490 164 1\n",
            SqliteShell.Run(path, "SELECT sql FROM sqlite_schema WHERE name = 'sqlite_stat1'; SELECT * FROM sqlite_stat1 ORDER BY tbl;"));
        // sqlite3 loads the statistics (they steer its planner) and analyzes again to the same rows.
        // (With ta dropped, t's only index is partial: sqlite3 adds t's row count.)
        Assert.Equal("163\nn||3\nt||500\nt|tbc|490 164 1\n", SqliteShell.Run(path, "SELECT count(*) FROM t WHERE b = 1 AND c > 10; ANALYZE; SELECT * FROM sqlite_stat1 ORDER BY tbl, idx;"));
    }

    [Fact]
    public void Statistics_written_by_sqlite_read_and_analyzed_again_in_tern()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("sqlite.db");
        SqliteShell.Run(path, "CREATE TABLE t(a, b); CREATE INDEX ta ON t(a); CREATE UNIQUE INDEX tb ON t(b); "
            + "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 300) INSERT INTO t SELECT i % 10, i FROM r; ANALYZE;");
        string written = SqliteShell.Run(path, "SELECT * FROM sqlite_stat1 ORDER BY idx;");
        Assert.Equal("t|ta|300 30\nt|tb|300 1\n", written);
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            Assert.Equal(written, Rows(c, "SELECT * FROM sqlite_stat1 ORDER BY idx"));
            Assert.Equal("30\n", Rows(c, "SELECT count(*) FROM t WHERE a = 3"));
            c.Execute("DELETE FROM t WHERE a > 4; ANALYZE");
            Assert.Equal("t|ta|150 30\nt|tb|150 1\n", Rows(c, "SELECT * FROM sqlite_stat1 ORDER BY idx"));
        }
        Assert.Equal("ok\n", SqliteShell.Run(path, "PRAGMA integrity_check;"));
        Assert.Equal("t|ta|150 30\nt|tb|150 1\n", SqliteShell.Run(path, "SELECT * FROM sqlite_stat1 ORDER BY idx;"));
    }

    [Fact]
    public void A_damaged_statistics_table_changes_no_answer()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("damaged.db");
        // A statistics table of the wrong shape (made through writable_schema) holding nonsense.
        SqliteShell.Run(path, "CREATE TABLE t(a, b); CREATE INDEX ta ON t(a); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (2, 'z'); ANALYZE; "
            + "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE TABLE sqlite_stat1(tbl,idx)' WHERE name = 'sqlite_stat1'; "
            + "PRAGMA writable_schema = OFF;");
        SqliteShell.Run(path, "INSERT INTO sqlite_stat1 VALUES ('t', 'ta'), ('t', NULL), (NULL, 'ta');");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            Assert.Equal("y\nz\n", Rows(c, "SELECT b FROM t WHERE a = 2 ORDER BY b"));
            c.Execute("ANALYZE");
            // The records hold the stat text; the table's two declared columns show tbl and idx.
            Assert.Equal("t|ta\n", Rows(c, "SELECT * FROM sqlite_stat1"));
            Assert.Equal("y\nz\n", Rows(c, "SELECT b FROM t WHERE a = 2 ORDER BY b"));
        }
        Assert.Equal("ok\nt|ta\n", SqliteShell.Run(path, "PRAGMA integrity_check; SELECT * FROM sqlite_stat1;"));
    }

    private static string Rows(Connection c, string sql)
    {
        var sb = new System.Text.StringBuilder();
        using Statement s = c.Prepare(sql);
        while (s.Step())
        {
            for (int i = 0; i < s.ColumnCount; i++)
            {
                if (i > 0) sb.Append('|');
                sb.Append(s.IsNull(i) ? "" : s.GetString(i));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
