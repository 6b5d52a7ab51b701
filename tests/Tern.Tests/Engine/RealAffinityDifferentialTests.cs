// Integers marked real (SQLite's MEM_IntReal: a VIRTUAL generated column of REAL affinity that
// computes a whole number) compared with SQLite 3.50.4 where they meet records: every record
// stores them as integers, so they come back as INTEGER from SQLite's sorters and temporary
// tables, but stay REAL where SQLite's loops already give the ORDER BY or GROUP BY order (a
// rowid, an index) and where INSERT ... SELECT writes without a temporary table; a GROUP BY
// that sorts reads REAL columns back as REAL.
namespace Tern.Tests.Engine;

public class RealAffinityDifferentialTests
{
    private const string Table = "CREATE TABLE t(a INTEGER PRIMARY KEY, b REAL AS (a) VIRTUAL, c, d, e TEXT COLLATE NOCASE); "
        + "CREATE INDEX tc ON t(c); CREATE INDEX tb ON t(b); CREATE INDEX tde ON t(d DESC, e); INSERT INTO t(c, d, e) VALUES (5, 2, 'y'), (3, 3, 'x'), (4, 1, 'z'); CREATE TABLE one(k INTEGER PRIMARY KEY); INSERT INTO one VALUES (1); ";

    private const string Groups = "CREATE TABLE g(a INTEGER PRIMARY KEY, b REAL AS (a) VIRTUAL, c, d); CREATE INDEX gc ON g(c); "
        + "INSERT INTO g(c, d) VALUES (5, 1), (3, 2), (5, 1), (3, 3); ";

    [Fact]
    public void Order_by_that_sqlite_takes_from_an_index_or_the_rowid_keeps_integers_marked_real()
    {
        Differential.AssertSame(Table
            + "SELECT b FROM t ORDER BY b; SELECT b FROM t ORDER BY c; SELECT b FROM t ORDER BY c DESC NULLS FIRST; SELECT b FROM t ORDER BY c NULLS LAST; "
            + "SELECT b FROM t ORDER BY c, a DESC; SELECT b FROM t ORDER BY d DESC, e; SELECT b FROM t ORDER BY d, e DESC; SELECT b FROM t WHERE c > 3 ORDER BY c; "
            + "SELECT b FROM t WHERE 1 ORDER BY a DESC; SELECT ifnull(b, 0) FROM t ORDER BY b; SELECT b FROM t WHERE e <> 'q' ORDER BY c; "
            + "SELECT x.b FROM one JOIN t x ON 1 ORDER BY x.a DESC; SELECT x.b FROM one, t x ORDER BY x.c; "
            + "CREATE VIEW v AS SELECT 1 AS k FROM one; SELECT x.b FROM one JOIN v ON 1 JOIN t x ON 1 ORDER BY x.a NULLS LAST");
    }

    [Fact]
    public void Where_terms_that_offer_no_other_access_path_leave_the_order_to_the_loops()
    {
        // A column used as a truth value offers no seek; a fixed rowid or UNIQUE key reads one row.
        Differential.AssertSame(Table
            + "SELECT b FROM t WHERE a ORDER BY b; SELECT b FROM t WHERE b ORDER BY a DESC; SELECT x.b FROM one JOIN t x ON x.b ORDER BY x.a DESC; "
            + "SELECT x.b FROM t x CROSS JOIN one WHERE x.c ORDER BY x.a; SELECT b FROM t WHERE a = 2 ORDER BY c; SELECT b FROM t WHERE 2 = a ORDER BY d; "
            + "SELECT b FROM t WHERE a IN (3) ORDER BY e; CREATE UNIQUE INDEX tu ON t(e); SELECT b FROM t WHERE e = 'x' ORDER BY c; "
            + "SELECT b FROM t WHERE a > 1 ORDER BY c; SELECT b FROM t WHERE d IS NOT NULL ORDER BY c; SELECT b FROM t WHERE a > 1 AND a < 9 ORDER BY c; "
            + "SELECT b FROM t WHERE d = 2 OR d = 3 ORDER BY c; SELECT b FROM t WHERE d BETWEEN 1 AND 3 ORDER BY c");
    }

    [Fact]
    public void Order_by_that_sqlite_sorts_gives_integers_marked_real_back_as_integers()
    {
        Differential.AssertSame(Table
            + "SELECT b FROM t ORDER BY d; SELECT b FROM t ORDER BY e COLLATE BINARY; SELECT b FROM t ORDER BY c, d; SELECT b FROM t ORDER BY +c; "
            + "SELECT x.b FROM one LEFT JOIN t x ON 1 ORDER BY x.c; SELECT x.b FROM one CROSS JOIN t x ORDER BY x.c; SELECT b FROM t WHERE d = 2 ORDER BY c; SELECT DISTINCT b FROM t ORDER BY d; "
            + "SELECT b, c FROM t GROUP BY c ORDER BY 2 DESC; SELECT (SELECT b FROM t ORDER BY e LIMIT 1)");
    }

    [Fact]
    public void Group_by_keeps_integers_marked_real_only_where_sqlite_groups_along_an_index()
    {
        Differential.AssertSame(Table + Groups
            + "SELECT b FROM t GROUP BY c; SELECT b FROM t GROUP BY b; SELECT max(b), d FROM g GROUP BY d; SELECT max(b), c FROM g GROUP BY c; SELECT min(b), c FROM g GROUP BY c ORDER BY c DESC; "
            + "SELECT group_concat(b, ',' ORDER BY b) FROM g GROUP BY d; SELECT group_concat(b, ',' ORDER BY b) FROM g GROUP BY c; "
            + "SELECT group_concat(+b, ',' ORDER BY b) FROM g GROUP BY d; SELECT group_concat(b, ',' ORDER BY b) FROM g WHERE d > 0 GROUP BY c; "
            + "SELECT group_concat(b, ',' ORDER BY b) FROM g; SELECT max(b), count(*) FROM g GROUP BY d ORDER BY 2; SELECT max(b) FROM g GROUP BY c; "
            + "CREATE TABLE u(c0 FLOATING POINT UNIQUE, c1 DOUBLE AS (0) VIRTUAL COLLATE RTRIM); INSERT INTO u(c0) VALUES (x'ff'); "
            + "SELECT group_concat(c1, ',' ORDER BY c1) FROM u WHERE 1 GROUP BY c0");
    }

    [Fact]
    public void Insert_select_stores_integers_marked_real_as_sqlite_does_with_and_without_a_temporary_table()
    {
        // Into another table the rows go straight in (TEXT affinity gives '1.0', a BLOB column
        // the integer); from the target itself or with triggers they pass a temporary table.
        Differential.AssertSame(Table
            + "CREATE TABLE w(a TEXT, b BLOB, c REAL, d NUMERIC, e INT); INSERT INTO w SELECT b, b, b, b, b FROM t; "
            + "INSERT INTO w SELECT b, (b COLLATE NOCASE), b, b, b FROM t WHERE 1 ORDER BY rowid; SELECT * FROM w; "
            + "CREATE TABLE w2(a TEXT, b BLOB); CREATE TABLE log(x); CREATE TRIGGER tr AFTER INSERT ON w2 BEGIN INSERT INTO log VALUES (new.a); END; "
            + "INSERT INTO w2 SELECT b, b FROM t; SELECT * FROM w2; SELECT * FROM log; "
            + "CREATE TABLE t0(c0 INTEGER PRIMARY KEY DESC, c1 TEXT, c2 TEXT, c3 REAL AS (c2) VIRTUAL); INSERT INTO t0(c1, c2) VALUES ('abc', 0); "
            + "INSERT OR IGNORE INTO t0(c0, c1, c2) SELECT c0, c3, 3 FROM t0 WHERE 1 ORDER BY rowid; SELECT * FROM t0 ORDER BY rowid; "
            + "INSERT INTO w(b) SELECT x.b FROM one JOIN t x ON 1 ORDER BY x.a; SELECT b, typeof(b) FROM w WHERE a IS NULL");
    }
}
