// Tests for full scans through a covering index: a SELECT that scans a whole table reads
// it through the smallest index holding every column it needs, when that index's rows are
// estimated smaller than the table's, as SQLite does. The row order then follows the index,
// which shows in output order without ORDER BY and in order-dependent results (sum()'s
// integer overflow, group_concat()); EXPLAIN QUERY PLAN names the index.
using Microsoft.Data.Sqlite;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public class CoveringIndexScanTests
{
    private const string Indexed =
        "CREATE TABLE t1(a TEXT, b INT, c INT, d VARCHAR(100), e INTEGER PRIMARY KEY); CREATE INDEX i1 ON t1(b); CREATE INDEX i2 ON t1(c, b); CREATE INDEX i3 ON t1(a); "
        + "CREATE INDEX i4 ON t1(d); INSERT INTO t1(a, b, c, d) VALUES ('z', 3, 1, 'q'), ('y', 1, 2, 'p'), ('x', 2, 0, 'r'), ('w', NULL, 5, NULL), ('v', 2, -1, 'o'); ";

    public static TheoryData<string> Scripts() => new(
        "CREATE TABLE t0(c0 INT UNIQUE COLLATE RTRIM, c1 FLOATING POINT); INSERT INTO t0(c0, c1) VALUES ('9223372036854775808', '{\"a\":1}'); INSERT INTO t0(c0) VALUES (-1); "
        + "INSERT INTO t0(c0, c1) VALUES ((2 - 9223372036854775808.0), x'616263'); SELECT sum(CAST(c0 AS INTEGER)), count(*) FROM t0; SELECT c0 FROM t0; SELECT c0, c1 FROM t0; SELECT rowid, c0 FROM t0",
        Indexed + "SELECT b FROM t1; SELECT c, b FROM t1; SELECT a FROM t1; SELECT rowid FROM t1; SELECT 1, e FROM t1; SELECT d FROM t1; SELECT group_concat(a) FROM t1; SELECT b, group_concat(c) FROM t1 GROUP BY b",
        Indexed + "SELECT b FROM t1 NOT INDEXED; SELECT b FROM t1 INDEXED BY i2; SELECT a, b FROM t1; SELECT b FROM t1 WHERE c > 0 OR c IS NULL; SELECT b, min(c) FROM t1",
        Indexed + "SELECT x.b, y.c FROM t1 AS x, t1 AS y WHERE x.b + y.c = 3 ORDER BY 1, 2; SELECT x.a, y.b FROM t1 AS x LEFT JOIN t1 AS y ON y.b > 2; SELECT b, (SELECT count(*) FROM t1 AS y WHERE y.c < t1.b) FROM t1",
        Indexed + "SELECT b FROM (SELECT b FROM t1); CREATE VIEW v AS SELECT c, b FROM t1; SELECT * FROM v; SELECT b FROM t1 UNION ALL SELECT a FROM t1; SELECT count(*) FROM t1 WHERE b",
        // Indexes that cannot serve: partial, expression, or bigger rows than the table.
        "CREATE TABLE t(a INT, b INT); CREATE INDEX ip ON t(b) WHERE b > 0; CREATE INDEX ie ON t(a + b); INSERT INTO t VALUES (5, 1), (4, 3), (3, 2); SELECT b FROM t; SELECT a FROM t",
        "CREATE TABLE t(a TEXT, b INT); CREATE INDEX i ON t(a, b); INSERT INTO t VALUES ('c', 1), ('a', 2), ('b', 3); SELECT a, b FROM t; SELECT b FROM t",
        "CREATE TABLE t(a, b, c AS (a * 2) VIRTUAL, d AS (b + 1) STORED); CREATE INDEX ic ON t(c); CREATE INDEX idx ON t(d); INSERT INTO t(a, b) VALUES (3, 1), (1, 3), (2, 2); SELECT c FROM t; SELECT d FROM t; SELECT d, rowid FROM t",
        "CREATE TABLE t(a INT, b INT UNIQUE ON CONFLICT REPLACE, c INT UNIQUE); INSERT INTO t VALUES (1, 3, 2), (2, 1, 3), (3, 2, 1); SELECT rowid FROM t; SELECT b FROM t; SELECT c FROM t");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Full_scans_follow_sqlite_index_choice_when_an_index_covers_the_query(string script) => Differential.AssertSame(script);

    [Fact]
    public void Explain_query_plan_names_the_covering_index_when_the_scan_uses_one()
    {
        const string Schema = Indexed + "CREATE TABLE t0(c0 INT UNIQUE, c1 REAL)";
        string[] queries =
        [
            "SELECT b FROM t1", "SELECT c, b FROM t1", "SELECT a FROM t1", "SELECT rowid FROM t1", "SELECT d FROM t1", "SELECT * FROM t1",
            "SELECT b FROM t1 NOT INDEXED", "SELECT b FROM t1 INDEXED BY i2", "SELECT c0 FROM t0", "SELECT c0, c1 FROM t0", "SELECT sum(c0) FROM t0",
        ];
        using SqliteConnection sqlite = SqliteOracle.Open(":memory:");
        using Database db = Database.Open(":memory:");
        using Connection tern = db.Connect();
        foreach (string sql in Differential.Statements(Schema))
        {
            SqliteOracle.Execute(sqlite, sql);
            tern.Execute(sql);
        }
        foreach (string q in queries)
        {
            var expected = new List<string>();
            using (SqliteCommand cmd = sqlite.CreateCommand())
            {
                cmd.CommandText = "EXPLAIN QUERY PLAN " + q;
                using SqliteDataReader r = cmd.ExecuteReader();
                while (r.Read()) expected.Add(r.GetString(3));
            }
            var actual = new List<string>();
            using (Statement s = tern.Prepare("EXPLAIN QUERY PLAN " + q))
            {
                while (s.Step()) actual.Add(s.GetString(3)!);
            }
            Assert.True(expected.SequenceEqual(actual), $"{q}\n  sqlite: {string.Join(" / ", expected)}\n  tern:   {string.Join(" / ", actual)}");
        }
    }
}
