// Differential tests for the checks SQLite makes on clauses before it runs anything: window
// definitions chained on named windows (what a chained window may not override, a base
// that does not exist even in an unused definition), FILTER on a window-only function,
// RANGE with an offset needing exactly one ORDER BY term, lag/lead offsets that are NULL or
// fractional (the default is answered), nth_value's N (integers,
// whole reals, numeric text; blobs, fractions and reals past 2^63 fail), ORDER BY and
// GROUP BY integer terms with a sign, NATURAL joins with ON or USING, and DEFAULT clauses
// (a bare name is a string; an expression naming a column, a parameter, a subquery or a
// window function is not constant), x IN ((SELECT ...)) read as a set, PRAGMA count_changes,
// the names in "already exists" and "no such table" messages, and header pragma values read
// as sqlite3Atoi reads them.
namespace Tern.Tests.Engine;

public class ClauseCheckDifferentialTests
{
    private const string Rows =
        "CREATE TABLE t(g, v); INSERT INTO t VALUES (1, 1), (1, 2), (2, 3), (2, 5), (3, 8); ";

    public static TheoryData<string> Scripts() => new(
        Rows + "SELECT sum(v) OVER w2 FROM t WINDOW w1 AS (PARTITION BY g), w2 AS (w1 PARTITION BY v ORDER BY v); "
        + "SELECT sum(v) OVER w2 FROM t WINDOW w1 AS (PARTITION BY g ORDER BY v), w2 AS (w1 ORDER BY v DESC); "
        + "SELECT sum(v) OVER w2 FROM t WINDOW w1 AS (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), w2 AS (w1); "
        + "SELECT v FROM t WINDOW w1 AS (PARTITION BY g), w2 AS (nope ORDER BY v); "
        + "SELECT sum(v) OVER (nope ORDER BY v) FROM t; SELECT sum(v) OVER nope FROM t",
        Rows + "SELECT g, v, sum(v) OVER w2 FROM t WINDOW w0 AS (PARTITION BY g), w1 AS (w0 ORDER BY v), w2 AS (w1 ROWS 1 PRECEDING) ORDER BY g, v; "
        + "SELECT sum(v) OVER (w1 ORDER BY v) FROM t WINDOW w0 AS (ORDER BY g), w1 AS (w0); "
        + "SELECT g, v, sum(v) OVER (w1 ROWS 1 PRECEDING), count(*) OVER (w0 ORDER BY v) FROM t WINDOW w0 AS (PARTITION BY g), w1 AS (w0 ORDER BY v) ORDER BY g, v; "
        + "SELECT sum(v) OVER (w1 ORDER BY v) FROM t WINDOW w1 AS (PARTITION BY g ROWS 2 PRECEDING)",
        Rows + "SELECT cume_dist() FILTER (WHERE v > 1) OVER (ORDER BY v) FROM t; SELECT row_number() FILTER (WHERE v > 1) OVER () FROM t; "
        + "SELECT abs(v) FILTER (WHERE v > 1) OVER () FROM t; SELECT count(*) FILTER (WHERE v > 1) OVER (ORDER BY v) FROM t; "
        + "SELECT sum(v) OVER (ORDER BY g, v RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) FROM t; "
        + "SELECT sum(v) OVER (RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) FROM t; "
        + "SELECT sum(v) OVER (RANGE BETWEEN CURRENT ROW AND 2 FOLLOWING) FROM t; "
        + "SELECT sum(v) OVER (ORDER BY g, v RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t; "
        + "SELECT row_number() OVER (RANGE 5 PRECEDING) FROM t; SELECT v, sum(v) OVER (ORDER BY v RANGE 2 PRECEDING) FROM t",
        Rows + "SELECT nth_value(v, 2) OVER (ORDER BY v) FROM t; SELECT nth_value(v, 2.0) OVER (ORDER BY v) FROM t; "
        + "SELECT nth_value(v, '2') OVER (ORDER BY v) FROM t; SELECT nth_value(v, ' 3 ') OVER (ORDER BY v) FROM t; "
        + "SELECT nth_value(v, '2e0') OVER (ORDER BY v) FROM t; SELECT nth_value(v, 1.5) OVER (ORDER BY v) FROM t; "
        + "SELECT nth_value(v, '2abc') OVER (ORDER BY v) FROM t; SELECT nth_value(v, x'32') OVER () FROM t; "
        + "SELECT nth_value(v, 0) OVER () FROM t; SELECT nth_value(v, -1) OVER () FROM t; SELECT nth_value(v, NULL) OVER () FROM t; "
        + "SELECT nth_value(v, 9223372036854775807.0) OVER () FROM t; SELECT nth_value(v, 9223372036854775808.0) OVER () FROM t; "
        + "SELECT nth_value(v, 9223372036854775807) OVER () FROM t; SELECT nth_value(v, g) OVER (ORDER BY v) FROM t",
        Rows + "SELECT * FROM t ORDER BY -1; SELECT * FROM t ORDER BY -100; SELECT * FROM t ORDER BY +1; SELECT * FROM t ORDER BY +5; "
        + "SELECT * FROM t ORDER BY - -2, 1; SELECT * FROM t ORDER BY -(1); SELECT g, count(*) FROM t GROUP BY -1; SELECT g, count(*) FROM t GROUP BY +1 ORDER BY 1; "
        + "SELECT g FROM t UNION SELECT v FROM t ORDER BY -1; SELECT g FROM t UNION SELECT v FROM t ORDER BY +1",
        "CREATE TABLE t1(a, b, c); CREATE TABLE t2(b, c, d); INSERT INTO t1 VALUES (1, 2, 3); INSERT INTO t2 VALUES (2, 3, 4); "
        + "SELECT * FROM t1 NATURAL JOIN t2 ON t1.a = t2.b; SELECT * FROM t1 NATURAL JOIN t2 USING (b); SELECT * FROM t1 NATURAL LEFT JOIN t2 ON 1; "
        + "SELECT * FROM t1 NATURAL JOIN t2; SELECT * FROM t1 NATURAL JOIN nope ON 1",
        "CREATE TABLE d1(x, a DEFAULT abc, b DEFAULT \"q\", c DEFAULT true, e DEFAULT \"true\", f DEFAULT (abs(-1)), g DEFAULT (1 IN (1, 2)), h DEFAULT (true)); "
        + "INSERT INTO d1(x) VALUES (1); SELECT quote(a), quote(b), quote(c), quote(e), quote(f), quote(g), quote(h) FROM d1; "
        + "CREATE TABLE d2(x, y DEFAULT (?1)); CREATE TABLE d3(x, y DEFAULT ((SELECT 1))); CREATE TABLE d4(x, y DEFAULT (1 IN (SELECT 1))); "
        + "CREATE TABLE d5(x, y DEFAULT (EXISTS (SELECT 1))); CREATE TABLE d6(x, y DEFAULT (\"true\")); CREATE TABLE d7(x, y DEFAULT (x + 1)); "
        + "CREATE TABLE d8(x, y DEFAULT (row_number() OVER ())); CREATE TABLE d9(x, y DEFAULT (d1.x)); CREATE TABLE d10(x, y DEFAULT (1 IN d1)); "
        + "CREATE TABLE d1(x, y DEFAULT (x)); "
        + "ALTER TABLE d1 ADD COLUMN z DEFAULT (x); ALTER TABLE d1 ADD COLUMN z DEFAULT zz; SELECT quote(z) FROM d1",
        "SELECT 5 IN ((SELECT 1 WHERE 0)), 5 NOT IN ((SELECT 1 WHERE 0)), 1 IN ((SELECT 1)), 5 IN (((SELECT 1 WHERE 0))), 2 IN ((SELECT 1 UNION SELECT 2)), NULL IN ((SELECT 1 WHERE 0)); "
        + "CREATE TABLE s(x); INSERT INTO s VALUES (1), (2), (NULL); SELECT x, x IN ((SELECT x FROM s WHERE x > 1)), x NOT IN ((SELECT 2)) FROM s; SELECT 1 IN ((SELECT 1), (SELECT 2))",
        "CREATE TABLE c1(x UNIQUE); PRAGMA count_changes = 1; INSERT INTO c1 VALUES (1), (2); INSERT OR IGNORE INTO c1 VALUES (2), (3); UPDATE c1 SET x = x + 10 WHERE x > 1; "
        + "DELETE FROM c1 WHERE x > 10; DELETE FROM c1; INSERT INTO c1 VALUES (5) RETURNING x; INSERT INTO c1 VALUES (6) ON CONFLICT(x) DO UPDATE SET x = 7; "
        + "INSERT INTO c1 VALUES (6) ON CONFLICT(x) DO UPDATE SET x = 7; INSERT OR REPLACE INTO c1 VALUES (7), (8); CREATE TABLE log(a); "
        + "CREATE TRIGGER tr AFTER INSERT ON c1 BEGIN INSERT INTO log VALUES (1); END; INSERT INTO c1 VALUES (20), (21); PRAGMA count_changes = 0; INSERT INTO c1 VALUES (30)",
        "CREATE TABLE q(a); CREATE INDEX \"i1\" ON q(a); CREATE INDEX \"i1\" ON q(a); CREATE INDEX [i2] ON q(a); CREATE INDEX `i2` ON q(a); "
        + "DELETE FROM main.nosuch; UPDATE main.nosuch SET x = 1; INSERT INTO main.nosuch VALUES (1); DROP TABLE main.nosuch; ALTER TABLE main.nosuch RENAME TO other; "
        + "DELETE FROM nosuch; ALTER TABLE nosuch ADD COLUMN y",
        "CREATE TABLE v(x, o); INSERT INTO v VALUES (1, NULL), (2, 1), (3, NULL), (4, 2), (5, 1); "
        + "SELECT x, lag(x, -1) OVER (ORDER BY x), lead(x, -1) OVER (ORDER BY x), lag(x, '2') OVER (ORDER BY x), lag(x, 1.5) OVER (ORDER BY x), "
        + "lead(x, -1, 'd') OVER (ORDER BY x), lag(x, -1, 'd') OVER (ORDER BY x), lead(x, -3) OVER (ORDER BY x), lag(x, o, -1) OVER (ORDER BY x), "
        + "lead(x, o) OVER (ORDER BY x), lag(x, 'abc') OVER (ORDER BY x), lag(x, x'01') OVER (ORDER BY x), lead(x, 2.0) OVER (ORDER BY x), lag(x, '1.0') OVER (ORDER BY x) FROM v",
        "PRAGMA user_version = 10.9; PRAGMA user_version; PRAGMA user_version = '12abc'; PRAGMA user_version; PRAGMA user_version = 1e3; PRAGMA user_version; "
        + "PRAGMA user_version = 0x10; PRAGMA user_version; PRAGMA user_version = 99999999999; PRAGMA user_version; PRAGMA user_version = -3; PRAGMA user_version; "
        + "PRAGMA application_id = 0x7fffffff; PRAGMA application_id; PRAGMA application_id = 0x80000000; PRAGMA application_id; PRAGMA application_id = '  7'; PRAGMA application_id",
        "SELECT -0x8000000000000000; SELECT 0x8000000000000000; SELECT -0x7fffffffffffffff; SELECT -(0x8000000000000000); SELECT - -0x8000000000000000; SELECT -9223372036854775808");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Clause_checks_match_sqlite(string script) => Differential.AssertSame(script);
}
