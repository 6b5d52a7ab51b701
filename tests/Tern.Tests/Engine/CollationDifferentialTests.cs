// Collating sequences compared with SQLite 3.50.4: which collation a comparison takes (an
// explicit COLLATE on either side, then the left column's, then the right's), and that
// the scalar min()/max(), ORDER BY, DISTINCT, GROUP BY, compounds, UNIQUE constraints and index keys order and
// group text by it — including index files that SQLite's integrity_check must accept.
namespace Tern.Tests.Engine;

public class CollationDifferentialTests
{
    public static TheoryData<string> Scripts() => new(
        // which collation a comparison uses
        "CREATE TABLE p(n COLLATE NOCASE, b, r COLLATE RTRIM); INSERT INTO p VALUES ('a', 'A', 'a  '), ('x', 'x', 'y'); "
        + "SELECT n = b, b = n, n = b COLLATE BINARY, b COLLATE RTRIM = n, +n = b, CAST(n AS TEXT) = b, n || '' = b, lower(n COLLATE BINARY) = upper(b) FROM p; "
        + "SELECT r = 'a', 'a' = r, r = n, n = r, r IN ('a', 'b'), 'a' IN (r), r BETWEEN 'a' AND 'a', n BETWEEN 'A' AND 'A', b BETWEEN 'a' AND 'a' FROM p; "
        + "SELECT CASE n WHEN 'A' THEN 1 ELSE 0 END, CASE b WHEN 'a' THEN 1 ELSE 0 END, n > 'B', b > 'B' FROM p",
        // the scalar min() and max() compare with the collation of their first argument that has one
        "CREATE TABLE p(n COLLATE NOCASE, b, r COLLATE RTRIM); INSERT INTO p VALUES ('abc ', 'B', 'a  '), ('x', 'X', 'x'), (NULL, 'c', 'c '); "
        + "SELECT max(n, 'B'), min(n, 'B'), max('B', n), max(b, n), min(b, n), max(b, 'a'), max(b, 'a' COLLATE NOCASE), min(b COLLATE BINARY, n) FROM p; "
        + "SELECT max(r, 'a'), min(r, 'a'), min('a', r), max(r, 'a ', n), max(b, r, n) FROM p; "
        + "SELECT count(*) FROM p WHERE max(n, 'B') GLOB 'a*'; CREATE TABLE q(k); INSERT INTO q VALUES (1); "
        + "SELECT q.k FROM q LEFT JOIN p ON 1 WHERE max(p.n, 'B') GLOB 'a*'",
        // ORDER BY, DISTINCT, GROUP BY by a column's and by an explicit collation
        "CREATE TABLE t(a COLLATE NOCASE, b TEXT, c COLLATE RTRIM); "
        + "INSERT INTO t VALUES ('b', 'B', 'x '), ('A', 'a', 'x'), ('a', 'A', 'y'), ('B', 'b', 'x  '), ('c', 'C', 'y '); "
        + "SELECT a FROM t ORDER BY a, rowid; SELECT b FROM t ORDER BY b; SELECT b FROM t ORDER BY b COLLATE NOCASE, rowid; SELECT b FROM t ORDER BY b COLLATE NOCASE DESC, rowid; "
        + "SELECT a FROM t ORDER BY a COLLATE BINARY; SELECT DISTINCT a FROM t ORDER BY 1; SELECT DISTINCT b FROM t ORDER BY 1; SELECT DISTINCT b COLLATE NOCASE FROM t ORDER BY 1; "
        + "SELECT count(DISTINCT c), count(*) FROM t; SELECT DISTINCT c FROM t ORDER BY 1; "
        + "SELECT a, count(*) FROM t GROUP BY a ORDER BY 1; SELECT c, count(*) FROM t GROUP BY c ORDER BY 1; SELECT count(*) FROM t GROUP BY b COLLATE NOCASE ORDER BY 1; "
        + "SELECT upper(b), count(*) FROM t GROUP BY b COLLATE NOCASE ORDER BY 1",
        // compounds take each column's collation from the first SELECT that has one
        "CREATE TABLE t(a COLLATE NOCASE, b TEXT); INSERT INTO t VALUES ('x', 'X'), ('Y', 'y'), ('z', 'q'); "
        + "SELECT a FROM t UNION SELECT b FROM t ORDER BY 1; SELECT b FROM t UNION SELECT a FROM t ORDER BY 1; "
        + "SELECT a FROM t INTERSECT SELECT b FROM t ORDER BY 1; SELECT b FROM t INTERSECT SELECT a FROM t; "
        + "SELECT a FROM t EXCEPT SELECT b FROM t; SELECT b FROM t EXCEPT SELECT a FROM t ORDER BY 1; "
        + "SELECT b FROM t UNION ALL SELECT a FROM t ORDER BY 1 COLLATE NOCASE, 1; SELECT 'X' UNION SELECT 'x' COLLATE NOCASE",
        // subqueries, views and CTEs carry a column's collation outward
        "CREATE TABLE t(a COLLATE NOCASE, b); INSERT INTO t VALUES ('Abc', 1), ('abc', 2), ('xyz', 3); "
        + "SELECT b FROM (SELECT a AS x, b FROM t) WHERE x = 'ABC' ORDER BY b; SELECT b FROM (SELECT a || '' AS x, b FROM t) WHERE x = 'ABC'; "
        + "CREATE VIEW v AS SELECT a, b FROM t; SELECT b FROM v WHERE a = 'ABC' ORDER BY b; SELECT DISTINCT a FROM v ORDER BY 1; "
        + "WITH c(y, z) AS (SELECT a, b FROM t) SELECT z FROM c WHERE y = 'ABC' ORDER BY z",
        // indexes order their keys by the index's or the column's collation
        "CREATE TABLE t(a TEXT COLLATE NOCASE, b TEXT, c); CREATE INDEX ta ON t(a); CREATE INDEX tb ON t(b COLLATE NOCASE); CREATE INDEX tc ON t(c COLLATE RTRIM DESC, b); "
        + "INSERT INTO t VALUES ('Abc', 'Q', 'x '), ('abc', 'q', 'x'), ('b', 'R', 'y'), ('B', 'r', 'x  '), ('a', 'P', 'z'); "
        + "SELECT b FROM t WHERE a = 'ABC' ORDER BY b; SELECT a FROM t WHERE b = 'q'; SELECT a FROM t WHERE b = 'q' COLLATE NOCASE ORDER BY a COLLATE BINARY; "
        + "SELECT a FROM t WHERE c = 'x' ORDER BY a COLLATE BINARY; SELECT a FROM t WHERE 'ABC' = a ORDER BY b; PRAGMA integrity_check; "
        + "DELETE FROM t WHERE a = 'b'; SELECT a, b FROM t ORDER BY 1, 2; UPDATE t SET b = lower(b); SELECT a FROM t WHERE b = 'Q' COLLATE NOCASE ORDER BY a COLLATE BINARY; PRAGMA integrity_check",
        // UNIQUE and PRIMARY KEY compare with the key's collation
        "CREATE TABLE u(x TEXT UNIQUE COLLATE NOCASE); INSERT INTO u VALUES ('a'); INSERT INTO u VALUES ('A'); INSERT OR IGNORE INTO u VALUES ('A'); SELECT * FROM u; "
        + "CREATE TABLE v(x, y, UNIQUE(x COLLATE NOCASE)); INSERT INTO v VALUES ('p', 1); INSERT INTO v VALUES ('P', 2); INSERT INTO v VALUES ('q', 3); INSERT OR REPLACE INTO v VALUES ('Q', 4); SELECT * FROM v ORDER BY y; "
        + "CREATE TABLE w(k TEXT PRIMARY KEY COLLATE RTRIM, n); INSERT INTO w VALUES ('k', 1); INSERT INTO w VALUES ('k  ', 2); SELECT * FROM w; SELECT * FROM w WHERE k = 'k '; PRAGMA integrity_check",
        // min() and max() compare with their argument's collation
        "CREATE TABLE m(a COLLATE NOCASE, b); INSERT INTO m VALUES ('b', 'b'), ('C', 'C'), ('a', 'a'), ('B', 'B'); "
        + "SELECT min(a), max(a), min(b), max(b), max(b COLLATE NOCASE), min(a COLLATE BINARY) FROM m; SELECT b, max(a) FROM m; SELECT upper(a), max(b) FROM m GROUP BY a ORDER BY 1",
        // a column inside a GROUP BY term shows the group's last row; other bare columns its first
        "CREATE TABLE q(name, city); INSERT INTO q VALUES ('alice', 'Paris'), ('Bob', 'berlin'), ('ALICE', 'paris'), ('bob', 'Berlin'), ('Carol', 'ROME'); "
        + "SELECT city, count(*) FROM q GROUP BY city COLLATE NOCASE ORDER BY 1 COLLATE NOCASE; SELECT city, name FROM q GROUP BY city COLLATE NOCASE ORDER BY 1 COLLATE NOCASE; "
        + "SELECT upper(city), name, max(name) FROM q GROUP BY lower(city) ORDER BY 1; SELECT city, name FROM q GROUP BY upper(city) || '' ORDER BY 1",
        // NOCASE compares C strings: a NUL in the first text ends the byte comparison, then the lengths decide
        "SELECT ('a' || char(0) || 'x') = ('A' || char(0) || 'y') COLLATE NOCASE, (char(0) || 'x') < ('' || char(0) || 'y') COLLATE NOCASE, ('a' || char(0)) < 'a1' COLLATE NOCASE, "
        + "('a1' COLLATE NOCASE) > ('a' || char(0)), ('a' || char(0) || 'b') = 'a' COLLATE NOCASE, (char(255) || char(0)) = (char(255) || 'x') COLLATE NOCASE, hex(CAST(x'ff00' AS TEXT) COLLATE NOCASE); "
        + "CREATE TABLE t0(c0 BLOB, c1); CREATE TABLE t1(c0); INSERT INTO t0 VALUES (x'00', ''), (x'31', NULL); INSERT INTO t1 VALUES (x'ff'), (char(0)); "
        + "SELECT hex(x) FROM (SELECT ((a1.c0 COLLATE NOCASE) || a0.c0) AS x FROM t0 AS a0 JOIN t1 AS a1 ON 1 EXCEPT SELECT 1); "
        + "SELECT hex(x) FROM (SELECT ((a1.c0 COLLATE NOCASE) || a0.c0) AS x FROM t0 AS a0 JOIN t1 AS a1 ON 1 ORDER BY 1); "
        + "SELECT count(DISTINCT x), count(*) FROM (SELECT ((a1.c0 COLLATE NOCASE) || a0.c0) AS x FROM t0 AS a0 JOIN t1 AS a1 ON 1); "
        + "CREATE TABLE n(x TEXT COLLATE NOCASE UNIQUE); INSERT INTO n VALUES ('a' || char(0) || 'b'); INSERT OR IGNORE INTO n VALUES ('A' || char(0) || 'c'); SELECT count(*) FROM n; PRAGMA integrity_check",
        // a compound without ORDER BY takes its collations after SQLite rewrites a window query: a call
        // over another window than the first call's is a column of the rewritten query (BINARY)
        "CREATE TABLE t0(c0 FLOATING POINT NOT NULL COLLATE RTRIM, c1 CHARINT); CREATE TABLE t1(c2); INSERT INTO t0 VALUES (' ', NULL), ('', 1.0); "
        + "CREATE VIEW v0 AS SELECT NULL AS c0, NULL AS c1 FROM t1 WHERE NULL; "
        + "SELECT count(*) OVER (PARTITION BY a0.c1), cume_dist() OVER (PARTITION BY a0.c1 ORDER BY a0.c0) FROM v0 AS a0 LEFT JOIN v0 AS a1 ON NULL WHERE NULL UNION SELECT NULL, a0.c0 FROM t0 AS a0; "
        + "SELECT 1, cume_dist() OVER (ORDER BY c2) FROM t1 UNION SELECT NULL, c0 FROM t0; SELECT count(*) OVER (), cume_dist() OVER () FROM t1 UNION SELECT NULL, c0 FROM t0; "
        + "SELECT cume_dist() OVER (ORDER BY c2), count(*) OVER () FROM t1 UNION SELECT c0, NULL FROM t0; SELECT max(c2) OVER (), min(c2) OVER (ORDER BY c2) FROM t1 UNION SELECT NULL, c0 FROM t0; "
        + "SELECT max(c2) OVER (ORDER BY c2 RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), min(c2) OVER (ORDER BY c2) FROM t1 UNION SELECT NULL, c0 FROM t0; "
        + "SELECT max(c2) OVER (), +min(c2) OVER (ORDER BY c2) FROM t1 UNION SELECT NULL, c0 FROM t0; SELECT max(c2) OVER (), min(c2 COLLATE RTRIM) OVER (ORDER BY c2) FROM t1 UNION SELECT NULL, c0 FROM t0; "
        + "SELECT max(c2) OVER (), min(c2) OVER (ORDER BY c2) FROM t1 EXCEPT SELECT NULL, c0 FROM t0; SELECT NULL, '' FROM t0 UNION SELECT max(c2) OVER (), min(c2) OVER (ORDER BY c2) FROM t1 UNION SELECT NULL, c0 FROM t0; "
        + "SELECT max(c2) OVER (ROWS 1 PRECEDING), min(c2) OVER (ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t1 UNION SELECT NULL, c0 FROM t0; "
        + "SELECT max(c2) OVER w, min(c2) OVER (w ROWS 2 PRECEDING) FROM t1 WINDOW w AS (ORDER BY c2) UNION SELECT NULL, c0 FROM t0; "
        + "SELECT count(*) OVER w, row_number() OVER w FROM t1 WINDOW w AS (ORDER BY c2) UNION SELECT NULL, c0 FROM t0",
        // an index serves a comparison only when it orders by the comparison's collation (the left operand's first)
        "CREATE TABLE t0(c0 TEXT UNIQUE COLLATE RTRIM, c1 VARCHAR(10) COLLATE NOCASE, c2 NUMERIC); "
        + "INSERT INTO t0 VALUES ('a', -1e308, '9223372036854775808'), ('ABC', ('a' || char(0) || 'b'), '0x10'); "
        + "SELECT a0.c1 FROM t0 AS a0 JOIN t0 AS a1 ON (a1.c1 > a0.c0) WHERE (0 IS NOT ceiling(a1.c1)); "
        + "CREATE TABLE r(k INTEGER PRIMARY KEY, v TEXT COLLATE RTRIM, n TEXT COLLATE NOCASE); CREATE INDEX rv ON r(v); CREATE INDEX rn ON r(n); "
        + "INSERT INTO r(v, n) VALUES ('a ', 'a'), ('B', 'B'), ('b  ', 'b'), ('C', 'c'); CREATE TABLE q(x TEXT, y TEXT COLLATE NOCASE, z TEXT COLLATE RTRIM); INSERT INTO q VALUES ('b', 'b', 'b '), ('A', 'A', 'a'); "
        + "SELECT q.rowid, r.k FROM q JOIN r ON q.y < r.v ORDER BY 1, 2; SELECT q.rowid, r.k FROM q JOIN r ON r.v > q.y ORDER BY 1, 2; SELECT q.rowid, r.k FROM q JOIN r ON q.z >= r.n ORDER BY 1, 2; "
        + "SELECT q.rowid, r.k FROM q JOIN r ON r.n <= q.z ORDER BY 1, 2; SELECT q.rowid, r.k FROM q JOIN r ON q.y BETWEEN r.v AND 'z' ORDER BY 1, 2; SELECT q.rowid, r.k FROM q JOIN r ON r.v BETWEEN q.y AND 'c' ORDER BY 1, 2; "
        + "SELECT q.rowid, r.k FROM q JOIN r ON q.x > r.n ORDER BY 1, 2; SELECT q.rowid, r.k FROM q JOIN r ON r.n > q.x ORDER BY 1, 2; SELECT q.rowid, r.k FROM q JOIN r ON q.y = r.v ORDER BY 1, 2; SELECT q.rowid, r.k FROM q JOIN r ON r.v = q.y ORDER BY 1, 2",
        // errors
        "SELECT 'a' COLLATE nosuch; CREATE TABLE t(a COLLATE nosuch); CREATE TABLE t(a); CREATE INDEX i ON t(a COLLATE nosuch); SELECT 1 ORDER BY 1 COLLATE nocase");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);

    // Which of rows equal under the compound's collation a compound keeps: with ORDER BY,
    // SQLite merges stably sorted sides (a side's first; for UNION the right side's); without,
    // its ephemeral index keeps the last inserted.
    [Theory]
    [InlineData("SELECT 1.0 UNION SELECT 1 ORDER BY 1; SELECT 1 UNION SELECT 1.0 ORDER BY 1; SELECT 1 UNION SELECT 1.0")]
    [InlineData("SELECT 'a' COLLATE NOCASE UNION SELECT 'A' ORDER BY 1; SELECT 'A' COLLATE NOCASE UNION SELECT 'a' UNION SELECT 'b' ORDER BY 1")]
    [InlineData("CREATE TABLE t(x COLLATE NOCASE); INSERT INTO t VALUES ('a'), ('A'), ('B'), ('b'); SELECT x FROM t UNION SELECT 'A' ORDER BY 1; SELECT 'A' UNION SELECT x FROM t ORDER BY 1; "
        + "SELECT x FROM t UNION SELECT x FROM t ORDER BY 1 DESC; SELECT x FROM t INTERSECT SELECT upper(x) FROM t ORDER BY 1; SELECT x FROM t EXCEPT SELECT 'b' ORDER BY 1; "
        + "SELECT x FROM t UNION SELECT upper(x) FROM t; SELECT x FROM t UNION ALL SELECT 'a' UNION SELECT 'c' ORDER BY 1; SELECT 'A' UNION SELECT 'b' UNION SELECT x FROM t ORDER BY 1 LIMIT 1 OFFSET 1")]
    [InlineData("CREATE TABLE t0(c0 TEXT COLLATE NOCASE); INSERT INTO t0 VALUES ('b'), ('B'); SELECT c0 FROM t0 UNION SELECT 'x' ORDER BY 1; SELECT c0 FROM t0 UNION SELECT 'x'")]
    public void Compounds_keep_the_row_sqlite_keeps_among_equal_ones(string script) => Differential.AssertSame(script);
}
