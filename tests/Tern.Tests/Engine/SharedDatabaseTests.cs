// Connections to one file, from one Database or several: each has its own storage and
// they coordinate through the file's locks as SQLite's connections do — they see each
// other's commits and schema changes, read beside a writer, wait for each other's locks
// (SQLITE_BUSY, the busy timeout and handler), may be used from different threads, and
// the file is free again once the last connection is closed.
namespace Tern.Tests.Engine;

public sealed class SharedDatabaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tern-shared-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string FilePath(string name = "db.sqlite") => Path.Combine(_dir, name);

    private static long Count(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        return s.GetInt64(0);
    }

    [Fact]
    public void Two_opens_of_one_file_see_each_others_commits_and_schema_changes()
    {
        using Database a = Database.Open(FilePath());
        using Database b = Database.Open(Path.Combine(_dir, ".", "db.sqlite"));
        using Connection ca = a.Connect();
        using Connection cb = b.Connect();
        ca.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        Assert.Equal(1, Count(cb, "SELECT count(*) FROM t"));
        cb.Execute("INSERT INTO t VALUES (2); CREATE INDEX tx ON t(x)");
        Assert.Equal(2, Count(ca, "SELECT count(*) FROM t"));
        Assert.Equal(1, Count(ca, "SELECT count(*) FROM sqlite_schema WHERE name = 'tx'"));
    }

    [Fact]
    public void Readers_see_the_last_commit_beside_a_writer_whose_commit_waits_for_them()
    {
        using Database a = Database.Open(FilePath());
        using Database b = Database.Open(FilePath());
        using Connection ca = a.Connect();
        using Connection cb = b.Connect();
        ca.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (0)");
        ca.Execute("BEGIN; INSERT INTO t VALUES (1)");
        // The writer holds RESERVED: a reader still reads, and sees what was committed.
        Assert.Equal(1, Count(cb, "SELECT count(*) FROM t"));
        using (Statement reading = cb.Prepare("SELECT x FROM t"))
        {
            Assert.True(reading.Step());
            // The reader holds SHARED while its statement runs: COMMIT cannot take EXCLUSIVE,
            // fails with SQLITE_BUSY and leaves the transaction open.
            var e = Assert.Throws<TernException>(() => ca.Execute("COMMIT"));
            Assert.Equal(ResultCode.Busy, e.Code);
            Assert.Equal("database is locked", e.Message);
            Assert.False(ca.AutoCommit);
        }
        ca.Execute("COMMIT");
        Assert.True(ca.AutoCommit);
        Assert.Equal(2, Count(cb, "SELECT count(*) FROM t"));
    }

    [Fact]
    public void Begin_immediate_takes_the_write_lock_and_resetting_elsewhere_does_not_steal_it()
    {
        using Database a = Database.Open(FilePath());
        using Database b = Database.Open(FilePath());
        using Connection ca = a.Connect();
        using Connection cb = b.Connect();
        ca.Execute("CREATE TABLE t(x)");
        ca.Execute("BEGIN IMMEDIATE");
        var e = Assert.Throws<TernException>(() => cb.Execute("BEGIN IMMEDIATE"));
        Assert.Equal(ResultCode.Busy, e.Code);
        Assert.True(cb.AutoCommit);
        using (Statement s = cb.Prepare("INSERT INTO t VALUES (9)"))
        {
            s.Reset();
        }
        Assert.Throws<TernException>(() => cb.Execute("INSERT INTO t VALUES (2)"));
        Assert.Equal(0, Count(cb, "SELECT count(*) FROM t"));
        ca.Execute("INSERT INTO t VALUES (1); COMMIT");
        cb.Execute("BEGIN EXCLUSIVE; INSERT INTO t VALUES (2)");
        // EXCLUSIVE keeps readers out until it ends.
        var r = Assert.Throws<TernException>(() => Count(ca, "SELECT count(*) FROM t"));
        Assert.Equal(ResultCode.Busy, r.Code);
        cb.Execute("COMMIT");
        Assert.Equal(3, Count(ca, "SELECT sum(x) FROM t"));
    }

    [Fact]
    public void A_reader_that_wants_to_write_beside_a_writer_is_busy_at_once_and_keeps_reading()
    {
        using Database db = Database.Open(FilePath());
        using Connection ca = db.Connect();
        using Connection cb = db.Connect();
        ca.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        cb.BusyTimeout = TimeSpan.FromMinutes(5);
        ca.Execute("BEGIN IMMEDIATE; INSERT INTO t VALUES (2)");
        cb.Execute("BEGIN");
        Assert.Equal(1, Count(cb, "SELECT count(*) FROM t"));
        // Waiting could never end (the writer's commit waits for this reader): SQLite gives up
        // at once, without asking the busy handler.
        var e = Assert.Throws<TernException>(() => cb.Execute("INSERT INTO t VALUES (3)"));
        Assert.Equal(ResultCode.Busy, e.Code);
        Assert.Equal(1, Count(cb, "SELECT count(*) FROM t"));
        cb.Execute("ROLLBACK");
        ca.Execute("COMMIT");
        Assert.Equal(2, Count(cb, "SELECT count(*) FROM t"));
    }

    [Fact]
    public void A_statement_that_was_busy_runs_again_from_its_start_at_the_next_step()
    {
        using Database db = Database.Open(FilePath());
        using Connection a = db.Connect();
        using Connection b = db.Connect();
        a.Execute("CREATE TABLE t(x)");
        a.Execute("BEGIN IMMEDIATE");
        using Statement insert = b.Prepare("INSERT INTO t VALUES (1), (2)");
        var e = Assert.Throws<TernException>(() => insert.Step());
        Assert.Equal(ResultCode.Busy, e.Code);
        Assert.Equal(0, b.Changes);
        a.Execute("COMMIT");
        Assert.False(insert.Step());
        Assert.Equal(2, b.Changes);
        Assert.Equal(2, Count(a, "SELECT count(*) FROM t"));
    }

    [Fact]
    public void A_change_that_was_busy_reports_no_changes_and_keeps_the_total()
    {
        using Database db = Database.Open(FilePath());
        using Connection a = db.Connect();
        using Connection b = db.Connect();
        a.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)");
        Assert.Equal((1, 2), (a.Changes, a.TotalChanges));
        using (Statement reading = b.Prepare("SELECT x FROM t"))
        {
            Assert.True(reading.Step());
            // The row went in, but the commit could not take EXCLUSIVE beside the reader.
            Assert.Equal(ResultCode.Busy, Assert.Throws<TernException>(() => a.Execute("INSERT INTO t VALUES (3)")).Code);
            Assert.Equal((0, 2), (a.Changes, a.TotalChanges));
        }
        a.Execute("INSERT INTO t VALUES (4)");
        Assert.Equal((1, 3), (a.Changes, a.TotalChanges));
        b.Execute("BEGIN IMMEDIATE");
        // Busy before changing anything (RESERVED is taken): sqlite3_changes is 0 all the same.
        Assert.Equal(ResultCode.Busy, Assert.Throws<TernException>(() => a.Execute("UPDATE t SET x = x")).Code);
        Assert.Equal((0, 3), (a.Changes, a.TotalChanges));
        b.Execute("ROLLBACK");
    }

    [Fact]
    public void A_journal_that_vanishes_while_a_reader_checks_it_is_not_hot_and_not_an_error()
    {
        // The reader sees the writer's journal, then the writer rolls back (deleting the
        // journal and releasing RESERVED) just before the reader asks who holds RESERVED.
        var fs = new Tern.Storage.Io.MemoryFileSystem();
        using Database db = Database.Open("race.db", new DatabaseOptions { FileSystem = fs });
        using Connection writer = db.Connect();
        using Connection reader = db.Connect();
        writer.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        Assert.Equal(1, Count(reader, "SELECT count(*) FROM t"));
        writer.Execute("BEGIN; INSERT INTO t VALUES (2)");
        Assert.True(fs.Exists("race.db-journal"));
        bool rolledBack = false;
        fs.FailWhen = (op, _) =>
        {
            if (op == Tern.Storage.Io.IoOperation.CheckReservedLock && !rolledBack)
            {
                rolledBack = true;
                writer.Execute("ROLLBACK");
            }
            return false;
        };
        Assert.Equal(1, Count(reader, "SELECT count(*) FROM t"));
        fs.FailWhen = null;
        Assert.True(rolledBack);
        Assert.False(fs.Exists("race.db-journal"));
    }

    [Fact]
    public async Task A_busy_timeout_waits_for_the_lock_to_be_released()
    {
        using Database db = Database.Open(FilePath());
        using Connection writer = db.Connect();
        using Connection other = db.Connect();
        writer.Execute("CREATE TABLE t(x)");
        writer.Execute("BEGIN IMMEDIATE; INSERT INTO t VALUES (1)");
        other.BusyTimeout = TimeSpan.FromMinutes(5);
        writer.BusyTimeout = TimeSpan.FromMinutes(5);
        int calls = 0;
        Task insert = Task.Run(() => other.Execute("INSERT INTO t VALUES (2)"));
        using (Connection probe = db.Connect())
        {
            probe.BusyHandler = n => { calls = n + 1; return false; };
            Assert.Throws<TernException>(() => probe.Execute("INSERT INTO t VALUES (3)"));
        }
        Assert.Equal(1, calls);
        writer.Execute("COMMIT");
        await insert;
        Assert.Equal(3, Count(writer, "SELECT sum(x) FROM t"));
        using Statement timeout = other.Prepare("PRAGMA busy_timeout");
        Assert.True(timeout.Step());
        Assert.Equal(300000, timeout.GetInt64(0));
    }

    [Fact]
    public void The_file_stays_open_until_the_last_handle_is_disposed()
    {
        Database a = Database.Open(FilePath());
        using (Connection c = a.Connect()) c.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (7)");
        Database b = Database.Open(FilePath());
        a.Dispose();
        using (Connection c = b.Connect()) Assert.Equal(7, Count(c, "SELECT x FROM t"));
        b.Dispose();
        // Closed: the file can be reopened (and, being closed, removed).
        using (Database again = Database.Open(FilePath()))
        using (Connection c = again.Connect())
        {
            Assert.Equal(7, Count(c, "SELECT x FROM t"));
        }
        File.Delete(FilePath());
        Assert.False(File.Exists(FilePath()));
    }

    [Fact]
    public void A_read_only_handle_on_a_shared_file_refuses_writes()
    {
        using Database rw = Database.Open(FilePath());
        using (Connection c = rw.Connect()) c.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        using Database ro = Database.Open(FilePath(), new DatabaseOptions { ReadOnly = true });
        using Connection r = ro.Connect();
        Assert.Equal(1, Count(r, "SELECT count(*) FROM t"));
        var e = Assert.Throws<TernException>(() => r.Execute("INSERT INTO t VALUES (2)"));
        Assert.Equal(ResultCode.ReadOnly, e.Code);
        Assert.Equal("attempt to write a readonly database", e.Message);
        using Connection w = rw.Connect();
        w.Execute("INSERT INTO t VALUES (3)");
        Assert.Equal(2, Count(r, "SELECT count(*) FROM t"));
    }

    [Fact]
    public void Memory_databases_are_never_shared()
    {
        using Database a = Database.Open(":memory:");
        using Database b = Database.Open(":memory:");
        using Connection ca = a.Connect();
        using Connection cb = b.Connect();
        ca.Execute("CREATE TABLE t(x)");
        var e = Assert.Throws<TernException>(() => cb.Execute("SELECT * FROM t"));
        Assert.Equal("no such table: t", e.Message);
    }

    [Fact]
    public async Task Connections_on_different_threads_take_turns_without_losing_rows()
    {
        using (Database setup = Database.Open(FilePath()))
        using (Connection c = setup.Connect())
        {
            c.Execute("CREATE TABLE t(thread, n)");
        }
        const int threads = 4, rows = 200;
        var workers = Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            using Database db = Database.Open(FilePath());
            using Connection c = db.Connect();
            for (int i = 0; i < rows; i++)
            {
                while (true)
                {
                    try
                    {
                        c.Execute($"INSERT INTO t VALUES ({t}, {i})");
                        break;
                    }
                    catch (TernException e) when (e.Code == ResultCode.Busy)
                    {
                        Thread.Sleep(1);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        using Database check = Database.Open(FilePath());
        using Connection cc = check.Connect();
        Assert.Equal(threads * rows, Count(cc, "SELECT count(*) FROM t"));
        Assert.Equal(threads, Count(cc, "SELECT count(DISTINCT thread) FROM t"));
        using Statement ic = cc.Prepare("PRAGMA integrity_check");
        Assert.True(ic.Step());
        Assert.Equal("ok", ic.GetString(0));
    }
}
