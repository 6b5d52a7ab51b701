// Power cuts at every mutating file operation of a fixed WAL workload: commits (one of them
// spilling frames into the log before its COMMIT), automatic checkpoints (wal_autocheckpoint
// = 3), explicit checkpoints in the four modes, log restarts, and the last close (which
// checkpoints and deletes the log). In one variant a second database handle on the same files
// holds a read transaction over the middle steps, so that checkpoints stop at its snapshot
// and the log cannot restart under it. The workload runs once without a cut to learn the
// content after every step; then, for each operation index k (every one, with and without a
// torn last write), it runs on a fresh copy of the files until the cut at k, and the files
// are reopened:
//
//   synchronous=FULL:   content = after the last step that returned
//                       | after the interrupted step (its commit reached the log)
//   synchronous=NORMAL: content = after any step from the last explicit checkpoint that
//                       returned having copied the whole log (or the start) up to the
//                       interrupted one
//
// and integrity_check is ok, SQLite (3.50.4) reads the same content from the same files, and
// the database keeps working: a write, a TRUNCATE checkpoint, and the last close, after
// which no log is left.
using Tern.Storage.Io;
using Tern.Tests.Faults;
using Tern.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Tests.Crash;

public class WalCrashSweepTests(ITestOutputHelper output)
{
    private const string DbPath = "sweep.db";

    private const string Numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0}) ";

    private static string Series(int count) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Numbers, count);

    private static readonly string[] Steps =
    [
        "INSERT INTO t(b, c) VALUES('one', 1)",
        "UPDATE t SET c = c + 1 WHERE a % 3 = 0",
        "BEGIN; " + Series(200) + "INSERT INTO t(b, c) SELECT printf('spill-%05d', i), i FROM n; DELETE FROM t WHERE a % 5 = 0; COMMIT",
        "PRAGMA wal_checkpoint(PASSIVE)",
        "INSERT INTO t(b, c) VALUES('two', 2)",
        "DELETE FROM t WHERE c = 7",
        "PRAGMA wal_checkpoint(FULL)",
        "UPDATE t SET b = b || '+' WHERE a < 40",
        "PRAGMA wal_checkpoint(RESTART)",
        "INSERT INTO t(b, c) VALUES('three', 3)",
        "CREATE INDEX t_bc ON t(b, c)",
        "PRAGMA wal_checkpoint(TRUNCATE)",
        "INSERT INTO t(b, c) SELECT b || '!', c FROM t WHERE a < 20",
    ];

    private static bool IsCheckpoint(string step) => step.StartsWith("PRAGMA wal_checkpoint", StringComparison.Ordinal);

    private static DatabaseOptions Options(MemoryFileSystem fs) => new() { FileSystem = fs, PageSize = 1024, CacheSize = 10 };

    private static Connection Connect(Database db, string synchronous)
    {
        Connection c = db.Connect();
        c.Execute($"PRAGMA synchronous = {synchronous}; PRAGMA wal_autocheckpoint = 3;");
        return c;
    }

    /// <summary>The database in WAL mode with a table and its rows, the log checkpointed away.</summary>
    private static Dictionary<string, byte[]> Image()
    {
        var fs = new MemoryFileSystem();
        using (Database db = Database.Open(DbPath, Options(fs)))
        using (Connection c = db.Connect())
        {
            c.Execute("PRAGMA journal_mode = wal; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c INTEGER); CREATE INDEX t_c ON t(c);" +
                Series(120) + "INSERT INTO t(b, c) SELECT printf('row-%04d', i), i % 17 FROM n;");
        }
        Assert.False(fs.Exists(DbPath + "-wal"));
        return fs.Files.ToDictionary(p => p, fs.GetContent);
    }

    // Steps at which the second handle begins and ends its read transaction (before the step runs).
    private const int ReaderFrom = 4, ReaderUntil = 9;

    [Theory]
    [InlineData("full", false)]
    [InlineData("normal", false)]
    [InlineData("full", true)]
    [InlineData("normal", true)]
    public void Power_cut_at_every_operation_of_wal_commits_and_checkpoints_keeps_what_synchronous_promises(string synchronous, bool reader)
    {
        Dictionary<string, byte[]> image = Image();

        // The content after each step, and how many operations the whole run takes.
        var states = new string[Steps.Length + 1];
        long operations;
        {
            MemoryFileSystem fs = FaultHarness.Load(image);
            using (Database db = Database.Open(DbPath, Options(fs)))
            using (Connection c = Connect(db, synchronous))
            {
                var r = new Reader(fs, reader);
                states[0] = FaultHarness.Dump(c);
                for (int i = 0; i < Steps.Length; i++)
                {
                    r.Before(i);
                    RunStep(c, Steps[i]);
                    states[i + 1] = FaultHarness.Dump(c);
                }
                r.Dispose();
            }
            operations = fs.OperationCount;
            Assert.False(fs.Exists(DbPath + "-wal"), "the last close deletes the log");
        }
        for (int i = 0; i < Steps.Length; i++) Assert.True(IsCheckpoint(Steps[i]) || states[i] != states[i + 1], $"step {i} changes the content");

        int cuts = 0, lost = 0, interruptedKept = 0, inClose = 0, oracle = 0;
        for (long k = 0; k <= operations; k++)
        {
            foreach (bool tear in new[] { false, true })
            {
                MemoryFileSystem fs = FaultHarness.Load(image);
                fs.TearOnCrash = tear;
                fs.TearRandom = new Random((int)k * 31 + 7);
                fs.CrashAfterOperations = k;
                int returned = 0;     // steps that returned
                int floor = 0;        // NORMAL: the state known durable
                bool cut = false;
                try
                {
                    Database db = Database.Open(DbPath, Options(fs));
                    Connection c = Connect(db, synchronous);
                    var r = new Reader(fs, reader);
                    for (; returned < Steps.Length; returned++)
                    {
                        r.Before(returned);
                        if (RunStep(c, Steps[returned])) floor = returned + 1;
                    }
                    r.Dispose();
                    c.Dispose();
                    db.Dispose();
                }
                catch (SimulatedPowerCutException)
                {
                    cut = true;
                }
                if (!cut) continue; // k is past the last operation
                cuts++;
                if (returned == Steps.Length) inClose++;
                string where = $"synchronous={synchronous}, cut at operation {k}{(tear ? " (torn)" : "")} during {(returned < Steps.Length ? $"step {returned} ({Steps[returned]})" : "the last close")}";

                using (Database db = Database.Open(DbPath, Options(fs)))
                using (Connection c = Connect(db, synchronous))
                {
                    string found = FaultHarness.Dump(c);
                    int lowest = synchronous == "full" ? returned : floor;
                    int highest = Math.Min(returned + 1, Steps.Length);
                    int match = -1;
                    for (int s = highest; s >= lowest && match < 0; s--)
                    {
                        if (states[s] == found) match = s;
                    }
                    Assert.True(match >= 0, $"{where}: the content is none of states {lowest}..{highest}\n{found}");
                    if (match > returned) interruptedKept++;
                    if (match < returned) lost++;
                    Assert.Equal("ok", Scalar(c, "PRAGMA integrity_check"));

                    if (k % 7 == 0)
                    {
                        // SQLite reads the same content from the files as they are now.
                        oracle++;
                        using var dir = new SqliteShell.TempDir();
                        string path = dir.File("sweep.db");
                        File.WriteAllBytes(path, fs.GetContent(DbPath));
                        if (fs.Exists(DbPath + "-wal")) File.WriteAllBytes(path + "-wal", fs.GetContent(DbPath + "-wal"));
                        using (var sc = SqliteOracle.Open(path))
                        {
                            Assert.Equal("ok", SqliteOracle.Scalar(sc, "PRAGMA integrity_check"));
                            Assert.Equal(Scalar(c, "SELECT count(*) || ':' || total(c) || ':' || group_concat(b, ',') FROM t"),
                                SqliteOracle.Scalar(sc, "SELECT count(*) || ':' || total(c) || ':' || group_concat(b, ',') FROM t"));
                        }
                        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    }

                    c.Execute("INSERT INTO t(b, c) VALUES('after the cut', 0); PRAGMA wal_checkpoint(TRUNCATE);");
                }
                Assert.False(fs.Exists(DbPath + "-wal"), $"{where}: the log is left after the last close");
                using (Database db = Database.Open(DbPath, Options(fs)))
                using (Connection c = db.Connect())
                {
                    Assert.Equal("1", Scalar(c, "SELECT count(*) FROM t WHERE b = 'after the cut'"));
                    Assert.Equal("ok", Scalar(c, "PRAGMA integrity_check"));
                }
            }
        }
        output.WriteLine($"synchronous={synchronous}{(reader ? ", with a reader" : "")}: {operations} operations, {cuts} power cuts ({inClose} in the last close), "
            + $"{interruptedKept} kept the interrupted step, {lost} lost returned steps, {oracle} read by SQLite");
        Assert.True(cuts >= 2 * operations);
        if (synchronous == "full") Assert.Equal(0, lost);
    }

    /// <summary>Runs a step; returns whether it was a checkpoint that copied the whole log (busy = 0, log = checkpointed).</summary>
    private static bool RunStep(Connection c, string sql)
    {
        if (!IsCheckpoint(sql))
        {
            c.Execute(sql);
            return false;
        }
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        bool complete = s.GetInt64(0) == 0 && s.GetInt64(1) == s.GetInt64(2);
        while (s.Step())
        {
        }
        return complete;
    }

    /// <summary>A second database handle on the same files that reads over steps [ReaderFrom, ReaderUntil).</summary>
    private sealed class Reader(MemoryFileSystem fs, bool enabled) : IDisposable
    {
        private Database? _db;
        private Connection? _c;

        public void Before(int step)
        {
            if (!enabled) return;
            if (step == ReaderFrom)
            {
                _db = Database.Open(DbPath, Options(fs));
                _c = _db.Connect();
                _c.Execute("BEGIN");
                Assert.NotEqual("0", Scalar(_c, "SELECT count(*) FROM t"));
            }
            else if (step == ReaderUntil)
            {
                _c!.Execute("COMMIT");
                Dispose();
            }
        }

        public void Dispose()
        {
            _c?.Dispose();
            _db?.Dispose();
            _c = null;
            _db = null;
        }
    }

    private static string Scalar(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        return s.GetString(0) ?? "NULL";
    }
}
