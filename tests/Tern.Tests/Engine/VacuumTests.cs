// VACUUM and VACUUM INTO against SQLite 3.50.4: rows, rowids (tables without an INTEGER
// PRIMARY KEY too), sqlite_sequence, the rebuilt sqlite_schema's order and root pages,
// page_count and freelist_count after a VACUUM of a database with deleted rows, the header
// values kept (user_version, application_id, schema cookie + 1), auto-vacuum switched by
// VACUUM, and SQLite's errors; on files: sqlite3's integrity_check of what Tern wrote, the
// same rows read by SQLite, WAL mode, VACUUM INTO's new file (in rollback-journal mode even
// from a WAL database), SQLITE_BUSY beside a reader, and statements in progress.
using System.Globalization;
using Microsoft.Data.Sqlite;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public class VacuumTests
{
    private const string Setup = """
        CREATE TABLE plain(a, b);
        CREATE TABLE keyed(id INTEGER PRIMARY KEY, v TEXT UNIQUE, w);
        CREATE INDEX keyed_w ON keyed(w DESC, v COLLATE NOCASE);
        CREATE VIEW both_v AS SELECT a, v FROM plain JOIN keyed ON keyed.id = plain.a;
        CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, note);
        CREATE TABLE log(v);
        CREATE TRIGGER keyed_log AFTER INSERT ON keyed BEGIN INSERT INTO log VALUES(new.v); END;
        CREATE TABLE later(x UNIQUE, y UNIQUE);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
          INSERT INTO plain SELECT i, printf('%.*c', 50 + i % 200, 'p') FROM n;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
          INSERT INTO keyed(v, w) SELECT 'v' || i, i % 13 FROM n;
        INSERT INTO later VALUES(1, 2), (3, 4);
        INSERT INTO seq(note) SELECT v FROM keyed ORDER BY id;
        DELETE FROM log WHERE rowid % 5 = 0;
        DELETE FROM plain WHERE a % 3 = 0;
        DELETE FROM keyed WHERE id % 4 = 1;
        DELETE FROM seq WHERE id > 250;
        PRAGMA user_version = 42;
        PRAGMA application_id = 1234;
        """;

    private const string Check = """
        SELECT rowid, a, length(b) FROM plain ORDER BY rowid;
        SELECT id, v, w FROM keyed ORDER BY id;
        SELECT * FROM seq ORDER BY id;
        SELECT rowid, v FROM log ORDER BY rowid;
        SELECT * FROM sqlite_sequence;
        SELECT count(*) FROM both_v;
        SELECT v FROM keyed WHERE w = 5 ORDER BY w DESC, v COLLATE NOCASE;
        SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema;
        SELECT rowid, name FROM sqlite_schema;
        PRAGMA user_version;
        PRAGMA application_id;
        PRAGMA freelist_count;
        PRAGMA integrity_check;
        """;

    [Fact]
    public void Vacuum_keeps_rows_rowids_and_sequence_and_rebuilds_the_schema_as_sqlite_does() =>
        Differential.AssertSame(Setup + Check + "PRAGMA schema_version; VACUUM;" + Check + "PRAGMA schema_version;" +
            "INSERT INTO keyed(v, w) VALUES('after', 1); INSERT INTO plain VALUES('p', 'q'); SELECT rowid, * FROM plain WHERE a = 'p'; SELECT * FROM seq ORDER BY id DESC LIMIT 2;");

    [Theory]
    [InlineData("CREATE TABLE t(a, b); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO t SELECT i, zeroblob(400 + i % 50) FROM n; DELETE FROM t WHERE a % 2 = 0;")]
    [InlineData("CREATE TABLE t(a INTEGER PRIMARY KEY, b); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO t SELECT i * 7, zeroblob(3000 + i) FROM n; DELETE FROM t WHERE a % 3 = 0;")]
    [InlineData("CREATE TABLE t(a); CREATE TABLE u(b); INSERT INTO t VALUES(1); INSERT INTO u SELECT randomblob(5000) FROM t; DROP TABLE t;")]
    [InlineData("")]
    [InlineData("PRAGMA user_version = 3;")]
    public void Page_and_free_page_counts_after_vacuum_match_sqlite_for_tables(string setup) =>
        Differential.AssertSame(setup + "VACUUM; PRAGMA page_count; PRAGMA freelist_count; PRAGMA schema_version; PRAGMA user_version; SELECT name, rootpage FROM sqlite_schema; PRAGMA integrity_check;");

    [Fact]
    public void Vacuum_switches_auto_vacuum_and_back() =>
        Differential.AssertSame("""
            CREATE TABLE t(a INTEGER PRIMARY KEY, b);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO t SELECT i, randomblob(900) FROM n;
            DELETE FROM t WHERE a > 50;
            PRAGMA auto_vacuum = FULL; PRAGMA auto_vacuum;
            VACUUM; PRAGMA auto_vacuum; PRAGMA page_count; PRAGMA freelist_count; PRAGMA integrity_check;
            DELETE FROM t WHERE a > 20; PRAGMA freelist_count;
            PRAGMA auto_vacuum = INCREMENTAL; VACUUM; PRAGMA auto_vacuum;
            DELETE FROM t WHERE a > 10; PRAGMA incremental_vacuum; PRAGMA freelist_count;
            PRAGMA auto_vacuum = NONE; VACUUM; PRAGMA auto_vacuum; PRAGMA page_count; PRAGMA integrity_check;
            SELECT count(*), sum(a) FROM t;
            """);

    [Fact]
    public void Vacuum_errors_and_schema_names_are_sqlites() =>
        Differential.AssertSame("""
            CREATE TABLE t(a); INSERT INTO t VALUES(1), (2);
            BEGIN; VACUUM; SELECT count(*) FROM t; COMMIT;
            SAVEPOINT s; VACUUM; RELEASE s;
            VACUUM nosuch;
            VACUUM temp; VACUUM main; VACUUM "main";
            CREATE TEMP TABLE tt(x); INSERT INTO tt VALUES(5); VACUUM temp; SELECT * FROM tt;
            ATTACH ':memory:' AS aux; CREATE TABLE aux.u(x); INSERT INTO aux.u VALUES(1), (2), (3); DELETE FROM aux.u WHERE x = 2;
            VACUUM aux; SELECT rowid, x FROM aux.u; PRAGMA aux.integrity_check;
            VACUUM INTO 5; VACUUM INTO NULL; VACUUM INTO x'00'; VACUUM temp INTO 5;
            VACUUM main INTO nosuchcolumn;
            VACUUM INTO (SELECT a FROM t LIMIT 1);
            SELECT * FROM t;
            """);

    // ---------------------------------------------------------------- files

    /// <summary>Runs a script on a Tern file database.</summary>
    private static void Tern(string path, string sql)
    {
        using Database db = Database.Open(path);
        using Connection c = db.Connect();
        c.Execute(sql);
    }

    private static string Dump(SqliteConnection c)
    {
        var lines = new List<string>();
        var tables = new List<string>();
        using (SqliteCommand cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name";
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read()) tables.Add(r.GetString(0));
        }
        foreach (string t in tables)
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT rowid, * FROM \"{t}\" ORDER BY rowid";
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read())
            {
                var row = new List<string> { t };
                for (int i = 0; i < r.FieldCount; i++) row.Add(Differential.SqliteValueText(r.GetValue(i)));
                lines.Add(string.Join("|", row));
            }
        }
        return string.Join("\n", lines);
    }

    private static string DumpFile(string path)
    {
        using SqliteConnection c = SqliteOracle.Open(path);
        return Dump(c);
    }

    private static uint Header(string path, int offset)
    {
        byte[] b = File.ReadAllBytes(path);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(offset, 4));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Vacuumed_file_passes_sqlites_integrity_check_with_the_same_rows(bool wal)
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("v.db");
        Tern(path, (wal ? "PRAGMA journal_mode = wal;" : "") + Setup);
        // What SQLite's VACUUM makes of the same file (it numbers the rows of a table with
        // neither an INTEGER PRIMARY KEY nor an index anew).
        string copy = dir.File("sqlite.db");
        File.Copy(path, copy);
        using (SqliteConnection s = SqliteOracle.Open(copy)) SqliteOracle.Execute(s, "VACUUM");
        string expected = DumpFile(copy);
        long sizeBefore = new FileInfo(path).Length;
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            // A second connection reads before and after: it sees the rebuilt file's rows.
            using Connection other = db.Connect();
            Assert.Equal(267L, Scalar(other, "SELECT count(*) FROM plain"));
            c.Execute("VACUUM");
            Assert.Equal(0L, Scalar(c, "PRAGMA freelist_count"));
            Assert.Equal(267L, Scalar(other, "SELECT count(*) FROM plain"));
            Assert.Equal(wal ? "wal" : "delete", Scalar(other, "PRAGMA journal_mode"));
        }
        Assert.Equal("ok\n", SqliteShell.Run(path, "PRAGMA integrity_check;"));
        Assert.Equal(expected, DumpFile(path));
        if (!wal) Assert.True(new FileInfo(path).Length < sizeBefore, "the file shrank");
        Assert.Equal((wal ? "wal" : "delete") + "\n", SqliteShell.Run(path, "PRAGMA journal_mode;"));
    }

    [Fact]
    public void Tern_vacuums_a_file_sqlite_wrote_to_the_same_page_count_as_sqlite_for_tables()
    {
        using var dir = new SqliteShell.TempDir();
        string a = dir.File("a.db"), b = dir.File("b.db");
        using (SqliteConnection s = SqliteOracle.Open(a))
        {
            SqliteOracle.Execute(s, "CREATE TABLE t(x, y); CREATE TABLE u(id INTEGER PRIMARY KEY, z);" +
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t SELECT i, randomblob(i % 300) FROM n;" +
                "INSERT INTO u SELECT x * 3, randomblob(2000) FROM t WHERE x < 200; DELETE FROM t WHERE x % 5 < 2; DELETE FROM u WHERE id % 2 = 0;");
        }
        File.Copy(a, b);
        using (SqliteConnection s = SqliteOracle.Open(b)) SqliteOracle.Execute(s, "VACUUM");
        Tern(a, "VACUUM");
        Assert.Equal("ok\n", SqliteShell.Run(a, "PRAGMA integrity_check;"));
        Assert.Equal(DumpFile(b), DumpFile(a));
        Assert.Equal(new FileInfo(b).Length, new FileInfo(a).Length);
        Assert.Equal(SqliteShell.Run(b, "SELECT * FROM sqlite_schema;"), SqliteShell.Run(a, "SELECT * FROM sqlite_schema;"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Vacuum_into_writes_a_vacuumed_copy_in_rollback_journal_mode(bool wal)
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("src.db"), copy = dir.File("copy.db");
        Tern(path, (wal ? "PRAGMA journal_mode = wal;" : "") + Setup);
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            using Statement s = c.Prepare("VACUUM main INTO ?1");
            s.Bind(1, copy);
            Assert.False(s.Step());
            // The source is not changed.
            Assert.True((long)Scalar(c, "PRAGMA freelist_count")! > 0);
        }
        Assert.Equal("ok\n", SqliteShell.Run(copy, "PRAGMA integrity_check;"));
        Assert.Equal(DumpFile(path), DumpFile(copy));
        Assert.Equal("0\n", SqliteShell.Run(copy, "PRAGMA freelist_count;"));
        Assert.Equal("delete\n", SqliteShell.Run(copy, "PRAGMA journal_mode;"));
        Assert.Equal(Header(path, 40) + 1, Header(copy, 40));
        Assert.Equal(42u, Header(copy, 60));
        Assert.Equal(1234u, Header(copy, 68));
        Assert.False(File.Exists(copy + "-journal") || File.Exists(copy + "-wal"));
    }

    [Fact]
    public void Vacuum_into_an_existing_file_fails_unless_it_is_empty_as_in_sqlite()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("src.db");
        Tern(path, "CREATE TABLE t(a); INSERT INTO t VALUES(1);");
        foreach (bool sqlite in new[] { false, true })
        {
            string full = dir.File($"full-{sqlite}.db"), empty = dir.File($"empty-{sqlite}.db");
            string junk = dir.File($"junk-{sqlite}.db");
            File.WriteAllBytes(junk, new byte[600]);
            File.Copy(path, full);
            File.WriteAllBytes(empty, []);
            string Run(string sql)
            {
                try
                {
                    // One statement at a time (Microsoft.Data.Sqlite stops a batch at its first query).
                    if (sqlite)
                    {
                        using SqliteConnection s = SqliteOracle.Open(path);
                        foreach (string part in Differential.Statements(sql)) SqliteOracle.Execute(s, part);
                    }
                    else
                    {
                        Tern(path, sql);
                    }
                    return "ok";
                }
                catch (SqliteException e)
                {
                    return e.SqliteErrorCode + " " + e.Message[(e.Message.IndexOf('\'', StringComparison.Ordinal) + 1)..].TrimEnd('.', '\'');
                }
                catch (TernException e)
                {
                    return (int)e.Code + " " + e.Message;
                }
            }
            string[] results =
            [
                Run($"VACUUM INTO '{junk}'"),
                Run($"VACUUM INTO '{full}'"),
                Run($"VACUUM INTO '{empty}'"),
                Run($"BEGIN; SELECT * FROM t; VACUUM INTO '{dir.File($"intx-{sqlite}.db")}'"),
            ];
            Assert.Equal(["26 file is not a database", "1 output file already exists", "ok", "1 cannot VACUUM from within a transaction"], results);
            Assert.Equal(600, new FileInfo(junk).Length);
            Assert.Equal(new FileInfo(path).Length, new FileInfo(full).Length);
            Assert.Equal("1\n", SqliteShell.Run(empty, "SELECT a FROM t;"));
        }
    }

    [Fact]
    public void Vacuum_fails_busy_while_another_connection_reads_and_while_a_statement_runs()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("busy.db");
        Tern(path, "CREATE TABLE t(a); INSERT INTO t VALUES(1), (2), (3); DELETE FROM t WHERE a = 2;");
        using Database db = Database.Open(path);
        using Connection c = db.Connect();
        using (Connection reader = db.Connect())
        {
            using Statement r = reader.Prepare("SELECT a FROM t");
            Assert.True(r.Step());
            var busy = Assert.Throws<TernException>(() => c.Execute("VACUUM"));
            Assert.Equal(ResultCode.Busy, busy.Code);
            // VACUUM INTO only reads.
            c.Execute($"VACUUM INTO '{dir.File("beside.db")}'");
        }
        using (Statement s = c.Prepare("SELECT a FROM t"))
        {
            Assert.True(s.Step());
            var e = Assert.Throws<TernException>(() => c.Execute("VACUUM"));
            Assert.Equal("cannot VACUUM - SQL statements in progress", e.Message);
            Assert.Equal(ResultCode.Error, e.Code);
        }
        // An INTO operand that reads a table reads inside the statement's own transaction.
        c.Execute($"VACUUM INTO (SELECT '{dir.File("named")}' || count(*) || '.db' FROM t)");
        Assert.Equal("2\n", SqliteShell.Run(dir.File("named2.db"), "SELECT count(*) FROM t;"));
        c.Execute("VACUUM");
        // A table with neither an INTEGER PRIMARY KEY nor an index gets new rowids, as in SQLite.
        Assert.Equal(new[] { "1:1", "2:3" }, Rows(c, "SELECT rowid || ':' || a FROM t"));

        // SQLite gives the same errors.
        using SqliteConnection s1 = SqliteOracle.Open(path);
        using SqliteConnection s2 = SqliteOracle.Open(path);
        using SqliteCommand read = s2.CreateCommand();
        read.CommandText = "SELECT a FROM t";
        using (SqliteDataReader rr = read.ExecuteReader())
        {
            Assert.True(rr.Read());
            using SqliteCommand vacuum = s1.CreateCommand();
            vacuum.CommandText = "VACUUM";
            vacuum.CommandTimeout = 1; // Microsoft.Data.Sqlite retries a busy statement until then
            var busy = Assert.Throws<SqliteException>(() => vacuum.ExecuteNonQuery());
            Assert.Equal(5, busy.SqliteErrorCode);
        }
        using SqliteCommand read1 = s1.CreateCommand();
        read1.CommandText = "SELECT a FROM t";
        using SqliteDataReader r1 = read1.ExecuteReader();
        Assert.True(r1.Read());
        var inProgress = Assert.Throws<SqliteException>(() => SqliteOracle.Execute(s1, "VACUUM"));
        Assert.Contains("cannot VACUUM - SQL statements in progress", inProgress.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_reads_a_vacuum_that_switched_to_auto_vacuum_and_tern_vacuums_what_sqlite_wrote_in_auto_vacuum()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("av.db");
        Tern(path, Setup + "PRAGMA auto_vacuum = FULL; VACUUM;");
        Assert.Equal("ok\n", SqliteShell.Run(path, "PRAGMA integrity_check;"));
        Assert.Equal("1\n", SqliteShell.Run(path, "PRAGMA auto_vacuum;"));
        string rows = DumpFile(path);
        using (SqliteConnection s = SqliteOracle.Open(path)) SqliteOracle.Execute(s, "DELETE FROM plain WHERE a % 2 = 0; PRAGMA auto_vacuum = INCREMENTAL; VACUUM; DELETE FROM keyed WHERE id < 100;");
        string expected = DumpFile(path);
        Assert.NotEqual(rows, expected);
        Tern(path, "PRAGMA auto_vacuum = NONE; VACUUM;");
        Assert.Equal("ok\n", SqliteShell.Run(path, "PRAGMA integrity_check;"));
        Assert.Equal("0\n", SqliteShell.Run(path, "PRAGMA auto_vacuum;"));
        Assert.Equal(expected, DumpFile(path));
    }

    private static object? Scalar(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        return s.GetValue(0).Kind == ValueKind.Integer ? s.GetInt64(0) : s.GetString(0);
    }

    private static List<string> Rows(Connection c, string sql)
    {
        var rows = new List<string>();
        using Statement s = c.Prepare(sql);
        while (s.Step()) rows.Add(s.GetString(0)!);
        return rows;
    }
}
