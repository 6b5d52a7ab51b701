// I/O faults through SQL: every scenario (inserts, updates and deletes with indexes, DDL,
// large transactions that spill past a small page cache, sorts that spill to temporary
// files, savepoints, explicit transactions, ROLLBACK, hot-journal playback, auto-vacuum
// files, overflow rows; and in WAL mode: commits appending to the log, spills into it,
// automatic and explicit checkpoints, recovery of a log a crash left, reads through the
// log, entering and leaving WAL mode; VACUUM in place, in WAL mode and INTO a new file) runs with a fault injected at one file-system call after another,
// and each run must fail with SQLite's code, leave the content as SQLite would (the failed
// transaction rolled back, nothing committed lost) and pass integrity_check, on the same
// connection and after reopening. See FaultHarness for what each case checks.
//
// By default each scenario tries an even spread of call indexes (always including the last
// ones, where the commit happens); TERN_FAULT_FULL=1 tries every call index.
using Tern.Storage.Io;
using Tern.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Tests.Faults;

public class FaultScenarioTests(ITestOutputHelper output)
{
    private const string Numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0}) ";

    private static string Series(int count) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Numbers, count);

    private static readonly string Indexed =
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c INTEGER); CREATE INDEX t_b ON t(b); CREATE INDEX t_c ON t(c, b);" +
        Series(120) + "INSERT INTO t(b, c) SELECT printf('row-%04d', i), i % 17 FROM n;";

    private static readonly string Blobs =
        "CREATE TABLE big(id INTEGER PRIMARY KEY, payload BLOB, note TEXT);" +
        Series(12) + "INSERT INTO big(payload, note) SELECT zeroblob(3000 + i * 100), 'n' || i FROM n;";

    private static readonly string WithoutRowid =
        "CREATE TABLE k(a TEXT COLLATE NOCASE, b INT, c, PRIMARY KEY(b DESC, a)) WITHOUT ROWID; CREATE INDEX k_c ON k(c);" +
        Series(150) + "INSERT INTO k SELECT printf('key-%04d', i), i % 9, printf('%0*d', i % 40 + 1, i) FROM n;";

    /// <summary>A database file made by SQLite with auto_vacuum=FULL.</summary>
    private static byte[] AutoVacuumFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "tern-fault-av-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            using (var c = SqliteOracle.Open(path))
            {
                SqliteOracle.Execute(c, "PRAGMA page_size=1024; PRAGMA auto_vacuum=FULL;");
                SqliteOracle.Execute(c, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); CREATE INDEX t_b ON t(b); CREATE TABLE u(x);" +
                    Series(150) + "INSERT INTO t(b) SELECT printf('%0200d', i) FROM n;" +
                    Series(40) + "INSERT INTO u SELECT randomblob(300) FROM n;");
            }
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Crashes a committing transaction so that a hot journal is left beside a half-written file.</summary>
    private static void LeaveHotJournal(MemoryFileSystem fs)
    {
        byte[] before = fs.GetContent(FaultHarness.DbPath);
        Dictionary<string, byte[]> image = fs.Files.ToDictionary(p => p, fs.GetContent);
        for (int n = 1; n < 10_000; n++)
        {
            MemoryFileSystem trial = FaultHarness.Load(image);
            trial.CrashAfterOperations = n;
            Database? db = null;
            Connection? c = null;
            try
            {
                db = Database.Open(FaultHarness.DbPath, new DatabaseOptions { FileSystem = trial, PageSize = 1024 });
                c = db.Connect();
                c.Execute("UPDATE t SET b = b || '-changed', c = c + 100; DELETE FROM t WHERE a % 5 = 0; INSERT INTO t(b, c) SELECT b || '+', c FROM t WHERE a < 40;");
                continue; // committed before the crash point: try a later one
            }
            catch (SimulatedPowerCutException)
            {
            }
            finally
            {
                try { c?.Dispose(); } catch (SimulatedPowerCutException) { }
                try { db?.Dispose(); } catch (SimulatedPowerCutException) { }
            }
            string journal = FaultHarness.DbPath + "-journal";
            if (trial.Exists(journal) && trial.GetSize(journal) > 0 && !trial.GetContent(FaultHarness.DbPath).AsSpan().SequenceEqual(before))
            {
                foreach (string p in fs.Files.ToArray()) fs.Delete(p);
                foreach (string p in trial.Files) fs.SetContent(p, trial.GetContent(p));
                return;
            }
        }
        throw new InvalidOperationException("no crash point leaves a hot journal");
    }

    private const string Wal = "PRAGMA journal_mode = wal;";

    /// <summary>
    /// Commits two transactions in WAL mode and cuts the power (the log is synced at each
    /// commit), so that the log holds frames the database file lacks and the next opener
    /// rebuilds the wal-index from it.
    /// </summary>
    private static void LeaveWalFrames(MemoryFileSystem fs)
    {
        Database db = Database.Open(FaultHarness.DbPath, new DatabaseOptions { FileSystem = fs, PageSize = 1024 });
        Connection c = db.Connect();
        c.Execute("PRAGMA wal_autocheckpoint = 0; UPDATE t SET b = b || '-logged' WHERE a % 4 = 0; INSERT INTO t(b, c) SELECT b || '+', c FROM t WHERE a < 30;");
        fs.PowerCut(); // the dead process's objects are abandoned
        if (fs.GetSize(FaultHarness.DbPath + "-wal") <= 32) throw new InvalidOperationException("no frames left in the log");
    }

    private static readonly FaultScenario[] Scenarios =
    [
        new() { Name = "insert one row", Setup = Indexed, Steps = ["INSERT INTO t(b, c) VALUES('new', 5)"] },
        new() { Name = "insert rows with indexes", Setup = Indexed, Steps = [Series(150) + "INSERT INTO t(b, c) SELECT printf('ins-%d', i), i FROM n"] },
        new() { Name = "update with indexes", Setup = Indexed, Steps = ["UPDATE t SET b = b || '-u', c = c + 1 WHERE a % 3 = 0"] },
        new() { Name = "update rowids", Setup = Indexed, Steps = ["UPDATE t SET a = a + 1000 WHERE a > 60"] },
        new() { Name = "delete with indexes", Setup = Indexed, Steps = ["DELETE FROM t WHERE a % 2 = 0"] },
        new() { Name = "delete all rows", Setup = Indexed, Steps = ["DELETE FROM t"] },
        new() { Name = "insert or replace on a unique index", Setup = Indexed + "CREATE UNIQUE INDEX t_ub ON t(b);", Steps = [Series(80) + "INSERT OR REPLACE INTO t(b, c) SELECT printf('row-%04d', i * 2), -i FROM n"] },
        new() { Name = "insert through a trigger", Setup = Indexed + "CREATE TABLE log(x, y); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES(new.a, new.b); END;", Steps = [Series(60) + "INSERT INTO t(b, c) SELECT 'trig' || i, i FROM n"] },
        new() { Name = "autoincrement creates sqlite_sequence", Setup = "CREATE TABLE s(id INTEGER PRIMARY KEY AUTOINCREMENT, v);", Steps = ["INSERT INTO s(v) VALUES(1), (2), (3)", "INSERT INTO s(v) VALUES(4)"] },
        new() { Name = "create index", Setup = Indexed, Steps = ["CREATE INDEX t_cb ON t(c DESC, a)"] },
        new() { Name = "create unique index", Setup = Indexed, Steps = ["CREATE UNIQUE INDEX t_ub ON t(b)"] },
        new() { Name = "drop index", Setup = Indexed, Steps = ["DROP INDEX t_c"] },
        new() { Name = "create table", Setup = Indexed, Steps = ["CREATE TABLE fresh(x INTEGER PRIMARY KEY, y UNIQUE, z)"] },
        new() { Name = "create table as select", Setup = Indexed, Steps = ["CREATE TABLE copy AS SELECT * FROM t WHERE c < 9"] },
        new() { Name = "drop table with indexes", Setup = Indexed + "CREATE TABLE other(x); INSERT INTO other VALUES(1),(2);", Steps = ["DROP TABLE t"] },
        new() { Name = "alter table add column", Setup = Indexed, Steps = ["ALTER TABLE t ADD COLUMN d TEXT DEFAULT 'dflt'", "UPDATE t SET d = 'set' WHERE a < 10"] },
        new() { Name = "alter table rename", Setup = Indexed, Steps = ["ALTER TABLE t RENAME TO renamed", "INSERT INTO renamed(b, c) VALUES('after', 1)"] },
        new() { Name = "alter table rename column", Setup = Indexed, Steps = ["ALTER TABLE t RENAME COLUMN b TO bee"] },
        new() { Name = "explicit transaction with several statements", Setup = Indexed, Steps = ["BEGIN", "INSERT INTO t(b, c) VALUES('x1', 1), ('x2', 2)", "UPDATE t SET c = c * 2 WHERE a < 30", "DELETE FROM t WHERE a BETWEEN 50 AND 70", "COMMIT"] },
        new() { Name = "explicit transaction with DDL", Setup = Indexed, Steps = ["BEGIN", "CREATE TABLE n2(x, y)", "INSERT INTO n2 SELECT a, b FROM t", "CREATE INDEX n2_y ON n2(y)", "DROP INDEX t_b", "COMMIT"] },
        new() { Name = "large transaction spilling past a small cache", Setup = Indexed, CacheSize = 10, Steps = ["BEGIN", Series(400) + "INSERT INTO t(b, c) SELECT printf('spill-%05d', i), i % 7 FROM n", "UPDATE t SET b = b || '!' WHERE c = 3", "COMMIT"] },
        new() { Name = "large autocommit insert spilling", Setup = "CREATE TABLE w(a INTEGER PRIMARY KEY, b);", CacheSize = 10, Steps = [Series(600) + "INSERT INTO w(b) SELECT printf('%0100d', i) FROM n"] },
        new() { Name = "rollback of a spilled transaction", Setup = Indexed, CacheSize = 10, Steps = ["BEGIN", Series(300) + "INSERT INTO t(b, c) SELECT printf('gone-%05d', i), i FROM n", "DELETE FROM t WHERE a < 50", "ROLLBACK"] },
        new() { Name = "persist journal mode", Setup = Indexed, CacheSize = 10, CommitPointCanFail = true, Steps = ["PRAGMA journal_mode = persist", Series(150) + "INSERT INTO t(b, c) SELECT printf('persist-%05d', i), i FROM n", "UPDATE t SET c = -c WHERE a % 5 = 0"] },
        new() { Name = "truncate journal mode", Setup = Indexed, CacheSize = 10, CommitPointCanFail = true, Steps = ["PRAGMA journal_mode = truncate", "BEGIN", Series(150) + "INSERT INTO t(b, c) SELECT printf('trunc-%05d', i), i FROM n", "DELETE FROM t WHERE a < 40", "COMMIT", "DELETE FROM t WHERE a % 3 = 0"] },
        new() { Name = "rollback in memory", Setup = Indexed, Steps = ["BEGIN", "INSERT INTO t(b, c) VALUES('gone', 0)", "ROLLBACK", "INSERT INTO t(b, c) VALUES('kept', 0)"] },
        new() { Name = "savepoints and rollback to", Setup = Indexed, Steps = ["SAVEPOINT a", "INSERT INTO t(b, c) VALUES('sp1', 1)", "SAVEPOINT b", "UPDATE t SET c = -1 WHERE a < 40", "ROLLBACK TO b", "DELETE FROM t WHERE a > 100", "RELEASE a"] },
        new() { Name = "transaction over main and temp", Setup = Indexed, Steps = ["CREATE TEMP TABLE tt AS SELECT * FROM t WHERE c < 6", "BEGIN", "INSERT INTO t(b, c) SELECT b || '-t', c FROM tt", "SAVEPOINT s", "DELETE FROM tt WHERE c = 1", "UPDATE t SET c = c + 1 WHERE a < 30", "ROLLBACK TO s", "DELETE FROM t WHERE a IN (SELECT a FROM tt)", "RELEASE s", "COMMIT"] },
        new() { Name = "savepoint inside begin", Setup = Indexed, CacheSize = 10, Steps = ["BEGIN", "SAVEPOINT s", Series(200) + "INSERT INTO t(b, c) SELECT 'sv' || i, i FROM n", "ROLLBACK TO s", "INSERT INTO t(b, c) VALUES('after', 2)", "RELEASE s", "COMMIT"] },
        new() { Name = "sort spilling to temporary files", Setup = Indexed, SortMemoryLimit = 1024, Steps = ["SELECT b, c FROM t ORDER BY c, b DESC", "SELECT c, count(*), max(b) FROM t GROUP BY c"] },
        new() { Name = "insert select through a spilled sort", Setup = Indexed + "CREATE TABLE sorted(b, c);", SortMemoryLimit = 1024, Steps = ["INSERT INTO sorted SELECT b, c FROM t ORDER BY c, b"] },
        new() { Name = "large distinct set in a temporary b-tree", Setup = "CREATE TABLE d(x);" + Series(2600) + "INSERT INTO d SELECT i FROM n;", SortMemoryLimit = 64 * 1024, Steps = ["SELECT count(*) FROM (SELECT DISTINCT x FROM d)", "CREATE TABLE d2 AS SELECT DISTINCT x % 2500 AS y FROM d"] },
        new() { Name = "hot journal playback on open", Setup = Indexed, Grows = false, Damage = LeaveHotJournal, Steps = ["SELECT count(*) FROM t", "INSERT INTO t(b, c) VALUES('after recovery', 1)"] },
        new() { Name = "auto-vacuum delete", Seed = AutoVacuumFile, Steps = ["DELETE FROM t WHERE a % 3 <> 0", "DELETE FROM u"] },
        new() { Name = "auto-vacuum drop table", Seed = AutoVacuumFile, Steps = ["DROP TABLE u", "INSERT INTO t(b) VALUES('after drop')"] },
        new() { Name = "auto-vacuum mode switch", Seed = AutoVacuumFile, Steps = ["PRAGMA auto_vacuum = incremental", "DELETE FROM u", "PRAGMA incremental_vacuum(3)", "PRAGMA auto_vacuum = full", "DELETE FROM t WHERE a % 2 = 0"] },
        new() { Name = "vacuum", Setup = Indexed + Blobs + "DELETE FROM t WHERE a % 3 = 0; DELETE FROM big WHERE id % 2 = 0;", Steps = ["VACUUM", "INSERT INTO t(b, c) VALUES('after vacuum', 1)"] },
        new() { Name = "vacuum spilling past a small cache", Setup = Indexed + "DELETE FROM t WHERE a % 2 = 0;", CacheSize = 10, Steps = ["VACUUM"] },
        new() { Name = "vacuum switching to auto-vacuum", Setup = Indexed + "DELETE FROM t WHERE a > 30;", Steps = ["PRAGMA auto_vacuum = full", "VACUUM", "DELETE FROM t WHERE a < 10"] },
        new() { Name = "vacuum of an auto-vacuum file", Seed = AutoVacuumFile, Steps = ["PRAGMA auto_vacuum = none", "VACUUM"] },
        new() { Name = "vacuum into a new file", Setup = Indexed + "DELETE FROM t WHERE a % 3 = 0;", Grows = true, Steps = ["VACUUM INTO 'copy.db'", "INSERT INTO t(b, c) VALUES('after copy', 1)"] },
        new() { Name = "overflow rows insert", Setup = Blobs, Steps = [Series(6) + "INSERT INTO big(payload, note) SELECT CAST(hex(zeroblob(2500 + i)) || i AS BLOB), 'new' FROM n"] },
        new() { Name = "overflow rows update", Setup = Blobs, Steps = ["UPDATE big SET payload = zeroblob(1200 + id * 900) WHERE id % 2 = 0", "UPDATE big SET note = hex(zeroblob(2000)) WHERE id = 3"] },
        new() { Name = "overflow rows delete", Setup = Blobs, Steps = ["DELETE FROM big WHERE id > 4"] },
        new() { Name = "wal insert rows with indexes", Setup = Wal + Indexed, Steps = [Series(150) + "INSERT INTO t(b, c) SELECT printf('ins-%d', i), i FROM n"] },
        new() { Name = "wal several commits", Setup = Wal + Indexed, Steps = ["INSERT INTO t(b, c) VALUES('w1', 1)", "UPDATE t SET c = c + 1 WHERE a < 50", "DELETE FROM t WHERE a % 7 = 0", "CREATE INDEX t_cb ON t(c, b)"] },
        new() { Name = "wal transaction spilling into the log", Setup = Wal + Indexed, CacheSize = 10, Steps = ["BEGIN", Series(400) + "INSERT INTO t(b, c) SELECT printf('spill-%05d', i), i % 7 FROM n", "UPDATE t SET b = b || '!' WHERE c = 3", "COMMIT"] },
        new() { Name = "wal rollback of a spilled transaction", Setup = Wal + Indexed, CacheSize = 10, Steps = ["BEGIN", Series(300) + "INSERT INTO t(b, c) SELECT printf('gone-%05d', i), i FROM n", "ROLLBACK", "INSERT INTO t(b, c) VALUES('kept', 0)"] },
        new() { Name = "wal savepoints", Setup = Wal + Indexed, CacheSize = 10, Steps = ["BEGIN", "SAVEPOINT s", Series(200) + "INSERT INTO t(b, c) SELECT 'sv' || i, i FROM n", "ROLLBACK TO s", "INSERT INTO t(b, c) VALUES('after', 2)", "RELEASE s", "COMMIT"] },
        new() { Name = "wal explicit checkpoints", Setup = Wal + Indexed, Steps = ["INSERT INTO t(b, c) VALUES('c1', 1)", "PRAGMA wal_checkpoint(PASSIVE)", "UPDATE t SET c = -c WHERE a < 20", "PRAGMA wal_checkpoint(FULL)", "DELETE FROM t WHERE a > 100", "PRAGMA wal_checkpoint(RESTART)", "INSERT INTO t(b, c) VALUES('c2', 2)", "PRAGMA wal_checkpoint(TRUNCATE)", "INSERT INTO t(b, c) VALUES('c3', 3)"] },
        new() { Name = "wal automatic checkpoints", Setup = Wal + Indexed, Steps = ["PRAGMA wal_autocheckpoint = 5", Series(60) + "INSERT INTO t(b, c) SELECT printf('auto-%d', i), i FROM n", "UPDATE t SET b = b || '.' WHERE c < 8", "DELETE FROM t WHERE a % 3 = 0", "INSERT INTO t(b, c) VALUES('last', 0)"] },
        new() { Name = "wal synchronous normal", Setup = Wal + Indexed, Steps = ["PRAGMA synchronous = normal", "INSERT INTO t(b, c) VALUES('n1', 1)", "PRAGMA wal_checkpoint(TRUNCATE)", "UPDATE t SET c = c * 3 WHERE a < 40"] },
        new() { Name = "wal recovery of a log left by a crash", Setup = Wal + Indexed, Grows = false, Damage = LeaveWalFrames, Steps = ["SELECT count(*), sum(length(b)) FROM t", "INSERT INTO t(b, c) VALUES('after recovery', 1)", "PRAGMA wal_checkpoint(TRUNCATE)"] },
        new() { Name = "wal reads through the log", Setup = Wal + Indexed + Blobs, Grows = false, Damage = LeaveWalFrames, Steps = ["SELECT t.b, big.note FROM t JOIN big ON big.id = t.c WHERE t.a > 10", "SELECT sum(length(payload)) FROM big"] },
        new() { Name = "wal vacuum", Setup = Wal + Indexed + "DELETE FROM t WHERE a % 3 = 0;", Steps = ["VACUUM", "INSERT INTO t(b, c) VALUES('after vacuum', 1)"] },
        new() { Name = "entering wal mode", Setup = Indexed, Steps = ["PRAGMA journal_mode = wal", "INSERT INTO t(b, c) VALUES('in wal', 1)", "UPDATE t SET c = 0 WHERE a < 10"] },
        new() { Name = "leaving wal mode", Setup = Wal + Indexed, Steps = ["INSERT INTO t(b, c) VALUES('logged', 1)", "PRAGMA journal_mode = delete", "INSERT INTO t(b, c) VALUES('journaled', 2)"] },
        new() { Name = "without rowid writes", Setup = WithoutRowid, CacheSize = 10, Steps = [Series(120) + "INSERT OR REPLACE INTO k SELECT printf('KEY-%04d', i * 2), i % 9, zeroblob(i * 20) FROM n", "UPDATE k SET b = b + 10, c = c || 'u' WHERE b % 3 = 0", "DELETE FROM k WHERE b = 4"] },
        new() { Name = "reads only", Grows = false, Setup = Indexed + Blobs, Steps = ["SELECT t.b, big.note FROM t JOIN big ON big.id = t.c WHERE t.a > 10", "SELECT sum(length(payload)) FROM big"] },
    ];

    /// <summary>Scenarios run again beside an open reader: on the same connection, and on another of one shared cache.</summary>
    private static readonly string[] BesideReaders =
    [
        "explicit transaction with several statements", "large transaction spilling past a small cache", "savepoints and rollback to",
        "rollback of a spilled transaction", "wal savepoints", "wal rollback of a spilled transaction", "wal transaction spilling into the log", "wal automatic checkpoints",
    ];

    private static readonly FaultScenario[] All =
    [
        .. Scenarios,
        .. Scenarios.Where(s => BesideReaders.Contains(s.Name)).SelectMany(s => new[] { s.Beside(FaultReader.SameConnection), s.Beside(FaultReader.SharedCache) }),
    ];

    public static TheoryData<string, FaultMode> Cases()
    {
        var data = new TheoryData<string, FaultMode>();
        foreach (FaultScenario s in All)
        {
            foreach (FaultMode m in Enum.GetValues<FaultMode>())
            {
                // A scenario whose files never grow cannot fill the disk.
                if (m == FaultMode.DiskFull && !s.Grows) continue;
                data.Add(s.Name, m);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_fault_at_any_file_call_fails_with_sqlites_code_and_leaves_the_database_as_sqlite_would(string scenario, FaultMode mode)
    {
        FaultScenario s = All.Single(x => x.Name == scenario);
        int sample = mode switch { FaultMode.Once => 96, FaultMode.Persistent => 32, _ => 32 };
        FaultHarness.Report report = FaultHarness.Run(s, mode, sample);
        output.WriteLine($"{scenario} / {mode}: {report}");
        Assert.True(report.Cases > 0, "no case ran");
        Assert.True(report.Failed > 0, "no injected fault made a statement fail");
    }
}
