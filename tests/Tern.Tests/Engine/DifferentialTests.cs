// Scripts run on Tern and on SQLite 3.50.4; the transcripts (column names, values with
// their storage classes, change counts, error messages) must match exactly.
namespace Tern.Tests.Engine;

public class DifferentialTests
{
    public static TheoryData<string> Scripts() => new(
        // literals, arithmetic, NULL rules
        "SELECT 1, 2.5, 'abc', x'0102', NULL, -3, 1+2*3, 7/2, 7.0/2, 7%3, 1/0, 'a'||'b', 1||2",
        "SELECT 10-3, -(-5), +'7', '3'+4, '3.5'*2, 'abc'+1, NULL+1, 5 & 3, 5 | 3, 1 << 4, 256 >> 4, ~5",
        "SELECT 9223372036854775807+1, -9223372036854775808, 9223372036854775807*2, 0x10, 1e3, 1.0, 0.1, 1e20, 100.0/3",
        "SELECT 1=1, 1=2, 1<2, 'a'<'b', NULL=NULL, NULL IS NULL, 1 IS NOT NULL, 1 IS 1, NULL IS NOT 1",
        "SELECT 1 AND 0, 1 OR NULL, 0 AND NULL, NULL AND 1, NOT 1, NOT NULL, NOT 0",
        "SELECT 2 BETWEEN 1 AND 3, 5 NOT BETWEEN 1 AND 3, 2 IN (1,2,3), 4 IN (1,2), NULL IN (1), 1 IN (NULL, 1), 2 IN (NULL, 1), 3 NOT IN (1,2)",
        "SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END, CASE WHEN 0 THEN 'a' END, CASE WHEN 1 > 0 THEN 'yes' ELSE 'no' END",
        "SELECT CAST('12abc' AS INTEGER), CAST(3.9 AS INTEGER), CAST(5 AS TEXT), CAST('4.0' AS REAL), CAST('x' AS NUMERIC), CAST('1e2' AS NUMERIC), CAST(12 AS BLOB)",
        "SELECT abs(-4), abs(NULL), length('héllo'), length(x'0102'), lower('AbC'), upper('aBc'), typeof(1), typeof(1.5), typeof('a'), typeof(x'00'), typeof(NULL)",
        "SELECT coalesce(NULL, NULL, 3), ifnull(NULL, 'x'), nullif(1, 1), nullif(1, 2), substr('hello', 2, 3), substr('hello', -3), substr('hello', 0, 2), max(1, 5, 3), min('b', 'a')",
        "SELECT round(2.5), round(-2.5), round(3.14159, 2), hex('AB'), instr('hello', 'll'), replace('aXbXc', 'X', '-'), trim('  a  '), ltrim('  a'), rtrim('a  ')",
        "SELECT 'abc' LIKE 'A%', 'abc' LIKE '_b_', 'abc' NOT LIKE 'b%', 'abc' GLOB 'a*', 'abc' GLOB 'A*', 'a%c' LIKE 'a\\%c' ESCAPE '\\'",
        // tables, affinity, storage classes
        "CREATE TABLE t(i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC, x); INSERT INTO t VALUES ('1', '2', 3, 4, '5.0', '6'); INSERT INTO t VALUES (1.5, 2, 3.25, x'ab', '1e3', 7.0); SELECT * FROM t; SELECT typeof(i), typeof(r), typeof(t), typeof(b), typeof(n), typeof(x) FROM t",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b); INSERT INTO t VALUES (NULL, 'a'); INSERT INTO t VALUES (10, 'b'); INSERT INTO t(b) VALUES ('c'); SELECT rowid, a, b FROM t; SELECT * FROM t WHERE a = 11; SELECT * FROM t WHERE rowid = '10'",
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2), (3, 4), (5, 6); SELECT a, b, a + b AS s FROM t WHERE a > 1; SELECT count(*), sum(a), total(b), avg(a), min(b), max(b) FROM t",
        "CREATE TABLE t(a, b); SELECT count(*), sum(a), total(a), avg(a), min(a), max(a), group_concat(a) FROM t",
        "CREATE TABLE t(g, v); INSERT INTO t VALUES ('x', 1), ('y', 2), ('x', 3), (NULL, 4), ('y', NULL); SELECT g, count(*), count(v), sum(v), group_concat(v, ';') FROM t GROUP BY g; SELECT g, sum(v) FROM t GROUP BY g HAVING sum(v) > 2 ORDER BY g DESC",
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (3, 'c'), (1, 'a'), (2, 'b'), (1, 'z'); SELECT * FROM t ORDER BY a, b DESC; SELECT * FROM t ORDER BY 2 LIMIT 2; SELECT * FROM t ORDER BY a LIMIT 2 OFFSET 1; SELECT b FROM t LIMIT 0; SELECT a FROM t LIMIT -1 OFFSET 3",
        "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (1), (NULL), (2), (NULL); SELECT DISTINCT a FROM t; SELECT DISTINCT a FROM t ORDER BY a DESC",
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'), (2, 'y'); CREATE TABLE u(a, c); INSERT INTO u VALUES (1, 'p'), (1, 'q'), (3, 'r'); SELECT t.a, b, c FROM t, u WHERE t.a = u.a; SELECT * FROM t JOIN u ON t.a = u.a ORDER BY c DESC; SELECT count(*) FROM t CROSS JOIN u",
        "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3); SELECT a FROM t WHERE a IN (SELECT a FROM t WHERE a > 1); SELECT (SELECT max(a) FROM t), EXISTS (SELECT 1 FROM t WHERE a = 5), (SELECT a FROM t WHERE a > 10); SELECT a, (SELECT count(*) FROM t AS x WHERE x.a < t.a) FROM t",
        "SELECT 1 UNION SELECT 2 UNION SELECT 1; SELECT 1 UNION ALL SELECT 1; SELECT 3 EXCEPT SELECT 3; SELECT 1 INTERSECT SELECT 1; SELECT 2 AS x UNION SELECT 1 ORDER BY 1 DESC; SELECT 1 UNION SELECT 2, 3",
        "VALUES (1, 'a'), (2, 'b'); SELECT * FROM (SELECT 1)",
        "SELECT 1 UNION ALL SELECT 1 UNION SELECT 2 ORDER BY 1; SELECT 1 UNION SELECT 1 UNION ALL SELECT 1 ORDER BY 1; SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 2; SELECT 3 UNION ALL SELECT 3 INTERSECT SELECT 3",
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z'); SELECT * FROM (SELECT a * 2 AS d, b FROM t WHERE a > 1) AS s WHERE d < 6; SELECT count(*) FROM (SELECT a FROM t UNION ALL SELECT a FROM t)",
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'), (1, 'y'), (2, 'x'), (NULL, 'x'), (2, 'z'), (2.0, 'z'); SELECT count(DISTINCT a), sum(DISTINCT a), group_concat(DISTINCT b), avg(DISTINCT a) FROM t; SELECT b, count(DISTINCT a), count(a) FROM t GROUP BY b; SELECT count(DISTINCT a, b) FROM t; SELECT count(DISTINCT *) FROM t",
        "CREATE TABLE u(x); INSERT INTO u VALUES (1), (NULL), ('a'); CREATE TABLE v(p, q); SELECT 1 IN u, 5 IN u, 5 NOT IN u, 'a' IN u, NULL IN u; SELECT 1 IN v; SELECT 1 IN nope",
        "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3); CREATE TABLE s(b); INSERT INTO s VALUES (2), (3), (4); SELECT a, a IN (SELECT b FROM s), (SELECT max(b) FROM s), EXISTS (SELECT 1 FROM s WHERE b > 3), (SELECT count(*) FROM s WHERE b < a), a IN (SELECT b FROM s WHERE b <> a), EXISTS (SELECT 1 FROM s WHERE b = a + 2) FROM t; UPDATE t SET a = a + (SELECT min(b) FROM s); SELECT * FROM t",
        // views and common table expressions
        "CREATE TABLE t(a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'x'); CREATE VIEW v AS SELECT a, b || '!' AS c FROM t WHERE a > 1; SELECT * FROM v; SELECT c, count(*) FROM v GROUP BY c; SELECT * FROM v WHERE a = '2'; SELECT sql FROM sqlite_schema WHERE type = 'view'; CREATE VIEW v AS SELECT 1; CREATE VIEW IF NOT EXISTS v AS SELECT 1; CREATE TABLE v(z); DROP TABLE v; DROP VIEW t; UPDATE v SET a = 1; DELETE FROM v; INSERT INTO v VALUES (1, 2); CREATE INDEX iv ON v(a); DROP VIEW v; DROP VIEW v; DROP VIEW IF EXISTS v; SELECT count(*) FROM sqlite_schema",
        "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2); CREATE VIEW v2(x, y) AS SELECT a, a * 10 FROM t; SELECT y, x FROM v2 ORDER BY y DESC; CREATE VIEW v3(x, y) AS SELECT a FROM t; SELECT * FROM v3; CREATE VIEW v4 AS SELECT a, a FROM t; SELECT * FROM v4; CREATE VIEW v5 AS SELECT * FROM v2 JOIN t ON t.a = v2.x; SELECT * FROM v5",
        "CREATE TABLE t(x); INSERT INTO t VALUES (1), (-1); CREATE TEMP VIEW v2 AS SELECT x FROM t WHERE x > 0; CREATE TEMPORARY VIEW v3 AS SELECT x * 2 AS d FROM t; SELECT * FROM v2, v3; SELECT * FROM temp.v2; SELECT count(*) FROM sqlite_schema; CREATE TEMP VIEW v2 AS SELECT 1; DROP VIEW v2; DROP VIEW v3; DROP VIEW v3; SELECT * FROM v2",
        "WITH c(x) AS (SELECT 1 UNION ALL SELECT 2) SELECT * FROM c; WITH a AS (SELECT 5 AS n), b AS (SELECT n + 1 AS m FROM a) SELECT * FROM a, b; WITH c(x, y) AS (SELECT 1) SELECT * FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c LIMIT 5; WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 4) SELECT sum(x) FROM (SELECT 1), c; WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT x % 3 + 1 FROM c) SELECT * FROM c; WITH RECURSIVE f(n, v) AS (SELECT 1, 1 UNION ALL SELECT n + 1, v * (n + 1) FROM f WHERE n < 10) SELECT * FROM f",
        "CREATE TABLE e(id INTEGER PRIMARY KEY, boss); INSERT INTO e VALUES (1, NULL), (2, 1), (3, 1), (4, 2), (5, 4); WITH RECURSIVE under(id, depth) AS (SELECT 1, 0 UNION ALL SELECT e.id, under.depth + 1 FROM e JOIN under ON e.boss = under.id) SELECT * FROM under ORDER BY id; SELECT * FROM (e CROSS JOIN e AS f) WHERE e.id = f.boss",
        "CREATE TABLE a(id INTEGER PRIMARY KEY, v); CREATE TABLE b(id INTEGER PRIMARY KEY, aid); CREATE TABLE c(id INTEGER PRIMARY KEY, bid); INSERT INTO a VALUES (1, 'a1'), (2, 'a2'); INSERT INTO b VALUES (1, 2), (2, 1), (3, 2); INSERT INTO c VALUES (1, 3), (2, 1), (3, 3); SELECT a.v, b.id, c.id FROM c, a, b WHERE b.aid = a.id AND c.bid = b.id AND a.id = 2 ORDER BY c.id; SELECT count(*) FROM a, b, c WHERE c.bid = b.id",
        "CREATE TABLE t(x); INSERT INTO t VALUES (9223372036854775807), (1); SELECT sum(x) FROM t; SELECT total(x), avg(x) FROM t; CREATE TABLE u(x); INSERT INTO u VALUES (1), (2.5), ('3'), ('x'); SELECT sum(x), total(x), avg(x), typeof(sum(x)) FROM u; SELECT sum(x) FROM u WHERE x = 1; SELECT total(x), sum(x) FROM u WHERE 0",
        "CREATE TABLE e(x); SELECT NULL IN e, NULL NOT IN e, NULL IN (SELECT x FROM e), 1 IN e; INSERT INTO e VALUES (2); SELECT NULL IN e, NULL NOT IN e; CREATE INDEX ie ON e(x); REINDEX; REINDEX ie; REINDEX e; REINDEX nocase; REINDEX nothing",
        // triggers
        "CREATE TABLE t(a); CREATE TABLE log(x); CREATE TRIGGER r1 AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('r1:' || new.a); END; CREATE TRIGGER r2 AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('r2'); END; CREATE TRIGGER r0 BEFORE INSERT ON t BEGIN INSERT INTO log VALUES ('b0'); END; INSERT INTO t VALUES (1), (2); SELECT * FROM log; SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema WHERE type = 'trigger'; CREATE TRIGGER r1 AFTER INSERT ON t BEGIN SELECT 1; END; CREATE TRIGGER IF NOT EXISTS r1 AFTER INSERT ON t BEGIN SELECT 1; END; CREATE TRIGGER rx AFTER INSERT ON nope BEGIN SELECT 1; END; DROP TRIGGER r2; DROP TRIGGER r2; DROP TRIGGER IF EXISTS r2; DROP TABLE t; SELECT name FROM sqlite_schema",
        "CREATE TABLE t2(a INTEGER PRIMARY KEY, b); CREATE TABLE log2(x); CREATE TRIGGER r BEFORE INSERT ON t2 BEGIN INSERT INTO log2 VALUES (new.rowid || ',' || new.a || ',' || typeof(new.b)); END; CREATE TRIGGER r2x AFTER INSERT ON t2 BEGIN INSERT INTO log2 VALUES (new.rowid || ',' || new.a); END; INSERT INTO t2(b) VALUES ('5'); INSERT INTO t2 VALUES (7, 1.0); SELECT * FROM log2",
        "CREATE TABLE t3(a); CREATE TRIGGER r3 BEFORE INSERT ON t3 BEGIN SELECT RAISE(ABORT, 'nope') WHERE new.a = 2; END; INSERT INTO t3 VALUES (1); INSERT INTO t3 VALUES (2); SELECT * FROM t3; CREATE TABLE t4(a); CREATE TRIGGER r4 BEFORE INSERT ON t4 BEGIN SELECT RAISE(IGNORE) WHERE new.a = 2; END; INSERT INTO t4 VALUES (1), (2), (3); SELECT * FROM t4; SELECT RAISE(IGNORE)",
        "CREATE TABLE u(a, b); CREATE TABLE ulog(o, n); INSERT INTO u VALUES (1, 'x'), (2, 'y'); CREATE TRIGGER ru AFTER UPDATE OF b ON u WHEN old.b <> new.b BEGIN INSERT INTO ulog VALUES (old.b, new.b); END; CREATE TRIGGER rd BEFORE DELETE ON u BEGIN INSERT INTO ulog VALUES (old.a, 'gone'); END; UPDATE u SET b = 'z' WHERE a = 1; UPDATE u SET a = 5; DELETE FROM u WHERE a = 5; SELECT * FROM ulog; CREATE VIEW v AS SELECT 1; CREATE TRIGGER bv BEFORE INSERT ON v BEGIN SELECT 1; END; CREATE TRIGGER it INSTEAD OF INSERT ON u BEGIN SELECT 1; END",
        "CREATE TABLE a(x); CREATE TABLE b(y); CREATE TABLE c(z); CREATE TRIGGER ta AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.x * 2); END; CREATE TRIGGER tb AFTER INSERT ON b BEGIN INSERT INTO c SELECT new.y + count(*) FROM c; END; INSERT INTO a VALUES (1), (2), (3); SELECT * FROM b; SELECT * FROM c; CREATE TRIGGER tc AFTER DELETE ON c BEGIN DELETE FROM b WHERE y = old.z - 0; END; DELETE FROM c WHERE z > 4; SELECT * FROM b",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b); SELECT changes(), total_changes(), last_insert_rowid(); INSERT INTO t(b) VALUES (1), (2), (3); SELECT changes(), total_changes(), last_insert_rowid(); UPDATE t SET b = b + 1 WHERE a > 1; SELECT changes(), total_changes(); DELETE FROM t; SELECT changes(), total_changes(), last_insert_rowid()",
        // PRAGMA
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x', c); CREATE INDEX i ON t(b, c); CREATE TABLE u(p, q, PRIMARY KEY (q, p), UNIQUE (p)); PRAGMA table_info(t); PRAGMA table_xinfo(t); PRAGMA index_list(t); PRAGMA index_info(i); PRAGMA index_xinfo(i); PRAGMA table_info(u); PRAGMA index_list(u); PRAGMA table_info(nope); PRAGMA integrity_check; PRAGMA quick_check",
        "PRAGMA foreign_keys = OFF; PRAGMA foreign_keys; PRAGMA foreign_keys = ON; PRAGMA foreign_keys; PRAGMA page_size; PRAGMA cache_size; PRAGMA cache_size = 500; PRAGMA cache_size; PRAGMA user_version = 5; PRAGMA user_version; PRAGMA application_id = -2; PRAGMA application_id; PRAGMA journal_mode; PRAGMA auto_vacuum; PRAGMA temp_store; PRAGMA encoding; PRAGMA freelist_count; PRAGMA page_count; PRAGMA recursive_triggers; PRAGMA nosuch; PRAGMA nosuch = 1; PRAGMA busy_timeout",
        // DML
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2), (3, 4); UPDATE t SET b = b * 10 WHERE a = 3; SELECT * FROM t; UPDATE t SET a = a + 1; SELECT * FROM t; DELETE FROM t WHERE a = 2; SELECT * FROM t; DELETE FROM t; SELECT count(*) FROM t",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c NOT NULL DEFAULT 'd'); INSERT INTO t(b) VALUES ('x'); INSERT INTO t(b) VALUES ('x'); INSERT INTO t VALUES (1, 'y', 'z'); INSERT INTO t(a, b, c) VALUES (5, 'w', NULL); INSERT OR IGNORE INTO t VALUES (1, 'q', 'q'); INSERT OR REPLACE INTO t VALUES (1, 'r', 'r'); SELECT * FROM t",
        "CREATE TABLE t(a, b, PRIMARY KEY(a, b)); INSERT INTO t VALUES (1, 1), (1, 2); INSERT INTO t VALUES (1, 1); SELECT * FROM t; UPDATE t SET b = 1 WHERE b = 2; SELECT * FROM t",
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2); INSERT INTO t SELECT a + 1, b + 1 FROM t; INSERT INTO t SELECT * FROM t; SELECT * FROM t; INSERT INTO t DEFAULT VALUES; SELECT * FROM t WHERE a IS NULL",
        "CREATE TABLE t(a); CREATE INDEX i ON t(a); INSERT INTO t VALUES (3), (1), (2), ('x'), (1.5); SELECT a FROM t WHERE a = 1; SELECT a FROM t WHERE a = '2'; SELECT * FROM t ORDER BY a; DELETE FROM t WHERE a = 2; SELECT * FROM t WHERE a = 2; UPDATE t SET a = 2 WHERE a = 3; SELECT a FROM t WHERE a = 2",
        "CREATE TABLE t(a TEXT); CREATE UNIQUE INDEX u ON t(a); INSERT INTO t VALUES (1); INSERT INTO t VALUES ('1'); SELECT * FROM t WHERE a = 1",
        // DDL and the schema
        "CREATE TABLE t(a INT, b VARCHAR(10), c, PRIMARY KEY (a), UNIQUE (b, c)); CREATE INDEX   ix ON t (c DESC); SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema",
        "create   table if not exists \"My Table\" (x integer primary key, y text unique) ; SELECT name, sql FROM sqlite_master; CREATE TABLE IF NOT EXISTS \"My Table\"(z); CREATE TABLE \"my table\"(z)",
        "CREATE TABLE t(a); CREATE INDEX i ON t(a); DROP INDEX i; DROP TABLE t; SELECT count(*) FROM sqlite_schema; DROP TABLE t; DROP TABLE IF EXISTS t; DROP INDEX nope",
        // errors
        "SELECT * FROM nope; SELECT nope FROM sqlite_schema; SELECT 1 FROM; SELECT count(); SELECT nosuchfn(1); CREATE TABLE t(a); INSERT INTO t VALUES (1, 2); INSERT INTO t(z) VALUES (1)",
        "CREATE TABLE t(a, a)",
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2); SELECT a FROM t, t AS u; SELECT t.a FROM t AS x",
        // transactions
        "CREATE TABLE t(a); BEGIN; INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); ROLLBACK; SELECT count(*) FROM t; BEGIN; INSERT INTO t VALUES (3); COMMIT; SELECT * FROM t; COMMIT; BEGIN; BEGIN",
        "CREATE TABLE t(a UNIQUE, b); BEGIN; INSERT INTO t VALUES (1, 'x'); INSERT INTO t VALUES (2, 'y'), (1, 'dup'), (3, 'z'); SELECT * FROM t; UPDATE t SET a = a + 1; SELECT * FROM t; INSERT INTO t SELECT a + 10, b FROM t; UPDATE t SET a = 2 WHERE a = 12; SELECT * FROM t ORDER BY a; COMMIT; SELECT * FROM t ORDER BY a",
        "CREATE TABLE t(a PRIMARY KEY, b NOT NULL); BEGIN; INSERT INTO t VALUES (1, 1); CREATE TABLE u(x); INSERT INTO u VALUES (1); INSERT INTO t SELECT x + 1, NULL FROM u; SELECT * FROM t; SELECT * FROM u; DELETE FROM u; ROLLBACK; SELECT count(*) FROM sqlite_schema; SELECT * FROM t",
        // column names
        "CREATE TABLE t(Alpha, beta); INSERT INTO t VALUES (1, 2); SELECT alpha, BETA, t.alpha, alpha AS x, alpha+1, count(*) FROM t; SELECT *, rowid FROM t",
        "SELECT 1 AS a, 'x' \"b\", 3 + 4, abs( -1 ), \"nocol\"",
        // comparisons with affinity
        "CREATE TABLE t(i INTEGER, s TEXT, n); INSERT INTO t VALUES (1, '1', 1), (2, '02', '2'); SELECT i = '1', s = 1, n = '1', i < '10', s < 10, n = 2 FROM t",
        // WHERE on rowid and index, EXPLAIN
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c); CREATE INDEX tb ON t(b); INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2), (3, 'x', 3); SELECT c FROM t WHERE a = 2; SELECT c FROM t WHERE b = 'x' ORDER BY c; SELECT c FROM t WHERE a = 2.0; SELECT c FROM t WHERE a = 2.5",
        "CREATE TABLE t(a TEXT COLLATE NOCASE, b); INSERT INTO t VALUES ('Abc', 1), ('abc', 2), ('b', 3); SELECT b FROM t WHERE a = 'ABC'; SELECT DISTINCT b FROM t ORDER BY 1; SELECT 'x' = 'X' COLLATE NOCASE, 'a ' = 'a' COLLATE RTRIM",
        "CREATE TABLE t(a UNIQUE, b); INSERT INTO t VALUES (1, 'p'), (2, 'q'); UPDATE t SET a = 1 WHERE a = 2; UPDATE OR REPLACE t SET a = 1 WHERE a = 2; SELECT * FROM t; UPDATE OR IGNORE t SET a = 5; SELECT * FROM t",
        "CREATE TABLE t(a, b); INSERT INTO t(rowid, a) VALUES (7, 'x'); INSERT INTO t VALUES ('y', 1); SELECT rowid, * FROM t ORDER BY b DESC; SELECT a FROM t ORDER BY length(a) + rowid; SELECT a || 1, count(*) FROM t GROUP BY a || 1 HAVING count(*) > 0",
        "CREATE TABLE t(a); INSERT INTO t VALUES (1); SELECT sum(count(*)) FROM t; SELECT a FROM t HAVING a > 0; SELECT a FROM t WHERE count(*) > 0; SELECT count(*) FROM t GROUP BY 2",
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z'); CREATE TABLE u(a INTEGER PRIMARY KEY, c); INSERT INTO u VALUES (1, 'p'), (3, 'q'); CREATE TABLE v(a, d); CREATE INDEX va ON v(a); INSERT INTO v VALUES (1, 10), (1, 11); SELECT t.a, c FROM t LEFT JOIN u ON t.a = u.a; SELECT t.a, d FROM t LEFT JOIN v ON v.a = t.a ORDER BY 1, 2; SELECT t.a, c, d FROM t LEFT JOIN u ON u.a = t.a LEFT JOIN v ON v.a = u.a; SELECT t.a FROM t LEFT JOIN u ON t.a = u.a WHERE u.c IS NULL; SELECT count(*), count(c) FROM t LEFT OUTER JOIN u ON t.a = u.a AND u.c = 'q'",
        // many rows
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t(b) VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'); INSERT INTO t(b) SELECT b || a FROM t; INSERT INTO t(b) SELECT b || a FROM t; INSERT INTO t(b) SELECT b || a FROM t; INSERT INTO t(b) SELECT b || a FROM t; INSERT INTO t(b) SELECT b || a FROM t; INSERT INTO t(b) SELECT b || a FROM t; INSERT INTO t(b) SELECT b || a FROM t; INSERT INTO t(b) SELECT b || a FROM t; SELECT count(*), max(a), sum(length(b)) FROM t; DELETE FROM t WHERE a % 3 = 0; SELECT count(*), min(b) FROM t");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);
}
