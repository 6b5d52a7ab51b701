// Partial indexes (CREATE INDEX ... WHERE) and indexes on expressions compared with SQLite
// 3.50.4: only the rows the predicate accepts have entries, so a UNIQUE partial index
// constrains only those rows; expression keys are computed on every write; inserts,
// updates that move a row in or out of the index, deletes, building the index on
// existing rows, PRAGMA index_list/index_xinfo, and files that SQLite's integrity_check
// accepts.
namespace Tern.Tests.Engine;

public class PartialIndexTests
{
    public static TheoryData<string> Scripts() => new(
        "CREATE TABLE t(a, b, active); CREATE UNIQUE INDEX ta ON t(a) WHERE active = 1; "
        + "INSERT INTO t VALUES (1, 'x', 1), (1, 'y', 0), (2, 'z', NULL); INSERT INTO t VALUES (1, 'w', 1); INSERT INTO t VALUES (1, 'v', 0); SELECT * FROM t ORDER BY b; "
        + "UPDATE t SET active = 1 WHERE b = 'y'; UPDATE t SET active = 0 WHERE b = 'x'; UPDATE t SET active = 1 WHERE b = 'y'; SELECT * FROM t ORDER BY b; "
        + "DELETE FROM t WHERE b = 'y'; INSERT INTO t VALUES (1, 'u', 1); SELECT a, b FROM t WHERE active = 1 ORDER BY b; PRAGMA integrity_check",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c); INSERT INTO t VALUES (1, 10, 'p'), (2, NULL, 'q'), (3, 10, 'r'), (4, 20, NULL); "
        + "CREATE INDEX tb ON t(b) WHERE b IS NOT NULL; CREATE UNIQUE INDEX tc ON t(c) WHERE c > 'p'; CREATE UNIQUE INDEX bad ON t(b) WHERE b > 0; "
        + "SELECT a FROM t WHERE b = 10 ORDER BY a; INSERT INTO t VALUES (5, NULL, 'p'); INSERT INTO t VALUES (6, NULL, 'q'); INSERT OR REPLACE INTO t VALUES (7, 30, 'r'); SELECT * FROM t ORDER BY a; "
        + "SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name; PRAGMA integrity_check",
        "CREATE TABLE t(a, b, c); INSERT INTO t VALUES ('Ann', 1, 2), ('bob', 3, 4); CREATE UNIQUE INDEX tl ON t(lower(a)); CREATE INDEX ts ON t(b + c DESC, a COLLATE NOCASE); "
        + "INSERT INTO t VALUES ('ANN', 5, 6); INSERT INTO t VALUES ('cy', 5, 6); UPDATE t SET a = 'BOB' WHERE a = 'cy'; UPDATE t SET b = b * 10; DELETE FROM t WHERE a = 'bob'; "
        + "SELECT * FROM t ORDER BY a; PRAGMA index_xinfo(ts); PRAGMA index_list(t); PRAGMA integrity_check; CREATE UNIQUE INDEX tu ON t(c - c); CREATE INDEX te ON t(nosuch + 1); "
        + "CREATE INDEX e1 ON t(random()); CREATE INDEX e2 ON t('nonexistent'); CREATE INDEX e3 ON t(a, 'b', c); CREATE INDEX e4 ON t(a + ?); CREATE INDEX e5 ON t((SELECT 1)); "
        + "CREATE INDEX e6 ON t(a) WHERE a IN (SELECT 1); CREATE INDEX e7 ON t(a) WHERE random() > 0; CREATE INDEX e8 ON t(sqlite_version()); CREATE INDEX e9 ON t(5)",
        "CREATE TABLE t(a, b); CREATE INDEX tx ON t(a) WHERE nosuch > 1; CREATE INDEX ty ON t(a) WHERE b > 1; INSERT INTO t VALUES (1, 2), (2, 0); SELECT a FROM t WHERE b > 1; DROP INDEX ty; PRAGMA integrity_check");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);
}
