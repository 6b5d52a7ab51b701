// Generated columns (GENERATED ALWAYS AS ... VIRTUAL/STORED) compared with SQLite 3.50.4:
// values in queries of every shape, writes that compute STORED columns, indexes, UNIQUE,
// NOT NULL, CHECK and foreign keys on generated columns, triggers and RETURNING, the
// errors CREATE TABLE, INSERT, UPDATE and ALTER TABLE give, PRAGMA table_info/table_xinfo,
// and files that SQLite's integrity_check accepts.
namespace Tern.Tests.Engine;

public class GeneratedColumnTests
{
    public static TheoryData<string> Scripts() => new(
        // TRUE and FALSE in a generated column are keywords unless a column has the name.
        "CREATE TABLE t0(c0 TEXT NOT NULL UNIQUE, c1 AS ((c0 IS NOT TRUE)) STORED, c2 AS (NULL IS TRUE) VIRTUAL, c3 AS (c0 = false)); INSERT INTO t0(c0) VALUES ('a'), ('1'), ('0'); SELECT * FROM t0 ORDER BY c0; "
        + "CREATE TABLE t1(\"true\", x AS (true + 1)); INSERT INTO t1 VALUES (5); SELECT * FROM t1; CREATE TABLE t2(a, b AS (\"false\"))",
        // The reported case, and reads of every shape.
        "CREATE TABLE g(a INT, b INT GENERATED ALWAYS AS (a*2) VIRTUAL, c INT AS (a+1) STORED); INSERT INTO g(a) VALUES(3); SELECT a, b, c FROM g; SELECT * FROM g",
        "CREATE TABLE g(a, b AS (a*2), c AS (b+1) STORED, d AS (c*10)); INSERT INTO g VALUES (1), (2), (NULL), ('x'); "
        + "SELECT * FROM g ORDER BY d; SELECT a FROM g WHERE b = 4; SELECT b, count(*) FROM g GROUP BY b ORDER BY b; SELECT x.b, y.d FROM g x JOIN g y ON x.c = y.b ORDER BY 1; "
        + "SELECT (SELECT max(d) FROM g WHERE b < o.b) FROM g o ORDER BY a; SELECT * FROM (SELECT b, d FROM g) WHERE d > 20; "
        + "CREATE VIEW v AS SELECT a, d FROM g WHERE b > 0; SELECT * FROM v ORDER BY a; SELECT typeof(b), typeof(c), typeof(d) FROM g ORDER BY a",
        // Affinity is the declared type's.
        "CREATE TABLE g(a, b REAL AS (a), c TEXT AS (a) STORED, d INT AS (a || ''), e AS (a)); INSERT INTO g VALUES (1), ('2'), (1.5); "
        + "SELECT b, typeof(b), c, typeof(c), d, typeof(d), typeof(e) FROM g ORDER BY rowid; SELECT count(*) FROM g WHERE c = 1; SELECT count(*) FROM g WHERE d = '2'",
        // A later column may feed an earlier one; ordering by dependency.
        "CREATE TABLE g(a, b AS (a+c), c AS (a*2), d AS (b+c) STORED, e); INSERT INTO g(e, a) VALUES (5, 10); INSERT INTO g VALUES (1, 2); SELECT * FROM g; SELECT d FROM g WHERE e = 5",
        // Column-count and write errors.
        "CREATE TABLE g(a, b AS (a), c); INSERT INTO g VALUES (1, 2); INSERT INTO g VALUES (1, 2, 3); INSERT INTO g(a, b) VALUES (1, 2); INSERT INTO g SELECT 1, 2, 3; "
        + "INSERT INTO g DEFAULT VALUES; SELECT * FROM g; UPDATE g SET b = 3; UPDATE g SET c = 7, a = 5; SELECT * FROM g; "
        + "CREATE TABLE g2(a UNIQUE, b AS (a)); INSERT INTO g2 VALUES (1); INSERT INTO g2 VALUES (1) ON CONFLICT(a) DO UPDATE SET b = 1; "
        + "INSERT INTO g2(a) VALUES (9) ON CONFLICT DO UPDATE SET b = 1; SELECT * FROM g2",
        // Errors at CREATE TABLE.
        "CREATE TABLE t1(b AS (1)); CREATE TABLE t2(a, b AS (1) PRIMARY KEY); CREATE TABLE t3(a, b AS (1), PRIMARY KEY(b)); CREATE TABLE t4(a, b INTEGER PRIMARY KEY AS (a)); "
        + "CREATE TABLE t5(a, b DEFAULT 3 AS (1)); CREATE TABLE t6(a, b AS (1) DEFAULT 3); CREATE TABLE t7(a, b AS ((SELECT 1))); CREATE TABLE t8(a, b AS (max(a))); "
        + "CREATE TABLE t9(a, b AS (count(*))); CREATE TABLE t10(a, b AS (random())); CREATE TABLE t11(a, b AS (?)); CREATE TABLE t12(a, b AS (x)); "
        + "CREATE TABLE t13(a, b AS (row_number() OVER ())); CREATE TABLE t14(a, b AS (rowid)); CREATE TABLE t15(a, b AS (a) VIRTUAL AS (2)); "
        + "CREATE TABLE t16(a, b AS (a IN (SELECT 1))); CREATE TABLE t17(a, b AS (EXISTS (SELECT 1))); CREATE TABLE t18(a, b AS (CURRENT_TIMESTAMP)); "
        + "CREATE TABLE t19(a, b AS (t19.a)); CREATE TABLE t20(a, b AS (nosuch(a))); CREATE TABLE t21(a, b AS (abs(a, a))); CREATE TABLE t22(a, b AS (:x)); "
        + "CREATE TABLE t23(a, b AS (a) FOO); CREATE TABLE t24(a, b AS (randomblob(2))); SELECT name FROM sqlite_schema ORDER BY name",
        // Loops are refused by CREATE TABLE; chains are computed in order.
        "CREATE TABLE t(a, b AS (c+1), c AS (b)); CREATE TABLE u(a, b AS (b)); CREATE TABLE v(a, b AS (c), c AS (d), d AS (b + a)); "
        + "CREATE TABLE w(a, b AS (c), c AS (d) STORED, d AS (a * 2)); INSERT INTO w VALUES (1); SELECT * FROM w",
        // PRAGMA table_info hides generated columns, table_xinfo shows them.
        "CREATE TABLE g(a INTEGER PRIMARY KEY, b TEXT AS (a || 'x') NOT NULL, c, d REAL AS (a/2.0) STORED, e DEFAULT 4); PRAGMA table_info(g); PRAGMA table_xinfo(g)",
        // Indexes on generated columns, kept up to date.
        "CREATE TABLE g(a, b AS (a*2), c AS (a+1) STORED, d); CREATE INDEX gb ON g(b); CREATE INDEX gc ON g(c, d); CREATE INDEX ge ON g(b + c) WHERE d > 0; "
        + "INSERT INTO g(a, d) VALUES (1, 1), (2, 0), (3, 1); UPDATE g SET a = a + 10 WHERE a < 3; UPDATE g SET d = 5; DELETE FROM g WHERE a = 3; "
        + "SELECT * FROM g WHERE b = 22; SELECT a FROM g WHERE c > 11 ORDER BY c; SELECT a FROM g WHERE b + c = 37; PRAGMA integrity_check; "
        + "INSERT INTO g(a) VALUES (7); CREATE INDEX late ON g(b DESC); SELECT b FROM g ORDER BY b; PRAGMA integrity_check",
        // UNIQUE, NOT NULL and CHECK on generated columns.
        "CREATE TABLE g(a, b AS (a % 10) UNIQUE, c AS (a + 1) STORED NOT NULL, d AS (a) CHECK (d < 100), CHECK (c > 0)); "
        + "INSERT INTO g VALUES (1); INSERT INTO g VALUES (11); INSERT INTO g VALUES (NULL); INSERT INTO g VALUES (150); INSERT INTO g VALUES (-5); "
        + "INSERT OR IGNORE INTO g VALUES (21); INSERT OR REPLACE INTO g VALUES (31); SELECT * FROM g; UPDATE g SET a = 2; SELECT * FROM g",
        "CREATE TABLE g(a, b AS (a) UNIQUE); INSERT INTO g VALUES (1), (2); INSERT INTO g VALUES (1) ON CONFLICT(b) DO UPDATE SET a = excluded.b + 100; "
        + "INSERT INTO g VALUES (2) ON CONFLICT DO NOTHING; SELECT * FROM g ORDER BY a; INSERT INTO g VALUES (3) RETURNING *, b * 2",
        // Triggers see NEW.b and OLD.b; RETURNING the generated values.
        "CREATE TABLE g(a, b AS (a*2), c AS (a*3) STORED); CREATE TABLE log(x); "
        + "CREATE TRIGGER ti AFTER INSERT ON g BEGIN INSERT INTO log VALUES ('ins ' || NEW.b || ' ' || NEW.c); END; "
        + "CREATE TRIGGER tu AFTER UPDATE ON g BEGIN INSERT INTO log VALUES ('upd ' || OLD.b || '>' || NEW.b || ' ' || OLD.c || '>' || NEW.c); END; "
        + "CREATE TRIGGER tb BEFORE UPDATE ON g BEGIN INSERT INTO log VALUES ('before ' || NEW.b || ' ' || NEW.c); END; "
        + "CREATE TRIGGER td AFTER DELETE ON g BEGIN INSERT INTO log VALUES ('del ' || OLD.b || ' ' || OLD.c); END; "
        + "INSERT INTO g VALUES (1), (2); UPDATE g SET a = a + 10; DELETE FROM g WHERE a = 11; SELECT * FROM log; "
        + "UPDATE g SET a = 5 RETURNING a, b, c; DELETE FROM g RETURNING *; INSERT INTO g VALUES (4) RETURNING *",
        // UPDATE SET from generated columns; UPDATE ... FROM.
        "CREATE TABLE g(a, b AS (a*2), c AS (b+1) STORED); INSERT INTO g VALUES (1), (2); UPDATE g SET a = b + c; SELECT * FROM g; "
        + "CREATE TABLE h(k, v); INSERT INTO h VALUES (2, 100), (4, 200); UPDATE g SET a = h.v FROM h WHERE h.k * 5 = g.c - 1 + 1 OR h.k = g.a; SELECT * FROM g",
        // Foreign keys with generated child and parent columns.
        "PRAGMA foreign_keys = ON; CREATE TABLE p(id INTEGER PRIMARY KEY, k AS (id * 10) STORED UNIQUE); CREATE TABLE c(x, y AS (x + 1) REFERENCES p(id)); "
        + "INSERT INTO p(id) VALUES (1), (2); INSERT INTO c VALUES (0); INSERT INTO c VALUES (1); INSERT INTO c VALUES (5); "
        + "CREATE TABLE c2(z REFERENCES p(k)); INSERT INTO c2 VALUES (10); INSERT INTO c2 VALUES (11); DELETE FROM p WHERE id = 1; SELECT * FROM c; SELECT * FROM c2",
        // STRICT tables: generated values are not type-checked.
        "CREATE TABLE s(a ANY, b INT AS (a) STORED, c TEXT AS (a)) STRICT; INSERT INTO s VALUES ('x'), (1); SELECT b, typeof(b), c, typeof(c) FROM s; "
        + "CREATE TABLE s2(a INT, b AS (a)) STRICT; CREATE TABLE s3(a INT, b INT AS (a)) STRICT; INSERT INTO s3 VALUES ('y')",
        // ALTER TABLE ADD COLUMN: VIRTUAL yes, STORED only while the table is empty.
        "CREATE TABLE g(a); INSERT INTO g VALUES (1), (2); ALTER TABLE g ADD COLUMN b AS (a * 5); SELECT * FROM g; ALTER TABLE g ADD COLUMN c AS (a) STORED; "
        + "ALTER TABLE g ADD COLUMN d AS (nosuch); ALTER TABLE g ADD COLUMN e AS (b + 1) NOT NULL; INSERT INTO g(a) VALUES (3); SELECT * FROM g; "
        + "CREATE TABLE h(a); ALTER TABLE h ADD COLUMN c AS (a) STORED; INSERT INTO h VALUES (4); SELECT * FROM h; PRAGMA table_xinfo(h); "
        + "CREATE TABLE k(a, b AS (a * 2)); INSERT INTO k VALUES (1); ALTER TABLE k ADD COLUMN c DEFAULT 9; ALTER TABLE k ADD COLUMN d AS (b + c); "
        + "INSERT INTO k VALUES (2, 3); SELECT * FROM k; SELECT a FROM k WHERE d = 11; UPDATE k SET c = c + 1; SELECT * FROM k",
        // Date/time functions may not read the clock.
        "CREATE TABLE g(a, b AS (date(a, '+1 day')), c AS (strftime('%Y', a)) STORED); INSERT INTO g VALUES ('2020-01-02'); SELECT * FROM g; INSERT INTO g VALUES ('now'); INSERT INTO g VALUES ('NOW'); "
        + "SELECT count(*) FROM g; CREATE TABLE h(a, b AS (date())); INSERT INTO h VALUES (1); CREATE TABLE k(a, b AS (julianday(a))); INSERT INTO k VALUES ('2000-01-01'); SELECT b FROM k",
        // REPLACE conflicts and collations on generated columns.
        "CREATE TABLE g(a, b AS (lower(a)) COLLATE NOCASE UNIQUE ON CONFLICT REPLACE, c); INSERT INTO g(a, c) VALUES ('X', 1), ('Y', 2), ('x', 3); SELECT * FROM g; SELECT a FROM g WHERE b = 'Y'",
        // The INTEGER PRIMARY KEY feeds generated columns with the row's rowid.
        "CREATE TABLE g(id INTEGER PRIMARY KEY, b AS (id * 10), c AS (id * 10) STORED); INSERT INTO g(id) VALUES (NULL); INSERT INTO g VALUES (7); INSERT INTO g DEFAULT VALUES; SELECT * FROM g",
        // Joins that build an automatic index on a VIRTUAL column; INSERT ... SELECT * from the table itself.
        "CREATE TABLE g(a, b AS (a % 3), c TEXT AS (a) COLLATE NOCASE); CREATE TABLE h(k, v); INSERT INTO g VALUES (1), (2), (3), (4), ('X'), ('x'); INSERT INTO h VALUES (0, 'zero'), (1, 'one'), ('x', 'ex'); "
        + "SELECT h.v, g.a FROM h JOIN g ON g.b = h.k ORDER BY 1, 2; SELECT h.v, g.a FROM h JOIN g ON g.c = h.k ORDER BY 1, 2; SELECT c FROM g ORDER BY c, a; SELECT DISTINCT c FROM g ORDER BY 1; "
        + "SELECT min(b), max(b), sum(b), group_concat(c) FROM g; INSERT INTO g SELECT * FROM g; INSERT INTO g SELECT a + 10 FROM g WHERE b = 1; SELECT rowid, * FROM g ORDER BY rowid; "
        + "CREATE TABLE copy AS SELECT * FROM g; PRAGMA table_xinfo(copy); SELECT count(*) FROM copy WHERE b IS NOT NULL",
        // The NULL row of a LEFT JOIN reads NULL in its generated columns too.
        "CREATE TABLE g(a, b AS (coalesce(a, 5)), c AS (ifnull(a, 7)) STORED); CREATE TABLE h(k); INSERT INTO h VALUES (1), (2); INSERT INTO g VALUES (1); "
        + "SELECT h.k, g.b, g.c FROM h LEFT JOIN g ON g.a = h.k ORDER BY 1; SELECT h.k, x.b FROM h LEFT JOIN (SELECT b FROM g) x ON x.b = h.k ORDER BY 1; "
        + "SELECT h.k, g.b FROM h LEFT JOIN g ON g.b = h.k + 10 ORDER BY 1",
        // JSON extraction (a common use), REPLACE on the rowid, rowid changes, upsert from excluded generated values, window functions.
        "CREATE TABLE g(id INTEGER PRIMARY KEY, doc TEXT, name TEXT AS (json_extract(doc, '$.name')), n INT AS (doc ->> '$.n') STORED, tag AS (id || ':' || name)); "
        + "CREATE INDEX gn ON g(name); CREATE UNIQUE INDEX gt ON g(n); "
        + "INSERT INTO g(doc) VALUES ('{\"name\":\"ann\",\"n\":1}'), ('{\"name\":\"bob\",\"n\":\"2\"}'), ('{}'); "
        + "INSERT OR REPLACE INTO g(id, doc) VALUES (1, '{\"name\":\"cy\",\"n\":3}'); UPDATE g SET id = id + 100 WHERE id = 2; "
        + "INSERT INTO g(doc) VALUES ('{\"name\":\"dee\",\"n\":3}') ON CONFLICT(n) DO UPDATE SET doc = json_set(doc, '$.name', excluded.name || '+' || excluded.tag); "
        + "SELECT * FROM g ORDER BY id; SELECT id FROM g WHERE name = 'bob'; SELECT name, n, row_number() OVER (ORDER BY n DESC) FROM g ORDER BY 3; PRAGMA integrity_check",
        // Foreign-key actions whose parent key or child row has generated columns.
        "PRAGMA foreign_keys = ON; CREATE TABLE p(a, k AS (a * 10) STORED UNIQUE); CREATE TABLE c(x REFERENCES p(k) ON UPDATE CASCADE ON DELETE CASCADE, y AS (x + 1), z AS (x * 2) STORED); "
        + "CREATE INDEX cy ON c(y); INSERT INTO p VALUES (1), (2); INSERT INTO c VALUES (10), (20), (10); UPDATE p SET a = 5 WHERE a = 1; SELECT * FROM c ORDER BY rowid; "
        + "DELETE FROM p WHERE a = 2; SELECT * FROM c ORDER BY rowid; SELECT x FROM c WHERE y = 51; PRAGMA integrity_check",
        // Partial and expression indexes that read generated columns; RENAME COLUMN reaches the expressions.
        "CREATE TABLE g(a, b AS (a * 2), c AS (b + 1) STORED); CREATE INDEX gp ON g(a) WHERE b > 4; CREATE UNIQUE INDEX ge ON g(c * 10); "
        + "INSERT INTO g VALUES (1), (2), (3), (4); INSERT INTO g VALUES (4); UPDATE g SET a = a - 1 WHERE a > 2; UPDATE g SET a = 10 WHERE a = 1; SELECT a FROM g WHERE b > 4 ORDER BY a; SELECT a FROM g WHERE c * 10 = 70; PRAGMA integrity_check; "
        + "ALTER TABLE g RENAME COLUMN a TO z; SELECT * FROM g ORDER BY z; INSERT INTO g VALUES (7); SELECT sql FROM sqlite_schema WHERE name = 'g'",
        // Trigger WHEN clauses and UPDATE OF lists with generated columns.
        "CREATE TABLE g(a, b AS (a * 2), c AS (a + 1) STORED); CREATE TABLE log(x); "
        + "CREATE TRIGGER w AFTER INSERT ON g WHEN NEW.b > 4 BEGIN INSERT INTO log VALUES ('big ' || NEW.b); END; "
        + "CREATE TRIGGER ub AFTER UPDATE OF b ON g BEGIN INSERT INTO log VALUES ('of b ' || NEW.b); END; "
        + "CREATE TRIGGER ua AFTER UPDATE OF a ON g BEGIN INSERT INTO log VALUES ('of a ' || NEW.b || ' ' || NEW.c); END; "
        + "CREATE TRIGGER bi BEFORE INSERT ON g BEGIN INSERT INTO log VALUES ('before ' || quote(NEW.b) || ' ' || quote(NEW.c)); END; "
        + "INSERT INTO g VALUES (1), (3); UPDATE g SET a = a + 1; SELECT * FROM log; SELECT * FROM g");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);

    [Fact]
    public void Not_null_replace_default_is_seen_by_generated_columns_when_it_replaces_a_null() => Differential.AssertSame(
        // The default a NOT NULL ON CONFLICT REPLACE column takes recomputes the generated columns
        // (STORED and VIRTUAL), which UNIQUE and CHECK then see; generated NOT NULL columns are
        // checked after the ordinary ones, and a replaced column again (a NULL default fails).
        "CREATE TABLE t0(c0 CHARINT NOT NULL DEFAULT 0.5, c1 VARCHAR(10) AS (c0) STORED); INSERT INTO t0(c0) VALUES ('x'), (3); UPDATE OR REPLACE t0 SET c0 = NULL; SELECT * FROM t0; "
        + "CREATE TABLE t1(c0 INTEGER NOT NULL ON CONFLICT REPLACE DEFAULT 1e308, c1 AS (replace(c0, c0, 'k')) VIRTUAL, UNIQUE (c1)); INSERT INTO t1(c0) VALUES (10); INSERT INTO t1(c0) VALUES (NULL); SELECT * FROM t1; "
        + "CREATE TABLE t2(c0, c1 NOT NULL ON CONFLICT REPLACE UNIQUE DEFAULT '-0', c2 AS (radians(+c1)) STORED, UNIQUE (c2)); INSERT INTO t2(c0, c1) VALUES (3, 12); INSERT INTO t2(c0) VALUES (1); "
        + "UPDATE t2 SET c1 = NULL; SELECT * FROM t2; "
        + "CREATE TABLE t3(a NOT NULL ON CONFLICT REPLACE DEFAULT NULL, g AS (a) NOT NULL, b NOT NULL); INSERT INTO t3(a, b) VALUES (NULL, 1); INSERT INTO t3(a, b) VALUES (1, NULL); "
        + "CREATE TABLE t4(g AS (b + 1) NOT NULL, a NOT NULL DEFAULT 5, b NOT NULL ON CONFLICT REPLACE DEFAULT 3); INSERT INTO t4(a, b) VALUES (NULL, NULL); INSERT INTO t4(a, b) VALUES (1, NULL); "
        + "INSERT OR IGNORE INTO t4(a, b) VALUES (NULL, NULL); INSERT OR REPLACE INTO t4(a, b) VALUES (NULL, NULL); SELECT * FROM t4; "
        + "CREATE TABLE t5(a NOT NULL ON CONFLICT REPLACE DEFAULT 2, g AS (a * 2) STORED UNIQUE, h AS (a * 3) VIRTUAL CHECK (h < 7)); INSERT INTO t5(a) VALUES (NULL); INSERT INTO t5(a) VALUES (NULL); "
        + "INSERT INTO t5(a) VALUES (3); SELECT * FROM t5; PRAGMA integrity_check");
}
