// ATTACH with real files against the sqlite3 shell: what Tern writes into an attached
// file passes sqlite3's integrity check and reads back row for row there, a file sqlite3
// wrote attaches in Tern with its rows, and a transaction over two files commits both and
// rolls both back.
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public class AttachInteropTests
{
    [Fact]
    public void Attached_file_written_by_tern_passes_sqlite_integrity_check()
    {
        using var dir = new SqliteShell.TempDir();
        string main = dir.File("main.db"), aux = dir.File("aux.db");
        using (Database db = Database.Open(main))
        using (Connection c = db.Connect())
        {
            c.Execute($"ATTACH '{aux}' AS aux; CREATE TABLE aux.t(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c); CREATE INDEX aux.ic ON t(c); "
                + "CREATE TABLE m(x); BEGIN; INSERT INTO m VALUES (1); "
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO aux.t SELECT i, 'v' || i, i % 7 FROM n; "
                + "COMMIT; DELETE FROM aux.t WHERE a % 3 = 0; DETACH aux");
        }
        Assert.Equal("ok\n", SqliteShell.Run(aux, "PRAGMA integrity_check;"));
        Assert.Equal("334|83667|1\n", SqliteShell.Run(aux, "SELECT count(*), sum(a), count(DISTINCT c) > 0 FROM t;"));
        Assert.Equal("ok\n1\n", SqliteShell.Run(main, "PRAGMA integrity_check; SELECT * FROM m;"));
    }

    [Fact]
    public void File_written_by_sqlite_attaches_in_tern()
    {
        using var dir = new SqliteShell.TempDir();
        string aux = dir.File("other.db");
        SqliteShell.Run(aux, "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'one'), (2, 'two'); CREATE VIEW v AS SELECT b FROM t WHERE a > 1;");
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute($"ATTACH DATABASE '{aux}' AS other");
        using (Statement s = c.Prepare("SELECT group_concat(b) FROM other.t"))
        {
            Assert.True(s.Step());
            Assert.Equal("one,two", s.GetString(0));
        }
        using (Statement s = c.Prepare("SELECT * FROM other.v"))
        {
            Assert.True(s.Step());
            Assert.Equal("two", s.GetString(0));
        }
        using (Statement s = c.Prepare("SELECT file FROM pragma_database_list WHERE name = 'other'"))
        {
            Assert.True(s.Step());
            Assert.Equal(Path.GetFullPath(aux), s.GetString(0));
        }
    }

    [Fact]
    public void Transaction_over_two_files_commits_and_rolls_back_both()
    {
        using var dir = new SqliteShell.TempDir();
        string main = dir.File("a.db"), aux = dir.File("b.db");
        using (Database db = Database.Open(main))
        using (Connection c = db.Connect())
        {
            c.Execute($"ATTACH '{aux}' AS b; CREATE TABLE t(x); CREATE TABLE b.u(y); "
                + "BEGIN; INSERT INTO t VALUES (1); INSERT INTO b.u VALUES (1); ROLLBACK; "
                + "BEGIN; INSERT INTO t VALUES (2); INSERT INTO b.u VALUES (2); COMMIT");
        }
        Assert.Equal("2\n", SqliteShell.Run(main, "SELECT * FROM t;"));
        Assert.Equal("2\n", SqliteShell.Run(aux, "SELECT * FROM u;"));
    }

    [Fact]
    public void Detach_fails_while_its_database_is_in_a_transaction()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("ATTACH ':memory:' AS aux; CREATE TABLE aux.t(x); BEGIN; SELECT * FROM aux.t");
        var e = Assert.Throws<TernException>(() => c.Execute("DETACH aux"));
        Assert.Equal("database aux is locked", e.Message);
        c.Execute("COMMIT; DETACH aux");
        Assert.Throws<TernException>(() => c.Execute("SELECT * FROM aux.t"));
    }
}
