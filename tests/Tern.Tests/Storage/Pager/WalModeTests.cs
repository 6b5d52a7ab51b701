// The pager in WAL mode through SQL, each answer pinned against SQLite 3.50.4 or its sqlite3
// shell: entering and leaving WAL mode (header versions, the log deleted on leaving, the
// errors inside a transaction and beside another connection), a reader's snapshot beside a
// writer, checkpoint answers, and a checkpoint that finds the wal-index damaged.
using Tern.Storage.Io;
using Tern.Tests.Support;

namespace Tern.Tests.Storage.Pager;

public sealed class WalModeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tern-walmode-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Text(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        var rows = new List<string>();
        while (s.Step())
        {
            var cols = new List<string>();
            for (int i = 0; i < s.ColumnCount; i++) cols.Add(s.GetString(i) ?? "");
            rows.Add(string.Join("|", cols));
        }
        return string.Join("\n", rows);
    }

    [Fact]
    public void Entering_and_leaving_WAL_mode_writes_the_header_versions_and_deletes_the_log()
    {
        string path = Path.Combine(_dir, "modes.db");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            // A new, empty database becomes a one-page file with versions 2 (as sqlite3 makes it).
            Assert.Equal("wal", Text(c, "PRAGMA journal_mode = WAL"));
            byte[] header = File.ReadAllBytes(path);
            Assert.Equal(4096, header.Length);
            Assert.Equal(2, header[18]);
            Assert.Equal(2, header[19]);
            c.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)");
            Assert.True(File.Exists(path + "-wal"));
            Assert.Equal("wal", Text(c, "PRAGMA journal_mode"));

            c.Execute("BEGIN");
            var e = Assert.Throws<TernException>(() => c.Execute("PRAGMA journal_mode = DELETE"));
            Assert.Equal("cannot change out of wal mode from within a transaction", e.Message);
            c.Execute("COMMIT");

            using (Connection other = db.Connect())
            {
                Assert.Equal("2", Text(other, "SELECT count(*) FROM t"));
                // Another connection holds its SHARED lock while in WAL mode: leaving needs EXCLUSIVE.
                var busy = Assert.Throws<TernException>(() => Text(c, "PRAGMA journal_mode = DELETE"));
                Assert.Equal(ResultCode.Busy, busy.Code);
                Assert.Equal("database is locked", busy.Message);
            }
            Assert.Equal("delete", Text(c, "PRAGMA journal_mode = DELETE"));
            Assert.False(File.Exists(path + "-wal"));
            Assert.False(File.Exists(path + "-shm"));
            header = File.ReadAllBytes(path);
            Assert.Equal(1, header[18]);
            Assert.Equal(1, header[19]);
            Assert.Equal("1\n2", Text(c, "SELECT x FROM t ORDER BY x"));

            c.Execute("BEGIN");
            e = Assert.Throws<TernException>(() => c.Execute("PRAGMA journal_mode = WAL"));
            Assert.Equal("cannot change into wal mode from within a transaction", e.Message);
            c.Execute("ROLLBACK");
        }
        using var sqlite = SqliteOracle.Open(path);
        Assert.Equal("delete", SqliteOracle.Scalar(sqlite, "PRAGMA journal_mode"));
        Assert.Equal(2L, SqliteOracle.Scalar(sqlite, "SELECT count(*) FROM t"));
    }

    [Fact]
    public void A_reader_keeps_its_snapshot_while_a_writer_commits_and_a_stale_snapshot_cannot_write()
    {
        string path = Path.Combine(_dir, "snapshot.db");
        using Database db = Database.Open(path);
        using Connection writer = db.Connect();
        using Connection reader = db.Connect();
        writer.Execute("PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        reader.Execute("BEGIN");
        Assert.Equal("1", Text(reader, "SELECT count(*) FROM t"));
        writer.Execute("INSERT INTO t VALUES (2)");
        writer.Execute("BEGIN; INSERT INTO t VALUES (3)");
        // Unlike rollback mode, the writer's COMMIT does not wait for the reader.
        writer.Execute("COMMIT");
        Assert.Equal("1", Text(reader, "SELECT count(*) FROM t"));
        var e = Assert.Throws<TernException>(() => reader.Execute("INSERT INTO t VALUES (4)"));
        Assert.Equal(ResultCode.BusySnapshot, e.ExtendedCode);
        Assert.Equal("database is locked", e.Message);
        reader.Execute("ROLLBACK");
        Assert.Equal("3", Text(reader, "SELECT count(*) FROM t"));
        reader.Execute("INSERT INTO t VALUES (4)");
        Assert.Equal("4", Text(writer, "SELECT count(*) FROM t"));
    }

    [Fact]
    public void Checkpoint_answers_are_sqlites()
    {
        // The same script on both engines, each on its own file; SQLite 3.50.4 answers first.
        string[] script =
        [
            "PRAGMA wal_checkpoint",
            "PRAGMA journal_mode = WAL",
            "PRAGMA wal_checkpoint",
            "CREATE TABLE t(a)",
            "INSERT INTO t VALUES (1), (2)",
            "PRAGMA wal_checkpoint(RESTART)",
            "INSERT INTO t VALUES (3)",
            "PRAGMA wal_checkpoint(PASSIVE)",
            "INSERT INTO t VALUES (4)",
            "PRAGMA wal_checkpoint(TRUNCATE)",
            "INSERT INTO t VALUES (5)",
            "PRAGMA wal_checkpoint(bogus)",
            "PRAGMA wal_checkpoint = FULL",
            "PRAGMA temp.wal_checkpoint",
            "PRAGMA wal_autocheckpoint",
            "PRAGMA wal_autocheckpoint = 50",
            "PRAGMA journal_size_limit",
            "PRAGMA journal_size_limit = -7",
        ];
        using var sqlite = SqliteOracle.Open(Path.Combine(_dir, "sqlite.db"));
        using Database db = Database.Open(Path.Combine(_dir, "tern.db"));
        using Connection c = db.Connect();
        foreach (string sql in script)
        {
            using var cmd = sqlite.CreateCommand();
            cmd.CommandText = sql;
            var rows = new List<string>();
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    var cols = new List<string>();
                    for (int i = 0; i < r.FieldCount; i++) cols.Add(Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");
                    rows.Add(string.Join("|", cols));
                }
            }
            Assert.Equal($"{sql}: {string.Join("\n", rows)}", $"{sql}: {Text(c, sql)}");
        }
    }

    [Fact]
    public void Without_shared_memory_the_database_stays_in_its_rollback_mode()
    {
        // As SQLite without xShmMap: the switch is refused (the mode in force is the answer),
        // and the header is left alone, so the file still opens.
        string path = Path.Combine(_dir, "noshm.db");
        var options = new DatabaseOptions { FileSystem = new OsFileSystem(OsLockKind.InProcess) };
        using (Database db = Database.Open(path, options))
        using (Connection c = db.Connect())
        {
            c.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
            Assert.Equal("delete", Text(c, "PRAGMA journal_mode = WAL"));
            Assert.Equal("1", Text(c, "SELECT count(*) FROM t"));
        }
        Assert.Equal(1, File.ReadAllBytes(path)[19]);
        Assert.False(File.Exists(path + "-shm"));
        using (Database again = Database.Open(path, options))
        using (Connection c = again.Connect())
        {
            Assert.Equal("1", Text(c, "SELECT count(*) FROM t"));
        }
    }

    [Fact]
    public void A_checkpoint_that_finds_the_wal_index_damaged_rebuilds_it_from_the_log()
    {
        var fs = new MemoryFileSystem();
        using Database db = Database.Open("/damaged.db", new DatabaseOptions { FileSystem = fs });
        using Connection c = db.Connect();
        c.Execute("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)");
        // Another user of the shared memory scribbles over both header copies.
        using (IFile file = fs.Open("/damaged.db", FileOpenMode.ReadWrite))
        using (ISharedMemory shm = file.OpenSharedMemory()!)
        {
            shm.Map(0, extend: false).Span[..96].Fill(0xA5);
        }
        Assert.Equal("0|3|3", Text(c, "PRAGMA wal_checkpoint"));
        Assert.Equal("3", Text(c, "SELECT count(*) FROM t"));
        Assert.Equal("ok", Text(c, "PRAGMA integrity_check"));
    }
}
