// REINDEX compared with SQLite 3.50.4 and the sqlite3 shell: the objects it names (every
// index, a collation's, a table's, one index, schema-qualified) and its errors; indexes
// rebuilt from their tables, so an index a damaged file holds out of step with its table is
// repaired (sqlite3's integrity_check ok afterwards), and a UNIQUE index whose table holds a
// duplicate fails with SQLite's message and leaves the file as it was.
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public class ReindexTests
{
    public static TheoryData<string> Scripts() => new(
        "CREATE TABLE t(a, b COLLATE NOCASE, c); CREATE INDEX ta ON t(a); CREATE INDEX tb ON t(b); CREATE UNIQUE INDEX tc ON t(c) WHERE c > 0; CREATE INDEX te ON t(a + c, lower(b)); "
        + "INSERT INTO t VALUES (1, 'x', 1), (2, 'X', 2), (3, 'y', -1), (NULL, NULL, NULL); "
        + "REINDEX; REINDEX nocase; REINDEX NOCASE; REINDEX binary; REINDEX rtrim; REINDEX t; REINDEX main.t; REINDEX ta; REINDEX main.tc; REINDEX T; "
        + "SELECT a FROM t WHERE b = 'x' ORDER BY a; SELECT c FROM t WHERE c > 0 ORDER BY c; PRAGMA integrity_check; SELECT count(*) FROM t",
        "REINDEX nosuch; REINDEX main.nosuch; REINDEX nodb.t; REINDEX main.nocase; CREATE VIEW v AS SELECT 1; REINDEX v; REINDEX main.v; REINDEX sqlite_schema; "
        + "CREATE TABLE t(a); CREATE INDEX ti ON t(a); REINDEX temp.t; REINDEX temp.ti; CREATE TEMP TABLE tt(a UNIQUE); INSERT INTO tt VALUES (1), (2); "
        + "REINDEX tt; REINDEX temp.tt; REINDEX sqlite_autoindex_tt_1; ATTACH ':memory:' AS aux; CREATE TABLE aux.x(a PRIMARY KEY, b); CREATE INDEX aux.xb ON x(b); "
        + "INSERT INTO aux.x VALUES (1, 2), (3, 4); REINDEX aux.x; REINDEX aux.xb; REINDEX; SELECT * FROM aux.x WHERE b = 4; PRAGMA aux.integrity_check; PRAGMA temp.integrity_check",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c); CREATE INDEX tc ON t(c DESC); INSERT INTO t VALUES (1, 'a', 3), (2, 'b', 2), (3, NULL, 1), (4, NULL, 1); "
        + "BEGIN; REINDEX t; DELETE FROM t WHERE a = 2; REINDEX tc; ROLLBACK; SELECT a FROM t WHERE c = 1 ORDER BY a; SELECT b FROM t WHERE b > 'a'; PRAGMA integrity_check");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);

    [Fact]
    public void Reindex_repairs_an_index_out_of_step_with_its_table()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("damaged.db");
        // The stored definition of ta changed under it (writable_schema): its entries hold a, its text says b.
        SqliteShell.Run(path, "CREATE TABLE t(a, b); CREATE INDEX ta ON t(a); INSERT INTO t VALUES (1, 'z'), (2, 'y'), (3, 'x'); "
            + "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX ta ON t(b)' WHERE name = 'ta';");
        Assert.Contains("missing from index ta", SqliteShell.Run(path, "PRAGMA integrity_check;"), StringComparison.Ordinal);
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute("REINDEX ta");
            using Statement s = c.Prepare("PRAGMA integrity_check");
            Assert.True(s.Step());
            Assert.Equal("ok", s.GetString(0));
        }
        Assert.Equal("ok\n2\n", SqliteShell.Run(path, "PRAGMA integrity_check; SELECT a FROM t INDEXED BY ta WHERE b = 'y';"));
    }

    [Fact]
    public void Reindex_of_a_unique_index_over_duplicates_fails_as_sqlite_does()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("dup.db");
        // A UNIQUE index whose table holds a duplicate (its text made UNIQUE afterwards).
        SqliteShell.Run(path, "CREATE TABLE u(x, y); CREATE INDEX ux ON u(x); INSERT INTO u VALUES (1, 'a'), (1, 'b'), (2, 'c'); "
            + "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE UNIQUE INDEX ux ON u(x)' WHERE name = 'ux';");
        string copy = dir.File("copy.db");
        File.Copy(path, copy);
        var shell = Assert.Throws<InvalidOperationException>(() => SqliteShell.Run(copy, "REINDEX ux;"));
        Assert.Contains("UNIQUE constraint failed: u.x", shell.Message, StringComparison.Ordinal);
        byte[] before = File.ReadAllBytes(path);
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            foreach (string sql in (string[])["REINDEX ux", "REINDEX u", "REINDEX", "REINDEX binary"])
            {
                var e = Assert.Throws<TernException>(() => c.Execute(sql));
                Assert.Equal("UNIQUE constraint failed: u.x", e.Message);
                Assert.Equal(ResultCode.ConstraintUnique, e.ExtendedCode);
            }
        }
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
