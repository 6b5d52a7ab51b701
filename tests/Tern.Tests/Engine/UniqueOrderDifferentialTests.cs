// The order in which a written row's uniqueness constraints are checked, compared with
// SQLite 3.50.4: the rowid first, then the UNIQUE indexes newest first (automatic indexes of
// the table's constraints in reverse order, then CREATE INDEX ones in reverse), those whose
// own ON CONFLICT is REPLACE last; an upsert's targets first; a rowid whose own clause is
// REPLACE after the indexes. The order decides which constraint an error names and what an
// upsert or REPLACE does when a row breaks several.
namespace Tern.Tests.Engine;

public class UniqueOrderDifferentialTests
{
    public static TheoryData<string> Scripts() => new(
        // column constraints: the later one is named
        "CREATE TABLE t1(c0 INTEGER UNIQUE COLLATE NOCASE, c1 BOOLEAN UNIQUE DEFAULT 'x'); INSERT INTO t1 VALUES (0, 'x'); INSERT INTO t1(c0) VALUES (0)",
        "CREATE TABLE t2(c0, c1 UNIQUE, c2 DEFAULT 5, UNIQUE (c2)); INSERT INTO t2 VALUES (1, 0, 5); INSERT INTO t2(c0, c1) VALUES (NULL, 0)",
        "CREATE TABLE t(a PRIMARY KEY, b UNIQUE, c, UNIQUE(c, a)); INSERT INTO t VALUES (1, 2, 3); INSERT INTO t VALUES (1, 2, 3); INSERT INTO t VALUES (1, 9, 3); INSERT INTO t VALUES (1, 9, 4)",
        "CREATE TABLE t(a UNIQUE, b UNIQUE, c UNIQUE); INSERT INTO t VALUES (1, 2, 3); INSERT INTO t VALUES (1, 2, 3); UPDATE t SET a = 1; "
        + "INSERT INTO t VALUES (4, 5, 6); UPDATE t SET a = 1, b = 2, c = 3 WHERE a = 4; UPDATE t SET a = 1, b = 2 WHERE a = 4",
        // CREATE INDEX: newest first, also after a schema reload (ALTER TABLE)
        "CREATE TABLE t(a, b, c); CREATE UNIQUE INDEX ia ON t(a); CREATE UNIQUE INDEX ib ON t(b); INSERT INTO t VALUES (1, 1, 1); INSERT INTO t VALUES (1, 1, 2); "
        + "CREATE UNIQUE INDEX ic ON t(c); INSERT INTO t VALUES (1, 1, 1); ALTER TABLE t ADD COLUMN d; INSERT INTO t VALUES (1, 1, 1, 1); "
        + "ALTER TABLE t RENAME TO u; INSERT INTO u VALUES (1, 1, 1, 1); DROP INDEX ic; INSERT INTO u VALUES (1, 1, 1, 1); REINDEX; INSERT INTO u VALUES (1, 1, 1, 1)",
        "CREATE TABLE t(a UNIQUE, b); CREATE UNIQUE INDEX ib ON t(b); CREATE UNIQUE INDEX iab ON t(a + b); INSERT INTO t VALUES (1, 2); INSERT INTO t VALUES (1, 2); INSERT INTO t VALUES (2, 1)",
        // the INTEGER PRIMARY KEY comes first, and a non-alias INTEGER PRIMARY KEY DESC is an index
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE); INSERT INTO t VALUES (1, 1); INSERT INTO t VALUES (1, 1); UPDATE t SET a = 1 WHERE 0",
        "CREATE TABLE t1(c0 INTEGER PRIMARY KEY DESC, c1 AS (0) VIRTUAL, UNIQUE (c1)); INSERT INTO t1(c0) VALUES (5); INSERT INTO t1(c0) SELECT c0 FROM t1",
        "CREATE TABLE t0(c0 INTEGER PRIMARY KEY DESC, c1 AS (c0) VIRTUAL); CREATE UNIQUE INDEX i1 ON t0(c1); INSERT INTO t0(c0) VALUES (-3); INSERT INTO t0(c0) VALUES (2); UPDATE t0 SET c0 = 0",
        // REPLACE constraints are checked after the others, so an ABORT one fails before anything is removed
        "CREATE TABLE t(a UNIQUE ON CONFLICT REPLACE, b UNIQUE); INSERT INTO t VALUES (1, 1), (2, 2); INSERT INTO t VALUES (1, 2); SELECT * FROM t ORDER BY a; INSERT INTO t VALUES (1, 3); SELECT * FROM t ORDER BY a",
        "CREATE TABLE t(a UNIQUE, b UNIQUE ON CONFLICT REPLACE, c UNIQUE ON CONFLICT IGNORE); INSERT INTO t VALUES (1, 1, 1), (2, 2, 2); INSERT INTO t VALUES (3, 1, 2); SELECT * FROM t ORDER BY a; "
        + "INSERT INTO t VALUES (3, 1, 3); SELECT * FROM t ORDER BY a; INSERT INTO t VALUES (2, 3, 3); SELECT * FROM t ORDER BY a",
        // a rowid REPLACE by its own clause runs after the indexes; by the statement's OR, first
        "CREATE TABLE t(a INTEGER PRIMARY KEY ON CONFLICT REPLACE, b UNIQUE ON CONFLICT IGNORE, c UNIQUE); INSERT INTO t VALUES (1, 1, 1), (2, 2, 2); "
        + "INSERT INTO t VALUES (1, 2, 9); SELECT * FROM t ORDER BY a; INSERT INTO t VALUES (1, 7, 2); SELECT * FROM t ORDER BY a; INSERT OR REPLACE INTO t VALUES (1, 2, 5); SELECT * FROM t ORDER BY a",
        "CREATE TABLE t(a INTEGER PRIMARY KEY ON CONFLICT REPLACE, b UNIQUE ON CONFLICT FAIL); INSERT INTO t VALUES (1, 1), (2, 2); INSERT INTO t VALUES (3, 3), (1, 2), (4, 4); SELECT * FROM t ORDER BY a",
        // statement OR REPLACE: newest index first decides which rows go
        "CREATE TABLE t(a UNIQUE, b UNIQUE, c); INSERT INTO t VALUES (1, 1, 'x'), (2, 2, 'y'); CREATE TABLE lg(k); CREATE TRIGGER td AFTER DELETE ON t BEGIN INSERT INTO lg VALUES (old.c); END; "
        + "PRAGMA recursive_triggers = 0; INSERT OR REPLACE INTO t VALUES (1, 2, 'z'); SELECT * FROM t ORDER BY a",
        // upsert: the targets first, in clause order; without a target, the newest constraint decides
        "CREATE TABLE t(a UNIQUE, b UNIQUE, n DEFAULT 0); INSERT INTO t VALUES (1, 1, 0), (2, 2, 0); "
        + "INSERT INTO t VALUES (1, 2, 0) ON CONFLICT DO UPDATE SET n = n + 1; SELECT * FROM t ORDER BY a; "
        + "INSERT INTO t VALUES (1, 2, 0) ON CONFLICT(a) DO UPDATE SET n = n + 10; SELECT * FROM t ORDER BY a; "
        + "INSERT INTO t VALUES (1, 2, 0) ON CONFLICT(b) DO UPDATE SET n = n + 100 ON CONFLICT(a) DO NOTHING; SELECT * FROM t ORDER BY a; "
        + "INSERT INTO t VALUES (3, 2, 0) ON CONFLICT(a) DO UPDATE SET n = n + 1000; SELECT * FROM t ORDER BY a",
        "CREATE TABLE t(id INTEGER PRIMARY KEY, a UNIQUE, n DEFAULT 0); INSERT INTO t VALUES (1, 1, 0), (2, 2, 0); "
        + "INSERT INTO t VALUES (1, 2, 0) ON CONFLICT(a) DO UPDATE SET n = n + 1; SELECT * FROM t ORDER BY id; "
        + "INSERT INTO t VALUES (1, 2, 0) ON CONFLICT(id) DO UPDATE SET n = n + 10; SELECT * FROM t ORDER BY id; "
        + "INSERT INTO t VALUES (2, 1, 0) ON CONFLICT(a) DO NOTHING; SELECT * FROM t ORDER BY id; INSERT INTO t VALUES (1, 5, 0) ON CONFLICT(a) DO NOTHING");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Unique_constraints_are_checked_in_sqlite_order_when_a_row_breaks_several(string script) =>
        Differential.AssertSame(script);

    [Fact]
    public void Unique_constraints_are_checked_in_sqlite_order_when_the_schema_is_read_from_a_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tern-unique-order-{Guid.NewGuid():N}.db");
        try
        {
            using (Database db = Database.Open(path))
            using (Connection c = db.Connect())
            {
                c.Execute("CREATE TABLE t(a UNIQUE, b, c, d UNIQUE); CREATE UNIQUE INDEX ib ON t(b); CREATE UNIQUE INDEX ic ON t(c); INSERT INTO t VALUES (1, 1, 1, 1)");
            }
            using (Database db = Database.Open(path))
            using (Connection c = db.Connect())
            {
                var e = Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES (1, 1, 1, 1)"));
                Assert.Equal("UNIQUE constraint failed: t.c", e.Message);
                e = Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES (1, 1, 2, 1)"));
                Assert.Equal("UNIQUE constraint failed: t.b", e.Message);
                e = Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES (1, 2, 2, 1)"));
                Assert.Equal("UNIQUE constraint failed: t.d", e.Message);
            }
            // SQLite reading the same file names the same constraints.
            using var oracle = Support.SqliteOracle.Open(path);
            using var cmd = oracle.CreateCommand();
            cmd.CommandText = "INSERT INTO t VALUES (1, 1, 1, 1)";
            var se = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => cmd.ExecuteNonQuery());
            Assert.Contains("UNIQUE constraint failed: t.c", se.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
