// When SQLite computes a FROM subquery or view that it does not flatten, and what of it,
// compared with SQLite 3.50.4: outer WHERE terms pushed down into it (so DISTINCT keeps the
// row that passes them, and a term on its columns runs inside it), result columns the outer
// query never reads computed as NULL (their errors never raised), LEFT JOINs that the
// WHERE clause makes inner joins, LEFT JOIN tables a SELECT DISTINCT leaves out, and the loop
// at which a term holding a correlated subquery runs. Each script is one reduced query
// fuzzer report or a boundary of the rule it shows.
namespace Tern.Tests.Engine;

public class SubqueryPlanDifferentialTests
{
    private const string Overflow = "CREATE TABLE t0(c0); INSERT INTO t0 VALUES (-9223372036854775808); ";

    public static TheoryData<string> Scripts() => new(
        // an unused result column of a materialized view is NULL: its overflow never happens (seed 46849)
        Overflow + "CREATE VIEW v0 AS SELECT abs(c0) AS c0, NULL AS c2 FROM t0; "
        + "SELECT DISTINCT a1.c2 FROM (SELECT ' 1' AS c0) AS a0 LEFT JOIN v0 AS a1 ON NULL WHERE 1; "
        + "SELECT a1.c2 FROM (SELECT 1 AS c0) AS a0 LEFT JOIN v0 AS a1 ON 1; "
        + "SELECT a1.c0 FROM (SELECT 1 AS c0) AS a0 LEFT JOIN v0 AS a1 ON 1; "
        + "SELECT a1.* FROM (SELECT 1 AS c0) AS a0 LEFT JOIN v0 AS a1 ON 1; "
        + "SELECT (SELECT a1.c0) FROM (SELECT 1 AS c0) AS a0 LEFT JOIN v0 AS a1 ON 1; "
        + "SELECT count(*) FROM (SELECT 1 AS c0) AS a0 NATURAL LEFT JOIN v0 AS a1",
        // ... but not in a DISTINCT subquery, nor when its ORDER BY names it; errors of unused columns still show
        Overflow + "SELECT 1 FROM (SELECT DISTINCT abs(c0) AS c0, 1 AS c1 FROM t0) AS a0 LEFT JOIN t0 ON 0 ORDER BY 1; "
        + "SELECT a0.c1 FROM (SELECT abs(c0) AS c0, 1 AS c1 FROM t0 ORDER BY 1) AS a0 JOIN t0 ON 1; "
        + "SELECT a0.c1 FROM (SELECT abs(c0) AS c0, 1 AS c1 FROM t0 ORDER BY c0) AS a0 JOIN t0 ON 1; "
        + "SELECT a0.c1 FROM (SELECT abs(c0) AS c0, 1 AS c1 FROM t0 ORDER BY 2) AS a0 JOIN t0 ON 1; "
        + "SELECT a0.c1 FROM (SELECT nosuch(c0) AS c0, 1 AS c1 FROM t0) AS a0 JOIN t0 ON 1; "
        + "SELECT a0.c1 FROM (SELECT nocol AS c0, 1 AS c1 FROM t0) AS a0 JOIN t0 ON 1",
        // a WHERE term on a DISTINCT view runs inside it, before DISTINCT keeps 0 or 0.0 (seeds 81153, 99345)
        "CREATE TABLE t0(c0 INT UNIQUE, c1 COLLATE BINARY, c2 REAL); "
        + "INSERT OR IGNORE INTO t0(c0, c1, c2) VALUES ('[1,2]', 'B', 2); INSERT OR IGNORE INTO t0(c0, c1, c2) VALUES ('é', -0.0, 0.1); "
        + "CREATE VIEW v0 AS SELECT DISTINCT NULL AS c0, (c0 - c1) AS c1 FROM t0; "
        + "SELECT a0.c1, NULL FROM v0 AS a0 WHERE (a0.c1 NOT GLOB 0) EXCEPT SELECT cos(NULL), NULL FROM t0 AS a0; "
        + "SELECT a0.c1 FROM v0 AS a0; SELECT a0.c1 FROM v0 AS a0 WHERE a0.c1 NOT GLOB 0; SELECT c1 FROM v0 WHERE c1 NOT GLOB 0",
        "CREATE TABLE t0(c0 INTEGER NOT NULL ON CONFLICT REPLACE COLLATE BINARY, c1 NUMERIC NOT NULL COLLATE BINARY, c2 FLOATING POINT UNIQUE); "
        + "INSERT OR IGNORE INTO t0(c0, c1, c2) VALUES ('_', x'616263', 1.0); INSERT OR IGNORE INTO t0(c0, c1, c2) VALUES (10, -0.0, 9223372036854775808.0); "
        + "CREATE VIEW v1 AS SELECT DISTINCT (0 / c2) AS c0 FROM t0; "
        + "SELECT 10 FROM v1 AS a0 JOIN v1 AS a1 ON 1 LEFT JOIN v1 AS a2 ON NULL WHERE (a1.c0 NOT GLOB '?')",
        // which terms are pushed: the WHERE and inner ON terms; on the right of a LEFT JOIN its own ON terms
        "CREATE TABLE t(x); INSERT INTO t VALUES (0), (0.0); CREATE TABLE u(y); INSERT INTO u VALUES (1); "
        + "SELECT * FROM (SELECT DISTINCT x FROM t) WHERE x NOT GLOB '0'; "
        + "SELECT * FROM (SELECT DISTINCT x FROM t) AS s WHERE s.x NOT GLOB '0' AND random(); "
        + "SELECT * FROM u LEFT JOIN (SELECT DISTINCT x FROM t) AS s ON s.x NOT GLOB '0'; "
        + "SELECT * FROM u LEFT JOIN (SELECT DISTINCT x FROM t) AS s ON 1 WHERE s.x NOT GLOB '0'; "
        + "SELECT * FROM u LEFT JOIN (SELECT DISTINCT x FROM t) AS s ON 1 WHERE s.x IS NOT '0'; "
        + "SELECT * FROM u JOIN (SELECT DISTINCT x FROM t) AS s ON s.x NOT GLOB '0'; "
        + "SELECT * FROM (SELECT DISTINCT x FROM t) AS s JOIN u ON s.x NOT GLOB '0'; "
        + "SELECT * FROM (SELECT DISTINCT x FROM t) AS s LEFT JOIN u ON s.x NOT GLOB '0'; "
        + "SELECT * FROM (SELECT DISTINCT x FROM t) AS s LEFT JOIN u ON s.x NOT GLOB '0' WHERE s.x NOT GLOB '0'; "
        + "SELECT * FROM (SELECT DISTINCT x FROM t) AS s WHERE s.x NOT GLOB '0' OR 0; "
        + "SELECT * FROM (SELECT DISTINCT x AS x FROM t ORDER BY 1) AS s WHERE s.x NOT GLOB '0'; "
        + "SELECT * FROM (SELECT DISTINCT x FROM t LIMIT 5) AS s WHERE s.x NOT GLOB '0'; "
        + "SELECT * FROM (SELECT DISTINCT x AS x, x || '' AS w FROM t) AS s WHERE w NOT GLOB '0'; "
        + "SELECT * FROM (SELECT DISTINCT x COLLATE NOCASE AS x FROM t) AS s WHERE s.x NOT GLOB '0'",
        // a pushed term on a column computed by an overflowing expression raises inside the subquery
        Overflow + "CREATE TABLE t2(c0); "
        + "SELECT avg(1) FROM (SELECT DISTINCT NULL AS c0, abs(c0) AS c1 FROM t0) AS a0 WHERE a0.c1; "
        + "SELECT dense_rank() OVER (PARTITION BY a0.c2 ORDER BY a0.c1) FROM (SELECT abs(c0) AS c1, c0 AS c2 FROM t0) AS a0 WHERE NULL",
        // a LEFT JOIN the WHERE clause needs non-NULL is an inner join (seeds 46849, 40497)
        Overflow + "CREATE TABLE t1(c0, c2); CREATE TABLE t2(c0); CREATE VIEW v0 AS SELECT abs(c0) AS c0 FROM t0; CREATE VIEW v2 AS SELECT NULL AS c1 FROM t0; "
        + "SELECT x'' FROM v0 AS a0 LEFT JOIN (SELECT sign(NULL) AS c0, iif(NULL, NULL) AS c1 FROM t2 WHERE NULL) AS a1 ON NULL WHERE (a0.c0 BETWEEN a1.c1 AND a1.c0); "
        + "SELECT a1.c0 FROM v0 AS a0 LEFT JOIN t1 AS a1 ON NULL JOIN v2 AS a2 ON 1 WHERE (a0.c0 - a1.c2)",
        // ... and only then (the NULL row's outcomes)
        "CREATE TABLE a(x, y); INSERT INTO a VALUES (1, 1), (2, NULL), (3, 3); CREATE TABLE b(x, y); INSERT INTO b VALUES (1, 10), (3, NULL); "
        + "SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y > 5; SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS NULL; "
        + "SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y IS NOT NULL; SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE coalesce(b.y, 7) = 7; "
        + "SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y > 5 OR a.y = 2; SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE NOT (b.y > 5); "
        + "SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE a.y BETWEEN b.y AND 100; SELECT * FROM a LEFT JOIN b ON 0 WHERE b.x NOT IN (); "
        + "SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE CASE WHEN b.y THEN 1 ELSE 1 END; "
        + "SELECT * FROM a LEFT JOIN b ON a.x = b.x JOIN (SELECT 1 AS z) AS c ON b.x = c.z; "
        + "SELECT * FROM a LEFT JOIN b ON a.x = b.x LEFT JOIN b AS b2 ON b2.x = b.x WHERE b2.y > 0; "
        + "SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE (b.y > 5) IS NOT TRUE; SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE b.y LIKE '1%'; "
        + "SELECT * FROM a LEFT JOIN (SELECT x, y FROM b, a AS a2 WHERE a2.x = 1) AS s ON a.x = s.x WHERE s.y > 0; "
        + "SELECT * FROM a LEFT JOIN b ON a.x = b.x WHERE likely(b.y > 5); SELECT * FROM a LEFT JOIN b USING (x) WHERE b.y > 5",
        // SELECT DISTINCT leaves out a LEFT JOIN's table that only its own ON clause reads (seed 46849)
        Overflow + "CREATE TABLE a(x, y); INSERT INTO a VALUES (1, 1), (2, NULL), (3, 3), (3, 3); CREATE TABLE b(x, y); INSERT INTO b VALUES (1, 10), (3, NULL), (3, 5); "
        + "CREATE VIEW v0 AS SELECT abs(c0) AS c0 FROM t0; "
        + "SELECT DISTINCT NULL FROM v0 AS a0 LEFT JOIN b AS a1 ON (a0.c0); "
        + "SELECT DISTINCT a.x FROM a LEFT JOIN b ON abs(-9223372036854775808); "
        + "SELECT DISTINCT a.x FROM a LEFT JOIN b ON abs(-9223372036854775808) ORDER BY b.x; "
        + "SELECT DISTINCT a.x, b.y FROM a LEFT JOIN b ON abs(-9223372036854775808); "
        + "SELECT DISTINCT a.x FROM a LEFT JOIN b ON a.x = b.x LEFT JOIN t0 ON abs(t0.c0) = b.y; "
        + "SELECT DISTINCT a.x FROM a LEFT JOIN b ON a.x = b.x LEFT JOIN (SELECT abs(c0) AS c FROM t0) AS s ON s.c = 1; "
        + "SELECT DISTINCT a.x FROM a LEFT JOIN (SELECT abs(c0) AS c FROM t0) AS s ON s.c = 1 LEFT JOIN b ON b.x = s.c; "
        + "SELECT a.x FROM a LEFT JOIN b ON abs(-9223372036854775808); "
        + "SELECT DISTINCT a.x FROM a LEFT JOIN b ON abs(-9223372036854775808) WHERE b.x IS NULL; "
        + "SELECT DISTINCT (SELECT b.x) FROM a LEFT JOIN b ON abs(-9223372036854775808); "
        + "SELECT DISTINCT count(*) FROM a LEFT JOIN b ON abs(-9223372036854775808)",
        // ... whose ON terms still report their errors, as do the terms of the joins around it (seeds 116993, 96385)
        "CREATE TABLE t0(c3); CREATE TABLE t1(c0); CREATE TABLE t2(c0); CREATE VIEW v0 AS SELECT DISTINCT NULL AS c0 FROM t2 WHERE NULL; "
        + "SELECT DISTINCT a0.c0 FROM t2 AS a0 LEFT JOIN t1 AS a1 ON ('' GLOB '[a-c]*' ESCAPE '\\'); "
        + "SELECT DISTINCT NULL FROM t0 AS a0 LEFT JOIN (SELECT NULL AS c0, NULL AS c1 FROM t1 WHERE NULL) AS a1 ON a1.c1 JOIN v0 AS a2 ON (a0.c3 GLOB '*B*' ESCAPE '\\') WHERE NULL; "
        + "SELECT DISTINCT a0.c0 FROM t2 AS a0 LEFT JOIN t1 AS a1 ON nosuch(1); SELECT DISTINCT a0.c0 FROM t2 AS a0 LEFT JOIN t1 AS a1 ON a1.nocol",
        // a term that fails to compile is not pushed into a view: its error names the outer text (seed 133953)
        "CREATE TABLE t0(c0); CREATE VIEW v0 AS SELECT DISTINCT ln((c0 | x'')) AS c0 FROM t0 WHERE (c0 LIKE iif(c0, 0.1)); CREATE VIEW v1 AS SELECT NULL AS c1 FROM t0; "
        + "SELECT a0.c1 FROM v1 AS a0 JOIN v0 AS a1 ON (a1.c0 = a0.c0) WHERE (a1.c0 GLOB '[^a]*' ESCAPE '\\') ORDER BY 1 COLLATE BINARY LIMIT 3; "
        + "SELECT a1.c0 FROM v0 AS a1 WHERE substr(a1.c0) IS NULL; SELECT a1.c0 FROM v0 AS a1 WHERE nosuch(a1.c0)",
        // a WHERE term with a correlated subquery is tested at the loop of the tables it names (seed 40497)
        Overflow + "CREATE TABLE t1(c1); CREATE TABLE a(x INTEGER PRIMARY KEY, y); INSERT INTO a VALUES (1, 1), (2, NULL), (3, 3); "
        + "CREATE TABLE b(x, y UNIQUE); INSERT INTO b VALUES (1, 10), (3, NULL), (3, 5); "
        + "CREATE VIEW v1 AS SELECT abs(c0) AS c1, c0 AS c2 FROM t0; "
        + "SELECT min(NULL) FROM v1 AS a0 CROSS JOIN v1 AS a1 JOIN t1 AS a2 ON 1 WHERE (SELECT s4.c0 FROM t0 AS s4 WHERE a0.c1) GROUP BY a1.c2 HAVING 0; "
        + "SELECT * FROM a, t1 WHERE (SELECT abs(c0) FROM t0 WHERE a.x); "
        + "SELECT * FROM a WHERE a.x = (SELECT max(x) FROM b); SELECT * FROM a, b WHERE a.x = (SELECT b.x) ORDER BY 1, 2, 3, 4; "
        + "SELECT * FROM a, b WHERE b.y = (SELECT a.y + 9); SELECT * FROM a, b WHERE b.y IN (SELECT a.y + 9); "
        + "SELECT * FROM a JOIN b ON EXISTS (SELECT 1 FROM t0 WHERE a.y = 1) ORDER BY 1, 2, 3, 4; "
        + "SELECT * FROM a LEFT JOIN b ON b.x = a.x WHERE (SELECT a.y) = 1 ORDER BY 1, 2, 3, 4; "
        + "SELECT * FROM a LEFT JOIN b ON b.x = (SELECT a.x) ORDER BY 1, 2, 3, 4; "
        + "SELECT count(*) FROM a, a AS a2, b WHERE a2.x = (SELECT b.x) AND a.x = (SELECT a2.y); "
        + "SELECT * FROM a, (SELECT x AS z FROM b) s WHERE a.x = (SELECT s.z) ORDER BY 1, 2, 3; "
        + "SELECT * FROM a WHERE x = (SELECT x FROM b WHERE b.y = a.y)",
        // HAVING terms on GROUP BY columns alone filter rows before grouping (so 0.0 stands for the group)
        "CREATE TABLE t(x, y); INSERT INTO t VALUES (0, 1), (0.0, 2); "
        + "SELECT x FROM t GROUP BY x HAVING x NOT GLOB '0'; SELECT x, sum(y) FROM t GROUP BY x HAVING x NOT GLOB '0'; "
        + "SELECT x, sum(y) FROM t GROUP BY x HAVING x NOT GLOB '0' AND sum(y) > 0; SELECT x, sum(y) FROM t GROUP BY x HAVING x NOT GLOB '0' OR sum(y) > 0; "
        + "SELECT x, sum(y) FROM t GROUP BY x + 0 HAVING x NOT GLOB '0'; SELECT x, sum(y) FROM t GROUP BY x HAVING 1; "
        + "SELECT x, sum(y) FROM t GROUP BY x HAVING 0; SELECT x, sum(y) FROM t GROUP BY x HAVING NULL; "
        + "SELECT x, sum(y) FROM t GROUP BY x HAVING abs(-9223372036854775808); "
        + "SELECT x, sum(y) FROM t GROUP BY x HAVING x IN (SELECT 0.0); SELECT x, sum(y) FROM t GROUP BY t.x HAVING x NOT GLOB '0'; "
        + "SELECT * FROM (SELECT x FROM t GROUP BY x HAVING x NOT GLOB '0') AS s");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Materialized_subqueries_match_sqlite(string script) => Differential.AssertSame(script);
}
