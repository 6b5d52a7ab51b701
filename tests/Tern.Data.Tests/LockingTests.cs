// Locking between connections to one file, on both providers: deferred transactions that
// read side by side and then both want to write, a reader left open mid-result while
// another connection commits, command timeouts of statements that wait for a lock (and
// CommandTimeout = 0, which waits until the lock is released), BEGIN EXCLUSIVE keeping
// readers out, two pooled connections writing from two threads, and PRAGMA busy_timeout.
// Nothing here measures time: a wait that must fail has nobody to end it (1 s timeouts),
// a wait that must succeed is ended by another thread and allowed many seconds.
using System.Data;
using System.Data.Common;
using System.Globalization;
using Tern.Data.Tests.Support;
using static Tern.Data.Tests.Support.LockingSteps;

namespace Tern.Data.Tests;

public class LockingTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    [Theory, MemberData(nameof(P))]
    public void Deferred_transactions_read_in_parallel_and_the_second_writer_is_refused(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString(extra: "Default Timeout=1");
        DbConnection a = Seed(db, cs);
        DbConnection b = db.Open(cs);
        dynamic da = a, dbb = b;
        DbTransaction ta = da.BeginTransaction(true);
        DbTransaction tb = dbb.BeginTransaction(true);
        db.T.Add("a reads", Count(a, ta));
        db.T.Add("b reads", Count(b, tb));
        db.T.Try("a writes", () => RunSql(a, ta, "INSERT INTO t VALUES (3)"));
        db.T.Add("a sees", Count(a, ta));
        db.T.Add("b sees", Count(b, tb));
        db.T.Try("b writes", () => RunSql(b, tb, "INSERT INTO t VALUES (4)", timeout: 1));
        db.T.Try("b reads after refusal", () => Count(b, tb));
        db.T.Add("b transaction connection", tb.Connection == b);
        db.T.Try("a commits while b reads", () => ta.Commit());
        db.T.Add("a transaction connection", ta.Connection == a);
        db.T.Try("b rolls back", () => tb.Rollback());
        db.T.Try("a commits", () => ta.Commit());
        db.T.Add("a after", Count(a));
        db.T.Add("b after", Count(b));
    });

    [Theory, MemberData(nameof(P))]
    public void Deferred_reader_may_write_after_the_other_writer_commits_only_in_a_new_transaction(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString(extra: "Default Timeout=1");
        DbConnection a = Seed(db, cs);
        DbConnection b = db.Open(cs);
        dynamic dbb = b;
        DbTransaction tb = dbb.BeginTransaction(true);
        db.T.Add("b reads", Count(b, tb));
        db.T.Try("a autocommit insert", () => RunSql(a, null, "INSERT INTO t VALUES (3)", timeout: 1));
        db.T.Add("b sees", Count(b, tb));
        db.T.Try("b commits", () => tb.Commit());
        db.T.Try("a autocommit insert again", () => RunSql(a, null, "INSERT INTO t VALUES (3)", timeout: 1));
        DbTransaction tb2 = dbb.BeginTransaction(true);
        db.T.Add("b sees in a new transaction", Count(b, tb2));
        db.T.Try("b writes", () => RunSql(b, tb2, "INSERT INTO t VALUES (4)", timeout: 1));
        tb2.Commit();
        db.T.Add("a after", Count(a));
    });

    [Theory, MemberData(nameof(P))]
    public void Open_reader_makes_a_writer_fail_after_its_timeout(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString();
        DbConnection w = Seed(db, cs);
        DbConnection r = db.Open(cs);
        using DbCommand q = Db.Command(r, "SELECT x FROM t ORDER BY x");
        DbDataReader reader = q.ExecuteReader();
        db.T.Add("first row", reader.Read() ? reader.GetValue(0) : null);
        db.T.Try("autocommit insert", () => RunSql(w, null, "INSERT INTO t VALUES (3)", timeout: 1));
        DbTransaction tx = w.BeginTransaction();
        db.T.Try("insert in transaction", () => RunSql(w, tx, "INSERT INTO t VALUES (4)", timeout: 1));
        db.T.Try("commit", () => RunSql(w, tx, "COMMIT", timeout: 1));
        db.T.Add("transaction connection", tx.Connection == w);
        db.T.Add("reader goes on", reader.Read() ? reader.GetValue(0) : null);
        db.T.Add("reader at end", reader.Read());
        reader.Dispose();
        db.T.Try("rollback", () => tx.Rollback());
        db.T.Add("count", Count(w));
    });

    [Theory, MemberData(nameof(P))]
    public void Open_reader_disposed_from_another_thread_lets_the_writer_commit(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString();
        DbConnection w = Seed(db, cs);
        DbConnection r = db.Open(cs);
        using DbCommand q = Db.Command(r, "SELECT x FROM t ORDER BY x");
        DbDataReader reader = q.ExecuteReader();
        db.T.Add("first row", reader.Read() ? reader.GetValue(0) : null);
        using var go = new ManualResetEventSlim();
        Task release = ReleaseLater(go, reader.Dispose);
        go.Set();
        db.T.Try("autocommit insert", () => RunSql(w, null, "INSERT INTO t VALUES (3)", timeout: 30));
        release.Wait();
        reader = q.ExecuteReader();
        db.T.Add("first row again", reader.Read() ? reader.GetValue(0) : null);
        DbTransaction tx = w.BeginTransaction();
        RunSql(w, tx, "INSERT INTO t VALUES (4)");
        using var go2 = new ManualResetEventSlim();
        release = ReleaseLater(go2, reader.Dispose);
        go2.Set();
        db.T.Try("commit", () => tx.Commit());
        release.Wait();
        db.T.Add("count", Count(r));
    });

    [Theory, MemberData(nameof(P))]
    public void Schema_changes_wait_for_a_reader_until_the_command_timeout(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString();
        DbConnection w = Seed(db, cs);
        Db.Exec(w, "CREATE TABLE u(y)");
        DbConnection r = db.Open(cs);
        using DbCommand q = Db.Command(r, "SELECT x FROM t");
        using (DbDataReader reader = q.ExecuteReader())
        {
            reader.Read();
            db.T.Try("drop table", () => RunSql(w, null, "DROP TABLE u", timeout: 1));
            db.T.Try("create index", () => RunSql(w, null, "CREATE INDEX tx ON t(x)", timeout: 1));
            db.T.Try("alter table", () => RunSql(w, null, "ALTER TABLE t ADD COLUMN z", timeout: 1));
        }
        db.T.Try("drop table after", () => RunSql(w, null, "DROP TABLE u", timeout: 1));
        db.T.Try("create index after", () => RunSql(w, null, "CREATE INDEX tx ON t(x)", timeout: 1));
        db.T.Add("schema", RunSql(r, null, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY name)", scalar: true));
    });

    [Theory, MemberData(nameof(P))]
    public void Command_timeout_zero_waits_until_the_lock_is_released(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString();
        DbConnection w = Seed(db, cs);
        DbConnection r = db.Open(cs);
        using DbCommand q = Db.Command(r, "SELECT x FROM t");
        DbDataReader reader = q.ExecuteReader();
        reader.Read();
        using var go = new ManualResetEventSlim();
        Task release = ReleaseLater(go, reader.Dispose);
        go.Set();
        db.T.Try("create index", () => RunSql(w, null, "CREATE INDEX tx ON t(x)", timeout: 0));
        release.Wait();
        DbTransaction tx = w.BeginTransaction();
        using var go2 = new ManualResetEventSlim();
        release = ReleaseLater(go2, tx.Commit);
        go2.Set();
        db.T.Try("other writer", () => RunSql(r, null, "INSERT INTO t VALUES (9)", timeout: 0));
        release.Wait();
        db.T.Add("count", Count(r));
    });

    [Theory, MemberData(nameof(P))]
    public void Default_timeout_in_the_connection_string_limits_the_wait(string p) => Run(p, db =>
    {
        DbConnection w = Seed(db, db.FileConnectionString());
        DbConnection r = db.Open(db.FileConnectionString(extra: "Default Timeout=1"));
        DbConnection other = db.Open(db.FileConnectionString(extra: "Command Timeout=1"));
        using DbCommand probe = r.CreateCommand();
        db.T.Add("command timeout", probe.CommandTimeout);
        DbTransaction tx = w.BeginTransaction();
        RunSql(w, tx, "INSERT INTO t VALUES (3)");
        db.T.Try("insert with the default", () =>
        {
            using DbCommand cmd = r.CreateCommand();
            cmd.CommandText = "INSERT INTO t VALUES (4)";
            return cmd.ExecuteNonQuery();
        });
        db.T.Try("begin with the default", () => r.BeginTransaction());
        db.T.Try("alias", () => other.BeginTransaction());
        db.T.Add("reader still reads", Count(r));
        tx.Commit();
        db.T.Add("count", Count(r));
    });

    [Theory, MemberData(nameof(P))]
    public void Begin_exclusive_keeps_readers_and_writers_out(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString(extra: "Default Timeout=1");
        DbConnection a = Seed(db, cs);
        DbConnection b = db.Open(cs);
        db.T.Try("begin exclusive", () => Db.Exec(a, "BEGIN EXCLUSIVE"));
        db.T.Try("a inserts", () => Db.Exec(a, "INSERT INTO t VALUES (3)"));
        db.T.Try("b reads", () => Count(b, null, 1));
        db.Query(b, "SELECT x FROM t");
        db.T.Try("b begins", () => b.BeginTransaction());
        db.T.Try("b begins deferred", () =>
        {
            dynamic dbb = b;
            DbTransaction d = dbb.BeginTransaction(true);
            try
            {
                return Count(b, d, 1);
            }
            finally
            {
                d.Rollback();
            }
        });
        db.T.Try("a commits", () => Db.Exec(a, "COMMIT"));
        db.T.Add("b reads after", Count(b));
        db.T.Try("b begins after", () => b.BeginTransaction().Commit());
    });

    [Theory, MemberData(nameof(P))]
    public void Begin_exclusive_waits_for_a_reader(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString(extra: "Default Timeout=1");
        DbConnection a = Seed(db, cs);
        DbConnection b = db.Open(cs);
        using DbCommand q = Db.Command(b, "SELECT x FROM t");
        using (DbDataReader reader = q.ExecuteReader())
        {
            reader.Read();
            db.T.Try("begin exclusive", () => Db.Exec(a, "BEGIN EXCLUSIVE"));
            db.T.Try("a inserts", () => Db.Exec(a, "INSERT INTO t VALUES (3)"));
        }
        db.T.Try("begin exclusive after", () => Db.Exec(a, "BEGIN EXCLUSIVE"));
        db.T.Try("commit", () => Db.Exec(a, "COMMIT"));
    });

    [Theory, MemberData(nameof(P))]
    public void Two_pooled_connections_on_two_threads_insert_every_row(string p) => Run(p, db =>
    {
        // Pooling on: both connections come from one pool for the same connection string.
        string cs = $"Data Source={db.File("pool.db")}";
        using (DbConnection c = db.Open(cs)) Db.Exec(c, "CREATE TABLE t(worker, n)");
        int rows = int.TryParse(Environment.GetEnvironmentVariable("TERN_DATA_LOCK_ROWS"), out int n) && n > 0 ? n : 500;
        const int perTransaction = 5;
        using var start = new Barrier(2);
        Task[] workers = [.. Enumerable.Range(0, 2).Select(worker => Task.Factory.StartNew(() =>
        {
            using DbConnection c = db.Factory.CreateConnection()!;
            c.ConnectionString = cs;
            c.Open();
            start.SignalAndWait();
            for (int i = 0; i < rows; i += perTransaction)
            {
                using DbTransaction tx = c.BeginTransaction();
                for (int j = i; j < i + perTransaction && j < rows; j++)
                {
                    using DbCommand cmd = Db.Command(c, "INSERT INTO t VALUES (@w, @n)", ("@w", worker), ("@n", j));
                    cmd.Transaction = tx;
                    cmd.ExecuteNonQuery();
                }
                tx.Commit();
            }
        }, TaskCreationOptions.LongRunning))];
        db.T.Try("workers", () => Task.WaitAll(workers));
        using DbConnection check = db.Open(cs);
        db.T.Add("rows", Db.Scalar(check, "SELECT count(*) FROM t") as long? == 2L * rows);
        db.T.Add("distinct", Db.Scalar(check, "SELECT count(DISTINCT worker || ':' || n) FROM t") as long? == 2L * rows);
        db.T.Add("integrity", Db.Scalar(check, "PRAGMA integrity_check"));
    });

    [Theory, MemberData(nameof(P))]
    public void Pragma_busy_timeout_reads_and_sets_the_handler(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString();
        DbConnection a = Seed(db, cs);
        DbConnection b = db.Open(cs);
        db.T.Try("read", () => Db.Scalar(b, "PRAGMA busy_timeout"));
        db.T.Try("set", () => Db.Scalar(b, "PRAGMA busy_timeout = 2500"));
        db.T.Try("set nonquery", () => Db.Exec(b, "PRAGMA busy_timeout = 2500"));
        db.T.Try("read again", () => Db.Scalar(b, "PRAGMA busy_timeout"));
        db.T.Try("negative", () => Db.Scalar(b, "PRAGMA busy_timeout = -5"));
        db.T.Try("read after negative", () => Db.Scalar(b, "PRAGMA busy_timeout"));
        db.T.Try("other connection", () => Db.Scalar(a, "PRAGMA busy_timeout"));
        db.Query(b, "PRAGMA busy_timeout = 7");
    });

    [Theory, MemberData(nameof(P))]
    public void Pragma_busy_timeout_outlasts_a_short_command_timeout(string p) => Run(p, db =>
    {
        // The command gives up after 1 s of retries, but one step already waits inside the
        // busy handler for up to 60 s, so a lock released later than 1 s still lets it through.
        string cs = db.FileConnectionString();
        DbConnection a = Seed(db, cs);
        DbConnection b = db.Open(cs);
        Db.Exec(b, "PRAGMA busy_timeout = 60000");
        DbTransaction tx = a.BeginTransaction();
        RunSql(a, tx, "INSERT INTO t VALUES (3)");
        using var go = new ManualResetEventSlim();
        Task release = Task.Run(() =>
        {
            go.Wait();
            Thread.Sleep(1500);
            tx.Commit();
        });
        go.Set();
        db.T.Try("b insert", () => RunSql(b, null, "INSERT INTO t VALUES (4)", timeout: 1));
        release.Wait();
        db.T.Add("count", Count(b));
        Db.Exec(b, "PRAGMA busy_timeout = 0");
        DbTransaction tx2 = a.BeginTransaction();
        db.T.Try("b insert without the handler", () => RunSql(b, null, "INSERT INTO t VALUES (5)", timeout: 1));
        tx2.Rollback();
    });
}
