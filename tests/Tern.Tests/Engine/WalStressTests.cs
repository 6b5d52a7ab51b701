// Many connections of one process on one WAL database at once, on real files and on the
// in-memory file system: writer threads commit small transactions (two rows into t and the
// matching increment of a counter in c), reader threads read both tables in one read
// transaction, and a checkpointer runs all four checkpoint modes in turn while the writers'
// small wal_autocheckpoint makes automatic checkpoints and log restarts frequent; one more
// writer reads first and then writes (a deferred transaction: SQLITE_BUSY_SNAPSHOT when
// another commit came in between, then it rolls back and tries again), and one writes and
// rolls back. A reader
// must always see count(t) equal to the counter (one snapshot across two statements), even
// (whole transactions) and never smaller than before (commit order). At the end every row is
// there, integrity_check is ok and, on real files, the last close deletes the log and SQLite
// 3.50.4 reads the same rows. TERN_WAL_STRESS_TXNS sets the transactions per writer (default 40).
using Tern.Storage.Io;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public sealed class WalStressTests : IDisposable
{
    private const int Writers = 2;
    private const int Readers = 3;
    private readonly string _dir = Directory.CreateTempSubdirectory("tern-walstress-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int Transactions =>
        int.TryParse(Environment.GetEnvironmentVariable("TERN_WAL_STRESS_TXNS"), out int n) && n > 0 ? n : 40;

    private static long Scalar(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        return s.GetInt64(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Readers_writers_and_checkpoints_on_one_WAL_file_see_only_whole_transactions_in_order(bool inMemoryFileSystem)
    {
        string path = Path.Combine(_dir, "stress.db");
        var options = new DatabaseOptions { FileSystem = inMemoryFileSystem ? new MemoryFileSystem() : null };
        int txns = Transactions;
        long expectedRows;
        using (Database db = Database.Open(path, options))
        {
            using (Connection setup = db.Connect())
            {
                using (Statement mode = setup.Prepare("PRAGMA journal_mode = WAL"))
                {
                    Assert.True(mode.Step());
                    Assert.Equal("wal", mode.GetString(0));
                }
                setup.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, who, n, pad); CREATE TABLE c(n); INSERT INTO c VALUES (0)");
            }

            var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            int writersLeft = Writers;
            long upgraded = 0, snapshotsTooOld = 0;
            var threads = new List<Thread>();
            threads.Add(new Thread(() => Guard(failures, () =>
            {
                using Connection c = db.Connect();
                c.Execute("PRAGMA busy_timeout = 600000");
                while (Volatile.Read(ref writersLeft) > 0)
                {
                    c.Execute("BEGIN");
                    long before = Scalar(c, "SELECT n FROM c");
                    try
                    {
                        c.Execute($"INSERT INTO t(who, n, pad) VALUES ('u', {upgraded}, 'y'); INSERT INTO t(who, n, pad) VALUES ('u', {upgraded}, 'y'); " +
                                  $"UPDATE c SET n = {before + 2}; COMMIT");
                        upgraded++;
                    }
                    catch (TernException e) when (e.Code == ResultCode.Busy)
                    {
                        // Another writer holds the write lock (SQLITE_BUSY at once: this connection
                        // is reading, so the busy handler is not asked), or committed after this
                        // snapshot was taken (SQLITE_BUSY_SNAPSHOT): start over.
                        Assert.True(e.ExtendedCode is ResultCode.Busy or ResultCode.BusySnapshot, e.ExtendedCode.ToString());
                        if (e.ExtendedCode == ResultCode.BusySnapshot) snapshotsTooOld++;
                        c.Execute("ROLLBACK");
                    }
                    c.Execute("BEGIN IMMEDIATE; INSERT INTO t(who, n, pad) VALUES ('gone', 0, 0); UPDATE c SET n = n + 1; ROLLBACK");
                }
            })));
            for (int w = 0; w < Writers; w++)
            {
                int who = w;
                threads.Add(new Thread(() => Guard(failures, () =>
                {
                    using Connection c = db.Connect();
                    c.Execute("PRAGMA busy_timeout = 600000; PRAGMA wal_autocheckpoint = 20");
                    try
                    {
                        for (int i = 0; i < txns; i++)
                        {
                            // Long enough rows that transactions spill over several pages now and then.
                            c.Execute($"BEGIN IMMEDIATE; INSERT INTO t(who, n, pad) VALUES ({who}, {i}, zeroblob({i % 7 * 700})); " +
                                      $"INSERT INTO t(who, n, pad) VALUES ({who}, {i}, 'x'); UPDATE c SET n = n + 2; COMMIT");
                        }
                    }
                    finally
                    {
                        Interlocked.Decrement(ref writersLeft);
                    }
                })));
            }
            for (int r = 0; r < Readers; r++)
            {
                threads.Add(new Thread(() => Guard(failures, () =>
                {
                    using Connection c = db.Connect();
                    c.Execute("PRAGMA busy_timeout = 600000");
                    long previous = 0;
                    while (Volatile.Read(ref writersLeft) > 0)
                    {
                        c.Execute("BEGIN");
                        long rows = Scalar(c, "SELECT count(*) FROM t");
                        long counter = Scalar(c, "SELECT n FROM c");
                        c.Execute("COMMIT");
                        Assert.Equal(counter, rows);
                        Assert.True(rows % 2 == 0, $"half a transaction: {rows} rows");
                        Assert.True(rows >= previous, $"{rows} rows after {previous}");
                        previous = rows;
                    }
                })));
            }
            threads.Add(new Thread(() => Guard(failures, () =>
            {
                using Connection c = db.Connect();
                c.Execute("PRAGMA busy_timeout = 50");
                string[] modes = ["PASSIVE", "FULL", "RESTART", "TRUNCATE"];
                for (int i = 0; Volatile.Read(ref writersLeft) > 0; i++)
                {
                    using Statement s = c.Prepare($"PRAGMA wal_checkpoint({modes[i % 4]})");
                    Assert.True(s.Step());
                    long busy = s.GetInt64(0), log = s.GetInt64(1), done = s.GetInt64(2);
                    Assert.True(busy is 0 or 1);
                    Assert.True(log >= -1 && done >= -1 && done <= Math.Max(log, 0) || (log == -1 && done == -1), $"{busy}|{log}|{done}");
                    Thread.Sleep(1);
                }
            })));
            foreach (Thread t in threads) t.Start();
            foreach (Thread t in threads) Assert.True(t.Join(TimeSpan.FromMinutes(5)), "a thread is stuck");
            Assert.True(failures.IsEmpty, string.Join("\n---\n", failures));

            using Connection check = db.Connect();
            long expected = 2L * Writers * txns + 2 * upgraded;
            Assert.Equal(expected, Scalar(check, "SELECT count(*) FROM t"));
            Assert.Equal(expected, Scalar(check, "SELECT n FROM c"));
            Assert.Equal(Writers * txns + upgraded, Scalar(check, "SELECT count(DISTINCT who || '.' || n) FROM t"));
            Assert.Equal(0, Scalar(check, "SELECT count(*) FROM t WHERE who = 'gone'"));
            expectedRows = expected;
            using Statement integrity = check.Prepare("PRAGMA integrity_check");
            Assert.True(integrity.Step());
            Assert.Equal("ok", integrity.GetString(0));
        }
        if (inMemoryFileSystem) return;

        // The last connection closed: the log was checkpointed and deleted.
        Assert.False(File.Exists(path + "-wal"));
        using var sqlite = SqliteOracle.Open(path);
        Assert.Equal("wal", SqliteOracle.Scalar(sqlite, "PRAGMA journal_mode"));
        Assert.Equal(expectedRows, SqliteOracle.Scalar(sqlite, "SELECT count(*) FROM t"));
        Assert.Equal("ok", SqliteOracle.Scalar(sqlite, "PRAGMA integrity_check"));
    }

    private static void Guard(System.Collections.Concurrent.ConcurrentQueue<Exception> failures, Action body)
    {
        try
        {
            body();
        }
        catch (Exception e)
        {
            failures.Enqueue(e);
        }
    }
}
