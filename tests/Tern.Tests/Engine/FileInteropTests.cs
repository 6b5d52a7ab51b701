// Files written through the engine API pass the sqlite3 shell's integrity check and
// read back the same rows in sqlite3; files sqlite3 writes are queried by Tern.
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

[Collection("sqlite3 shell")]
public class FileInteropTests
{
    [Fact]
    public void Failed_statement_inside_a_transaction_undoes_only_itself_even_after_spilling()
    {
        // A 20-page cache makes the failing statement spill pages to the file and grow it
        // before its UNIQUE violation at the last row; the statement journal must put every
        // page back, and the rest of the transaction must still commit.
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("s.db");
        using (Database db = Database.Open(path, new DatabaseOptions { CacheSize = 20 }))
        using (Connection c = db.Connect())
        {
            c.Execute("""
                CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c);
                CREATE INDEX tc ON t(c);
                BEGIN;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 3000)
                INSERT INTO t SELECT i, 'k' || i, i || '-' || substr(hex(i * 7919) || '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 1, 60) FROM n;
                """);
            var e = Assert.Throws<TernException>(() => c.Execute("""
                INSERT INTO t(b, c) SELECT 'new' || a, c || c || c || c FROM t UNION ALL SELECT 'k7', 1;
                """));
            Assert.Equal("UNIQUE constraint failed: t.b", e.Message);
            Assert.Throws<TernException>(() => c.Execute("UPDATE t SET b = 'k1' WHERE a > 2000"));
            c.Execute("DELETE FROM t WHERE a > 2500; COMMIT;");
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        Assert.Equal("2500|2500|k2500", SqliteShell.Run(path, "SELECT count(*), max(a), (SELECT b FROM t WHERE a = 2500) FROM t;").Trim());
    }

    [Fact]
    public void Expression_index_keys_read_text_as_reals_the_way_sqlite_3_50_does()
    {
        // '1.23456789012e-297' read as a real: SQLite 3.50.4 and Tern give the nearest double,
        // one unit above 123456789012 * 1e-308 (the product the text was printed from).
        // SQLite 3.40's conversion lands on the product instead, so the 3.40 shell calls such
        // a key "missing from index" in a file SQLite 3.50.4 or Tern wrote.
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("x.db");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute("CREATE TABLE t1(c1 TEXT); CREATE INDEX i0 ON t1((c1 * 1)); INSERT INTO t1 VALUES (123456789012 * 1e-308);");
        }
        using var s = SqliteOracle.Open(path);
        Assert.Equal("ok", SqliteOracle.Scalar(s, "PRAGMA integrity_check"));
        Assert.Equal(0L, SqliteOracle.Scalar(s, "SELECT CAST('1.23456789012e-297' AS REAL) = 123456789012 * 1e-308"));
    }

    [Fact]
    public void File_written_by_tern_passes_sqlite_integrity_check_and_reads_back()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("t.db");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute("""
                CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL, c REAL, UNIQUE(b));
                CREATE INDEX tc ON t(c DESC);
                BEGIN;
                """);
            using (Statement ins = c.Prepare("INSERT INTO t(b, c) VALUES (?, ?)"))
            {
                for (int i = 0; i < 2000; i++)
                {
                    ins.Bind(1, "row " + i + new string('x', i % 50));
                    ins.Bind(2, i / 7.0);
                    ins.Step();
                    ins.Reset();
                }
            }
            c.Execute("COMMIT; DELETE FROM t WHERE a % 5 = 0; UPDATE t SET c = -c WHERE a % 3 = 0;");
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        Assert.Equal("1600|1999", SqliteShell.Run(path, "SELECT count(*), max(a) FROM t;").Trim());
        Assert.Equal(
            "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL, c REAL, UNIQUE(b))",
            SqliteShell.Run(path, "SELECT sql FROM sqlite_schema WHERE name = 't';").Trim());
        Assert.Equal("sqlite_autoindex_t_1", SqliteShell.Run(path, "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NULL;").Trim());

        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute("CREATE TABLE u(x UNIQUE); INSERT INTO u SELECT b FROM t; DROP TABLE t; DROP INDEX IF EXISTS nope;");
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        Assert.Equal("1600|u,sqlite_autoindex_u_1", SqliteShell.Run(path, "SELECT (SELECT count(*) FROM u), group_concat(name) FROM sqlite_schema;").Trim());
    }

    [Fact]
    public void Rows_older_than_an_added_column_read_its_default_with_the_column_affinity()
    {
        Differential.AssertSame("""
            CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
            INSERT INTO t VALUES (1, 'x'), (2, 'y');
            ALTER TABLE t ADD COLUMN c TEXT DEFAULT 0;
            ALTER TABLE t ADD COLUMN d REAL DEFAULT 2;
            ALTER TABLE t ADD COLUMN e INTEGER DEFAULT '7';
            ALTER TABLE t ADD COLUMN f NUMERIC DEFAULT '1.50';
            INSERT INTO t(a, b) VALUES (3, 'z');
            SELECT a, c, typeof(c), d, typeof(d), e, typeof(e), f, typeof(f) FROM t;
            SELECT count(*) FROM t WHERE c = '0';
            """);
        // An index built over those rows holds the values SQLite reads, so sqlite3 finds it sound.
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("t.db");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute("""
                CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
                INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z');
                ALTER TABLE t ADD COLUMN c TEXT DEFAULT 0;
                CREATE INDEX tc ON t(c, b DESC);
                DELETE FROM t WHERE a = 1;
                UPDATE t SET b = 'w' WHERE a = 2;
                """);
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
    }

    [Fact]
    public void File_written_by_sqlite_is_queried_by_tern()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("s.db");
        SqliteShell.Run(path, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c); CREATE INDEX tc ON t(c); "
            + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO t SELECT i, 'v' || i, i % 10 FROM n;");
        using Database db = Database.Open(path);
        using Connection c = db.Connect();
        using Statement s = c.Prepare("SELECT count(*), sum(a) FROM t WHERE c = 3");
        Assert.True(s.Step());
        Assert.Equal(50, s.GetInt64(0));
        using Statement s2 = c.Prepare("SELECT a FROM t WHERE b = 'v77'");
        Assert.True(s2.Step());
        Assert.Equal(77, s2.GetInt64(0));
        c.Execute("INSERT INTO t(b, c) VALUES ('new', 3)");
        c.Dispose();
        db.Dispose();
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        Assert.Equal("501|new", SqliteShell.Run(path, "SELECT a, b FROM t WHERE c = 3 ORDER BY a DESC LIMIT 1;").Trim());
    }

    [Fact]
    public void Dropping_a_table_with_indexes_in_an_auto_vacuum_file_keeps_it_valid()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("av.db");
        // t's table and index roots come before u's, so every drop moves a root of u down.
        SqliteShell.Run(path, "PRAGMA auto_vacuum=FULL; CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c); CREATE INDEX tc ON t(c); "
            + "CREATE TABLE u(x, y); CREATE INDEX uy ON u(y); "
            + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) "
            + "INSERT INTO t SELECT i, 'b' || i, i % 7 FROM n; INSERT INTO u SELECT a, c FROM t;");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            c.Execute("DROP TABLE t");
            using Statement s = c.Prepare("SELECT count(*), sum(y) FROM u WHERE y = 3");
            Assert.True(s.Step());
            Assert.Equal(57, s.GetInt64(0));
        }
        Assert.Equal("ok", SqliteShell.Run(path, "PRAGMA integrity_check;").Trim());
        Assert.Equal("0|400|u,uy", SqliteShell.Run(path, "SELECT (SELECT freelist_count FROM pragma_freelist_count), (SELECT count(*) FROM u), group_concat(name) FROM (SELECT name FROM sqlite_schema ORDER BY name);").Trim());

        // Here the last root is t's own index: dropped in any other order than from the
        // largest root down, it would move into a page that is about to be dropped.
        string path2 = dir.File("av2.db");
        SqliteShell.Run(path2, "PRAGMA auto_vacuum=FULL; CREATE TABLE v(k); CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c); CREATE INDEX tc ON t(c); "
            + "INSERT INTO v VALUES (1); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) "
            + "INSERT INTO t SELECT i, 'b' || i, i % 7 FROM n;");
        using (Database db = Database.Open(path2))
        using (Connection c = db.Connect())
        {
            c.Execute("DROP TABLE t");
        }
        Assert.Equal("ok", SqliteShell.Run(path2, "PRAGMA integrity_check;").Trim());
        Assert.Equal("1|v", SqliteShell.Run(path2, "SELECT (SELECT count(*) FROM v), group_concat(name) FROM sqlite_schema;").Trim());
    }
}
