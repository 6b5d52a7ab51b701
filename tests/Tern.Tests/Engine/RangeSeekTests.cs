// Range seeks: <, <=, >, >= and BETWEEN on the rowid or on an index's first column start
// the loop at the lower bound and end it at the first key past the upper one. The rows
// (mixed storage classes, NULLs, affinities, collations, flipped operands, joins) must be
// SQLite's, and EXPLAIN QUERY PLAN must show the seek.
namespace Tern.Tests.Engine;

public class RangeSeekTests
{
    private const string Data =
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b INTEGER, c TEXT COLLATE NOCASE, d); CREATE INDEX tb ON t(b); CREATE INDEX tc ON t(c); CREATE INDEX td ON t(d); "
        + "INSERT INTO t VALUES (1, 10, 'apple', 1), (2, NULL, 'Banana', 'x'), (3, 30, NULL, 2.5), (4, 20, 'cherry', NULL), (5, 10, 'APPLE', x'01'), "
        + "(6, -5, 'date', '3'), (8, 25, 'Elder', 3), (9, 40, 'fig', 'abc'), (10, 15, 'grape', -1); ";

    public static TheoryData<string> Scripts() => new(
        Data + "SELECT a FROM t WHERE a > 3 ORDER BY a; SELECT a FROM t WHERE a >= 3 AND a < 9; SELECT a FROM t WHERE a BETWEEN 2 AND 8; SELECT a FROM t WHERE 5 > a; "
        + "SELECT a FROM t WHERE a > 2.5 AND a <= 8.5; SELECT a FROM t WHERE a > '4'; SELECT a FROM t WHERE a < 'x'; SELECT a FROM t WHERE a > NULL; SELECT a FROM t WHERE a < NULL; "
        + "SELECT a FROM t WHERE rowid BETWEEN 9 AND 100; SELECT a FROM t WHERE a > 20",
        Data + "SELECT a, b FROM t WHERE b > 10; SELECT a, b FROM t WHERE b >= 10 AND b < 30; SELECT a FROM t WHERE b BETWEEN 10 AND 25; SELECT a FROM t WHERE b < 20; "
        + "SELECT a FROM t WHERE 20 <= b; SELECT a FROM t WHERE b > '12'; SELECT a FROM t WHERE b < '12'; SELECT a FROM t WHERE b > 12.5 AND b < 25.5; SELECT a FROM t WHERE b BETWEEN 30 AND 10; "
        + "SELECT a FROM t WHERE b > NULL; SELECT a FROM t WHERE b > 5 AND b BETWEEN 0 AND 20; SELECT a FROM t WHERE b BETWEEN 0 AND 20 AND b > 12; "
        + "SELECT a FROM t WHERE b > 0 AND b BETWEEN 12 AND 30; SELECT a FROM t WHERE a > 1 AND a BETWEEN 4 AND 9",
        Data + "SELECT a, c FROM t WHERE c > 'b'; SELECT a FROM t WHERE c BETWEEN 'APPLE' AND 'cherry'; SELECT a FROM t WHERE c < 'C'; SELECT a FROM t WHERE c COLLATE BINARY > 'a'; "
        + "SELECT a, d FROM t WHERE d > 1; SELECT a FROM t WHERE d < 'b'; SELECT a FROM t WHERE d >= x'00'; SELECT a FROM t WHERE d BETWEEN 1 AND 3",
        Data + "CREATE TABLE u(k, lo, hi); INSERT INTO u VALUES (1, 10, 20), (2, 0, 5), (3, NULL, 100), (4, 25, 25); "
        + "SELECT k, a FROM u JOIN t ON t.b BETWEEN u.lo AND u.hi ORDER BY k, a; SELECT k, a FROM u LEFT JOIN t ON t.a > u.hi ORDER BY k, a; "
        + "SELECT k, count(t.a) FROM u LEFT JOIN t ON t.b >= u.lo AND t.b < u.hi GROUP BY k; UPDATE t SET d = 0 WHERE b > 20; SELECT a, d FROM t WHERE d = 0; DELETE FROM t WHERE a BETWEEN 2 AND 5; SELECT count(*) FROM t",
        "CREATE TABLE t(a, b); CREATE INDEX tb ON t(b DESC); INSERT INTO t VALUES (1, 5), (2, 15), (3, 25); SELECT a FROM t WHERE b > 10 ORDER BY a",
        // Seek keys on INTEGER and REAL index columns get NUMERIC affinity (an integer key stays
        // exact, compared with the index's reals as SQLite compares integers with reals), and an
        // IN subquery with REAL comparison affinity rounds a large integer to the nearest real.
        "CREATE TABLE t0(c0 DATE UNIQUE COLLATE NOCASE, c1 DOUBLE, c2 NUMERIC NOT NULL ON CONFLICT IGNORE UNIQUE); CREATE INDEX i0 ON t0(c1); "
        + "INSERT INTO t0 VALUES (-9223372036854775807, 9223372036854775807, 9223372036854775807); SELECT (SELECT min('-0') FROM t0 AS s WHERE s.c1 > a0.c2) FROM t0 AS a0; "
        + "CREATE TABLE t1(c0 REAL NOT NULL ON CONFLICT REPLACE DEFAULT 'a' COLLATE RTRIM); INSERT INTO t1 VALUES (9223372036854775807); "
        + "SELECT '1.0' FROM t1 AS a0 WHERE ((a0.c0 & a0.c0) IN (SELECT s.c0 FROM t1 AS s)); SELECT 9223372036854775806 IN (SELECT c0 FROM t1), 9223372036854775807 = c0 FROM t1; "
        + "CREATE TABLE t2(c0 INTEGER, c1 DOUBLE NOT NULL ON CONFLICT IGNORE, c2 NUMERIC UNIQUE COLLATE RTRIM); INSERT INTO t2(c0, c1) VALUES ('B', -9223372036854775808); "
        + "SELECT DISTINCT percent_rank() OVER (PARTITION BY c2 ORDER BY c2) FROM t2 WHERE (-9223372036854775807 IN (SELECT s.c1 FROM t2 AS s))",
        "CREATE TABLE r(a INTEGER PRIMARY KEY, b REAL, c INTEGER, d NUMERIC, e); CREATE INDEX rb ON r(b); CREATE INDEX rc ON r(c); CREATE INDEX rd ON r(d); CREATE INDEX re ON r(e); "
        + "INSERT INTO r VALUES (9223372036854775807, 9223372036854775807, 9223372036854775807, 9223372036854775807, 9223372036854775807), "
        + "(-9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808), (9007199254740993, 9007199254740993, 9007199254740993, 9007199254740993, 9007199254740993), (1, 9.3e18, 9.3e18, 9.3e18, 9.3e18); "
        + "CREATE TABLE k(v, w REAL, x INTEGER); INSERT INTO k VALUES (9223372036854775807, 9223372036854775807, 9223372036854775807), (9.223372036854775807e18, 9.223372036854775807e18, 9.223372036854775807e18), "
        + "(-9223372036854775808, -9223372036854775808, -9223372036854775808), (-9223372036854775807, -9223372036854775807, -9223372036854775807), (9007199254740993, 9007199254740993, 9007199254740993), "
        + "(9007199254740992.0, 9007199254740992.0, 9007199254740992.0), ('9223372036854775807', 1, 1); "
        + "SELECT k.rowid, r.a FROM k JOIN r ON r.b = k.v ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.b > k.v ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.b < k.v ORDER BY 1, 2; "
        + "SELECT k.rowid, r.a FROM k JOIN r ON r.b = k.w ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.b >= k.w ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.c = k.v ORDER BY 1, 2; "
        + "SELECT k.rowid, r.a FROM k JOIN r ON r.c > k.v ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.c = k.w ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.c <= k.w ORDER BY 1, 2; "
        + "SELECT k.rowid, r.a FROM k JOIN r ON r.d = k.v ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.d > k.v ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.e = k.v ORDER BY 1, 2; "
        + "SELECT k.rowid, r.a FROM k JOIN r ON r.e > k.w ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.a = k.v ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.a > k.v ORDER BY 1, 2; "
        + "SELECT k.rowid, r.a FROM k JOIN r ON r.a < k.w ORDER BY 1, 2; SELECT k.rowid, r.a FROM k JOIN r ON r.a >= k.w ORDER BY 1, 2; "
        + "SELECT rowid FROM k WHERE v IN (SELECT b FROM r) ORDER BY 1; SELECT rowid FROM k WHERE v IN (SELECT c FROM r) ORDER BY 1; SELECT rowid FROM k WHERE w IN (SELECT c FROM r) ORDER BY 1; "
        + "SELECT rowid FROM k WHERE x IN (SELECT b FROM r) ORDER BY 1; SELECT rowid FROM k WHERE v IN (SELECT a FROM r) ORDER BY 1; SELECT rowid FROM k WHERE v IN (SELECT b + 0 FROM r) ORDER BY 1; "
        + "SELECT a FROM r WHERE b IN (9223372036854775807, 9007199254740993) ORDER BY 1; SELECT a FROM r WHERE c IN (9.223372036854775807e18, 9007199254740992.0) ORDER BY 1; "
        + "SELECT a FROM r WHERE a IN (9.223372036854775807e18, 9007199254740992.0, 9007199254740993.0) ORDER BY 1; SELECT a FROM r WHERE b > 9223372036854775806 ORDER BY 1; SELECT a FROM r WHERE b >= -9223372036854775807 AND b < 0");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);

    [Fact]
    public void The_plan_shows_range_seeks()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b, c); CREATE INDEX tb ON t(b)");
        string Plan(string sql)
        {
            using Statement s = c.Prepare("EXPLAIN QUERY PLAN " + sql);
            Assert.True(s.Step());
            return s.GetString(3)!;
        }
        Assert.Equal("SEARCH t USING INDEX tb (b>? AND b<?)", Plan("SELECT * FROM t WHERE b > 1 AND b < 9"));
        Assert.Equal("SEARCH t USING INDEX tb (b>=? AND b<?)", Plan("SELECT * FROM t WHERE b BETWEEN 1 AND 9"));
        Assert.Equal("SEARCH t USING INTEGER PRIMARY KEY (rowid>?)", Plan("SELECT * FROM t WHERE a > 5"));
        Assert.Equal("SEARCH t USING INTEGER PRIMARY KEY (rowid<?)", Plan("SELECT * FROM t WHERE a < 5"));
        Assert.Equal("SCAN t", Plan("SELECT * FROM t WHERE c > 5"));
    }
}
